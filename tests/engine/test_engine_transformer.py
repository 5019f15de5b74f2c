"""The transformer's pieces: central-difference gradients (float64, tiny sizes) for a
block and for the whole character model, causality, positions, generation."""

import numpy as np
import pytest

from gradient_check import numeric_gradient
from nn_tui.engine.transformer import CharTransformer, PositionalEmbedding, TransformerBlock


def _params(layers):
    return [(f"{i}:{type(layer).__name__}.{key}", layer, key) for i, layer in enumerate(layers) for key in layer.params]


def test_block_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    block = TransformerBlock(8, 2, seed=1)
    x = rng.standard_normal((2, 5, 8))
    R = rng.standard_normal((2, 5, 8))

    def loss():
        return float(np.vdot(block.forward(x), R))

    block.forward(x)
    dx = block.backward(R)
    for name, layer, key in _params(block.layers):
        np.testing.assert_allclose(layer.grads[key], numeric_gradient(loss, layer.params[key]),
                                   rtol=1e-5, atol=1e-8, err_msg=name)
    np.testing.assert_allclose(dx, numeric_gradient(loss, x), rtol=1e-5, atol=1e-8, err_msg="dx")


def test_char_transformer_gradients_match_central_differences():
    rng = np.random.default_rng(1)
    model = CharTransformer(5, d=4, heads=2, blocks=2, context=6, seed=3)
    ids = rng.integers(0, 5, (2, 6))
    weights = rng.uniform(0.5, 2.0, (2, 5))

    def loss():
        model.forward(ids[:, :-1])
        return model.loss_and_backward(ids[:, 1:], weights)

    loss()
    analytic = model.flat_grads.copy()
    numeric = numeric_gradient(loss, model.flat_params)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    # the positions past the window got no gradient, and the rest did
    P = model.positions.grads["P"]
    assert not P[5:].any() and P[:5].any()


def test_a_position_never_sees_its_future():
    model = CharTransformer(9, d=8, heads=2, blocks=2, context=10, seed=0)
    ids = np.array([[1, 2, 3, 4, 5, 6, 7, 8]])
    changed = ids.copy()
    changed[0, 5:] = 0
    np.testing.assert_allclose(model.forward(ids)[0, :5], model.forward(changed)[0, :5], rtol=1e-12)
    assert not np.allclose(model.forward(ids)[0, 5:], model.forward(changed)[0, 5:])
    maps = model.attention()
    assert len(maps) == 2 and maps[0].shape == (1, 2, 8, 8)
    np.testing.assert_allclose(maps[1].sum(axis=-1), 1.0)
    assert not np.triu(maps[0][0, 0], k=1).any()


def test_windows_longer_than_the_context_are_refused():
    model = CharTransformer(5, d=4, heads=1, blocks=1, context=4)
    with pytest.raises(ValueError, match="1 to 4"):
        model.forward(np.zeros((1, 5), dtype=np.int64))
    with pytest.raises(ValueError, match="multiple of heads"):
        CharTransformer(5, d=6, heads=4)


def test_same_seed_same_model_and_one_flat_buffer():
    a, b = CharTransformer(11, d=8, heads=2, blocks=2, context=8, seed=5), CharTransformer(11, d=8, heads=2, blocks=2, context=8, seed=5)
    assert np.array_equal(a.flat_params, b.flat_params)
    assert not np.array_equal(a.flat_params, CharTransformer(11, d=8, heads=2, blocks=2, context=8, seed=6).flat_params)
    # every layer's params are views into the flat buffer: an update there moves the model
    before = a.forward(np.array([[1, 2, 3]])).copy()
    a.flat_params += 0.01
    assert not np.allclose(before, a.forward(np.array([[1, 2, 3]])))
    assert a.n_params == sum(p.size for layer in a.layers for p in layer.params.values())
    # weights first: the regularised slice is the matrices
    assert a.n_weights == sum(layer.params[k].size for layer in a.layers for k in getattr(layer, "regularized", ()))


def test_generate_crops_to_the_context_and_is_seeded():
    model = CharTransformer(6, d=8, heads=2, blocks=1, context=4, seed=2)
    out = model.generate([1, 2], 10, temperature=1.0, rng=7)
    assert len(out) == 10 and all(0 <= i < 6 for i in out)
    assert out == model.generate([1, 2], 10, temperature=1.0, rng=7)
    greedy = model.generate([1, 2, 3], 3, temperature=0.0, stop={int(model.generate([1, 2, 3], 1)[0])})
    assert len(greedy) == 1


def test_positional_embedding_gradient_is_the_sum_over_the_batch():
    layer = PositionalEmbedding(6, 3, seed=0)
    assert layer.forward(4).shape == (4, 3)
    dy = np.arange(24, dtype=float).reshape(2, 4, 3)
    layer.backward(dy)
    np.testing.assert_array_equal(layer.grads["P"][:4], dy.sum(axis=0))
    assert not layer.grads["P"][4:].any()
