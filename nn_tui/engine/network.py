"""A stack of layers trained on a loss: forward, loss, backprop.

Any layer following the protocol of ``nn_tui.engine.layers`` fits (Dense,
Conv2D, MaxPool2D, Flatten, or a layer written elsewhere): the network only
uses ``params``, ``grads``, ``regularized``, ``forward`` and ``backward``. The
last layer is the output layer (a Dense: its activation and the loss make the
head, fused where that is exact).

The network copies its layers' parameters into one contiguous buffer
(``flat_params``) and their gradients into another (``flat_grads``), laid out
from what each layer declares: first every layer's regularised params (the
weights), then all the others (biases). ``layer.params[k]`` and
``layer.grads[k]`` are views into them, so an optimizer updates every
parameter with a handful of NumPy calls instead of a few per array, and the
part that regularisation touches is the single slice ``[:n_weights]``. For
an MLP this is all weights, then all biases, as it always was
(``storage.adopt_storage``, shared with the character model).

``train()`` / ``eval()`` switch layers that behave differently while training
(Dropout, BatchNorm1d/2d); evaluate test data, views and exports under
``eval()`` (or ``with net.evaluating():``), or batch norm's running statistics
move and dropout draws numbers.
"""

from __future__ import annotations

import contextlib

import numpy as np

from nn_tui.engine.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from nn_tui.engine.layers import Dense
from nn_tui.engine.conv import Conv2D, Flatten, MaxPool2D
from nn_tui.engine.dropout import Dropout
from nn_tui.engine.normalization import BatchNorm1d, BatchNorm2d
from nn_tui.engine.losses import FUSED, LOSSES
from nn_tui.engine.layer_types import LAYER_TYPES
from nn_tui.engine.model_file import ModelFileError, read_model_file, register_model_reader, write_model_file
from nn_tui.engine.storage import adopt_storage
from nn_tui.engine.validation import check_choice, check_count, make_rng, resolve_dtype


