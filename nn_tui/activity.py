"""What every neuron outputs, and how the test set fares: the arrays a snapshot shows.

Pure functions of a model and its data, run on the training side (the session) so that
widgets only draw. Every array returned is a read-only copy.
"""

from __future__ import annotations

import numpy as np

from nn_tui.data import BINARY, MULTICLASS, REGRESSION, Dataset, expand_features
from nn_tui.data.features import plane_grid
from nn_tui.engine import Perceptron


def frozen(array: np.ndarray) -> np.ndarray:
    copy = np.array(array, copy=True)
    copy.setflags(write=False)
    return copy


def plane_inputs(dataset: Dataset, features, dtype, side: int) -> np.ndarray | None:
    """The network's inputs at every pixel of a side×side grid over the plane (None off the plane)."""
    if not dataset.is_plane:
        return None
    points, _, _ = plane_grid(dataset.domain, side)
    return np.ascontiguousarray(expand_features(points, features), dtype=dtype)


def shown_samples(dataset: Dataset, count: int) -> np.ndarray | None:
    """Off the plane: test samples spread over the classes (or the target's range) to show."""
    if dataset.is_plane:
        return None
    count = min(count, len(dataset.y_test))
    key = dataset.labels(dataset.y_test) if dataset.is_classification else dataset.y_test[:, 0]
    order = np.argsort(key, kind="stable")
    return order[np.linspace(0, len(order) - 1, count).astype(int)]


def point_values(dataset: Dataset, y: np.ndarray) -> np.ndarray | None:
    """Labels of data points in the heatmap's terms: binary -1/+1, regression the value, else the class."""
    if not dataset.is_plane:
        return None
    if dataset.task == BINARY:
        return frozen(2.0 * y[:, 0] - 1.0)
    if dataset.task == MULTICLASS:
        return frozen(y.argmax(axis=1).astype(float))
    return frozen(np.clip(y[:, 0], -1, 1))


def layer_outputs(model, inputs: np.ndarray) -> list[np.ndarray]:
    if isinstance(model, Perceptron):
        return [model.forward(inputs)]
    return [np.array(out, copy=True) for out in model.layer_outputs(inputs)]


def neuron_maps(model, task: str, inputs: np.ndarray, side: int | None = None):
    """Every neuron's output for `inputs`, on one -1..1 scale, as (maps, output_map, output_classes).

    With `side`, `inputs` are a side×side grid over the plane: maps[i] is (n_i, side, side)
    and the output map is the network's answer at every pixel. Without, maps[i] is
    (n_i, len(inputs)) and there is no output map.
    """
    with np.errstate(all="ignore"):
        outputs = layer_outputs(model, inputs)
    scale = np.max(np.abs(inputs), axis=0)
    maps = [(inputs / np.where(scale > 0, scale, 1.0)).T]
    for index, out in enumerate(outputs):
        if index == len(outputs) - 1 and task != REGRESSION:
            out = 2.0 * out - 1.0  # probabilities (0..1) on the same -1..1 scale as the rest
        maps.append(np.clip(np.nan_to_num(out.T), -1.0, 1.0))
    if side is None:
        return tuple(frozen(m) for m in maps), None, None
    maps = tuple(frozen(m.reshape(m.shape[0], side, side)) for m in maps)
    final = np.nan_to_num(outputs[-1])
    output_classes = None
    if task == MULTICLASS:
        output_classes = frozen(final.argmax(axis=1).reshape(side, side))
        output_map = final.max(axis=1)
    elif task == BINARY:
        output_map = 2.0 * final[:, 0] - 1.0
    else:
        output_map = final[:, 0]
    return maps, frozen(np.clip(output_map, -1, 1).reshape(side, side)), output_classes


def test_set_view(model, dataset: Dataset, test_inputs: np.ndarray) -> dict:
    """Snapshot fields for data off the plane: a confusion matrix, or predictions against truth."""
    with np.errstate(all="ignore"):
        predicted = np.nan_to_num(model.forward(test_inputs))
    if dataset.is_classification:
        classes = dataset.n_outputs if dataset.task == MULTICLASS else 2
        truth = dataset.labels(dataset.y_test)
        guess = predicted.argmax(axis=1) if dataset.task == MULTICLASS else predicted[:, 0] >= 0.5
        counts = np.bincount(truth * classes + guess.astype(np.int64), minlength=classes * classes)
        return {"confusion": frozen(counts.reshape(classes, classes))}
    truth = dataset.y_test[:, 0]
    if test_inputs.shape[1] == 1:  # one input: draw the function it learned
        order = np.argsort(dataset.X_test[:, 0], kind="stable")
        return {"fit_x": frozen(dataset.X_test[order, 0]), "fit_true": frozen(truth[order]),
                "fit_pred": frozen(predicted[order, 0]), "fit_is_curve": True}
    order = np.argsort(truth, kind="stable")
    return {"fit_x": frozen(truth[order]), "fit_true": frozen(truth[order]),
            "fit_pred": frozen(predicted[order, 0]), "fit_is_curve": False}
