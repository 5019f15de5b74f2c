"""How each layer of a network is doing while it trains: its activations and its gradient.

`LayerHealthView` carries, for every hidden layer with an activation, a histogram of
its outputs over time (saturated sigmoid units pile up at 0 and 1, dead ReLU units at
0) and, for every weight layer, the norm of its last weight gradient over time (a
vanishing gradient is orders of magnitude smaller in the first layers than in the
last). Any kind whose model is a `Network` of layers with `activation`, `output` and
`grads["W"]` (the MLP, the CNN) adds it to its probes: `layer_health_view(run)`.

The trace over time lives on the run (the training side) and is read, never written,
by the screen. Recording it never changes training: the histograms come from an
evaluation-mode forward pass over a fixed sample (no dropout mask drawn, no running
statistic moved) and the gradient norms are those the last mini-batch left.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

from nn_tui.views import View

BINS = 16  # per layer and moment; the pane merges them into the rows it has
COLUMNS = 64  # moments kept; when full, every other one goes and the gap between them doubles
SAMPLE_ROWS = 256  # inputs the histograms are taken over
SATURATED = 0.99  # |2σ − 1| or |tanh| beyond this: the unit's slope is (almost) zero
SATURATED_SHARE = 0.9  # a unit pinned there on this share of the sample counts as saturated
# The range each activation's histogram spans (values outside land in the end bins).
RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 4.0), "leaky_relu": (-1.0, 3.0),
          "linear": (-3.0, 3.0)}


@dataclass(frozen=True, eq=False)
class LayerHealthView(View):
    """names[i]/activations[i]/ranges[i] describe hidden layer i; histograms (L, T, BINS)
    uint8 are each moment's share of that layer's outputs per bin (0-255 of the largest
    bin), low values first; epochs (T,) the moments; saturated and dead (L,) the share of
    the layer's units saturated (sigmoid, tanh) or dead (ReLU: zero on the whole sample)
    now. grad_names (K weight layers) and grad_norms (T, K) float32: ‖dL/dW‖ over time."""

    names: tuple[str, ...]
    activations: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    epochs: np.ndarray
    histograms: np.ndarray
    saturated: np.ndarray
    dead: np.ndarray
    grad_names: tuple[str, ...]
    grad_norms: np.ndarray


def hidden_layers(model) -> list:
    """The layers whose outputs are a hidden activation (not the output layer)."""
    last = len(model.layers) - 1
    return [layer for i, layer in enumerate(model.layers)
            if i < last and getattr(layer, "activation", None) in RANGES]


def weight_layers(model) -> list:
    return [layer for layer in model.layers if "W" in getattr(layer, "params", {})]


def histogram(values: np.ndarray, activation: str) -> np.ndarray:
    """Each of BINS bins' share of ``values`` as 0-255 of the largest bin's."""
    low, high = RANGES[activation]
    flat = np.nan_to_num(np.asarray(values, dtype=np.float64).ravel(), nan=0.0, posinf=high, neginf=low)
    index = np.clip(((flat - low) / (high - low) * BINS).astype(np.int64), 0, BINS - 1)
    counts = np.bincount(index, minlength=BINS).astype(np.float64)
    top = counts.max()
    return np.round(counts / top * 255).astype(np.uint8) if top > 0 else np.zeros(BINS, np.uint8)


def unit_states(output: np.ndarray, activation: str) -> tuple[float, float]:
    """(saturated share, dead share) of a layer's units on the sample."""
    units = np.asarray(output).reshape(len(output), -1) if output.ndim == 2 else \
        np.moveaxis(np.asarray(output), 1, -1).reshape(-1, output.shape[1])  # conv: a channel is a unit
    if activation == "relu":
        return 0.0, float(np.mean((units <= 0).all(axis=0)))
    if activation in ("sigmoid", "tanh"):
        pinned = np.abs(2.0 * units - 1.0 if activation == "sigmoid" else units) > SATURATED
        return float(np.mean(pinned.mean(axis=0) > SATURATED_SHARE)), 0.0
    return 0.0, 0.0


