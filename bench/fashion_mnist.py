#!/usr/bin/env python3
"""Fashion-MNIST test accuracy: the CNN and an MLP, through nn-tui's own image wiring.

    python3 bench/fashion_mnist.py                       # issue 23: seeds 0-2, 10 minutes a run
    python3 bench/fashion_mnist.py --seeds 0 --minutes 1 --train-rows 10000 --epochs 1   # a smoke run

The data are the IDX files Debian's dataset-fashion-mnist installs (--data to point
elsewhere), loaded by `nn-tui train --data`'s loader (uint8, scaled per batch) and
trained by the kinds' own runs (nn_tui.kinds) with the settings each kind picks for
28x28 data when none are given (`defaults_28x28`: the CNN conv 16,32 + 2x2 pools,
dense 64, Adam lr 0.001, batch 32, float32; the MLP 784-128-10, relu, Adam lr 0.001,
batch 32). Each run trains whole epochs until the kind's default --epochs or the
--minutes of CPU time run out (the machine is shared: CPU time is what the run itself
used; wall time is printed beside it), then is scored on the 10,000 test images.
Goals (issue 23): CNN mean >= 0.90 within 10 minutes, MLP >= 0.85. Beside them,
scikit-learn's MLPClassifier (128 hidden, Adam, batch 32, the same rows and epochs),
when scikit-learn is installed (pip install scikit-learn; not a dependency of nn-tui);
otherwise the column is left out with the reason.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
# name: (kind, settings beyond the kind's defaults, goal for the mean over seeds)
RUNS = {
    "cnn": ("cnn", {}, 0.90),
    "mlp": ("mlp", {}, 0.85),
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


def nn_tui_accuracy(name: str, dataset, path: str, seed: int, epochs: int | None, seconds: float,
                    trace: bool = False) -> tuple[float, int, float, float]:
    """(test accuracy, epochs trained, CPU seconds, wall seconds) of one run of RUNS[name]:
    whole epochs until the kind's --epochs (or `epochs`) or `seconds` of CPU time."""
    from nn_tui.config import RunConfig
    from nn_tui.kinds import get_kind
    from nn_tui.training import predict

    kind_name, settings, _goal = RUNS[name]
    config = RunConfig.of(model=kind_name, data=path, seed=seed, **settings)
    kind = get_kind(kind_name)
    run = kind.build(config, dataset)
    limit = config.train.epochs if epochs is None else epochs
    cpu = wall = 0.0
    done = 0

    def score() -> float:
        outputs = predict(run.model, run.trainer.x_test, run.trainer.prepare_test)
        return float((outputs.argmax(axis=1) == dataset.labels(dataset.y_test)).mean())

    while done < limit and cpu < seconds:
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        run.run_epoch()
        cpu += time.process_time() - cpu_start
        wall += time.perf_counter() - wall_start
        done += 1
        if trace:  # scoring is not training: outside the clocks
            print(f"  {name} seed {seed} epoch {done}: test {score():.4f}, {cpu:.0f} s CPU, {wall:.0f} s wall",
                  flush=True)
    return score(), done, cpu, wall


def sklearn_missing() -> str | None:
    """Why scikit-learn's column is left out, or None when it is there."""
    try:
        import sklearn  # noqa: F401  (optional: the comparison column)
    except ImportError as error:
        return f"scikit-learn is not installed ({error}); pip install scikit-learn for its column"
    return None


def sklearn_accuracy(dataset, seed: int, epochs: int) -> tuple[float, float]:
    """(test accuracy, CPU seconds) of scikit-learn's MLPClassifier, 128 relu, Adam."""
    from sklearn.neural_network import MLPClassifier
    import warnings

    model = MLPClassifier(hidden_layer_sizes=(128,), solver="adam", learning_rate_init=0.001, batch_size=32,
                          max_iter=epochs, random_state=seed)
    started = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not converge" after max_iter epochs: expected
        model.fit(dataset.floats(dataset.X_train), dataset.labels(dataset.y_train))
    cpu = time.process_time() - started
    return float(model.score(dataset.floats(dataset.X_test), dataset.labels(dataset.y_test))), cpu


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=FASHION, help="the training images file (default: %(default)s)")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--only", default=",".join(RUNS), help=f"runs, of: {', '.join(RUNS)}")
    p.add_argument("--minutes", type=float, default=10.0, help="CPU time of training per run (default: 10)")
    p.add_argument("--epochs", type=int, default=None, help="at most this many epochs per run "
                                                            "(default: the kind's for 28x28 data)")
    p.add_argument("--trace", action="store_true", help="print the test accuracy after every epoch")
    p.add_argument("--train-rows", type=int, default=None, help="train on the first N images only (smoke runs)")
    p.add_argument("--test-rows", type=int, default=None, help="score on the first N test images only")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (default: 1)")
    args = p.parse_args(argv)
    from bench.common import limit_threads

    limit_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",")]
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    subset = args.train_rows is not None or args.test_rows is not None
    print(f"Fashion-MNIST from {args.data}; {args.minutes:g} min of CPU time or "
          f"{args.epochs or 'the default'} epochs a run; load: {os.getloadavg()[0]:.1f}"
          + (f"; SUBSET: {args.train_rows or 'all'} training / {args.test_rows or 'all'} test images"
             " (not the issue's measurement)" if subset else ""), flush=True)
    missing = sklearn_missing()
    if missing and "mlp" in names:
        print(f"scikit-learn column left out: {missing}", flush=True)
    for name in names:
        goal = RUNS[name][2]
        results, baseline = [], []
        for seed in seeds:
            dataset = load(args.data, seed, args.train_rows, args.test_rows)
            accuracy, epochs, cpu, wall = nn_tui_accuracy(name, dataset, args.data, seed, args.epochs,
                                                          60 * args.minutes, args.trace)
            results.append(accuracy)
            line = (f"{name} seed {seed}: test accuracy {accuracy:.4f} after {epochs} epoch(s), "
                    f"{cpu:.0f} s CPU, {wall:.0f} s wall")
            if name == "mlp" and missing is None:
                theirs, their_cpu = sklearn_accuracy(dataset, seed, max(epochs, 1))
                baseline.append(theirs)
                line += f"; scikit-learn MLPClassifier, {max(epochs, 1)} epoch(s): {theirs:.4f} ({their_cpu:.0f} s CPU)"
            print(line, flush=True)
        mean, worst = statistics.mean(results), min(results)
        verdict = (f"goal >= {goal:.2f} on every seed: {'pass' if worst >= goal else 'FAIL'}"
                   + (" (subset run)" if subset else ""))
        tail = f"; scikit-learn mean {statistics.mean(baseline):.4f}" if baseline else ""
        print(f"{name}: mean {mean:.4f}, lowest {worst:.4f}, highest {max(results):.4f} over seeds {args.seeds}, "
              f"{verdict}{tail}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
