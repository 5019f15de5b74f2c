"""Embedding, the per-step softmax head, clipping by global norm, sampling."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.engine import Embedding, SoftmaxHead, clip_grad_norm, sample_index

from tests.engine.gradient_check import numeric_gradient


def test_embedding_looks_up_rows_and_sums_gradients_of_repeated_ids():
    emb = Embedding(5, 3, seed=0)
    ids = np.array([[1, 4, 1], [0, 1, 2]])
    out = emb.forward(ids)
    assert out.shape == (2, 3, 3)
    assert np.array_equal(out[0, 2], emb.params["E"][1])
    dy = np.arange(18, dtype=float).reshape(2, 3, 3)
    assert emb.backward(dy) is None
    assert np.array_equal(emb.grads["E"][1], dy[0, 0] + dy[0, 2] + dy[1, 1])
    assert np.array_equal(emb.grads["E"][3], np.zeros(3))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_embedding_gradient_sums_every_position_of_a_big_batch(dtype):
    """The gradient is summed by sorting the ids (np.add.at was slow): the same sums as
    np.add.at's up to rounding, every id hit or not, and no ids gives zeros."""
    rng = np.random.default_rng(3)
    emb = Embedding(40, 16, seed=0, dtype=dtype)
    ids = rng.integers(0, 39, size=(8, 256))  # id 39 never occurs
    emb.forward(ids)
    dy = rng.standard_normal((8, 256, 16)).astype(dtype)
    emb.backward(dy)
    expected = np.zeros((40, 16))
    np.add.at(expected, ids.ravel(), dy.reshape(-1, 16).astype(np.float64))
    np.testing.assert_allclose(emb.grads["E"], expected, rtol=1e-5, atol=1e-4)
    assert emb.grads["E"].dtype == dtype and np.all(emb.grads["E"][39] == 0.0)
    emb.forward(np.zeros((2, 0), dtype=np.int64))
    emb.backward(np.zeros((2, 0, 16), dtype=dtype))
    assert np.all(emb.grads["E"] == 0.0)


def test_embedding_refuses_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match="0..4"):
        Embedding(5, 2).forward(np.array([[5]]))
    with pytest.raises(ValueError, match="integer"):
        Embedding(5, 2).forward(np.zeros((1, 2)))


@pytest.mark.parametrize("weighted", [False, True])
def test_softmax_head_fused_gradient_matches_central_differences(weighted):
    rng = np.random.default_rng(0)
    head = SoftmaxHead(4, 6, seed=1)
    h = rng.normal(size=(2, 3, 4))
    targets = rng.integers(0, 6, size=(2, 3))
    weights = rng.uniform(0.5, 3.0, size=(2, 3)) if weighted else None

    def loss():
        head.forward(h)
        return head.loss_and_backward(targets, weights)[0]

    loss()
    _, dh = head.loss_and_backward(targets, weights)
    analytic = {key: grad.copy() for key, grad in head.grads.items()}
    for key in head.params:
        assert np.allclose(analytic[key], numeric_gradient(loss, head.params[key]), atol=1e-8), key
    assert np.allclose(dh, numeric_gradient(loss, h), atol=1e-8)


def test_softmax_head_loss_is_the_mean_cross_entropy():
    head = SoftmaxHead(2, 3, seed=0)
    h = np.random.default_rng(1).normal(size=(1, 4, 2))
    probs = head.forward(h)
    assert np.allclose(probs.sum(axis=2), 1.0)
    targets = np.array([[0, 2, 1, 1]])
    expected = -np.mean(np.log(probs[0, np.arange(4), targets[0]]))
    assert head.loss_and_backward(targets)[0] == pytest.approx(expected, rel=1e-12)
    # weight 0 on a position removes it from the mean
    w = np.array([[1.0, 0.0, 1.0, 1.0]])
    kept = -np.mean(np.log(probs[0, [0, 2, 3], targets[0, [0, 2, 3]]]))
    assert head.loss_and_backward(targets, w)[0] == pytest.approx(kept, rel=1e-12)


def test_clip_grad_norm_scales_to_the_global_norm():
    a, b = np.array([3.0, 0.0]), np.array([[0.0, 4.0]])
    assert clip_grad_norm([a, b], 1.0) == pytest.approx(5.0)
    assert np.allclose(a, [0.6, 0.0]) and np.allclose(b, [[0.0, 0.8]])
    c = np.array([0.3, 0.4])
    assert clip_grad_norm([c], 1.0) == pytest.approx(0.5)
    assert np.array_equal(c, [0.3, 0.4])  # under the limit: untouched


def test_greedy_sampling_is_the_arg_max():
    probs = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])
    assert sample_index(probs, temperature=0).tolist() == [1, 0]


def test_sampling_is_seeded_and_follows_the_distribution():
    p = np.array([0.1, 0.6, 0.3])
    draws = sample_index(np.tile(p, (20000, 1)), temperature=1.0, rng=5)
    assert np.array_equal(draws, sample_index(np.tile(p, (20000, 1)), temperature=1.0, rng=5))
    share = np.bincount(draws, minlength=3) / len(draws)
    assert np.allclose(share, p, atol=0.02)


def test_low_temperature_sharpens_and_high_flattens():
    p = np.tile([0.2, 0.5, 0.3], (5000, 1))
    cold = np.bincount(sample_index(p, temperature=0.2, rng=0), minlength=3) / 5000
    hot = np.bincount(sample_index(p, temperature=5.0, rng=0), minlength=3) / 5000
    assert cold[1] > 0.9
    assert np.abs(hot - 1 / 3).max() < 0.06
    with pytest.raises(ValueError):
        sample_index(p, temperature=-1)
