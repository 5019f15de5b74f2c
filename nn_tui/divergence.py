"""Is a run diverged? One watcher for `nn-tui train` and the app's session alike.

A NaN or infinite loss is caught where it happens (nn_tui.training). This catches
the finite ways a run is lost: the loss blows up far above where it started and stays
there, or every unit of a hidden layer has died (ReLU outputs 0 for every sample) or
saturated (sigmoid/tanh flat for every sample), so no gradient gets through again.
Each needs `PERSIST` epochs in a row, so a spike an optimizer recovers from is not
flagged. `advice()` names the likely cause for the user.
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.training import TrainingDiverged, evaluation_mode

BLOWUP_FACTOR = 10.0  # "far above where it started": ten times the first loss ...
BLOWUP_MARGIN = 1.0  # ... and at least this much above it (a loaded model starts near 0)
PERSIST = 3  # epochs in a row a symptom must last
HEALTH_SAMPLES = 256  # training rows the unit check looks at
FLAT_SLOPE = 1e-6  # an activation whose slope is below this on every sample is saturated


class Diverged(TrainingDiverged):
    """The run is lost though its loss is finite; the message says why, for the user.
    `began`: the epoch the symptom first showed (0: the model was like that from the start)."""

    def __init__(self, why: str, began: int) -> None:
        super().__init__(why)
        self.began = began


def blown_up(start: float, loss: float) -> bool:
    return loss > max(start * BLOWUP_FACTOR, start + BLOWUP_MARGIN)


# What the message calls a layer that has no weights of its own (batch norm, dropout, ...).
LAYER_KINDS = {"BatchNorm1d": "batch norm", "BatchNorm2d": "batch norm", "LayerNorm": "layer norm",
               "Dropout": "dropout", "MaxPool2D": "pooling", "Flatten": "flattening"}


def _has_weights(layer) -> bool:
    """A dense or convolution layer: what the user counts as a hidden layer (--layers 8,8)."""
    return "W" in getattr(layer, "params", {})


def dead_layer(model, x: np.ndarray) -> str | None:
    """'every unit of hidden layer 2 died' when some hidden layer passes no gradient on `x`.
    Hidden layers are numbered as the user counts them: the layers with weights, not the
    batch norm and dropout between them (a layer of those is named by its kind)."""
    layers = getattr(model, "layers", None)
    if not layers or len(layers) < 2:
        return None
    a = x[:HEALTH_SAMPLES]
    number = 0  # the hidden layer with weights this layer is, or comes after
    with np.errstate(all="ignore"), evaluation_mode(model):  # batch norm's statistics stay as they are
        for layer in layers[:-1]:
            a = layer.forward(a)
            if _has_weights(layer):
                number += 1
                name = f"hidden layer {number}"
            else:
                kind = LAYER_KINDS.get(type(layer).__name__, type(layer).__name__)
                name = f"the {kind} after hidden layer {number}" if number else f"the {kind} before the first hidden layer"
            activation = getattr(layer, "activation", None)
            if activation == "relu" and not np.any(a > 0):
                return f"every unit of {name} died (ReLU gives 0 for every sample)"
            if activation in ("sigmoid", "tanh"):
                slope = a * (1 - a) if activation == "sigmoid" else 1 - a * a
                if not np.any(slope > FLAT_SLOPE):
                    return f"every unit of {name} saturated ({activation} is flat for every sample)"
            if not np.all(np.isfinite(a)):
                return f"{name} gives non-finite values"
    return None


class DivergenceWatch:
    """Feed it each epoch's scores (and the model); it raises Diverged."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.start: float | None = None
        self._blown = 0
        self._dead = 0

    def state(self) -> dict:
        return {"start": self.start, "blown": self._blown, "dead": self._dead}

    def restore(self, state: dict) -> None:
        self.start, self._blown, self._dead = state["start"], int(state["blown"]), int(state["dead"])

    def observe(self, epoch: int, scores: dict, model=None, x=None) -> None:
        loss = scores.get("train_loss")
        if loss is None:
            return
        if not math.isfinite(loss):
            raise Diverged(f"the loss became {loss} at epoch {epoch}", began=epoch)
        why = dead_layer(model, x) if model is not None and x is not None else None
        self._dead = self._dead + 1 if why else 0
        if self.start is None:
            self.start = loss  # the untrained (or loaded) model's loss
        elif blown_up(self.start, loss):
            self._blown += 1
        else:
            self._blown = 0
        if self._blown >= PERSIST:
            raise Diverged(f"the loss rose from {self.start:.4g} to {loss:.4g} and stayed there "
                           f"({PERSIST} epochs, now epoch {epoch})", began=epoch - PERSIST + 1)
        # Epoch 0 counts too: a loaded model can be dead before it trains.
        if self._dead >= PERSIST + 1:
            raise Diverged(f"{why}, since epoch {epoch - self._dead + 1}", began=epoch - self._dead + 1)


def began(error: TrainingDiverged, epoch: int) -> int:
    """The epoch a divergence began (a NaN the trainer caught began where it was caught)."""
    return getattr(error, "began", epoch)


def advice(train_config, began_at: int, loaded: bool) -> str:
    """What to change, most likely cause first."""
    if loaded and began_at == 0:
        return (f"the loaded file {train_config.load} holds NaN, huge or dead weights; "
                "train from fresh weights (without --load)")
    if train_config.reg != "none" and train_config.reg_rate >= 0.1:
        return (f"lower the regularisation rate (--reg-rate, now {train_config.reg_rate:g}) "
                f"or the learning rate (--lr, now {train_config.lr:g})")
    return f"lower the learning rate (--lr, now {train_config.lr:g}) or pick another optimizer"