class Network:
    """``Network(layers, loss, input_shape=None)``: layers is a non-empty
    sequence of layers whose shapes chain, the last one with an activation
    (a Dense); loss is "mse", "bce" (needs a sigmoid output) or "ce" (needs a
    softmax output). ``input_shape`` is one sample's shape, e.g. (1, 8, 8) for
    images; by default the first layer's ``(n_in,)``.

    The network adopts the layers' arrays at construction (see module doc):
    take references to ``layer.params[k]`` after building it. The layer list
    is fixed once built.

    ``train()`` / ``eval()`` set every layer's ``training`` flag (True when
    built): dropout and batch norm read it. ``rng`` is the Generator layers
    that draw (dropout) share, made from ``seed`` (a Generator, an int, or
    None = 0); ``use_rng`` swaps in the run's own. ``buffers()`` is the state
    that is not a parameter (batch norm's running statistics).
    """

    def __init__(self, layers, loss, input_shape=None, seed=None):
        layers = list(layers)
        if not layers or not all(_follows_protocol(layer) for layer in layers):
            raise ValueError("a network needs a non-empty list of layers (Dense, Conv2D, ...) "
                             "with params, grads, forward and backward")
        for below, above in zip(layers, layers[1:]):
            n_out, n_in = getattr(below, "n_out", None), getattr(above, "n_in", None)
            if isinstance(below, Dense) and n_in is not None and n_out != n_in:
                raise ValueError(f"layer sizes do not chain: {below.n_out} outputs feed {above.n_in} inputs")
        if len({np.dtype(layer.dtype) for layer in layers}) != 1:
            raise ValueError("all layers must share one dtype")
        for layer in layers[:-1]:
            activation = getattr(layer, "activation", None)
            if activation is not None and not ACTIVATIONS[activation].hidden_ok:
                raise ValueError(f"{activation} can only be used in the output layer")
        self.loss_name = check_choice("loss", loss, LOSSES)
        output = layers[-1]
        if getattr(output, "activation", None) not in ACTIVATIONS or not hasattr(output, "n_out"):
            raise ValueError("the last layer must be an output layer with an activation (a Dense)")
        _check_output_and_loss(output.activation, self.loss_name, output.n_out)

        self.layers = layers
        self.dtype = np.dtype(layers[0].dtype)
        if input_shape is None and hasattr(layers[0], "n_in"):
            input_shape = (layers[0].n_in,)
        self.input_shape = None if input_shape is None else tuple(
            check_count("input size", size) for size in input_shape)
        self.shapes = _chain_shapes(layers, self.input_shape)
        # Features per sample at the input and after each layer (an MLP's layer sizes).
        self.sizes = tuple(int(np.prod(shape)) if shape is not None else getattr(layer, "n_out", None)
                           for shape, layer in zip(self.shapes, [None, *layers]))
        self.output_activation = output.activation
        self.activations = tuple(getattr(layer, "activation", None) for layer in layers)
        # The hidden layers' activation (the first one's if they differ);
        # None without hidden layers. Network.mlp records its argument instead.
        self.activation = getattr(layers[0], "activation", None) if len(layers) > 1 else None
        self.metadata = {}

        self.flat_params, self.flat_grads, self.n_weights = adopt_storage(layers, self.dtype)
        self.use_rng(make_rng(seed))
        for i, layer in enumerate(layers):
            if hasattr(layer, "propagate_input_grad"):
                layer.propagate_input_grad = i > 0

        # Dispatch decided once, here, not per step.
        self._hidden = tuple(layers[:-1])
        self._hidden_forwards = tuple(layer.forward for layer in layers[:-1])
        self._hidden_backwards = tuple(_in_place_backward(layer) for layer in reversed(layers[:-1]))
        self._output = output
        self._output_backward = _in_place_backward(output)
        self._grads = [layer.grads for layer in layers]
        fused = FUSED.get((output.activation, self.loss_name))
        if not (hasattr(output, "forward_preactivation") and hasattr(output, "backward_preactivation")):
            fused = None  # an output layer that cannot stop before its activation: chain through it
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
            seed=0, init="auto", dtype=np.float64, dropout=0.0, batchnorm=False):
        """A fully connected network n_in → hidden... → n_out; ``hidden=[]``
        gives no hidden layer. Weights come from ``np.random.default_rng(seed)``.
        ``batchnorm`` puts a BatchNorm1d after every hidden layer (after its
        activation), ``dropout`` > 0 a Dropout(dropout) after that; dropout's
        masks come from the same generator, after the weights."""
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
        dense = [Dense(n_from, n_to, act, init=init, seed=rng, dtype=dtype)
                 for n_from, n_to, act in zip(sizes, sizes[1:], activations)]
        layers = []
        for layer in dense[:-1]:
            layers += [layer, *_extras(layer.n_out, dropout, batchnorm, dtype)]
        layers.append(dense[-1])
        net = cls(layers, loss, seed=rng)
        net.activation = activation
        return net

    @classmethod
    def cnn(cls, input_shape=(1, 8, 8), conv=(16, 32), kernel=3, hidden=(64,), n_out=10, activation="relu",
            seed=0, init="auto", dtype=np.float64, dropout=0.0, batchnorm=False):
        """A convolutional classifier: conv (k×k, "same") → 2×2 max-pool per entry
        of ``conv`` (its channel counts), then flatten, the dense ``hidden``
        layers and a softmax output with cross-entropy. Weights come from
        ``np.random.default_rng(seed)``, layer by layer. ``batchnorm`` adds a
        BatchNorm2d after every conv (before its pool) and a BatchNorm1d after
        every hidden dense layer; ``dropout`` a Dropout after each hidden dense layer."""
        if len(tuple(input_shape)) != 3:
            raise ValueError(f"input_shape is one image's (C, H, W), not {tuple(input_shape)}")
        shape = tuple(check_count("input_shape entry", size) for size in input_shape)
        conv = [check_count("conv channels", channels) for channels in conv]
        hidden = [check_count("hidden layer size", size) for size in hidden]
        kernel = check_count("kernel", kernel)
        n_out = check_count("n_out", n_out)
        check_choice("activation", activation, ACTIVATIONS)
        if not ACTIVATIONS[activation].hidden_ok:
            raise ValueError(f"{activation} can only be used as the output activation")
        _check_output_and_loss("softmax", "ce", n_out)
        dtype = resolve_dtype(dtype)
        rng = make_rng(seed)
        layers = []
        channels = shape[0]
        for out_ch in conv:
            layers.append(Conv2D(channels, out_ch, kernel, activation, init=init, seed=rng, dtype=dtype))
            if batchnorm:
                layers.append(BatchNorm2d(out_ch, dtype=dtype))
            layers.append(MaxPool2D(dtype=dtype))
            channels = out_ch
        layers.append(Flatten(dtype=dtype))
        n_flat = int(np.prod(_chain_shapes(layers, shape)[-1]))
        sizes = [n_flat, *hidden, n_out]
        activations = [activation] * len(hidden) + ["softmax"]
        dense = [Dense(n_from, n_to, act, init=init, seed=rng, dtype=dtype)
                 for n_from, n_to, act in zip(sizes, sizes[1:], activations)]
        for layer in dense[:-1]:
            layers += [layer, *_extras(layer.n_out, dropout, batchnorm, dtype)]
        layers.append(dense[-1])
        net = cls(layers, "ce", input_shape=shape, seed=rng)
        net.activation = activation
        return net

    @property
    def n_params(self):
        return self.flat_params.size

    # --- training and evaluation modes, state that is not a parameter ----------
    def train(self, mode=True):
        """Set every layer to training mode (dropout drops, batch norm uses and
        updates batch statistics); ``train(False)`` is ``eval()``. Returns the network."""
        for layer in self.layers:
            layer.training = bool(mode)
        return self

    def eval(self):
        """Set every layer to evaluation mode (dropout off, batch norm on its running statistics)."""
        return self.train(False)

    @property
    def training(self):
        """True when any layer is in training mode."""
        return any(getattr(layer, "training", True) for layer in self.layers)

    @contextlib.contextmanager
    def evaluating(self):
        """``with net.evaluating():`` evaluation mode inside, each layer's mode restored after."""
        modes = [getattr(layer, "training", True) for layer in self.layers]
        self.eval()
        try:
            yield self
        finally:
            for layer, mode in zip(self.layers, modes):
                layer.training = mode

    def use_rng(self, rng):
        """Make ``rng`` (a Generator, or a seed) the one every drawing layer uses."""
        self.rng = make_rng(rng)
        for layer in self.layers:
            if hasattr(layer, "use_rng"):
                layer.use_rng(self.rng)

    def buffers(self):
        """The layers' non-parameter state (running statistics) as {"L{i}.{name}": array},
        the arrays themselves: copy them to keep a snapshot."""
        return {f"L{i}.{name}": array for i, layer in enumerate(self.layers)
                for name, array in getattr(layer, "buffers", {}).items()}

    def load_buffers(self, arrays):
        """Copy saved ``buffers()`` back in place; the names and shapes must match."""
        own = self.buffers()
        if set(arrays) != set(own):
            raise ValueError(f"buffers {sorted(arrays)} do not match this network's {sorted(own)}")
        for name, array in own.items():
            array[...] = _checked_shape(name, arrays[name], array.shape)

    # --- computing ------------------------------------------------------------
    def forward(self, X):
        """Outputs (N, n_out) for inputs X (N, *input_shape); every layer keeps its output."""
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
        for forward in self._hidden_forwards:
            a = forward(a)
        loss, grad = self._head_loss_and_backward(a, self._targets(Y))
        for backward_ in self._hidden_backwards:
            grad = backward_(grad)  # each grad is a fresh array only we hold
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
            grad = _in_place_backward(layer)(grad)
        first = self.layers[0]
        if not hasattr(first, "propagate_input_grad"):
            return _in_place_backward(first)(grad)
        first.propagate_input_grad = True  # off in training: nobody usually needs dL/dX
        try:
            return _in_place_backward(first)(grad)
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
        return loss, self._output_backward(grad)

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
        if all(type(layer) is Dense for layer in self.layers):
            # An MLP keeps format 1, which every nn-tui reads.
            return {
                "sizes": list(self.sizes),
                "activations": list(self.activations),
                "activation": self.activation,
                "loss": self.loss_name,
                "dtype": self.dtype.name,
                "masked": [layer.mask is not None for layer in self.layers],
            }
        return {
            "layers": [{"type": layer.type_name, "config": layer.config()} for layer in self.layers],
            "input_shape": None if self.input_shape is None else list(self.input_shape),
            "activation": self.activation,
            "loss": self.loss_name,
            "dtype": self.dtype.name,
        }

    def _arrays(self):
        if all(type(layer) is Dense for layer in self.layers):
            return [{"W": layer.params["W"].copy(), "b": layer.params["b"].copy(),
                     "mask": None if layer.mask is None else layer.mask.copy()} for layer in self.layers]
        return [{name: array.copy() for name, array in layer.arrays().items()} for layer in self.layers]

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
        try:
            if "layers" in description:
                net = cls._from_layer_list(description, arrays)
            else:
                net = cls._from_sizes(description, arrays)
        except ValueError as err:  # a combination the constructor refuses
            raise ModelFileError(f"{path}: {err}") from None
        net.activation = description["activation"]
        net.metadata = metadata
        return net

    @classmethod
    def _from_sizes(cls, description, arrays):  # format 1: a stack of Dense
        sizes, dtype = description["sizes"], description["dtype"]
        layers = []
        for i, activation in enumerate(description["activations"]):
            layer = Dense(sizes[i], sizes[i + 1], activation, dtype=dtype)
            layer.params["W"] = arrays[i]["W"]
            layer.params["b"] = arrays[i]["b"]
            if description["masked"][i]:
                layer.set_mask(arrays[i]["mask"])
            layers.append(layer)
        return cls(layers, description["loss"])

    @classmethod
    def _from_layer_list(cls, description, arrays):  # format 2: any registered layers
        layers = [LAYER_TYPES[entry["type"]].from_config(entry["config"], layer_arrays, description["dtype"])
                  for entry, layer_arrays in zip(description["layers"], arrays)]
        return cls(layers, description["loss"], input_shape=description["input_shape"])

    def __reduce__(self):
        # Copying the layers' arrays one by one would cut them loose from the
        # flat buffers; rebuild through the loader's path instead. This makes
        # copy.deepcopy and pickle give a working, independent network, in the
        # same modes and drawing the same numbers next.
        modes = [getattr(layer, "training", True) for layer in self.layers]
        return (_rebuild_network, (self._description(), self._arrays(), self.metadata,
                                   modes, self.rng.bit_generator.state))

    def __repr__(self):
        if not all(type(layer) is Dense for layer in self.layers):
            shape = "x".join(map(str, self.input_shape or ("?",)))
            stack = " ".join(_short_name(layer) for layer in self.layers)
            return f"<Network {shape}: {stack} loss={self.loss_name}>"
        sizes = "-".join(map(str, self.sizes))
        return f"<Network {sizes} {self.activation}/{self.output_activation} loss={self.loss_name}>"


