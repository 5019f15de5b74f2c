#!/usr/bin/env python3
"""The denoising autoencoder on the digits, as `nn-tui train --model autoencoder` trains it.

    python3 bench/autoencoder_psnr.py                  # the kind's defaults, seeds 0-4
    python3 bench/autoencoder_psnr.py --seeds 0 --epochs 100

Each row builds the kind's own run (nn_tui.lessons.kind_runs.build_run: the
same data split, noise streams and training step as `nn-tui train`) with the
kind's defaults (AutoencoderKind.defaults and AutoencoderSpec: 64-128-64, Adam
lr 0.003, batch 32, 200 epochs) and only the noise level, or the encoder, given:

  1. σ 0.4: `nn-tui train --dataset digits --model autoencoder --corrupt 0.4 --seed S`
  2. σ 0.2: the same with --corrupt 0.2
  3. --layers 32,2 --corrupt 0.2: the 2-D code map (64-32-2-32-64)

It reports the PSNR gain on the whole test split (its noise drawn once, peak
1.0) for each seed, and for row 3 the accuracy of a 5-nearest-neighbour
classifier fitted on the training digits' 2-D codes, scored on the test digits'.
Goals (issues 8 and 17), for EVERY seed, not the mean: gain ≥ +5.0 dB at σ 0.4
and ≥ +3.0 dB at σ 0.2; code 5-NN accuracy ≥ 0.75. A goal met by a few hundredths
is not met: another CPU or BLAS moves the last digits (issue 17 saw +4.95 dB on
a seed that gave +5.02 here), so the row also prints the smallest margin.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROWS = (  # (label, settings given on top of the kind's defaults, score, goal)
    ("σ 0.4", {"corrupt": 0.4}, "gain_db", 5.0),
    ("σ 0.2", {"corrupt": 0.2}, "gain_db", 3.0),
    ("64-32-2-32-64 σ 0.2, code map", {"corrupt": 0.2, "layers": (32, 2)}, "code_5nn_accuracy", 0.75),
)


def train(settings: dict, seed: int, epochs: int | None) -> tuple[dict, float]:
    """The scores of the kind's run after its epochs, and the training's CPU seconds
    (CPU, not wall: the machine is shared; BLAS runs one thread)."""
    from nn_tui.kinds import get_kind
    from nn_tui.lessons.kind_runs import build_run

    kind = get_kind("autoencoder")
    epochs = kind.defaults["epochs"] if epochs is None else epochs
    run = build_run(model="autoencoder", dataset="digits", seed=seed, **settings)
    started = time.process_time()
    for _ in range(epochs):
        run.run_epoch()
    seconds = time.process_time() - started
    scores = run.scores()
    if "test_psnr_noisy" in scores:
        scores["gain_db"] = scores["test_psnr"] - scores["test_psnr_noisy"]
    return scores, seconds


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=None, help="default: the kind's own")
    p.add_argument("--seeds", default="0,1,2,3,4")
    args = p.parse_args(argv)
    from bench.common import limit_threads

    print("threads:", limit_threads(1))
    from nn_tui.kinds import get_kind
    from nn_tui.kinds.autoencoder.spec import AutoencoderSpec

    kind = get_kind("autoencoder")
    given = f"; epochs {args.epochs} given" if args.epochs else ""
    print(f"the kind's defaults: layers {','.join(map(str, AutoencoderSpec.layers))}, "
          + ", ".join(f"{k} {v}" for k, v in kind.defaults.items()) + given)
    seeds = [int(s) for s in args.seeds.split(",")]
    for label, settings, score, goal in ROWS:
        results = [train(settings, seed, args.epochs) for seed in seeds]
        values = [scores[score] for scores, _ in results]
        worst = min(values)
        unit = " dB" if score == "gain_db" else ""
        shown = ", ".join(f"{v:+.2f}" if unit else f"{v:.3f}" for v in values)
        print(f"{label}: {score} {shown}{unit} (seeds {args.seeds}; mean {statistics.mean(values):.3f}, "
              f"min {worst:.3f}), goal ≥ {goal:g} on every seed: {'pass' if worst >= goal else 'FAIL'}, "
              f"smallest margin {100 * (worst - goal) / goal:+.1f} %  "
              f"[{statistics.median(s for _, s in results):.1f} CPU s training per seed, median]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
