"""``--to onnx``: a standard ONNX graph (opset 17) built with the ``onnx`` package.

One input ``input`` of shape (N, *input_shape) and one output ``output``: what
nn-tui's ``forward`` returns (probabilities for sigmoid/softmax outputs), in
the model's own dtype. nn-tui's metadata (input names, class names, data set)
rides along in the model's ``metadata_props``.
"""

from __future__ import annotations

import json

import numpy as np

from nn_tui.export.source import ExportError, batchnorm_affine, layer_type, weights_and_bias
from nn_tui.export.writing import write_bytes

OPSET = 17
IR_VERSION = 8  # the IR that goes with opset 17; older runtimes read it too
INT64_MAX = 2**63 - 1  # a Slice end meaning "to the end"


class GraphBuilder:
    """Nodes and initializers, with fresh tensor names."""

    def __init__(self, onnx, dtype):
        self.onnx = onnx
        self.dtype = dtype
        self.nodes = []
        self.initializers = []
        self._count = 0

    def name(self, stem):
        self._count += 1
        return f"{stem}_{self._count}"

    def constant(self, stem, array):
        name = self.name(stem)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(array, dtype=self.dtype), name))
        return name

    def constant_int(self, stem, values):
        """An int64 initializer (shapes, axes, pads)."""
        name = self.name(stem)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(values, dtype=np.int64), name))
        return name

    def node(self, op, inputs, stem=None, **attributes):
        output = self.name(stem or op.lower())
        self.nodes.append(self.onnx.helper.make_node(op, list(inputs), [output], **attributes))
        return output


def activation(graph, name, x):
    """The ONNX nodes for one nn-tui activation, applied to tensor ``x``."""
    if name == "linear":
        return x
    if name == "sigmoid":
        return graph.node("Sigmoid", [x])
    if name == "tanh":
        return graph.node("Tanh", [x])
    if name == "relu":
        return graph.node("Relu", [x])
    if name == "leaky_relu":  # max(z, 0.01 z), as nn-tui computes it (ORT's LeakyRelu is float-only)
        scaled = graph.node("Mul", [x, graph.constant("slope", 0.01)])
        return graph.node("Max", [x, scaled], stem="leaky_relu")
    if name == "softmax":
        return graph.node("Softmax", [x], axis=-1)
    if name == "step":  # Heaviside with step(0) = 1
        above = graph.node("GreaterOrEqual", [x, graph.constant("zero", 0.0)])
        to = graph.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(graph.dtype))
        return graph.node("Cast", [above], stem="step", to=to)
    raise ExportError(f"onnx export does not know the activation {name!r}")


def dense(graph, layer, x):
    weight, bias = weights_and_bias(layer)
    z = graph.node("Gemm", [x, graph.constant("weight", weight), graph.constant("bias", bias)], stem="dense")
    return activation(graph, layer.activation, z)


def conv2d(graph, layer, x):
    """k×k, stride 1, "same" padding k//2, as the engine's Conv2D. A float32
    model gets ONNX's Conv; ONNX Runtime has no float64 Conv, so a float64
    model gets the same convolution as a GEMM over patches (Pad, k·k Slices,
    Concat, MatMul), which every runtime runs in float64."""
    weight, bias = weights_and_bias(layer)
    out_ch, in_ch, k, _ = weight.shape
    p = layer.padding
    if np.dtype(graph.dtype) == np.float32:
        z = graph.node("Conv", [x, graph.constant("weight", weight), graph.constant("bias", bias)],
                       stem="conv", kernel_shape=[k, k], pads=[p, p, p, p], strides=[1, 1])
        return activation(graph, layer.activation, z)
    padded = graph.node("Pad", [x, graph.constant_int("pads", [0, 0, p, p, 0, 0, p, p])])
    axes = graph.constant_int("axes", [2, 3])
    shifts = []
    for i in range(k):  # patch entry (i, j): the padded image from (i, j), as big as the output
        for j in range(k):
            # The output is (padded size - k + 1) tall: stop k-1-i rows before the end (i = k-1: at it).
            ends = [offset - k + 1 if offset < k - 1 else INT64_MAX for offset in (i, j)]
            shifts.append(graph.node("Slice", [padded, graph.constant_int("starts", [i, j]),
                                               graph.constant_int("ends", ends), axes]))
    patches = graph.node("Concat", shifts, axis=1)  # (N, k·k·C, H, W), channel index (i·k + j)·C + c
    rows = graph.node("Transpose", [patches], perm=[0, 2, 3, 1])  # (N, H, W, k·k·C)
    matrix = weight.transpose(2, 3, 1, 0).reshape(k * k * in_ch, out_ch)  # rows (i, j, c), like the patches
    z = graph.node("Add", [graph.node("MatMul", [rows, graph.constant("weight", matrix)]), graph.constant("bias", bias)])
    images = graph.node("Transpose", [z], stem="conv", perm=[0, 3, 1, 2])  # back to (N, out, H, W)
    return activation(graph, layer.activation, images)


