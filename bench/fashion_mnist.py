#!/usr/bin/env python3
"""Fashion-MNIST test accuracy: the CNN and an MLP, through nn-tui's own image wiring.

    python3 bench/fashion_mnist.py                       # issue 23: seeds 0-2, 10 minutes a run
    python3 bench/fashion_mnist.py --seeds 0 --minutes 1 --train-rows 10000 --epochs 1   # a smoke run

The data are the IDX files Debian's dataset-fashion-mnist installs (--data to point
elsewhere), loaded by `nn-tui train --data`'s loader (uint8, scaled per batch) and
trained by the kinds' own runs (nn_tui.kinds): the CNN with its defaults (conv 16,32
+ 2x2 pools, dense 64, Adam lr 0.001, batch 32) and an MLP 784-128-10 (relu, Adam lr
0.001, batch 32). Each run trains whole epochs until --epochs or --minutes runs out
(the epoch under way when time is up is finished), then is scored on the 10,000 test
images. Goals (issue 23): CNN mean >= 0.90 within 10 minutes, MLP >= 0.85. Beside them,
scikit-learn's MLPClassifier (128 hidden, Adam, the same rows), when scikit-learn is
installed; the column is left out otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
# name: (kind, settings beyond the kind's defaults, goal for the mean over seeds)
RUNS = {
    "cnn": ("cnn", {}, 0.90),
    "mlp": ("mlp", {"layers": (128,), "activation": "relu", "optimizer": "adam", "lr": 0.001,
                    "batch_size": 32}, 0.85),
}


def load(path: str, seed: int, train_rows: int | None, test_rows: int | None):
    from nn_tui.config import RunConfig
    from nn_tui.kinds import get_kind

    config = RunConfig.of(model="cnn", data=path, seed=seed)
    dataset = get_kind("cnn").load_data(config, config.data_seed)
    cut = {}
    if train_rows is not None:  # Fashion-MNIST's files are in no class order: the first rows will do
        cut.update(X_train=dataset.X_train[:train_rows], y_train=dataset.y_train[:train_rows])
    if test_rows is not None:
        cut.update(X_test=dataset.X_test[:test_rows], y_test=dataset.y_test[:test_rows])
    return dataclasses.replace(dataset, **cut) if cut else dataset


def nn_tui_accuracy(name: str, dataset, path: str, seed: int, epochs: int, seconds: float) -> tuple[float, int, float]:
    """(test accuracy, epochs trained, seconds) of one run of RUNS[name]."""
    from nn_tui.config import RunConfig
    from nn_tui.kinds import get_kind
    from nn_tui.training import predict

    kind_name, settings, _goal = RUNS[name]
    config = RunConfig.of(model=kind_name, data=path, seed=seed, **settings)
    kind = get_kind(kind_name)
    run = kind.build(config, dataset)
    started = time.perf_counter()
    done = 0
    while done < epochs and time.perf_counter() - started < seconds:
        run.run_epoch()
        done += 1
    trained = time.perf_counter() - started
    trainer = run.trainer
    outputs = predict(run.model, trainer.x_test, trainer.prepare_test)
    accuracy = float((outputs.argmax(axis=1) == dataset.labels(dataset.y_test)).mean())
    return accuracy, done, trained


def sklearn_accuracy(dataset, seed: int, epochs: int) -> float | None:
    try:
        from sklearn.neural_network import MLPClassifier  # optional: the comparison column
    except ImportError:
        return None
    import warnings

    model = MLPClassifier(hidden_layer_sizes=(128,), solver="adam", learning_rate_init=0.001, batch_size=32,
                          max_iter=epochs, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not converge" after max_iter epochs: expected
        model.fit(dataset.floats(dataset.X_train), dataset.labels(dataset.y_train))
    return float(model.score(dataset.floats(dataset.X_test), dataset.labels(dataset.y_test)))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=FASHION, help="the training images file (default: %(default)s)")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--only", default=",".join(RUNS), help=f"runs, of: {', '.join(RUNS)}")
    p.add_argument("--minutes", type=float, default=10.0, help="training time per run (default: 10)")
    p.add_argument("--epochs", type=int, default=1000, help="at most this many epochs per run")
    p.add_argument("--train-rows", type=int, default=None, help="train on the first N images only (smoke runs)")
    p.add_argument("--test-rows", type=int, default=None, help="score on the first N test images only")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (default: 1)")
    args = p.parse_args(argv)
    from bench.common import limit_threads

    limit_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",")]
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    subset = args.train_rows is not None or args.test_rows is not None
    print(f"Fashion-MNIST from {args.data}; {args.minutes:g} min or {args.epochs} epochs a run"
          + (f"; SUBSET: {args.train_rows or 'all'} training / {args.test_rows or 'all'} test images"
             " (not the issue's measurement)" if subset else ""), flush=True)
    for name in names:
        goal = RUNS[name][2]
        results, baseline = [], []
        for seed in seeds:
            dataset = load(args.data, seed, args.train_rows, args.test_rows)
            accuracy, epochs, seconds = nn_tui_accuracy(name, dataset, args.data, seed, args.epochs,
                                                        60 * args.minutes)
            results.append(accuracy)
            line = f"{name} seed {seed}: test accuracy {accuracy:.4f} after {epochs} epoch(s), {seconds:.0f} s"
            if name == "mlp":
                theirs = sklearn_accuracy(dataset, seed, max(epochs, 1))
                if theirs is not None:
                    baseline.append(theirs)
                    line += f"; scikit-learn MLPClassifier, {max(epochs, 1)} epoch(s): {theirs:.4f}"
            print(line, flush=True)
        mean = statistics.mean(results)
        verdict = f"goal >= {goal:.2f}: {'pass' if mean >= goal else 'FAIL'}" + (" (subset run)" if subset else "")
        tail = f"; scikit-learn mean {statistics.mean(baseline):.4f}" if baseline else ""
        print(f"{name}: mean {mean:.4f} over seeds {args.seeds}, {verdict}{tail}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
