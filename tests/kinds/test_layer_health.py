"""The layer-health probe: histograms and gradient sizes per layer, recorded on the
training side without changing what training computes."""

import numpy as np

from nn_tui.config import RunConfig
from nn_tui.kinds.layer_health import COLUMNS, LayerHealthView, LayerTrace, histogram
from nn_tui.session import Session

DEEP_SIGMOID = dict(dataset="spiral", layers=(8, 8, 8, 8, 8, 8, 8, 8), activation="sigmoid", seed=0)


def health(session) -> LayerHealthView:
    return session.snapshot.view(LayerHealthView)


def test_probing_every_epoch_leaves_the_weights_bit_for_bit():
    watched, unwatched = Session(RunConfig.of(**DEEP_SIGMOID)), Session(RunConfig.of(**DEEP_SIGMOID))
    for _ in range(5):
        watched._run.run_epoch()
        watched.publish()  # probes, the layer-health forward pass among them
        unwatched._run.run_epoch()
    assert np.array_equal(watched._run.model.flat_params, unwatched._run.model.flat_params)
    assert len(health(watched).epochs) == 6  # epoch 0 and each of the five


def test_a_deep_sigmoid_stack_shows_its_gradient_vanishing_towards_the_input():
    view = health(Session(RunConfig.of(**DEEP_SIGMOID)))
    norms = view.grad_norms[-1]
    assert view.grad_names == tuple(f"W{i}" for i in range(1, 10))
    assert norms[0] * 100 < norms[-1]
    assert view.activations == ("sigmoid",) * 8


def test_a_relu_layer_pushed_below_zero_is_dead():
    session = Session(RunConfig.of(dataset="circle", layers=(6, 6), activation="relu", seed=0))
    layer = session._run.model.layers[1]
    layer.params["b"][:] = -100.0
    session._run._layer_view = None
    session._run._layer_trace = None
    session.publish()
    view = health(session)
    assert view.dead.tolist() == [0.0, 1.0]
    assert view.histograms[1, -1, 0] == 255 and view.histograms[1, -1, 1:].sum() == 0  # all at zero


def test_histograms_are_shares_of_the_fullest_bin():
    shares = histogram(np.array([0.0, 0.0, 0.999, 1.0, 0.5]), "sigmoid")
    assert shares[0] == 255 and shares[-1] == 255 and shares[8] == 128 and shares.sum() == 255 * 2 + 128


def test_the_trace_stays_bounded_and_evenly_spread():
    trace = LayerTrace()
    for epoch in range(1000):
        if trace.wants(epoch):
            trace.add(epoch, np.zeros((1, 16), np.uint8), np.zeros(2, np.float32))
    assert len(trace.epochs) <= COLUMNS
    gaps = np.diff(trace.epochs)
    assert gaps.max() <= 2 * gaps.min()
    assert trace.epochs[0] == 0 and trace.epochs[-1] >= 1000 - trace.gap
