"""The attention kind through the seam: `nn-tui train --model attention ... --json`, bad
settings, a text file, answer_attention_on_country, resuming bit for bit, the model file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.data.text import FluentStories
from nn_tui.engine import load_model
from nn_tui.engine.transformer import CharTransformer
from nn_tui.kinds import KINDS, get_kind, kind_of_model
from nn_tui.kinds.attention.metrics import answer_attention_on_country, attention_on_country
from nn_tui.kinds.attention.spec import resolve

TINY = ("--d", "8", "--heads", "2", "--blocks", "1", "--context", "64", "--batch-size", "4")


def _train(argv, capsys):
    code = main(["train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_train_json_prints_the_sequence_keys_and_where_it_looked(capsys):
    code, out, err = _train(["--dataset", "fluent", "--model", "attention", "--gap", "0", *TINY,
                             "--epochs", "1", "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["model"] == "attention" and report["cell"] == "attention" and report["dataset"] == "fluent"
    for name in ("train_loss", "test_loss", "bits_per_char", "completion_accuracy", "answer_attention_on_country",
                 "answer_attention_one_head", "answer_attention_on_country_and_stop"):
        assert isinstance(report[name], float), name
    assert 0.0 <= report["answer_attention_on_country"] <= 1.0
    assert report["steps"] == 16 and report["gap"] == 0 and report["parameters"] > 0


def test_defaults_are_the_ones_the_bench_measures():
    settings = resolve(RunConfig.of(model="attention"))
    assert (settings.d, settings.heads, settings.blocks, settings.context) == (48, 2, 1, 256)
    assert (settings.gap, settings.lr, settings.batch, settings.clip, settings.dtype) == (8, 0.01, 6, 5.0, "float32")
    assert settings.steps == 720 and settings.answer_weight == 20.0 and settings.decay == 0.4


def test_a_text_file_trains(tmp_path, capsys):
    path = tmp_path / "abc.txt"
    path.write_text("one two three four five six seven eight nine ten\n" * 20, encoding="utf-8")
    code, out, err = _train(["--data", str(path), "--model", "attention", *TINY, "--epochs", "1", "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["dataset"] == "abc.txt" and "completion_accuracy" not in report
    assert np.isfinite(report["test_loss"])


@pytest.mark.parametrize("argv, message", [
    (["--d", "48", "--heads", "5"], "--heads must divide"),
    (["--gap", "9"], "--gap"),
    (["--context", "100", "--gap", "8"], "--context 100 is shorter"),
    (["--blocks", "0"], "--blocks"),
    (["--temperature", "-1"], "--temperature"),
    (["--layers", "8"], "--layers applies to"),
    (["--dataset", "xor"], "--dataset fluent"),
])
def test_bad_settings_are_one_line_and_exit_2(argv, message, capsys):
    code, out, err = _train(["--model", "attention", *argv, "--epochs", "1", "--json"], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_attention_on_country_is_each_storys_own_row_and_country():
    stories = FluentStories(1)
    stories.test = stories.test[:40]  # two batches of the metric, the second shorter
    model = CharTransformer(stories.vocab.size, d=8, heads=2, blocks=2, context=128, seed=4)
    shares = attention_on_country(model, stories)
    assert shares.shape == (2, 2, 40)
    for row in (0, 33, 39):  # one story at a time, no padding: the same numbers
        completion = stories.test[row]
        model.forward(stories.vocab.encode(completion.prompt)[None])
        country = slice(len("I live in "), completion.prompt.index("."))
        asking = len(completion.prompt) - 1
        alone = np.array([[w[0, h, asking, country].sum() for h in range(2)] for w in model.attention()])
        np.testing.assert_allclose(shares[:, :, row], alone, rtol=1e-6)
    measured = answer_attention_on_country(model, stories)
    assert measured["answer_attention_on_country"] == pytest.approx(shares.max(axis=(0, 1)).mean())
    assert measured["answer_attention_one_head"] == pytest.approx(shares.mean(axis=2).max())
    with_stop = attention_on_country(model, stories, with_stop=True)
    completion = stories.test[5]
    model.forward(stories.vocab.encode(completion.prompt)[None])
    stop = completion.prompt.index(".")
    np.testing.assert_allclose(with_stop[:, :, 5] - shares[:, :, 5],
                               [w[0, :, len(completion.prompt) - 1, stop] for w in model.attention()], rtol=1e-6)
    assert measured["answer_attention_on_country_and_stop"] == pytest.approx(with_stop.max(axis=(0, 1)).mean())


def _run(**changes):
    kind = get_kind("attention")
    config = RunConfig.of(model="attention", gap=1, d=8, heads=2, blocks=1, context=96, batch_size=4,
                          dtype="float64", **changes)
    return kind.build(config, kind.load_data(config, 0))


def test_state_and_restore_resume_bit_for_bit():
    first = _run()
    first.train_steps(3)
    saved = first.state()
    first.train_steps(4)
    second = _run()
    second.restore(saved)
    second.train_steps(4)
    assert second.step == first.step == 7
    assert np.array_equal(first.model.flat_params, second.model.flat_params)
    assert first.trainer.last_loss == second.trainer.last_loss


def test_the_model_file_holds_the_very_weights(tmp_path):
    run = _run()
    run.train_steps(2)
    path = tmp_path / "attention.npz"
    run.save(path)
    loaded = load_model(path)
    assert isinstance(loaded, CharTransformer) and kind_of_model(loaded) is KINDS["attention"]
    assert np.array_equal(loaded.flat_params, run.model.flat_params)
    assert loaded.vocab.chars == run.dataset.vocab.chars
    with np.load(path, allow_pickle=False) as contents:
        assert "block0.attn.W_qkv" in contents.files and "positions.P" in contents.files


def test_the_screens_probes_show_where_each_head_looks():
    run = _run()
    views = KINDS["attention"].probes(run)
    view = views[0]
    length = len(view.text)
    assert view.weights.shape == (1, 2, length, length)  # every head of every block, the whole map
    assert view.top_ids.shape == (length, 5)
    assert view.asking == view.text.index("I speak fluent ") + len("I speak fluent ") - 1
    for head in range(2):
        weights = view.head_map(head)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=0.02)  # every row shares out all its attention
        assert not np.triu(weights, 1).any()  # ... over earlier characters only (the future is masked)
    assert views[1].temperature == 0.6 and views[1].text


def test_a_file_whose_context_is_too_short_for_the_stories_is_one_line(tmp_path, capsys):
    path = tmp_path / "short.npz"
    code, _, err = _train(["--model", "attention", "--gap", "0", *TINY, "--epochs", "1", "--save", str(path),
                           "--json"], capsys)
    assert code == 0, err
    for model in ("lstm", "attention"):  # gap 2 stories (~94 characters) do not fit 64
        code, _, err = _train(["--model", model, "--gap", "2", "--load", str(path), "--epochs", "1", "--json"], capsys)
        assert code == 2 and "--context 64 is shorter" in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("to", ["onnx", "torch", "json"])
def test_export_refuses_an_attention_model_in_one_line(to, tmp_path, capsys):
    from nn_tui.export.cli import main as export_main

    path = tmp_path / "attention.npz"
    code, _, err = _train(["--model", "attention", "--gap", "0", *TINY, "--epochs", "1", "--save", str(path),
                           "--json"], capsys)
    assert code == 0, err
    out = tmp_path / f"out.{to}"
    assert export_main([str(path), "--to", to, "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot export an attention model" in err, err
    assert not out.exists()
