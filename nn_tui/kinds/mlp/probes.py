"""What a dense network shows: every neuron's output, the output over the plane, how
the test set fares. Pure functions of a run, run on the training side so that widgets
only draw. Used by the MLP and the perceptron."""

from __future__ import annotations

import numpy as np

from nn_tui.data import BINARY, MULTICLASS, REGRESSION, Dataset, expand_features
from nn_tui.data.features import FEATURE_LABELS, plane_grid
from nn_tui.views import ConfusionView, FitView, NetworkView, PlaneView

GRID_RESOLUTION = 48  # pixels per side of every neuron's map of the input plane
WIDE_GRID_RESOLUTION = 24  # with a layer wider than WIDE_LAYER: a forward pass over the grid is ~16x dearer
SHOWN_SAMPLES = 48  # samples whose activations are shown for data that is not a plane


def probes(run, activation: str, output_activation: str) -> tuple:
    """NetworkView plus PlaneView on the plane, else ConfusionView or FitView."""
    model, dataset = run.model, run.dataset
    cache = _cache(run)
    if dataset.is_plane:
        maps, output_map, output_classes = neuron_maps(model, dataset.task, cache["grid"], cache["side"])
        others = (PlaneView(
            output_map=output_map, output_classes=output_classes, domain=dataset.domain,
            train_points=dataset.X_train, train_values=cache["train_values"],
            test_points=dataset.X_test, test_values=cache["test_values"],
        ),)
    else:
        maps, _, _ = neuron_maps(model, dataset.task, run.inputs.test[cache["shown"]])
        others = (test_set_view(model, dataset, run.inputs.test),)
    layers = [layer for layer in model.layers if "W" in layer.params]  # not dropout, batch norm
    network = NetworkView(
        sizes=(model.sizes[0], *(layer.params["W"].shape[1] for layer in layers)),
        weights=tuple(layer.params["W"] for layer in layers),
        biases=tuple(layer.params["b"] for layer in layers),
        masks=tuple(getattr(layer, "mask", None) for layer in layers),
        activation=activation,
        output_activation=output_activation,
        input_labels=input_labels(run),
        neuron_maps=maps,
        dropped=getattr(run, "last_dropped", ()),
    )
    return (network, *others, *run.extra_views)  # views a command measured (importance)


def input_labels(run) -> tuple[str, ...]:
    names = run.inputs.names
    if run.dataset.is_plane:
        return tuple(FEATURE_LABELS.get(name, name) for name in names)
    return tuple(names)


def _cache(run) -> dict:
    """What never changes during a run (the plane's grid, the samples shown), made once."""
    cache = getattr(run, "_probe_cache", None)
    if cache is None:
        dataset = run.dataset
        cache = {}
        if dataset.is_plane:
            wide = max(run.model.sizes[1:-1], default=0) > WIDE_LAYER  # batch norm, dropout: the same widths
            cache["side"] = WIDE_GRID_RESOLUTION if wide else GRID_RESOLUTION
            points, _, _ = plane_grid(dataset.domain, cache["side"])
            cache["grid"] = np.ascontiguousarray(expand_features(points, run.inputs.names),
                                                 dtype=run.inputs.train.dtype)
            cache["train_values"] = point_values(dataset, dataset.y_train)
            cache["test_values"] = point_values(dataset, dataset.y_test)
        else:
            cache["shown"] = shown_samples(dataset, SHOWN_SAMPLES)
        run._probe_cache = cache
    return cache


def shown_samples(dataset: Dataset, count: int) -> np.ndarray:
    """Off the plane: test samples spread over the classes (or the target's range) to show."""
    count = min(count, len(dataset.y_test))
    key = dataset.labels(dataset.y_test) if dataset.is_classification else dataset.y_test[:, 0]
    order = np.argsort(key, kind="stable")
    return order[np.linspace(0, len(order) - 1, count).astype(int)]


