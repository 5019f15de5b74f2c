#!/usr/bin/env python3
"""A denoising autoencoder on the digits with the engine as it is: a plain MLP.

    python3 bench/autoencoder_psnr.py                  # 64-32-64 at σ 0.2 and 0.4, 64-32-2-32-64
    python3 bench/autoencoder_psnr.py --epochs 100 --seeds 0

Network.mlp(64, [32], 64, output="sigmoid", loss="mse") trained with Adam,
batch 32, on inputs with Gaussian noise of standard deviation σ added (fresh
noise every epoch, clipped to [0, 1]) against the clean pixels (scaled to
[0, 1]). Reported on the whole test split (its noise drawn once): PSNR of the
noisy digits and of the reconstructions against the clean ones (peak 1.0),
and the gain. With a 2-unit bottleneck (64-32-2-32-64), a 5-nearest-neighbour
classifier fitted on the training split's codes is scored on the test split's.
Issue 8's goals: gain ≥ +3.0 dB at σ 0.2 and ≥ +5.0 dB at σ 0.4 within 400
epochs; code_5nn_accuracy ≥ 0.75.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def psnr(a, b):
    return float(10.0 * np.log10(1.0 / np.mean((a - b) ** 2)))


def corrupt(X, sigma, rng):
    return np.clip(X + sigma * rng.standard_normal(X.shape), 0.0, 1.0)


def knn_accuracy(train_codes, train_labels, test_codes, test_labels, k=5):
    distances = ((test_codes[:, None, :] - train_codes[None, :, :]) ** 2).sum(axis=2)
    nearest = np.argsort(distances, axis=1, kind="stable")[:, :k]
    votes = np.apply_along_axis(np.bincount, 1, train_labels[nearest], minlength=10)
    return float(np.mean(votes.argmax(axis=1) == test_labels))


def train(encoder, sigma, epochs, seed, lr, activation):
    from nn_tui.data import load_digits
    from nn_tui.engine import Network, make_optimizer

    data = load_digits(train_ratio=0.75, seed=seed)
    X, X_test = data.X_train, data.X_test
    sizes = [*encoder, *reversed(encoder[:-1])]
    net = Network.mlp(64, sizes, 64, activation=activation, output="sigmoid", loss="mse", seed=seed)
    opt = make_optimizer("adam", lr)
    rng = np.random.default_rng(seed)
    noisy_test = corrupt(X_test, sigma, np.random.default_rng(seed + 1000))
    for _ in range(epochs):
        noisy = corrupt(X, sigma, rng)
        order = rng.permutation(len(X))
        for start in range(0, len(X), 32):
            index = order[start:start + 32]
            net.loss_and_grads(noisy[index], X[index])
            opt.step(net)
    result = {"test_psnr_noisy": psnr(noisy_test, X_test), "test_psnr": psnr(net.forward(noisy_test), X_test)}
    if encoder[-1] == 2:
        code_layer = len(encoder) - 1

        def codes(inputs):
            return net.layer_outputs(inputs)[code_layer]

        labels, test_labels = data.y_train.argmax(axis=1), data.y_test.argmax(axis=1)
        result["code_5nn_accuracy"] = knn_accuracy(codes(X), labels, codes(X_test), test_labels)
    return result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=400)
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--lr", type=float, default=0.003)
    p.add_argument("--activation", default="relu")
    args = p.parse_args(argv)
    from bench.common import limit_threads

    limit_threads(1)
    seeds = [int(s) for s in args.seeds.split(",")]
    for encoder, sigma, goal in (([32], 0.2, 3.0), ([32], 0.4, 5.0), ([32, 2], 0.2, None)):
        started = time.perf_counter()
        results = [train(encoder, sigma, args.epochs, seed, args.lr, args.activation) for seed in seeds]
        gains = [r["test_psnr"] - r["test_psnr_noisy"] for r in results]
        sizes = "-".join(map(str, [64, *encoder, *reversed(encoder[:-1]), 64]))
        line = (f"{sizes} {args.activation}, σ {sigma}, Adam lr {args.lr}, {args.epochs} epochs: PSNR noisy "
                f"{statistics.mean(r['test_psnr_noisy'] for r in results):.2f} dB -> rebuilt "
                f"{statistics.mean(r['test_psnr'] for r in results):.2f} dB, gain "
                f"{', '.join(f'{g:+.2f}' for g in gains)} dB (mean {statistics.mean(gains):+.2f})")
        if goal is not None:
            line += f"  goal ≥ +{goal:.1f}: {'pass' if statistics.mean(gains) >= goal else 'FAIL'}"
        if "code_5nn_accuracy" in results[0]:
            knn = [r["code_5nn_accuracy"] for r in results]
            line += (f"; code_5nn_accuracy {', '.join(f'{a:.3f}' for a in knn)} (mean {statistics.mean(knn):.3f}"
                     f", goal ≥ 0.75: {'pass' if statistics.mean(knn) >= 0.75 else 'FAIL'})")
        print(line + f"  [{time.perf_counter() - started:.0f} s]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
