"""Fluent stories and plain text files."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.data import DataError, FluentStories, load_text
from nn_tui.data.text import FILLERS, FLUENT_PAIRS, PROMPT, SEPARATOR, fluent_story


def _between_country_and_language(story):
    country, language = next((c, l) for c, l in FLUENT_PAIRS if f"in {c}." in story)
    return story.rindex(language) - (story.index(f"in {country}.") + len("in ") + len(country))


def test_at_least_ten_pairs_and_languages_start_with_distinct_letters():
    assert len(FLUENT_PAIRS) >= 10
    assert len({language[0] for _, language in FLUENT_PAIRS}) == len(FLUENT_PAIRS)


def test_fillers_are_neutral():
    for filler in FILLERS:
        for country, language in FLUENT_PAIRS:
            assert country not in filler and language not in filler
        assert "fluent" not in filler and "live" not in filler


def test_gap_two_puts_at_least_fifty_characters_between_country_and_language():
    stories = FluentStories(2)
    rng = np.random.default_rng(0)
    samples = [c.story for c in stories.test] + [stories.sample_story(rng, 2) for _ in range(300)]
    assert min(map(_between_country_and_language, samples)) >= 50


def test_story_text():
    assert fluent_story("France", "French", ["It rained all night."]) == \
        "I live in France. It rained all night. I speak fluent French."


@pytest.mark.parametrize("gap", [1, 2])
def test_held_out_stories_are_never_trained_on(gap):
    stories = FluentStories(gap)
    held_out = {c.story for c in stories.test}
    assert len(held_out) == len(stories.test) > 0
    rng = np.random.default_rng(1)
    trained = {stories.sample_story(rng, gap) for _ in range(3000)}
    assert not trained & held_out
    assert all(c.prompt.endswith(PROMPT) and c.story.endswith(c.answer + ".") for c in stories.test)


def test_held_out_stories_cover_every_country_alike():
    stories = FluentStories(2)
    counts = {}
    for completion in stories.test:
        counts[completion.answer] = counts.get(completion.answer, 0) + 1
    assert len(counts) == len(FLUENT_PAIRS) and len(set(counts.values())) == 1


def test_gap_zero_tests_every_country_once():
    assert sorted(c.answer for c in FluentStories(0).test) == sorted(l for _, l in FLUENT_PAIRS)


def test_bad_gap_is_a_data_error():
    with pytest.raises(DataError, match="--gap"):
        FluentStories(9)


def test_window_holds_whole_stories_and_the_mask_marks_the_answers():
    stories = FluentStories(2)
    text = stories.window(np.random.default_rng(0), 300, gaps=[0, 2])
    assert len(text) == 301 and text.startswith("I live in ")
    assert text.count(SEPARATOR) >= 2
    mask = stories.answer_mask(text)
    marked = "".join(ch if m else "|" for ch, m in zip(text, mask))
    words = [w for w in marked.split("|") if w]
    assert words and all(w.rstrip(".") in {l for _, l in FLUENT_PAIRS} or text.endswith(w) for w in words)
    assert all(w.endswith(".") for w in words[:-1])
    stories.vocab.encode(text)  # every character is in the vocabulary


def test_vocab_round_trip():
    vocab = FluentStories(1).vocab
    text = FluentStories(1).test[0].story
    assert vocab.decode(vocab.encode(text)) == text
    with pytest.raises(DataError, match="not in the vocabulary"):
        vocab.encode("é")


def test_text_file_is_split_ninety_ten(tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text("the quick brown fox jumps over the lazy dog\n" * 20, encoding="utf-8")
    corpus = load_text(path)
    assert corpus.name == "poem.txt"
    assert len(corpus.train_ids) + len(corpus.test_ids) == 880
    assert len(corpus.test_ids) == 88
    assert corpus.vocab.decode(corpus.train_ids[:9]) == "the quick"


def test_too_large_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("a" * 5000)
    with pytest.raises(DataError, match="MB"):
        load_text(path, max_bytes=1000)


def test_dev_zero_is_refused_without_reading_it_all():
    with pytest.raises(DataError, match="larger than"):
        load_text("/dev/zero", max_bytes=4096)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(("hello world " * 30).encode() + b"caf\xe9")
    with pytest.raises(DataError, match=r"not UTF-8 text \(byte 0xe9 at offset 363\)"):
        load_text(path)


def test_too_short_missing_and_directory(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("tiny")
    with pytest.raises(DataError, match="4 characters"):
        load_text(short)
    with pytest.raises(DataError, match="cannot read"):
        load_text(tmp_path / "missing.txt")
    with pytest.raises(DataError, match="directory"):
        load_text(tmp_path)


def test_error_messages_are_one_line(tmp_path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00" * 300)
    with pytest.raises(DataError) as caught:
        load_text(path)
    assert "\n" not in str(caught.value)
