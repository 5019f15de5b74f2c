"""SelfAttention: a loop-by-loop reference for the layout (q, k, v columns,
heads contiguous), causality, central-difference gradients in float64, float32."""

import numpy as np
import pytest

from nn_tui.engine import SelfAttention, attention as attention_module
from nn_tui.engine.layer_types import LAYER_TYPES

from tests.engine.gradient_check import check_layer_gradients


def with_biases(layer, rng):
    layer.params["b_qkv"] = rng.standard_normal(layer.params["b_qkv"].shape) * 0.3
    layer.params["b_o"] = rng.standard_normal(layer.params["b_o"].shape) * 0.3
    return layer


def naive_attention(x, W_qkv, b_qkv, W_o, b_o, heads, causal):
    """One sample, one head, one position at a time."""
    n, t, d = x.shape
    dh = d // heads
    out = np.zeros_like(x)
    weights = np.zeros((n, heads, t, t))
    for s in range(n):
        qkv = x[s] @ W_qkv + b_qkv
        q, k, v = qkv[:, :d], qkv[:, d:2 * d], qkv[:, 2 * d:]
        context = np.zeros((t, d))
        for h in range(heads):
            cols = slice(h * dh, (h + 1) * dh)
            for i in range(t):
                visible = i + 1 if causal else t
                scores = np.array([q[i, cols] @ k[j, cols] for j in range(visible)]) / np.sqrt(dh)
                p = np.exp(scores - scores.max())
                p /= p.sum()
                weights[s, h, i, :visible] = p
                context[i, cols] = p @ v[:visible, cols]
        out[s] = context @ W_o + b_o
    return out, weights


@pytest.fixture(params=[64, 2, 3], ids=["one-chunk", "chunks-of-2", "chunks-of-3"])
def query_chunk(request, monkeypatch):
    """Causal attention skips the future in chunks of query rows: short sequences
    are one chunk, so these tests also run with tiny chunks (uneven ones too)."""
    monkeypatch.setattr(attention_module, "QUERY_CHUNK", request.param)
    return request.param


