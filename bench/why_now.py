"""The why-now lesson's numbers over seeds and repeats: data hunger and the engine's FLOP/s.

    python3 bench/why_now.py [--seeds N] [--repeats N] [--fashion DIR]

Data: the lesson's network on 1 %, 10 % and 100 % of the digits' training images
(the same number of updates each), seeds 0..N-1: train and test accuracy. When
Fashion-MNIST is installed (Debian's dataset-fashion-mnist, /usr/share/datasets/
fashion-mnist/) the same on its 60,000 training images (more updates: its 100 % is
44x the digits'), tested on its 10,000. The lesson itself uses only the digits,
which are always there. Speed: measure_rates ``--repeats`` times, each rate's
range, with the load average. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import limit_threads  # noqa: E402

FASHION = "/usr/share/datasets/fashion-mnist"
FASHION_UPDATES = 6_000  # 3.2 epochs of all 60,000 images at batch 32


def fashion_hunger(folder: str, seed: int, updates: int):
    """share -> (images, train accuracy, test accuracy) of the lesson's network (float32) on Fashion-MNIST."""
    import numpy as np

    from nn_tui.data import load_idx
    from nn_tui.data.subsets import class_balanced_order, train_count
    from nn_tui.engine import Network, make_optimizer
    from nn_tui.lessons.headless import accuracy
    from nn_tui.lessons.why_now import NETWORK, SHARES

    data = load_idx(folder, seed=seed)
    labels = data.y_train.argmax(axis=1)
    X_test = data.X_test.astype(np.float32) / 255.0
    results = {}
    for share in SHARES:
        keep = class_balanced_order(labels, np.random.default_rng(seed))[:train_count(share, len(labels))]
        X, Y = data.X_train[keep], data.y_train[keep].astype(np.float32)
        net = Network.mlp(X.shape[1], list(NETWORK["layers"]), 10, activation=NETWORK["activation"],
                          output="softmax", loss="ce", seed=seed, dtype=np.float32)
        optimizer = make_optimizer(NETWORK["optimizer"], lr=NETWORK["lr"])
        rng = np.random.default_rng(seed)
        batch = NETWORK["batch_size"]
        done = 0
        while done < updates:
            order = rng.permutation(len(X))
            for start in range(0, len(X), batch):
                index = order[start:start + batch]
                net.loss_and_grads(X[index].astype(np.float32) / 255.0, Y[index])  # scaled a batch at a time
                optimizer.step(net)
                done += 1
                if done == updates:
                    break
        train_acc = accuracy(net, X.astype(np.float32) / 255.0, Y) if len(X) <= 10_000 else accuracy(
            net, X[:10_000].astype(np.float32) / 255.0, Y[:10_000])
        results[share] = (len(X), train_acc, accuracy(net, X_test, data.y_test))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default: 5)")
    parser.add_argument("--repeats", type=int, default=5, help="speed measurements (default: 5)")
    parser.add_argument("--fashion", default=FASHION, help=f"Fashion-MNIST folder (default: {FASHION})")
    options = parser.parse_args()
    print("threads:", limit_threads(1))
    from nn_tui.engine.speed import measure_rates
    from nn_tui.lessons.why_now import SHARES, UPDATES, accuracies, alexnet

    print(f"\ndigits, {UPDATES:,} updates each: (images) train / test accuracy")
    for seed in range(options.seeds):
        runs = accuracies(seed)
        print(f"  seed {seed}: " + "   ".join(f"{share:>3}% ({runs[share][0]:>5,}) {runs[share][1]:.3f} / "
                                              f"{runs[share][2]:.3f}" for share in SHARES))
    if os.path.isdir(options.fashion):
        print(f"\nFashion-MNIST ({options.fashion}), {FASHION_UPDATES:,} updates each: (images) train / test "
              f"accuracy (train: at most 10,000 of its images)")
        for seed in range(min(options.seeds, 3)):
            started = time.process_time()
            runs = fashion_hunger(options.fashion, seed, FASHION_UPDATES)
            print(f"  seed {seed}: " + "   ".join(f"{share:>3}% ({runs[share][0]:>6,}) {runs[share][1]:.3f} / "
                                                  f"{runs[share][2]:.3f}" for share in SHARES)
                  + f"   ({time.process_time() - started:.0f} s CPU)")
    else:
        print(f"\nno Fashion-MNIST at {options.fashion}: digits only")

    print(f"\nspeed, {options.repeats} measurements (GFLOP/s in CPU time), load {os.getloadavg()[0]:.1f} at the start")
    measured = []
    for _ in range(options.repeats):
        started = time.process_time()
        measured.append(measure_rates())
        print(f"  one measurement: {time.process_time() - started:.2f} s CPU")
    for key in measured[0]:
        values = [rates[key] / 1e9 for rates in measured]
        print(f"  {key[0]} batch {key[1]:>3}: {min(values):6.1f} - {max(values):6.1f}")
    batch_gain = [min(r[d, 256] / r[d, 1] for d in ("float64", "float32")) for r in measured]
    f32_gain = [r["float32", 256] / r["float64", 256] for r in measured]
    print(f"  batch 256 / batch 1 (the lower of the two dtypes): {min(batch_gain):.1f} - {max(batch_gain):.1f}")
    print(f"  float32 / float64 at batch 256: {min(f32_gain):.2f} - {max(f32_gain):.2f}")
    best = [max(r.values()) for r in measured]
    print(f"  AlexNet's training at the best rate: {alexnet.duration(alexnet.days_at(max(best)))} - "
          f"{alexnet.duration(alexnet.days_at(min(best)))}  (load {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
