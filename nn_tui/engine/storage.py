"""One flat parameter buffer and one flat gradient buffer for a list of layers.

Every container of layers (a ``Network``, the character model) lays its
layers' params out the same way: first every layer's regularised params (the
names in ``layer.regularized``), then all the others, in layer order. Each
layer then gets views into the two buffers through its ``use_storage`` hook, so
an optimizer updates everything with a few NumPy calls and regularisation
touches the single slice ``[:n_weights]``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class FlatStorage(NamedTuple):
    params: np.ndarray   # every parameter, regularised ones first
    grads: np.ndarray    # the same layout
    n_weights: int       # params[:n_weights] are the regularised ones


def adopt_storage(layers, dtype) -> FlatStorage:
    """Move the params and grads of ``layers`` into two new contiguous buffers
    (see the module doc) and return them. Each layer's ``params[k]`` and
    ``grads[k]`` are views into them afterwards."""
    layers = list(layers)
    entries = [(layer, key) for layer in layers for key in layer.params]
    regularized = [(layer, key) for layer, key in entries if key in getattr(layer, "regularized", ())]
    others = [(layer, key) for layer, key in entries if key not in getattr(layer, "regularized", ())]
    n_weights = sum(layer.params[key].size for layer, key in regularized)
    n_total = sum(layer.params[key].size for layer, key in entries)
    flat_params = np.zeros(n_total, dtype=dtype)
    flat_grads = np.zeros(n_total, dtype=dtype)
    views = {id(layer): ({}, {}) for layer in layers}
    at = 0
    for layer, key in regularized + others:
        shape, size = layer.params[key].shape, layer.params[key].size
        params, grads = views[id(layer)]
        params[key] = flat_params[at:at + size].reshape(shape)
        grads[key] = flat_grads[at:at + size].reshape(shape)
        at += size
    for layer in layers:
        storage_hook(layer)(*views[id(layer)])
    return FlatStorage(flat_params, flat_grads, n_weights)


def storage_hook(layer):
    """The layer's ``use_storage``; ``_use_storage``, its name before it was
    public, for layers written against the older protocol."""
    hook = getattr(layer, "use_storage", None) or getattr(layer, "_use_storage", None)
    if hook is None:
        raise ValueError(f"{type(layer).__name__} has no use_storage(params, grads)")
    return hook
