"""Central differences: what every gradient test of the engine checks backward against."""

import numpy as np


def numeric_gradient(f, array, eps=1e-6):
    """Central differences of the scalar f() with respect to every entry of array (changed in place)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        keep = array[index]
        array[index] = keep + eps
        up = f()
        array[index] = keep - eps
        down = f()
        array[index] = keep
        grad[index] = (up - down) / (2 * eps)
    return grad


def check_layer_gradients(layer, x, rng, rtol=1e-6, atol=1e-8, before_forward=None):
    """A layer's dL/dparams and dL/dx for L = Σ forward(x)·R against central
    differences. ``before_forward`` runs before every forward (e.g. to rewind a
    dropout layer's generator so each forward draws the same mask)."""
    before_forward = before_forward or (lambda: None)
    before_forward()
    R = rng.standard_normal(layer.forward(x).shape)

    def loss():
        before_forward()
        return float(np.vdot(layer.forward(x), R))

    before_forward()
    layer.forward(x)
    dx = layer.backward(R)
    analytic = {key: value.copy() for key, value in layer.grads.items()}
    for key, value in layer.params.items():
        np.testing.assert_allclose(analytic[key], numeric_gradient(loss, value), rtol=rtol, atol=atol, err_msg=key)
    np.testing.assert_allclose(dx, numeric_gradient(loss, x), rtol=rtol, atol=atol, err_msg="dx")
