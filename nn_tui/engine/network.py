"""A stack of Dense layers trained on a loss: forward, loss, backprop.

The network copies its layers' parameters into one contiguous buffer
(``flat_params``; all weights first, then all biases) and their gradients into
another (``flat_grads``). ``layer.params[k]`` and ``layer.grads[k]`` are views
into them, so an optimizer updates every parameter with a handful of NumPy
calls instead of a few per array, and the weights-only part that
regularisation touches is the single slice ``[:n_weights]``.
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from nn_tui.engine.layers import Dense
from nn_tui.engine.losses import FUSED, LOSSES
from nn_tui.engine.model_file import ModelFileError, read_model_file, write_model_file
from nn_tui.engine.validation import check_choice, check_count, make_rng, resolve_dtype


class Network:
    """``Network(layers, loss)``: layers is a non-empty sequence of Dense whose
    sizes chain; loss is "mse", "bce" (needs a sigmoid output) or "ce" (needs a
    softmax output).

    The network adopts the layers' arrays at construction (see module doc):
    take references to ``layer.params[k]`` after building it. The layer list
    is fixed once built.
    """

    def __init__(self, layers, loss):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise ValueError("a network needs a non-empty list of Dense layers")
        for below, above in zip(layers, layers[1:]):
            if below.n_out != above.n_in:
                raise ValueError(f"layer sizes do not chain: {below.n_out} outputs feed {above.n_in} inputs")
        if len({layer.dtype for layer in layers}) != 1:
            raise ValueError("all layers must share one dtype")
        for layer in layers[:-1]:
            if not ACTIVATIONS[layer.activation].hidden_ok:
                raise ValueError(f"{layer.activation} can only be used in the output layer")
        self.loss_name = check_choice("loss", loss, LOSSES)
        output = layers[-1]
        _check_output_and_loss(output.activation, self.loss_name, output.n_out)

        self.layers = layers
        self.dtype = layers[0].dtype
        self.sizes = (layers[0].n_in,) + tuple(layer.n_out for layer in layers)
        self.output_activation = output.activation
        self.activations = tuple(layer.activation for layer in layers)
        # The hidden layers' activation (the first one's if they differ);
        # None without hidden layers. Network.mlp records its argument instead.
        self.activation = layers[0].activation if len(layers) > 1 else None
        self.metadata = {}

        self._adopt_storage()
        layers[0].propagate_input_grad = False
        for layer in layers[1:]:
            layer.propagate_input_grad = True

        # Dispatch decided once, here, not per step.
        self._hidden = tuple(layers[:-1])
        self._hidden_reversed = tuple(reversed(layers[:-1]))
        self._output = output
        self._grads = [layer.grads for layer in layers]
        fused = FUSED.get((output.activation, self.loss_name))
        if fused is not None:
            self._fused_value = fused.value
            self._fused_value_output_gradient = fused.value_output_gradient
            self._head_loss_and_backward = self._fused_head
            self._head_loss = self._fused_head_loss
        else:
            self._loss_value = LOSSES[self.loss_name].value
            self._loss_value_and_gradient = LOSSES[self.loss_name].value_and_gradient
            self._head_loss_and_backward = self._chained_head
            self._head_loss = self._chained_head_loss

    @classmethod
    def mlp(cls, n_in, hidden=(8, 8), n_out=1, activation="tanh", output="sigmoid", loss="bce",
            seed=0, init="auto", dtype=np.float64):
        """A fully connected network n_in → hidden... → n_out; ``hidden=[]``
        gives no hidden layer. Weights come from ``np.random.default_rng(seed)``."""
        n_in = check_count("n_in", n_in)
        n_out = check_count("n_out", n_out)
        hidden = [check_count("hidden layer size", size) for size in hidden]
        check_choice("activation", activation, ACTIVATIONS)
        if not ACTIVATIONS[activation].hidden_ok:
            raise ValueError(f"{activation} can only be used as the output activation")
        check_choice("output activation", output, OUTPUT_ACTIVATIONS)
        _check_output_and_loss(output, check_choice("loss", loss, LOSSES), n_out)
        dtype = resolve_dtype(dtype)
        rng = make_rng(seed)
        sizes = [n_in, *hidden, n_out]
        activations = [activation] * len(hidden) + [output]
        layers = [Dense(n_from, n_to, act, init=init, rng=rng, dtype=dtype)
                  for n_from, n_to, act in zip(sizes, sizes[1:], activations)]
        net = cls(layers, loss)
        net.activation = activation
        return net

    def _adopt_storage(self):
        n_weights = sum(layer.n_in * layer.n_out for layer in self.layers)
        n_total = n_weights + sum(layer.n_out for layer in self.layers)
        self.flat_params = np.zeros(n_total, dtype=self.dtype)
        self.flat_grads = np.zeros(n_total, dtype=self.dtype)
        self.n_weights = n_weights
        w_at, b_at = 0, n_weights
        for layer in self.layers:
            w_size = layer.n_in * layer.n_out
            shape = (layer.n_in, layer.n_out)
            params = {"W": self.flat_params[w_at:w_at + w_size].reshape(shape),
                      "b": self.flat_params[b_at:b_at + layer.n_out]}
            grads = {"W": self.flat_grads[w_at:w_at + w_size].reshape(shape),
                     "b": self.flat_grads[b_at:b_at + layer.n_out]}
            layer._use_storage(params, grads)
            w_at += w_size
            b_at += layer.n_out

    @property
    def n_params(self):
        return self.flat_params.size

    # --- computing ------------------------------------------------------------
    def forward(self, X):
        """Outputs (N, n_out) for inputs X (N, n_in); every layer keeps its output."""
        a = np.asarray(X, dtype=self.dtype)
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def layer_outputs(self, X):
        """Every layer's output (N, n_j) for X, first hidden layer to output layer."""
        self.forward(X)
        return [layer.output for layer in self.layers]

    def loss(self, X, Y):
        """The loss on (X, Y) as a float."""
        a = np.asarray(X, dtype=self.dtype)
        for layer in self._hidden:
            a = layer.forward(a)
        return self._head_loss(a, self._targets(Y))

    def loss_and_grads(self, X, Y):
        """``(loss, grads)``: grads[i] is ``layers[i].grads`` (dict like its params).
        Those arrays are reused: the next call overwrites them."""
        a = np.asarray(X, dtype=self.dtype)
        for layer in self._hidden:
            a = layer.forward(a)
        loss, grad = self._head_loss_and_backward(a, self._targets(Y))
        for layer in self._hidden_reversed:
            grad = layer.backward_(grad)  # each grad is a fresh array only we hold
        return loss, self._grads

    def backward(self, dY):
        """Backpropagate dL/d(outputs) of the last ``forward`` through every layer.

        Fills each layer's ``grads`` and returns dL/dX, the gradient at the network's
        input: a GAN trains its generator through the discriminator this way."""
        grad = np.array(dY, dtype=self.dtype)  # ours to overwrite
        output = self.layers[-1].output
        if output is None or grad.shape != output.shape:
            raise ValueError("backward needs dY shaped like the outputs of the last forward")
        for layer in reversed(self.layers[1:]):
            grad = layer.backward_(grad)
        first = self.layers[0]
        first.propagate_input_grad = True  # off in training: nobody usually needs dL/dX
        try:
            return first.backward_(grad)
        finally:
            first.propagate_input_grad = False

    def _targets(self, Y):
        Y = np.asarray(Y, dtype=self.dtype)
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y.reshape(-1, 1)
        return Y

    def _check_targets(self, predictions, Y):
        # Without this, (N,) targets against (N, 1) outputs broadcast to (N, N).
        if Y.shape != predictions.shape:
            raise ValueError(f"targets have shape {Y.shape}, outputs have {predictions.shape}")

    # The output layer and the loss, in the two ways decided at construction.
    def _fused_head(self, a, Y):
        output = self._output
        z = output.forward_preactivation(a)
        if Y.shape != z.shape:
            self._check_targets(z, Y)
        loss, output.output, grad_z = self._fused_value_output_gradient(z, Y)
        return loss, output.backward_preactivation(grad_z)

    def _chained_head(self, a, Y):
        output = self._output
        prediction = output.forward(a)
        if Y.shape != prediction.shape:
            self._check_targets(prediction, Y)
        loss, grad = self._loss_value_and_gradient(prediction, Y)
        return loss, output.backward_(grad)

    def _fused_head_loss(self, a, Y):
        output = self._output
        z = output.forward_preactivation(a)
        self._check_targets(z, Y)
        loss = self._fused_value(z, Y)
        output.output = output._activation_forward_(z)  # keep layer outputs consistent
        return loss

    def _chained_head_loss(self, a, Y):
        prediction = self._output.forward(a)
        self._check_targets(prediction, Y)
        return self._loss_value(prediction, Y)

    # --- files and copies ----------------------------------------------------
    def _description(self):
        return {
            "sizes": list(self.sizes),
            "activations": list(self.activations),
            "activation": self.activation,
            "loss": self.loss_name,
            "dtype": self.dtype.name,
            "masked": [layer.mask is not None for layer in self.layers],
        }

    def save(self, path, metadata=None):
        """Write the network to ``path`` (an .npz, the name used as given;
        written to a temporary file first, then renamed over ``path``, so a
        crash never leaves half a file). ``metadata`` (JSON-able dict, default
        ``self.metadata``) is stored alongside."""
        write_model_file(path, "network", self._description(), self.layers,
                         self.metadata if metadata is None else metadata)

    @classmethod
    def load(cls, path):
        """Read a network written by ``save``; raises ModelFileError if the file
        is missing, damaged, or holds something else."""
        return cls._from_file(read_model_file(path, expected_kind="network"), path)

    @classmethod
    def _from_file(cls, contents, path):
        description, arrays, metadata = contents
        sizes, dtype = description["sizes"], description["dtype"]
        try:
            layers = []
            for i, activation in enumerate(description["activations"]):
                layer = Dense(sizes[i], sizes[i + 1], activation, dtype=dtype)
                layer.params["W"] = arrays[i]["W"]
                layer.params["b"] = arrays[i]["b"]
                if description["masked"][i]:
                    layer.set_mask(arrays[i]["mask"])
                layers.append(layer)
            net = cls(layers, description["loss"])
        except ValueError as err:  # a combination the constructor refuses
            raise ModelFileError(f"{path}: {err}") from None
        net.activation = description["activation"]
        net.metadata = metadata
        return net

    def __reduce__(self):
        # Copying the layers' arrays one by one would cut them loose from the
        # flat buffers; rebuild through the loader's path instead. This makes
        # copy.deepcopy and pickle give a working, independent network.
        arrays = [{"W": layer.params["W"].copy(), "b": layer.params["b"].copy(),
                   "mask": None if layer.mask is None else layer.mask.copy()} for layer in self.layers]
        return (_rebuild_network, (self._description(), arrays, self.metadata))

    def __repr__(self):
        sizes = "-".join(map(str, self.sizes))
        return f"<Network {sizes} {self.activation}/{self.output_activation} loss={self.loss_name}>"


def _check_output_and_loss(output_activation, loss, n_out):
    required = LOSSES[loss].required_output
    if required is not None and output_activation != required:
        raise ValueError(f"loss {loss} needs a {required} output, not {output_activation}")
    if output_activation == "softmax" and n_out < 2:
        raise ValueError("a softmax output needs at least 2 outputs")


def _rebuild_network(description, arrays, metadata):
    return Network._from_file((description, arrays, dict(metadata)), "<copy>")
