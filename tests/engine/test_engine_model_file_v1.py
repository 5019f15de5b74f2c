"""Model files written by nn-tui before layers described themselves (format 1,
commit 6009185; see data/make_v1_models.py) still load and compute the same outputs."""

from pathlib import Path

import numpy as np
import pytest

from nn_tui.engine import Network, Perceptron, load_model

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("name", ["mlp", "masked", "float32", "perceptron"])
def test_format_1_files_load_and_compute_what_they_did(name):
    model = load_model(DATA / f"v1_{name}.npz")
    with np.load(DATA / "v1_expected_outputs.npz", allow_pickle=False) as expected:
        X, Y = expected[f"{name}.X"], expected[f"{name}.Y"]
    assert isinstance(model, Perceptron if name == "perceptron" else Network)
    assert model.metadata == {"written_by": "6009185", "name": name}
    out = model.forward(X)
    assert out.dtype == Y.dtype
    # The outputs were computed on the machine that wrote the files: another CPU's BLAS and
    # NumPy kernels sum in another order (bit-exact only on one machine, in one run), a few
    # units in the last place apart (12 in float64, 4 in float32 with OpenBLAS's Sandybridge
    # kernels); a format misread (a mask, an activation, a dtype) is off by far more.
    rounding = 1e-12 if Y.dtype == np.float64 else 1e-5
    np.testing.assert_allclose(out, Y, rtol=rounding, atol=rounding * np.abs(Y).max())


def test_format_1_masks_and_dtypes_survive():
    masked = load_model(DATA / "v1_masked.npz")
    np.testing.assert_array_equal(masked.layers[0].mask, [[1, 0, 1], [1, 1, 0]])
    assert masked.layers[1].mask is None
    assert masked.activations == ("leaky_relu", "sigmoid") and masked.loss_name == "bce"
    assert load_model(DATA / "v1_float32.npz").dtype == np.float32
    assert load_model(DATA / "v1_mlp.npz").sizes == (3, 5, 4, 2)
