"""nn-tui's NumPy backpropagation engine.

    net = Network.mlp(2, hidden=[8, 8], n_out=1, activation="tanh", output="sigmoid", loss="bce")
    # or Network.cnn(input_shape=(1, 8, 8), conv=[16, 32], kernel=3, hidden=[64], n_out=10)
    opt = make_optimizer("adam", lr=0.01)
    loss, grads = net.loss_and_grads(X, Y)
    opt.step(net)

Layers that train differently (Dropout, BatchNorm1d/2d) follow ``net.train()`` /
``net.eval()``; LayerNorm and SelfAttention work on (N, T, d) sequences.

Imports only NumPy and the standard library. Same seed, same numbers, bit for bit.
"""

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.attention import SelfAttention
from nn_tui.engine.conv import Conv2D, Flatten, MaxPool2D
from nn_tui.engine.dropout import Dropout
from nn_tui.engine.initializers import INITIALIZERS
from nn_tui.engine.layer_types import LAYER_TYPES, register_layer_type
from nn_tui.engine.layers import Dense, Layer
from nn_tui.engine.losses import LOSSES
from nn_tui.engine.model_file import ModelFileError, load_model
from nn_tui.engine.network import Network
from nn_tui.engine.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from nn_tui.engine.optimizers import OPTIMIZERS, make_optimizer
from nn_tui.engine.perceptron import Perceptron
from nn_tui.engine.recurrent import GRU, LSTM, RNN
from nn_tui.engine.sequence_layers import Embedding, SoftmaxHead, clip_grad_norm, sample_index
from nn_tui.engine.storage import adopt_storage

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "LOSSES",
    "OPTIMIZERS",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv2D",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "GRU",
    "LAYER_TYPES",
    "LSTM",
    "Layer",
    "LayerNorm",
    "MaxPool2D",
    "ModelFileError",
    "Network",
    "Perceptron",
    "RNN",
    "SelfAttention",
    "SoftmaxHead",
    "adopt_storage",
    "clip_grad_norm",
    "load_model",
    "make_optimizer",
    "register_layer_type",
    "sample_index",
]
