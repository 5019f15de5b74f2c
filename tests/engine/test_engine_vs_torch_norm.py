"""BatchNorm1d, BatchNorm2d and LayerNorm against PyTorch's layers on the same
numbers: forward values, gradients and running statistics, in training and in
evaluation."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch's BatchNorm1d/2d and LayerNorm are the reference")

from nn_tui.engine import LayerNorm  # noqa: E402

from tests.engine.test_engine_normalization import CASES, randomized  # noqa: E402


@pytest.mark.parametrize("case", CASES)
def test_batch_norm_matches_pytorch_in_both_modes(case):
    cls, shape = CASES[case]
    rng = np.random.default_rng(7)
    ours = randomized(cls(shape[1]), rng)
    theirs = (torch.nn.BatchNorm1d if case == "1d" else torch.nn.BatchNorm2d)(shape[1]).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(ours.params["gamma"]))
        theirs.bias.copy_(torch.from_numpy(ours.params["beta"]))
        theirs.running_mean.copy_(torch.from_numpy(ours.buffers["running_mean"]))
        theirs.running_var.copy_(torch.from_numpy(ours.buffers["running_var"]))
    for training in (True, True, False):  # two training steps, then evaluation
        ours.training = training
        theirs.train(training)
        x = rng.standard_normal(shape) * 2.0 + 1.0
        dy = rng.standard_normal(shape)
        x_t = torch.from_numpy(x).requires_grad_()
        y_t = theirs(x_t)
        y_t.backward(torch.from_numpy(dy))
        np.testing.assert_allclose(ours.forward(x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.backward(dy), x_t.grad.numpy(), rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(ours.grads["gamma"], theirs.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.grads["beta"], theirs.bias.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.buffers["running_mean"], theirs.running_mean.numpy(), rtol=1e-12)
        np.testing.assert_allclose(ours.buffers["running_var"], theirs.running_var.numpy(), rtol=1e-12)
        theirs.zero_grad()


def test_layer_norm_matches_pytorch():
    rng = np.random.default_rng(8)
    ours = randomized(LayerNorm(6), rng)
    theirs = torch.nn.LayerNorm(6).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(ours.params["gamma"]))
        theirs.bias.copy_(torch.from_numpy(ours.params["beta"]))
    x = rng.standard_normal((3, 4, 6)) * 2.0
    dy = rng.standard_normal(x.shape)
    x_t = torch.from_numpy(x).requires_grad_()
    y_t = theirs(x_t)
    y_t.backward(torch.from_numpy(dy))
    np.testing.assert_allclose(ours.forward(x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.backward(dy), x_t.grad.numpy(), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(ours.grads["gamma"], theirs.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.grads["beta"], theirs.bias.grad.numpy(), rtol=1e-10, atol=1e-12)
