"""SelfAttention against PyTorch's nn.MultiheadAttention with in_proj_weight =
W_qkvᵀ, in_proj_bias = b_qkv, out_proj.weight = W_oᵀ, out_proj.bias = b_o:
forward values and gradients with respect to the input and every parameter."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch's nn.MultiheadAttention is the reference")

from nn_tui.engine import SelfAttention, attention  # noqa: E402


def pytorch_twin(layer):
    mha = torch.nn.MultiheadAttention(layer.d, layer.heads, batch_first=True).double()
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.from_numpy(layer.params["W_qkv"].T.copy()))
        mha.in_proj_bias.copy_(torch.from_numpy(layer.params["b_qkv"]))
        mha.out_proj.weight.copy_(torch.from_numpy(layer.params["W_o"].T.copy()))
        mha.out_proj.bias.copy_(torch.from_numpy(layer.params["b_o"]))
    return mha


@pytest.mark.parametrize("heads, causal", [(2, True), (3, True), (1, False)])
@pytest.mark.parametrize("chunk", [64, 3])
def test_forward_and_gradients_match_multihead_attention(heads, causal, chunk, monkeypatch):
    monkeypatch.setattr(attention, "QUERY_CHUNK", chunk)  # 3: causal rows in chunks, one uneven
    rng = np.random.default_rng(heads)
    layer = SelfAttention(12, heads, causal=causal, seed=heads)
    layer.params["b_qkv"] = rng.standard_normal(36) * 0.3
    layer.params["b_o"] = rng.standard_normal(12) * 0.3
    mha = pytorch_twin(layer)
    x = rng.standard_normal((3, 7, 12))
    dy = rng.standard_normal(x.shape)

    x_t = torch.from_numpy(x).requires_grad_()
    mask = torch.nn.Transformer.generate_square_subsequent_mask(7, dtype=torch.float64) if causal else None
    y_t, weights_t = mha(x_t, x_t, x_t, attn_mask=mask, need_weights=True, average_attn_weights=False)
    y_t.backward(torch.from_numpy(dy))

    np.testing.assert_allclose(layer.forward(x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.attention, weights_t.detach().numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(layer.backward(dy), x_t.grad.numpy(), rtol=1e-9, atol=1e-11)
    theirs = {"W_qkv": mha.in_proj_weight.grad.numpy().T, "b_qkv": mha.in_proj_bias.grad.numpy(),
              "W_o": mha.out_proj.weight.grad.numpy().T, "b_o": mha.out_proj.bias.grad.numpy()}
    for key, value in theirs.items():
        np.testing.assert_allclose(layer.grads[key], value, rtol=1e-9, atol=1e-11, err_msg=key)


def test_float32_matches_multihead_attention_in_float32():
    rng = np.random.default_rng(0)
    layer = SelfAttention(8, 2, seed=0, dtype=np.float32)
    mha = pytorch_twin(layer).float()
    x = rng.standard_normal((2, 6, 8)).astype(np.float32)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(6)
    x_t = torch.from_numpy(x)
    y_t, _ = mha(x_t, x_t, x_t, attn_mask=mask, need_weights=False)
    np.testing.assert_allclose(layer.forward(x), y_t.detach().numpy(), rtol=1e-5, atol=1e-6)
