"""Central-difference gradient checks (float64) for every activation, loss and fused pair."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nn_tui.engine import ACTIVATIONS, LOSSES, Dense, Network
from nn_tui.engine.losses import FUSED

from tests.engine.gradient_check import numeric_gradient

EPS = 1e-6
SMOOTH_TOLERANCE = 1e-7
SMOOTH = ("linear", "sigmoid", "tanh")
KINKED = ("relu", "leaky_relu")


def targets_for(loss, rng, n, k):
    if loss == "ce":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "bce":
        return rng.random((n, k))  # soft targets exercise the full formula
    return rng.standard_normal((n, k))


def numerical_grads(net, X, Y):
    """Central differences of net.loss over every entry of the flat parameter vector."""
    return numeric_gradient(lambda: net.loss(X, Y), net.flat_params, EPS)


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def analytic_grads(net, X, Y):
    net.loss_and_grads(X, Y)
    return net.flat_grads.copy()


def min_abs_preactivation(net, X):
    net.forward(X)
    return min(np.abs(layer.input @ layer.params["W"] + layer.params["b"]).min() for layer in net.layers)


def kink_free_case(build, n_in, n, seed, margin=1e-3):
    """Draw seeds until no pre-activation sits within `margin` of relu's kink,
    so central differences never straddle it."""
    for attempt in range(200):
        rng = np.random.default_rng(seed * 1000 + attempt)
        net = build(attempt)
        X = rng.standard_normal((n, n_in))
        if min_abs_preactivation(net, X) > margin:
            return net, X, rng
    raise AssertionError("could not find a kink-free case")


@pytest.mark.parametrize("hidden", SMOOTH + KINKED)
@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("softmax", "ce"), ("linear", "mse"),
                                           ("sigmoid", "mse"), ("tanh", "mse"), ("softmax", "mse")])
def test_mlp_gradients_match_central_differences(hidden, output, loss):
    n_out = 3 if output == "softmax" else 2
    net, X, rng = kink_free_case(
        lambda s: Network.mlp(3, [4, 3], n_out, activation=hidden, output=output, loss=loss, seed=s),
        n_in=3, n=5, seed=1)
    Y = targets_for(loss, rng, 5, n_out)
    error = relative_error(analytic_grads(net, X, Y), numerical_grads(net, X, Y))
    assert error <= SMOOTH_TOLERANCE, error


@pytest.mark.parametrize("activation", SMOOTH + KINKED + ("softmax",))
def test_every_activation_in_the_output_position_with_mse(activation):
    n_out = 3
    net, X, rng = kink_free_case(
        lambda s: Network([Dense(2, 4, "tanh", rng=s), Dense(4, n_out, activation, rng=s + 1)], "mse"),
        n_in=2, n=4, seed=2)
    Y = targets_for("mse", rng, 4, n_out)
    error = relative_error(analytic_grads(net, X, Y), numerical_grads(net, X, Y))
    assert error <= SMOOTH_TOLERANCE, error


def test_step_activation_has_zero_gradient_below_it():
    net = Network([Dense(2, 3, "tanh", rng=0), Dense(3, 4, "step", rng=1), Dense(4, 1, "sigmoid", rng=2)], "bce")
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((6, 2)), rng.random((6, 1))
    net.loss_and_grads(X, Y)
    assert np.all(net.layers[0].grads["W"] == 0) and np.all(net.layers[0].grads["b"] == 0)
    assert np.any(net.layers[2].grads["W"] != 0)
    assert relative_error(net.flat_grads.copy(), numerical_grads(net, X, Y)) <= SMOOTH_TOLERANCE


@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("softmax", "ce")])
def test_fused_pairs_match_general_chain_rule(output, loss):
    # The fused (p − y)/N must equal dL/dp · dp/dz computed the long way.
    rng = np.random.default_rng(3)
    z = rng.standard_normal((5, 3))
    y = targets_for(loss, rng, 5, 3)
    fused_loss, p, grad_z = FUSED[(output, loss)].value_output_gradient(z, y)
    activation = ACTIVATIONS[output]
    p_general = activation.forward(z)
    assert np.allclose(p, p_general, rtol=1e-14, atol=0)
    general = activation.backward(LOSSES[loss].gradient(p_general, y), p_general)
    assert np.allclose(grad_z, general, rtol=1e-10, atol=1e-15)
    assert fused_loss == pytest.approx(LOSSES[loss].value(p_general, y), rel=1e-12)


@pytest.mark.parametrize("loss", ["mse", "bce", "ce"])
def test_loss_gradients_with_respect_to_predictions(loss):
    rng = np.random.default_rng(4)
    shape = (4, 3)
    if loss == "ce":
        p = ACTIVATIONS["softmax"].forward(rng.standard_normal(shape))
    else:
        p = rng.uniform(0.05, 0.95, shape)
    y = targets_for(loss, rng, *shape)
    value, gradient = LOSSES[loss].value, LOSSES[loss].gradient
    numeric = np.zeros(shape)
    for index in np.ndindex(shape):
        bumped = p.copy()
        bumped[index] += EPS
        plus = value(bumped, y)
        bumped[index] -= 2 * EPS
        numeric[index] = (plus - value(bumped, y)) / (2 * EPS)
    assert relative_error(gradient(p, y), numeric) <= SMOOTH_TOLERANCE
    assert LOSSES[loss].value_and_gradient(p, y)[0] == pytest.approx(value(p, y), rel=1e-14)


def test_loss_definitions_match_the_documented_formulas():
    p = np.array([[0.2, 0.7], [0.9, 0.4]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert LOSSES["mse"].value(p, y) == pytest.approx(((0.2**2 + 0.3**2) / 2 + (0.1**2 + 0.4**2) / 2) / 2)
    bce = -(np.log(0.8) + np.log(0.7) + np.log(0.9) + np.log(0.6)) / 2
    assert LOSSES["bce"].value(p, y) == pytest.approx(bce)
    assert LOSSES["ce"].value(p, y) == pytest.approx(-(np.log(0.7) + np.log(0.9)) / 2)


def test_standalone_dense_input_gradient():
    rng = np.random.default_rng(5)
    layer = Dense(3, 2, "tanh", rng=1)
    x = rng.standard_normal((4, 3))
    upstream = rng.standard_normal((4, 2))
    layer.forward(x)
    grad_x = layer.backward(upstream)
    numeric = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        bumped = x.copy()
        bumped[index] += EPS
        plus = np.vdot(upstream, layer.forward(bumped))
        bumped[index] -= 2 * EPS
        numeric[index] = (plus - np.vdot(upstream, layer.forward(bumped))) / (2 * EPS)
    assert relative_error(grad_x, numeric) <= SMOOTH_TOLERANCE


def test_first_layer_skips_input_gradient():
    net = Network.mlp(2, [3], 1)
    assert net.layers[0].propagate_input_grad is False
    assert net.layers[1].propagate_input_grad is True


# --- edge cases -----------------------------------------------------------------
@pytest.mark.parametrize("output, loss, n_out", [("sigmoid", "bce", 1), ("softmax", "ce", 2), ("linear", "mse", 1)])
def test_single_sample_no_hidden_layer_single_neuron(output, loss, n_out):
    net = Network.mlp(1, [], n_out, output=output, loss=loss, seed=7)
    assert len(net.layers) == 1 and net.sizes == (1, n_out)
    rng = np.random.default_rng(7)
    X = rng.standard_normal((1, 1))
    Y = targets_for(loss, rng, 1, n_out)
    loss_value, grads = net.loss_and_grads(X, Y)
    assert np.isfinite(loss_value)
    assert grads[0]["W"].shape == (1, n_out) and grads[0]["b"].shape == (n_out,)
    assert relative_error(net.flat_grads.copy(), numerical_grads(net, X, Y)) <= SMOOTH_TOLERANCE


def test_one_dimensional_targets_for_single_output():
    net = Network.mlp(2, [3], 1)
    X = np.ones((4, 2))
    assert net.loss(X, np.zeros(4)) == net.loss(X, np.zeros((4, 1)))


def test_mismatched_targets_are_rejected_not_broadcast():
    net = Network.mlp(2, [3], 2, output="softmax", loss="ce")
    with pytest.raises(ValueError, match="shape"):
        net.loss_and_grads(np.ones((4, 2)), np.ones((4, 3)))


@settings(max_examples=40, deadline=None)
@given(
    n_in=st.integers(1, 4),
    hidden=st.lists(st.integers(1, 4), max_size=3),
    n=st.integers(1, 5),
    head=st.sampled_from([("sigmoid", "bce", 1), ("sigmoid", "bce", 3), ("softmax", "ce", 2),
                          ("softmax", "ce", 4), ("linear", "mse", 2), ("tanh", "mse", 1)]),
    activation=st.sampled_from(["tanh", "sigmoid", "relu", "leaky_relu", "linear"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_shapes_and_gradients_for_any_architecture(n_in, hidden, n, head, activation, seed):
    output, loss, n_out = head
    net = Network.mlp(n_in, hidden, n_out, activation=activation, output=output, loss=loss, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_in))
    Y = targets_for(loss, rng, n, n_out)
    assert net.forward(X).shape == (n, n_out)
    outputs = net.layer_outputs(X)
    assert [o.shape for o in outputs] == [(n, size) for size in net.sizes[1:]]
    loss_value, grads = net.loss_and_grads(X, Y)
    assert np.isfinite(loss_value)
    assert len(grads) == len(net.layers)
    for layer, grad in zip(net.layers, grads):
        assert grad.keys() == layer.params.keys()
        for key in grad:
            assert grad[key].shape == layer.params[key].shape
    if activation in KINKED and min_abs_preactivation(net, X) < 1e-4:
        return  # a relu kink inside the difference step makes the check meaningless
    assert relative_error(analytic_grads(net, X, Y), numerical_grads(net, X, Y)) <= 1e-6


# --- saturation ---------------------------------------------------------------------
def saturated_network(output, loss, logits):
    n_out = len(logits)
    net = Network.mlp(1, [], n_out, output=output, loss=loss)
    net.layers[0].params["W"] = np.zeros((1, n_out))
    net.layers[0].params["b"] = np.array(logits, dtype=float)
    return net


@pytest.mark.parametrize("logit, target, expected", [(1000.0, 0.0, 1000.0), (-1000.0, 1.0, 1000.0),
                                                     (1000.0, 1.0, 0.0), (-1000.0, 0.0, 0.0)])
def test_sigmoid_bce_finite_at_saturation(logit, target, expected):
    net = saturated_network("sigmoid", "bce", [logit])
    X, Y = np.ones((2, 1)), np.full((2, 1), target)
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no overflow or divide-by-zero anywhere
        loss, grads = net.loss_and_grads(X, Y)
        assert net.loss(X, Y) == loss
        assert np.all(np.isfinite(net.forward(X)))
    assert loss == pytest.approx(expected)
    assert np.all(np.isfinite(net.flat_grads))
    p = 1.0 if logit > 0 else 0.0
    assert grads[0]["b"][0] == pytest.approx(p - target)  # Σ over 2 samples of (p − y)/2


def test_softmax_ce_finite_at_saturation():
    net = saturated_network("softmax", "ce", [1000.0, -1000.0, 0.0])
    X, Y = np.ones((2, 1)), np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        loss, grads = net.loss_and_grads(X, Y)
        assert net.loss(X, Y) == loss
        np.testing.assert_array_equal(net.forward(X), [[1.0, 0.0, 0.0]] * 2)
    assert loss == pytest.approx((2000.0 + 0.0) / 2)
    assert np.all(np.isfinite(net.flat_grads))
    assert grads[0]["b"] == pytest.approx([0.5, -0.5, 0.0])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_registry_functions_leave_their_arguments_alone(name):
    activation = ACTIVATIONS[name]
    rng = np.random.default_rng(6)
    z = rng.standard_normal((4, 3))
    z_before = z.copy()
    a = activation.forward(z)
    np.testing.assert_array_equal(z, z_before)
    grad = rng.standard_normal((4, 3))
    grad_before = grad.copy()
    result = activation.backward(grad, a)
    np.testing.assert_array_equal(grad, grad_before)
    # the in-place versions compute the same numbers
    np.testing.assert_array_equal(activation.forward_(z.copy()), a)
    np.testing.assert_array_equal(activation.backward_(grad.copy(), a), result)
    assert activation.forward(np.arange(3)[None]).dtype == np.float64  # ints are promoted, not truncated


def test_dense_backward_leaves_the_callers_gradient_alone():
    layer = Dense(3, 2, "relu", rng=1)
    layer.forward(np.random.default_rng(0).standard_normal((4, 3)))
    upstream = np.ones((4, 2))
    layer.backward(upstream)
    assert np.all(upstream == 1)
