"""nn-tui against scikit-learn's MLPClassifier on the digits.

Both train 64-relu-10 with Adam (lr 0.001, batch 32) on nn_tui's own digits
split. nn-tui runs its real headless path (`nn-tui train ... --json`, called
in-process, so no interpreter start-up is counted; it scores train and test
after every epoch, as it always does) for 100 epochs with Glorot (xavier)
initialisation, as scikit-learn initialises; scikit-learn runs its
defaults (max_iter=200, tol 1e-4 over 10 epochs, alpha 1e-4, early stopping
off). Seeds are interleaved: nn-tui seed s, scikit-learn seed s, next seed.
Training times are medians over the seeds; accuracies are means.

One seed's accuracy is noisy (a test image is 0.22 pp, and the initial weights
alone move the score by ~0.5 pp), so the accuracy comparison is the mean of
paired differences (same seed, so same split) with its standard error: with
3 seeds it told "−0.5 pp", with 30 seeds "−0.04 ± 0.11 pp".
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import time

EPOCHS = 100  # within half of scikit-learn's time (it runs ~175 epochs)


def sklearn_or_none():
    try:
        import sklearn
        import sklearn.neural_network  # noqa: F401
    except ImportError:
        return None
    return sklearn


def nn_tui_run(seed: int) -> dict:
    from nn_tui.cli import main

    argv = ["train", "--dataset", "digits", "--layers", "64", "--activation", "relu", "--optimizer", "adam",
            "--lr", "0.001", "--batch-size", "32", "--epochs", str(EPOCHS), "--init", "xavier", "--seed", str(seed), "--json"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    if status != 0:
        raise RuntimeError(f"nn-tui {' '.join(argv)} exited with {status}")
    report = json.loads(out.getvalue())
    return {"seconds": report["seconds"], "accuracy": report["test_accuracy"], "epochs": report["epochs"]}


def sklearn_run(seed: int) -> dict:
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from nn_tui.data import load_digits

    data = load_digits(seed=seed)  # the split nn-tui trains on with --seed
    y_train, y_test = data.y_train.argmax(axis=1), data.y_test.argmax(axis=1)
    clf = MLPClassifier(hidden_layer_sizes=(64,), activation="relu", solver="adam", learning_rate_init=0.001,
                        batch_size=32, max_iter=200, early_stopping=False, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        clf.fit(data.X_train, y_train)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "accuracy": float(clf.score(data.X_test, y_test)), "epochs": clf.n_iter_}


def compare(seeds) -> dict:
    ours, theirs = [], []
    for seed in seeds:
        ours.append(nn_tui_run(seed))
        theirs.append(sklearn_run(seed))
    differences = [a["accuracy"] - b["accuracy"] for a, b in zip(ours, theirs)]
    return {
        "accuracy_difference": statistics.mean(differences),
        "accuracy_difference_se": (statistics.stdev(differences) / len(differences) ** 0.5
                                   if len(differences) > 1 else 0.0),
        "wins_ties_losses": (sum(d > 0 for d in differences), sum(d == 0 for d in differences),
                             sum(d < 0 for d in differences)),
        "seeds": list(seeds),
        "nn_tui_accuracy": statistics.mean(r["accuracy"] for r in ours),
        "sklearn_accuracy": statistics.mean(r["accuracy"] for r in theirs),
        "nn_tui_seconds": statistics.median(r["seconds"] for r in ours),
        "sklearn_seconds": statistics.median(r["seconds"] for r in theirs),
        "sklearn_n_iter": [r["epochs"] for r in theirs],
        "nn_tui_epochs": ours[0]["epochs"],
    }