@pytest.mark.parametrize("causal", [True, False])
@pytest.mark.parametrize("heads", [1, 2, 3])
def test_forward_matches_the_loop_reference(causal, heads, query_chunk):
    rng = np.random.default_rng(heads)
    layer = with_biases(SelfAttention(6, heads, causal=causal, seed=heads), rng)
    x = rng.standard_normal((2, 5, 6))
    expected, weights = naive_attention(x, *(layer.params[k] for k in ("W_qkv", "b_qkv", "W_o", "b_o")),
                                        heads, causal)
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-12, atol=1e-13)
    assert layer.attention.shape == (2, heads, 5, 5)
    np.testing.assert_allclose(layer.attention, weights, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("causal", [True, False])
def test_gradients_match_central_differences(causal, query_chunk):
    rng = np.random.default_rng(5)
    layer = with_biases(SelfAttention(6, 2, causal=causal, seed=1), rng)
    check_layer_gradients(layer, rng.standard_normal((2, 4, 6)), rng)


def test_causal_attention_never_looks_ahead(query_chunk):
    rng = np.random.default_rng(6)
    layer = with_biases(SelfAttention(8, 2, seed=2), rng)
    x = rng.standard_normal((3, 7, 8))
    before = layer.forward(x).copy()
    assert np.all(np.triu(layer.attention, k=1) == 0.0)
    np.testing.assert_allclose(layer.attention.sum(axis=-1), 1.0, rtol=1e-12)
    x[:, 4:] += rng.standard_normal((3, 3, 8))  # change the future of position 3
    after = layer.forward(x)
    np.testing.assert_array_equal(after[:, :4], before[:, :4])
    assert not np.allclose(after[:, 4:], before[:, 4:])
    dx = layer.backward(np.eye(7)[3][None, :, None] * np.ones((3, 7, 8)))  # only position 3's output
    assert np.all(dx[:, 4:] == 0.0) and np.any(dx[:, :4] != 0.0)


def test_float32_works_and_stays_close_to_float64(query_chunk):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 9, 12))
    wide, narrow = SelfAttention(12, 3, seed=4), SelfAttention(12, 3, seed=4, dtype=np.float32)
    y64, y32 = wide.forward(x), narrow.forward(x.astype(np.float32))
    assert y32.dtype == np.float32 and narrow.attention.dtype == np.float32
    np.testing.assert_allclose(y32, y64, rtol=1e-4, atol=1e-5)
    dy = rng.standard_normal(y64.shape)
    dx32 = narrow.backward(dy.astype(np.float32))
    assert dx32.dtype == np.float32 and all(g.dtype == np.float32 for g in narrow.grads.values())
    np.testing.assert_allclose(dx32, wide.backward(dy), rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("scale", [1.0, 40.0], ids=["small-scores", "scores-in-the-hundreds"])
def test_float32_softmax_stays_finite_when_scores_are_large(scale, query_chunk):
    """exp skips the shift by the row max only while |q|·|k| bounds every score well
    inside float32's range; scores in the hundreds must take the shifted path."""
    rng = np.random.default_rng(10)
    layer = with_biases(SelfAttention(8, 2, seed=6, dtype=np.float32), rng)
    x = rng.standard_normal((2, 7, 8)) * scale
    expected, weights = naive_attention(x, *(layer.params[k].astype(np.float64)
                                             for k in ("W_qkv", "b_qkv", "W_o", "b_o")), 2, True)
    out = layer.forward(x.astype(np.float32))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(layer.attention))
    np.testing.assert_allclose(layer.attention, weights, atol=2e-3)
    np.testing.assert_allclose(out, expected, rtol=1e-3, atol=2e-3 * scale)
    dx = layer.backward(rng.standard_normal(x.shape).astype(np.float32))
    assert np.all(np.isfinite(dx)) and all(np.all(np.isfinite(g)) for g in layer.grads.values())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_working_arrays_kept_between_calls_change_no_number(dtype, query_chunk):
    """The layer keeps its working arrays from call to call: a forward and backward
    after calls of other shapes gives a fresh layer's numbers, bit for bit."""
    rng = np.random.default_rng(11)
    x, dy = rng.standard_normal((2, 9, 6)).astype(dtype), rng.standard_normal((2, 9, 6)).astype(dtype)
    fresh, used = SelfAttention(6, 2, seed=7, dtype=dtype), SelfAttention(6, 2, seed=7, dtype=dtype)
    for shape in ((2, 9, 6), (3, 4, 6), (1, 12, 6)):
        used.forward(rng.standard_normal(shape).astype(dtype) * 30)
        used.backward(rng.standard_normal(shape).astype(dtype))
    y_used, y_fresh = used.forward(x).copy(), fresh.forward(x)
    np.testing.assert_array_equal(y_used, y_fresh)
    np.testing.assert_array_equal(used.attention, fresh.attention)
    np.testing.assert_array_equal(used.backward(dy), fresh.backward(dy))
    for key in fresh.grads:
        np.testing.assert_array_equal(used.grads[key], fresh.grads[key], err_msg=key)


def test_the_same_seed_gives_the_same_weights_and_a_sequence_length_change_is_fine():
    a, b = SelfAttention(8, 2, seed=3), SelfAttention(8, 2, seed=3)
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert not np.array_equal(a.params["W_qkv"], SelfAttention(8, 2, seed=4).params["W_qkv"])
    rng = np.random.default_rng(8)
    for t in (5, 1, 5, 3):
        assert a.forward(rng.standard_normal((2, t, 8))).shape == (2, t, 8)


@pytest.mark.parametrize("args, message", [((6, 4), "multiple"), ((0, 1), "d must"), ((6, 2, "yes"), "causal")])
def test_bad_settings_are_one_line(args, message):
    with pytest.raises(ValueError, match=message):
        SelfAttention(*args)


def test_it_round_trips_through_its_config():
    rng = np.random.default_rng(9)
    layer = with_biases(SelfAttention(6, 3, causal=False, seed=5), rng)
    cls = LAYER_TYPES[layer.type_name]
    assert cls.array_shapes(layer.config()) == {name: value.shape for name, value in layer.params.items()}
    twin = cls.from_config(layer.config(), layer.arrays(), "float64")
    x = rng.standard_normal((2, 4, 6))
    np.testing.assert_array_equal(twin.forward(x), layer.forward(x))
    with pytest.raises(ValueError):
        cls.array_shapes({"d": 6, "heads": 4, "causal": True})