def _extras(n, dropout, batchnorm, dtype):
    """The layers after a hidden dense layer of n units: batch norm, then dropout."""
    extras = [BatchNorm1d(n, dtype=dtype)] if batchnorm else []
    if dropout:
        extras.append(Dropout(dropout, dtype=dtype))
    return extras


def dense_layers(net):
    """The network's Dense layers (weights), without the dropout and batch norm between them."""
    return [layer for layer in net.layers if isinstance(layer, Dense)]


def dense_sizes(net):
    """The inputs and each Dense layer's units: an MLP's layer sizes, with or without
    dropout and batch norm between them (``net.sizes`` counts those layers too)."""
    return [net.sizes[0], *(layer.n_out for layer in dense_layers(net))]


def _check_output_and_loss(output_activation, loss, n_out):
    required = LOSSES[loss].required_output
    if required is not None and output_activation != required:
        raise ValueError(f"loss {loss} needs a {required} output, not {output_activation}")
    if output_activation == "softmax" and n_out < 2:
        raise ValueError("a softmax output needs at least 2 outputs")


def _rebuild_network(description, arrays, metadata, modes=None, rng_state=None):
    net = Network._from_file((description, arrays, dict(metadata)), "<copy>")
    for layer, mode in zip(net.layers, modes or ()):
        layer.training = mode
    if rng_state is not None:
        net.rng.bit_generator.state = rng_state
    return net


