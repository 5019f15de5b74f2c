"""nn-tui's NumPy backpropagation engine.

    net = Network.mlp(2, hidden=[8, 8], n_out=1, activation="tanh", output="sigmoid", loss="bce")
    opt = make_optimizer("adam", lr=0.01)
    loss, grads = net.loss_and_grads(X, Y)
    opt.step(net)

Imports only NumPy and the standard library. Same seed, same numbers, bit for bit.
"""

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.initializers import INITIALIZERS
from nn_tui.engine.layers import Dense
from nn_tui.engine.losses import LOSSES
from nn_tui.engine.model_file import ModelFileError, load_model
from nn_tui.engine.network import Network
from nn_tui.engine.optimizers import OPTIMIZERS, make_optimizer
from nn_tui.engine.perceptron import Perceptron
from nn_tui.engine.recurrent import GRU, LSTM, RNN
from nn_tui.engine.sequence_layers import Embedding, SoftmaxHead, clip_grad_norm, sample_index

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "LOSSES",
    "OPTIMIZERS",
    "Dense",
    "Embedding",
    "GRU",
    "LSTM",
    "ModelFileError",
    "Network",
    "Perceptron",
    "RNN",
    "SoftmaxHead",
    "clip_grad_norm",
    "load_model",
    "make_optimizer",
    "sample_index",
]
