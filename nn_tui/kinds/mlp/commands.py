"""What a user can ask of a dense network: its architecture, its inputs, its weights.

Each command is `fn(session, *args)`; the session applies it between training slices
and turns a ConfigError into a notice. Architecture and input changes start a fresh
network (`session.rebuild`); weight edits change the live one.
"""

from __future__ import annotations

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import FEATURES
from nn_tui.kinds.importance import measure_importance
from nn_tui.kinds.mlp.spec import HIDDEN_ACTIVATIONS, MAX_HIDDEN_LAYERS, MAX_NEURONS
from nn_tui.ladders import cycle


def set_activation(session, name: str) -> None:
    if name not in HIDDEN_ACTIVATIONS:
        raise ConfigError(f"unknown activation {name!r}")
    session.rebuild(activation=name)


def cycle_activation(session) -> None:
    set_activation(session, cycle(HIDDEN_ACTIVATIONS, session.config.model.activation))


def set_layers(session, layers) -> None:
    layers = tuple(int(n) for n in layers)
    if len(layers) > MAX_HIDDEN_LAYERS:
        raise ConfigError(f"at most {MAX_HIDDEN_LAYERS} hidden layers")
    if any(n < 1 or n > MAX_NEURONS for n in layers):
        raise ConfigError(f"a layer has 1 to {MAX_NEURONS} neurons")
    session.rebuild(layers=layers)


def add_layer(session) -> None:
    layers = session.config.model.layers
    set_layers(session, layers + ((layers[-1] if layers else 2),))


def remove_layer(session) -> None:
    layers = session.config.model.layers
    if not layers:
        raise ConfigError("there is no hidden layer left to remove")
    set_layers(session, layers[:-1])


def add_neuron(session, layer: int) -> None:
    layers = list(session.config.model.layers)
    if not 0 <= layer < len(layers):
        raise ConfigError("select a hidden layer to add a neuron to")
    layers[layer] += 1
    set_layers(session, layers)


def remove_neuron(session, layer: int) -> None:
    layers = list(session.config.model.layers)
    if not 0 <= layer < len(layers):
        raise ConfigError("select a hidden layer to remove a neuron from")
    if layers[layer] == 1:
        raise ConfigError("a layer keeps at least one neuron; remove the layer instead")
    layers[layer] -= 1
    set_layers(session, layers)


def toggle_feature(session, feature: str) -> None:
    if not session.training_run.dataset.is_plane:
        raise ConfigError("input features apply to the 2-D data sets only")
    if feature not in FEATURES:
        raise ConfigError(f"unknown feature {feature!r}")
    chosen = list(session.config.data.features)
    if feature in chosen:
        if len(chosen) == 1:
            raise ConfigError("keep at least one input feature")
        chosen.remove(feature)
    else:
        chosen = [f for f in FEATURES if f in chosen or f == feature]  # keep the canonical order
    session.rebuild(features=tuple(chosen))


def weight_layers(model) -> list:
    """The layers with weights, as the screen numbers them (dropout and batch norm between
    them are not drawn as layers)."""
    return [layer for layer in model.layers if "W" in getattr(layer, "params", {})]


def set_weight(session, layer: int, row: int, column: int, value: float) -> None:
    """Edit one incoming weight by hand: row is the neuron below, column the neuron."""
    session.pause_for_edit(value)
    target = weight_layers(session.training_run.model)[layer]
    mask = getattr(target, "mask", None)
    if mask is not None and not mask[row, column]:
        raise ConfigError("that connection is pruned (sparse); it has no weight")
    target.params["W"][row, column] = value


def set_bias(session, layer: int, column: int, value: float) -> None:
    session.pause_for_edit(value)
    weight_layers(session.training_run.model)[layer].params["b"][column] = value


def cut_weakest_link(session, layer: int, neuron: int) -> None:
    """Mask the live incoming weight of `neuron` (in weight layer `layer`) closest to zero."""
    layers = weight_layers(session.training_run.model)
    if not 0 <= layer < len(layers):
        raise ConfigError("select a neuron of a hidden or the output layer (→) to cut one of its links")
    target = layers[layer]
    mask = np.ones_like(target.params["W"]) if target.mask is None else target.mask.copy()
    live = np.flatnonzero(mask[:, neuron])
    if len(live) <= 1:
        raise ConfigError("this neuron keeps its last incoming link")
    weakest = live[np.argmin(np.abs(target.params["W"][live, neuron]))]
    mask[weakest, neuron] = 0
    target.set_mask(mask)


def prune_smallest(session, keep: float) -> None:
    """Each layer keeps the `keep` share of its weights, the largest |w|; the rest
    are masked to zero for good (as the sparse lesson's claims prune)."""
    if not 0 < keep <= 1:
        raise ConfigError(f"the share of weights to keep must be in (0, 1], got {keep}")
    for target in weight_layers(session.training_run.model):
        weights = np.abs(target.params["W"]).ravel()
        if target.mask is not None:
            weights = np.where(target.mask.ravel() > 0, weights, -1.0)  # pruned ones stay pruned
        chosen = np.zeros(weights.size)
        chosen[np.argsort(-weights, kind="stable")[:max(1, int(round(keep * weights.size)))]] = 1.0
        if target.mask is not None:
            chosen *= target.mask.ravel()
        target.set_mask(chosen.reshape(target.params["W"].shape))


# Weight edits apply to every dense kind; the architecture commands to the MLP.
EDIT_COMMANDS = {"set_weight": set_weight, "set_bias": set_bias}
COMMANDS = {
    **EDIT_COMMANDS,
    "set_activation": set_activation,
    "cycle_activation": cycle_activation,
    "set_layers": set_layers,
    "add_layer": add_layer,
    "remove_layer": remove_layer,
    "add_neuron": add_neuron,
    "remove_neuron": remove_neuron,
    "toggle_feature": toggle_feature,
    "cut_weakest_link": cut_weakest_link,
    "prune_smallest": prune_smallest,
    "measure_importance": measure_importance,
}


KEEPS_SCORES = frozenset({"measure_importance"})  # a measurement shown beside the model, which it leaves alone
