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
