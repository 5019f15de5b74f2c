"""The engine's LSTM against PyTorch's nn.LSTM on the same weights and numbers:
outputs, final state, dL/dx and the weight gradients, from a given (h, c) state,
with batch and steps that are not multiples of backward's chunk of steps."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch's nn.LSTM is the reference")

from nn_tui.engine import LSTM  # noqa: E402


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-11), (np.float32, 2e-5)])
def test_lstm_matches_pytorch_forward_and_backward(dtype, tolerance):
    N, T, n_in, H = 3, 11, 5, 6
    rng = np.random.default_rng(21)
    ours = LSTM(n_in, H, seed=4, dtype=dtype)
    for key in ours.params:  # away from the init: zero biases would hide bias mistakes
        ours.params[key] = rng.normal(scale=0.5, size=ours.params[key].shape).astype(dtype)
    torch_dtype = torch.float64 if dtype == np.float64 else torch.float32
    theirs = torch.nn.LSTM(n_in, H, batch_first=True, dtype=torch_dtype)
    with torch.no_grad():
        theirs.weight_ih_l0.copy_(torch.from_numpy(ours.params["W"].T.copy()))
        theirs.weight_hh_l0.copy_(torch.from_numpy(ours.params["U"].T.copy()))
        theirs.bias_ih_l0.copy_(torch.from_numpy(ours.params["b"]))
        theirs.bias_hh_l0.zero_()
    x = rng.normal(size=(N, T, n_in)).astype(dtype)
    dy = rng.normal(size=(N, T, H)).astype(dtype)
    h0, c0 = rng.normal(size=(N, H)).astype(dtype), rng.normal(size=(N, H)).astype(dtype)

    out = ours.forward(x, (h0, c0))
    dx = ours.backward(dy)
    x_t = torch.from_numpy(x).requires_grad_()
    out_t, (h_t, c_t) = theirs(x_t, (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None]))
    out_t.backward(torch.from_numpy(dy))

    def close(mine, reference, what):
        np.testing.assert_allclose(mine, reference.detach().numpy(), rtol=tolerance, atol=tolerance, err_msg=what)

    assert out.dtype == dx.dtype == dtype
    close(out, out_t, "h")
    close(ours.last_state[0], h_t[0], "last h")
    close(ours.last_state[1], c_t[0], "last c")
    close(dx, x_t.grad, "dx")
    close(ours.grads["W"], theirs.weight_ih_l0.grad.T, "W")
    close(ours.grads["U"], theirs.weight_hh_l0.grad.T, "U")
    close(ours.grads["b"], theirs.bias_ih_l0.grad, "b")