def maxpool2d(graph, layer, x):
    """2×2, stride 2, floor: ONNX's MaxPool defaults (ceil_mode 0)."""
    return graph.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])


def flatten(graph, layer, x):
    """(N, C, H, W) -> (N, C·H·W) in C, H, W order, as the engine's Flatten."""
    return graph.node("Flatten", [x], axis=1)


def batchnorm(graph, layer, x):
    """Batch norm with its running statistics (evaluation) is a per-feature affine map:
    its own two nodes, x·scale + shift, broadcast over the batch (and the pixels of a
    BatchNorm2d's channels). ONNX Runtime's BatchNormalization is float-only."""
    scale, shift = batchnorm_affine(layer)
    if layer_type(layer) == "batchnorm2d":
        scale, shift = scale[:, None, None], shift[:, None, None]
    scaled = graph.node("Mul", [x, graph.constant("bn_scale", scale)])
    return graph.node("Add", [scaled, graph.constant("bn_shift", shift)], stem="batchnorm")


def dropout(graph, layer, x):
    """Dropout is the identity when predicting: no node at all."""
    return x


# Export type -> function(graph, layer, input tensor name) -> output tensor name.
LAYERS = {"dense": dense, "conv2d": conv2d, "maxpool2d": maxpool2d, "flatten": flatten,
          "batchnorm1d": batchnorm, "batchnorm2d": batchnorm, "dropout": dropout}


def build_model(source):
    """The ONNX ModelProto for ``source`` (checked by onnx.checker)."""
    try:
        import onnx
    except ImportError:
        raise ExportError("export --to onnx needs the onnx package: pip install 'nn-tui[export]'") from None
    graph = GraphBuilder(onnx, source.dtype)
    x = "input"
    for layer in source.layers:
        kind = layer_type(layer)
        if kind not in LAYERS:
            raise ExportError(f"onnx export does not support {kind} layers yet")
        x = LAYERS[kind](graph, layer, x)
    graph.nodes.append(onnx.helper.make_node("Identity", [x], ["output"]))
    elem = onnx.helper.np_dtype_to_tensor_dtype(source.dtype)
    inputs = [onnx.helper.make_tensor_value_info("input", elem, ["N", *source.input_shape])]
    outputs = [onnx.helper.make_tensor_value_info("output", elem, ["N", *source.output_shape])]
    proto_graph = onnx.helper.make_graph(graph.nodes, f"nn_tui_{source.kind}", inputs, outputs,
                                         initializer=graph.initializers)
    model = onnx.helper.make_model(proto_graph, producer_name="nn-tui",
                                   opset_imports=[onnx.helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    model.doc_string = f"nn-tui {source.kind} exported from {source.name}.npz"
    properties = {"kind": source.kind, "loss": source.loss or "", "metadata": json.dumps(source.metadata)}
    onnx.helper.set_model_props(model, properties)
    onnx.checker.check_model(model, full_check=True)
    return model


def export_onnx(source, path) -> str:
    model = build_model(source)
    write_bytes(path, model.SerializeToString())
    shape = ", ".join(["N", *map(str, source.input_shape)])
    return f"wrote {path} (ONNX opset {OPSET}: input ({shape}) {source.dtype.name} -> output)"