def _checked_shape(name, value, shape):
    value = np.asarray(value)
    if value.shape != shape:
        raise ValueError(f"{name} has shape {value.shape}, expected {shape}")
    return value


def _short_name(layer):
    if isinstance(layer, Conv2D):
        return f"conv{layer.out_ch}/{layer.kernel}x{layer.kernel}/{layer.activation}"
    if isinstance(layer, Dense):
        return f"dense{layer.n_out}/{layer.activation}"
    return getattr(layer, "type_name", type(layer).__name__.lower())


def _follows_protocol(layer):
    return (all(hasattr(layer, name) for name in ("params", "grads", "forward", "backward", "dtype"))
            and (hasattr(layer, "use_storage") or hasattr(layer, "_use_storage")))


def _in_place_backward(layer):
    # backward_ may overwrite its argument (the gradients the network passes
    # down are its own); a layer without it gets the copying backward.
    return getattr(layer, "backward_", None) or layer.backward


def _chain_shapes(layers, input_shape):
    """One sample's shape at the input and after each layer (None where a
    layer does not say)."""
    shapes = [input_shape]
    shape = input_shape
    for i, layer in enumerate(layers):
        if shape is not None and hasattr(layer, "output_shape"):
            try:
                shape = tuple(layer.output_shape(shape))
            except ValueError as err:
                raise ValueError(f"layer shapes do not chain at layer {i} ({layer!r}): {err}") from None
        else:
            shape = (layer.n_out,) if hasattr(layer, "n_out") else None
        shapes.append(shape)
    return tuple(shapes)


register_model_reader("network", Network._from_file)