class LayerTrace:
    """The moments recorded so far, bounded: COLUMNS at most, evenly spread in epochs."""

    def __init__(self) -> None:
        self.epochs: list[int] = []
        self.histograms: list[np.ndarray] = []  # (L, BINS) each
        self.grads: list[np.ndarray] = []  # (K,) each
        self.gap = 1  # epochs between two kept moments

    def wants(self, epoch: int) -> bool:
        return not self.epochs or epoch - self.epochs[-1] >= self.gap or epoch < self.epochs[-1]

    def add(self, epoch: int, histograms: np.ndarray, grads: np.ndarray) -> None:
        if self.epochs and epoch < self.epochs[-1]:  # the run went back (never, but be safe)
            self.__init__()
        if len(self.epochs) >= COLUMNS:
            for kept in (self.epochs, self.histograms, self.grads):
                kept[:] = kept[::2]
            self.gap *= 2
        self.epochs.append(epoch)
        self.histograms.append(histograms)
        self.grads.append(grads)


def _sample(run) -> np.ndarray:
    cached = getattr(run, "_health_sample", None)
    if cached is None:
        inputs = run.health_inputs()
        cached = run._health_sample = np.ascontiguousarray(inputs[:SAMPLE_ROWS])
    return cached


def _evaluating(model):
    evaluating = getattr(model, "evaluating", None)
    return evaluating() if evaluating is not None else contextlib.nullcontext()  # no modes: nothing to switch


def gradient_norms(run, sample: np.ndarray) -> np.ndarray:
    """‖dL/dW‖ of each weight layer: the last mini-batch's; before the first step, the
    gradient on the sample (nothing trained yet, so nothing it could disturb)."""
    model = run.model
    layers = weight_layers(model)
    if run.step == 0:
        trainer = getattr(run, "trainer", None)
        if trainer is None:
            return np.zeros(len(layers), np.float32)
        targets = trainer.y_train[:len(sample)]
        with _evaluating(model), np.errstate(all="ignore"):
            model.loss_and_grads(sample, targets)
    return np.array([float(np.linalg.norm(layer.grads["W"])) for layer in layers], np.float32)


def layer_health_view(run) -> LayerHealthView | None:
    """The run's layer health now, recording this moment into its trace when it is due."""
    model = run.model
    layers = hidden_layers(model)
    if not layers and not weight_layers(model):
        return None
    trace = getattr(run, "_layer_trace", None)
    if trace is None:
        trace = run._layer_trace = LayerTrace()
    if not trace.wants(run.epoch) and getattr(run, "_layer_view", None) is not None:
        return run._layer_view  # nothing new to record: one forward pass per moment, not per frame
    sample = _sample(run)
    with _evaluating(model), np.errstate(all="ignore"):
        model.forward(sample)
        outputs = [np.array(layer.output, copy=True) for layer in layers]
    activations = tuple(layer.activation for layer in layers)
    shares = np.array([histogram(out, act) for out, act in zip(outputs, activations)], np.uint8)
    trace.add(run.epoch, shares.reshape(len(layers), BINS), gradient_norms(run, sample))
    states = [unit_states(out, act) for out, act in zip(outputs, activations)]
    run._layer_view = LayerHealthView(
        names=tuple(f"h{i + 1}" for i in range(len(layers))),
        activations=activations,
        ranges=tuple(RANGES[a] for a in activations),
        epochs=np.array(trace.epochs, np.int64),
        histograms=np.stack(trace.histograms, axis=1) if layers else np.zeros((0, len(trace.epochs), BINS), np.uint8),
        saturated=np.array([s for s, _ in states], np.float32),
        dead=np.array([d for _, d in states], np.float32),
        grad_names=tuple(f"W{i + 1}" for i in range(len(weight_layers(model)))),
        grad_norms=np.array(trace.grads, np.float32).reshape(len(trace.epochs), -1),
    )
    return run._layer_view
