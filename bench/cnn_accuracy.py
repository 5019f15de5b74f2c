#!/usr/bin/env python3
"""Test accuracy of the engine's CNNs on the 8×8 digits against the MLP baseline.

    python3 bench/cnn_accuracy.py                 # issue 8's two CNNs and the MLPs, seeds 0–2
    python3 bench/cnn_accuracy.py --seeds 0 --only cnn-16-32

Digits from nn_tui.data.load_digits (pixels in [0, 1], stratified 75/25 split
by the seed), reshaped to (N, 1, 8, 8) for the CNNs. Adam, batch 32, samples
shuffled every epoch by np.random.default_rng(seed) (nn_tui.training.Trainer,
as `nn-tui train` does); the seed also draws the initial weights. Reported:
test accuracy after the last epoch, per seed and the mean, against issue 8's
goals (conv 32,64 / 128, lr 0.003, 20 epochs: mean ≥ 0.985; conv 16,32 / 64,
lr 0.001, 40 epochs: ≥ 0.975; each above the MLP of the same run length).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# name: (kind, conv channels, hidden, lr, epochs, goal for the mean over seeds)
RUNS = {
    "cnn-32-64": ("cnn", [32, 64], [128], 0.003, 20, 0.985),
    "cnn-16-32": ("cnn", [16, 32], [64], 0.001, 40, 0.975),
    "mlp-64-lr0.003-20": ("mlp", [], [64], 0.003, 20, None),
    "mlp-64-lr0.001-40": ("mlp", [], [64], 0.001, 40, None),
}
BASELINE_OF = {"cnn-32-64": "mlp-64-lr0.003-20", "cnn-16-32": "mlp-64-lr0.001-40"}


def test_accuracy(name, seed):
    """Train one run of RUNS[name] with this seed; its test accuracy after the last epoch."""
    from nn_tui.data import load_digits
    from nn_tui.engine import Network, make_optimizer
    from nn_tui.training import Trainer

    kind, conv, hidden, lr, epochs, _ = RUNS[name]
    data = load_digits(train_ratio=0.75, seed=seed)
    X_train, X_test = data.X_train, data.X_test
    if kind == "cnn":
        X_train, X_test = X_train.reshape(-1, 1, 8, 8), X_test.reshape(-1, 1, 8, 8)
        net = Network.cnn(input_shape=(1, 8, 8), conv=conv, kernel=3, hidden=hidden, n_out=10, seed=seed)
    else:
        net = Network.mlp(64, hidden, 10, activation="relu", output="softmax", loss="ce", seed=seed)
    trainer = Trainer(net, make_optimizer("adam", lr), data.task, X_train, data.y_train, X_test, data.y_test,
                      batch_size=32, seed=seed)
    for _ in range(epochs):
        trainer.run_epoch()
    return trainer.scores()["test_accuracy"]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", default="0,1,2", help="comma-separated seeds (default 0,1,2)")
    p.add_argument("--only", default=",".join(RUNS), help=f"runs, of: {', '.join(RUNS)}")
    args = p.parse_args(argv)
    from bench.common import limit_threads

    limit_threads(1)
    seeds = [int(s) for s in args.seeds.split(",")]
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    means = {}
    for name in names:
        kind, conv, hidden, lr, epochs, goal = RUNS[name]
        started = time.perf_counter()
        accuracies = [test_accuracy(name, seed) for seed in seeds]
        means[name] = statistics.mean(accuracies)
        verdict = "" if goal is None else f"  goal ≥ {goal:.3f}: {'pass' if means[name] >= goal else 'FAIL'}"
        print(f"{name:18s} conv {conv or '-'} hidden {hidden} Adam lr {lr} {epochs} epochs: "
              f"test accuracy {', '.join(f'{a:.4f}' for a in accuracies)} (seeds {args.seeds}), "
              f"mean {means[name]:.4f}{verdict}  [{time.perf_counter() - started:.0f} s]", flush=True)
    for cnn, mlp in BASELINE_OF.items():
        if cnn in means and mlp in means:
            print(f"{cnn} − {mlp}: {100 * (means[cnn] - means[mlp]):+.2f} pp "
                  f"({'above' if means[cnn] > means[mlp] else 'NOT above'} the MLP)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
