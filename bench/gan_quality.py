#!/usr/bin/env python3
"""GAN quality over seeds: JS divergence and modes covered after N epochs.

    python bench/gan_quality.py                       # defaults, two-gaussians and ring, seeds 0-4, 10,000 epochs
    python bench/gan_quality.py --remedies            # also each remedy taken away, one at a time
    python bench/gan_quality.py --epochs 2000 --seeds 0,1   # a short look

What must hold (issue 10), every setting at its default:
  two-gaussians  js_divergence <= 0.1 in at least 4 of 5 seeds
  ring           >= 7 of 8 modes covered in at least 4 of 5 seeds
The measure is nn_tui.kinds.gan.train.evaluate: 20,000 real against 20,000
generated points on a 30 x 30 grid over the data's box (log base 2, 1e-4 per
bin), and a mode counts when >= 1 % of the points lie within 3 sigma of it.

--remedies answers "what did each remedy buy": the defaults, then the
defaults with one remedy undone, then a plain baseline with all of them undone.
Runs one at a time (the machine is shared); prints each run as it ends.
line, grid and three-regions have no goal; measured with the defaults (seeds 0, 1):
line js 0.013/0.023; grid js 0.44, 15 of 25 modes; three-regions js 0.16/0.45.

Measured 2026-12-01 (`--remedies`, seeds 0-4, 10,000 epochs; 5-27 s a run on the
shared 2-core VM): median js (range) and seeds passing
  variant                      two-gaussians               ring (js; modes)
  defaults                     0.036 (0.024-0.044) 5/5     0.301; 8,8,8,8,8  5/5
  2-D noise, not 8-D           0.183 (0.167-0.261) 0/5     0.203; 8,8,8,8,8  5/5
  uniform noise, not Gaussian  0.030 (0.027-0.045) 5/5     0.341; 7,8,8,8,8  5/5
  no averaged G                0.053 (0.034-0.071) 5/5     0.285; 8,8,8,8,8  5/5
  D:G 1:1, not 2:1             0.054 (0.039-0.070) 5/5     0.430; 8,8,7,6,8  4/5
  Adam β1 0.9, not 0.5         0.119 (0.093-0.770) 1/5     0.279; 8,2,8,8,8  4/5
  lr 1e-3 both                 0.125 (0.101-0.181) 0/5     0.224; 8,8,8,8,8  5/5
  baseline: all undone         0.575 (0.437-0.628) 0/5     0.488; 8,8,8,8,6  4/5
So: 8-D noise and the small learning rates are what bring two-gaussians under 0.1;
β1 0.5 keeps runs from collapsing (seeds 0 and 3 at 0.75 with 0.9, ring seed 1 on
2 modes); 2:1 and the averaged G each take about a third off two-gaussians' JS, and
2:1 keeps every ring mode (1:1 lost one or two in 2 seeds); Gaussian rather than
uniform noise buys only a little on ring.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import limit_threads, say  # noqa: E402

# (label, changes to the defaults)
DEFAULTS = ("defaults", {})
REMEDIES_UNDONE = [
    ("2-D noise, not 8-D", dict(noise_dim=2)),
    ("uniform noise, not Gaussian", dict(noise_type="uniform")),
    ("no averaged G (g_average 0)", dict(g_average=0.0)),
    ("D:G 1:1, not 2:1", dict(d_steps=1)),
    ("Adam β1 0.9, not 0.5", dict(beta1=0.9)),
    ("lr 1e-3 both, not G 2e-4 / D 1e-4", dict(g_lr=1e-3, d_lr=1e-3)),
]
BASELINE = ("baseline: all undone", dict(noise_dim=2, noise_type="uniform", g_average=0.0, d_steps=1, beta1=0.9,
                                         g_lr=1e-3, d_lr=1e-3))
JS_GOAL, MODES_GOAL, SEEDS_NEEDED = 0.1, 7, 4


def run_one(changes, dataset, seed, epochs):
    from nn_tui.kinds.gan.model import Gan
    from nn_tui.kinds.gan.spec import GanSpec
    from nn_tui.kinds.gan.train import evaluate, train

    start = time.perf_counter()
    gan = Gan(GanSpec().replace(**changes), dataset, seed=seed)
    train(gan, epochs)
    metrics = evaluate(gan)
    metrics["seconds"] = time.perf_counter() - start
    return metrics


GOALS = {"two-gaussians": f"js <= {JS_GOAL}", "ring": f"modes >= {MODES_GOAL}"}  # the issue sets no others


def passes(dataset, metrics):
    if dataset == "ring":
        return metrics["modes_covered"] >= MODES_GOAL
    return metrics["js_divergence"] <= JS_GOAL


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=10_000)
    p.add_argument("--seeds", default="0,1,2,3,4")
    p.add_argument("--datasets", default="two-gaussians,ring")
    p.add_argument("--remedies", action="store_true", help="also undo each remedy in turn (7 more runs per seed)")
    args = p.parse_args(argv)
    say(f"threads  {limit_threads(1)}")
    seeds = [int(s) for s in args.seeds.split(",")]
    datasets = args.datasets.split(",")
    variants = [DEFAULTS] + (REMEDIES_UNDONE + [BASELINE] if args.remedies else [])

    say(f"{'variant':36} {'dataset':14} {'seed':>4} {'js':>6} {'kl':>6} {'modes':>5} {'seconds':>7}")
    summary = []
    for label, changes in variants:
        for dataset in datasets:
            results = []
            for seed in seeds:
                m = run_one(changes, dataset, seed, args.epochs)
                results.append(m)
                modes = m.get("modes_covered", "")
                say(f"{label:36} {dataset:14} {seed:>4} {m['js_divergence']:6.3f} {m['kl_divergence']:6.3f} "
                    f"{modes!s:>5} {m['seconds']:7.1f}")
            summary.append((label, dataset, results))

    say()
    say(f"{'variant':36} {'dataset':14} {'median js':>9} {'js range':>13} {'modes':>11} {'seeds passing':>14}")
    for label, dataset, results in summary:
        js = [m["js_divergence"] for m in results]
        modes = [m["modes_covered"] for m in results if "modes_covered" in m]
        modes_text = ",".join(map(str, modes)) if modes else "—"
        passing = (f"{sum(passes(dataset, m) for m in results)}/{len(results)} ({GOALS[dataset]})"
                   if dataset in GOALS else "— (no goal)")
        say(f"{label:36} {dataset:14} {statistics.median(js):9.3f} {min(js):6.3f}-{max(js):.3f} "
            f"{modes_text:>11} {passing}")
    defaults_ok = all(sum(passes(d, m) for m in r) >= min(SEEDS_NEEDED, len(r))
                      for label, d, r in summary if label == DEFAULTS[0] and d in GOALS)
    say()
    say(f"defaults: {'pass' if defaults_ok else 'FAIL'} (goal: {SEEDS_NEEDED} of 5 seeds per dataset)")
    return 0 if defaults_ok else 1


if __name__ == "__main__":
    sys.exit(main())