def point_values(dataset: Dataset, y: np.ndarray) -> np.ndarray:
    """Labels of data points in the heatmap's terms: binary -1/+1, regression the value, else the class."""
    if dataset.task == BINARY:
        return 2.0 * y[:, 0] - 1.0
    if dataset.task == MULTICLASS:
        return y.argmax(axis=1).astype(float)
    return np.clip(y[:, 0], -1, 1)


def neuron_maps(model, task: str, inputs: np.ndarray, side: int | None = None):
    """Every neuron's output for `inputs`, on one -1..1 scale, as (maps, output_map, output_classes).

    With `side`, `inputs` are a side×side grid over the plane: maps[i] is (n_i, side, side)
    and the output map is the network's answer at every pixel. Without, maps[i] is
    (n_i, len(inputs)) and there is no output map.
    """
    with np.errstate(all="ignore"):
        outputs = [np.array(layer.output, copy=True) for layer, _ in zip(model.layers, model.layer_outputs(inputs))
                   if "W" in layer.params]  # each weight layer's (dropout and batch norm come after)
    scale = np.max(np.abs(inputs), axis=0)
    maps = [(inputs / np.where(scale > 0, scale, 1.0)).T]
    for index, out in enumerate(outputs):
        if index == len(outputs) - 1 and task != REGRESSION:
            out = 2.0 * out - 1.0  # probabilities (0..1) on the same -1..1 scale as the rest
        maps.append(np.clip(np.nan_to_num(out.T), -1.0, 1.0))
    if side is None:
        return tuple(maps), None, None
    maps = tuple(_small_if_wide(m.reshape(m.shape[0], side, side)) for m in maps)
    final = np.nan_to_num(outputs[-1])
    output_classes = None
    if task == MULTICLASS:
        output_classes = final.argmax(axis=1).reshape(side, side)
        output_map = final.max(axis=1)
    elif task == BINARY:
        output_map = 2.0 * final[:, 0] - 1.0
    else:
        output_map = final[:, 0]
    return maps, np.clip(output_map, -1, 1).reshape(side, side), output_classes


WIDE_LAYER = 16  # a wider layer is drawn as thin cells: its maps need few pixels
WIDE_MAP_STRIDE = 2  # 24 -> 12 pixels a side: 128 maps are 147 KB, not 2.4 MB, a snapshot


def _small_if_wide(maps: np.ndarray) -> np.ndarray:
    """A wide layer's maps at half the resolution of the grid (the screen shows them as a
    cell each, and the selected one at most 12 pixels wide), so snapshots stay small."""
    if maps.shape[0] <= WIDE_LAYER:
        return maps
    return np.ascontiguousarray(maps[:, WIDE_MAP_STRIDE // 2::WIDE_MAP_STRIDE, WIDE_MAP_STRIDE // 2::WIDE_MAP_STRIDE])


def test_set_view(model, dataset: Dataset, test_inputs: np.ndarray):
    """Off the plane: a confusion matrix, or predictions against truth."""
    with np.errstate(all="ignore"):
        predicted = np.nan_to_num(model.forward(test_inputs))
    if dataset.is_classification:
        classes = dataset.n_outputs if dataset.task == MULTICLASS else 2
        truth = dataset.labels(dataset.y_test)
        guess = predicted.argmax(axis=1) if dataset.task == MULTICLASS else predicted[:, 0] >= 0.5
        counts = np.bincount(truth * classes + guess.astype(np.int64), minlength=classes * classes)
        return ConfusionView(confusion=counts.reshape(classes, classes),
                             class_names=tuple(dataset.class_names) if dataset.class_names else None)
    truth = dataset.y_test[:, 0]
    if test_inputs.shape[1] == 1:  # one input: draw the function it learned
        order = np.argsort(dataset.X_test[:, 0], kind="stable")
        return FitView(x=dataset.X_test[order, 0], true=truth[order], predicted=predicted[order, 0], is_curve=True)
    order = np.argsort(truth, kind="stable")
    return FitView(x=truth[order], true=truth[order], predicted=predicted[order, 0], is_curve=False)
