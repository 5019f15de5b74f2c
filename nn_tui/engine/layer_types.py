"""The layer types a model file can name, by ``type_name``.

A layer type stored in model files provides ``type_name``, ``config()`` (JSON),
``arrays()`` (name -> array to store), ``array_shapes(config)`` (the arrays a
file must hold, checked without allocating anything) and
``from_config(config, arrays, dtype)``. ``arrays()`` may hold more than the
params: batch norm's running statistics (its ``buffers``) are stored the same way. Add new ones with ``register_layer_type``.
"""

from __future__ import annotations

from nn_tui.engine.attention import SelfAttention
from nn_tui.engine.conv import Conv2D, Flatten, MaxPool2D
from nn_tui.engine.dropout import Dropout
from nn_tui.engine.layers import Dense
from nn_tui.engine.normalization import BatchNorm1d, BatchNorm2d, LayerNorm

LAYER_TYPES = {cls.type_name: cls for cls in (Dense, Conv2D, MaxPool2D, Flatten, Dropout,
                                               BatchNorm1d, BatchNorm2d, LayerNorm, SelfAttention)}


def register_layer_type(cls):
    """Let model files hold layers of ``cls`` (usable as a class decorator)."""
    LAYER_TYPES[cls.type_name] = cls
    return cls
