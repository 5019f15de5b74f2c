"""The character model and its headless training on fluent stories and text files."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nn_tui.data import FluentStories, load_text
from nn_tui.engine import make_optimizer
from nn_tui.kinds.sequence.metrics import completed_stories, fluent_metrics
from nn_tui.kinds.sequence.model import CharModel
from nn_tui.kinds.sequence.train import FluentWindows, SequenceSettings, train

SHORT = SequenceSettings(cell="lstm", gap=0, batch=8, window=64, steps=250, lr=0.01, dtype="float64")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_whole_model_gradient_matches_central_differences(cell):
    rng = np.random.default_rng(0)
    model = CharModel(7, cell=cell, hidden=4, embed=3, seed=1)
    model.flat_params[:] = rng.normal(scale=0.5, size=model.flat_params.size)
    ids = rng.integers(0, 7, size=(2, 6))
    weights = rng.uniform(0.5, 2.0, size=(2, 5))

    def loss():
        model.forward(ids[:, :-1])
        return model.loss_and_backward(ids[:, 1:], weights)

    loss()
    analytic = model.flat_grads.copy()
    numeric = np.zeros_like(analytic)
    for i in range(model.flat_params.size):
        keep = model.flat_params[i]
        model.flat_params[i] = keep + 1e-6
        up = loss()
        model.flat_params[i] = keep - 1e-6
        down = loss()
        model.flat_params[i] = keep
        numeric[i] = (up - down) / 2e-6
    assert np.allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_layers_live_in_the_flat_buffers_so_the_optimizer_moves_them():
    model = CharModel(5, cell="gru", hidden=3, embed=2)
    for layer in model.layers:
        for key, array in layer.params.items():
            assert np.shares_memory(array, model.flat_params), (layer, key)
            assert np.shares_memory(layer.grads[key], model.flat_grads), (layer, key)
    # the weights L1/L2 touch come first: cell W and U, head W (not the embedding)
    assert model.n_weights == 2 * 9 + 3 * 9 + 3 * 5
    before = model.cell.params["U"].copy()
    model.forward(np.array([[0, 1, 2, 3]]))
    model.loss_and_backward(np.array([[1, 2, 3, 4]]))
    make_optimizer("adam", lr=0.1).step(model)
    assert not np.array_equal(model.cell.params["U"], before)


@pytest.fixture(scope="module")
def short_run():
    return train(SHORT)


def test_teacher_forced_completion_equals_greedy_generation(short_run):
    result = short_run
    model, stories = result["model"], FluentStories(0)
    completed = completed_stories(model, stories)
    assert 0 < completed.sum()  # some right, so the comparison means something
    vocab = stories.vocab
    stop = vocab.encode(".")
    for completion, done in zip(stories.test, completed):
        out = vocab.decode(model.generate(vocab.encode(completion.prompt), 20, stop=stop))
        assert (out == completion.answer + ".") == done, (completion.prompt, out)


def test_short_training_learns_and_reports_the_metrics(short_run):
    result = short_run
    for name in ("test_loss", "bits_per_char", "completion_accuracy", "seconds", "cpu_seconds"):
        assert name in result
    assert result["bits_per_char"] == pytest.approx(result["test_loss"] / np.log(2))
    untrained = fluent_metrics(CharModel(FluentStories(0).vocab.size, seed=0), FluentStories(0))
    assert result["test_loss"] < 0.5 * untrained["test_loss"]


def test_same_seed_same_numbers_bit_for_bit():
    settings = dataclasses.replace(SHORT, steps=15, cell="gru", dtype="float32")
    a, b = train(settings), train(settings)
    assert np.array_equal(a["model"].flat_params, b["model"].flat_params)
    assert a["test_loss"] == b["test_loss"]
    c = train(dataclasses.replace(settings, seed=1))
    assert not np.array_equal(a["model"].flat_params, c["model"].flat_params)


def test_curriculum_grows_the_gap_then_keeps_every_gap():
    windows = FluentWindows(FluentStories(2), SequenceSettings(gap=2, steps=100, ramp=0.5))
    assert list(windows.gaps_at(0)) == [0]
    assert list(windows.gaps_at(25)) == [0, 1]
    assert list(windows.gaps_at(50)) == [0, 1, 2]
    assert list(windows.gaps_at(99)) == [0, 1, 2]
    assert list(FluentWindows(FluentStories(2), SequenceSettings(gap=2, ramp=0)).gaps_at(0)) == [2]


def test_learning_rate_holds_then_decays_to_five_percent():
    from nn_tui.kinds.sequence.train import SequenceTrainer

    trainer = SequenceTrainer(SequenceSettings(steps=100, lr=0.01, decay=0.4, batch=2, window=16))
    assert trainer.lr_at(0) == trainer.lr_at(59) == 0.01
    assert trainer.lr_at(80) == pytest.approx(0.01 * (1 - 0.95 * 0.5))
    assert trainer.lr_at(100) == pytest.approx(0.0005)


def test_answer_weight_reaches_the_loss_weights():
    stories = FluentStories(1)
    settings = SequenceSettings(gap=1, batch=2, window=100, answer_weight=4.0)
    ids, weights, reset = FluentWindows(stories, settings).batch(np.random.default_rng(0), 0)
    assert ids.shape == (2, 101) and weights.shape == (2, 100) and reset
    text = stories.vocab.decode(ids[0])
    at = text.index("fluent ") + len("fluent ")
    assert weights[0, at - 1] == 4.0    # predicting the language's first letter
    assert weights[0, at - 2] == 1.0    # predicting the space before it


def test_text_file_trains_with_carried_state(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_text("abcdefgh " * 200, encoding="utf-8")
    corpus = load_text(path)
    settings = SequenceSettings(cell="rnn", batch=4, window=16, steps=150, lr=0.02, dtype="float64")
    result = train(settings, data=corpus)
    assert "completion_accuracy" not in result
    assert result["bits_per_char"] < 1.0  # a cyclic text is nearly free to predict once learned
