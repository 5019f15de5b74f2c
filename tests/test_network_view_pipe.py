"""A dense network on 28×28 images: its snapshot crosses the pipe with the first layer's
drawable weights only (1.2 MB a snapshot before), and draws the same links."""

from __future__ import annotations

import pickle

import numpy as np

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.views import PANEL_WEIGHTS, SENT_LINKS, NetworkView
from nn_tui.ui.widgets.topology import _link_keys


def network_view(inputs: int) -> NetworkView:
    rng = np.random.default_rng(0)
    sizes = (inputs, 128, 10)
    weights = tuple(rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:]))
    return NetworkView(sizes=sizes, weights=weights, biases=tuple(np.zeros(b) for b in sizes[1:]),
                       masks=(None, None), activation="relu", output_activation="softmax",
                       input_labels=tuple(f"px{i}" for i in range(inputs)),
                       neuron_maps=tuple(rng.uniform(-1, 1, (n, 48)) for n in sizes))


def test_a_784_input_view_is_small_in_the_pipe_and_keeps_what_is_drawn():
    view = network_view(784)
    sent = pickle.dumps(view)
    assert len(sent) < 200_000 < len(pickle.dumps(view.weights[0]))
    back = pickle.loads(sent)
    assert back.first_layer_pruned and not view.first_layer_pruned
    strongest = np.argsort(np.abs(view.weights[0]), axis=None)[::-1][:SENT_LINKS]
    np.testing.assert_allclose(back.weights[0].reshape(-1)[strongest], view.weights[0].reshape(-1)[strongest],
                               rtol=1e-6)
    np.testing.assert_allclose(back.weights[0][:PANEL_WEIGHTS], view.weights[0][:PANEL_WEIGHTS], rtol=1e-6)
    assert np.array_equal(back.weights[1], view.weights[1])
    assert not back.weights[0].flags.writeable  # frozen again on arrival
    count = sum(a * b for a, b in zip(view.sizes, view.sizes[1:]))
    offsets = np.array([0, 784 * 128, count])
    caps = (max(784, 100 * 60 // 8), 128)  # a first layer as wide as a big terminal draws
    drawn_back, drawn = _link_keys(back, count, offsets, caps), _link_keys(view, count, offsets, caps)
    assert np.array_equal(np.flatnonzero(drawn_back >= 2), np.flatnonzero(drawn >= 2))  # 0/1: not drawn
    assert np.array_equal(drawn_back[drawn >= 2], drawn[drawn >= 2])


def test_a_small_network_crosses_the_pipe_whole():
    view = network_view(8)
    back = pickle.loads(pickle.dumps(view))
    assert not back.first_layer_pruned
    assert all(np.array_equal(a, b) for a, b in zip(back.weights, view.weights))
    assert all(np.array_equal(a, b) for a, b in zip(back.neuron_maps, view.neuron_maps))


def test_the_mlp_on_28x28_images_sends_a_snapshot_under_200_kb(tmp_path):
    import struct

    def idx(array):
        return struct.pack(">HBB", 0, 8, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()

    (tmp_path / "train-images-idx3-ubyte").write_bytes(
        idx(np.random.default_rng(0).integers(0, 256, (200, 28, 28), dtype=np.uint8)))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx((np.arange(200) % 10).astype(np.uint8)))
    session = Session(RunConfig.of(model="mlp", data=str(tmp_path / "train-images-idx3-ubyte")))
    assert len(pickle.dumps(session.snapshot)) < 200_000
