"""The fluent stories at long gaps (for the attention kind), and the short gaps unchanged."""

import hashlib

import numpy as np
import pytest

from nn_tui.data.dataset import DataError
from nn_tui.data.text import FILLERS, LONG_FILLERS, MAX_GAP, PROMPT, FluentStories

# sha256 of what FluentStories made at gaps 0, 1, 2 before long gaps existed (commit
# 2486101): its test stories, 50 training windows and stories from a seeded generator,
# and its vocabulary. The rnn lesson's numbers depend on these staying the same.
BEFORE = {0: "bf9859a3c1dfc82efdc084a252d5f2443c8e6e5064bfd43e36ff70c105a500fa",
          1: "e1dd6eea8f845d1922c55270ee0d10a1a57a66006eb4b8cac024dc7d30f38dc6",
          2: "8c8e345b018d3e936cb4e88b44d8e93d08f1664d880067b61b0b764ccaa9a182"}


def fingerprint(gap):
    stories = FluentStories(gap)
    digest = hashlib.sha256()
    for completion in stories.test:
        digest.update((completion.prompt + "|" + completion.answer + "\n").encode())
    rng = np.random.default_rng(123)
    for _ in range(50):
        digest.update(stories.window(rng, 128, range(0, gap + 1)).encode())
        digest.update(stories.sample_story(rng, gap).encode())
    digest.update(repr(stories.vocab.chars).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("gap", [0, 1, 2])
def test_short_gaps_make_exactly_the_stories_they_always_made(gap):
    assert fingerprint(gap) == BEFORE[gap]


def _between(story):
    """Characters strictly between the country's last letter and the language's first."""
    country_end = story.index(".")
    return story.index(PROMPT) + len(PROMPT) - country_end - 1


def test_gap_8_puts_at_least_200_characters_between_country_and_language():
    assert MAX_GAP >= 8
    stories = FluentStories(8)
    assert len(stories.test) == 160
    assert min(_between(c.story) for c in stories.test) >= 200
    rng = np.random.default_rng(0)
    assert min(_between(stories.sample_story(rng, 8)) for _ in range(300)) >= 200
    # and by construction: the 8 shortest fillers a long gap may use
    shortest = sorted(len(FILLERS[i]) for i in LONG_FILLERS)[:8]
    assert _between(f"I live in X. {' '.join('x' * n for n in shortest)} {PROMPT}Y.") >= 200
    # the whole story still fits a 256-character context
    assert max(len(c.story) for c in stories.test) < 256


def test_long_gap_test_stories_are_held_out_balanced_and_fixed():
    a, b = FluentStories(8), FluentStories(8)
    assert a.test == b.test
    assert len({c.story for c in a.test}) == 160
    countries = [c.prompt[len("I live in "):c.prompt.index(".")] for c in a.test]
    assert len(set(countries)) == 16 and all(countries.count(x) == 10 for x in set(countries))
    rng = np.random.default_rng(5)
    held_out = {c.story for c in a.test}
    assert not any(a.sample_story(rng, 8) in held_out for _ in range(500))


def test_gaps_past_the_limit_are_refused():
    with pytest.raises(DataError, match=f"0 to {MAX_GAP}"):
        FluentStories(MAX_GAP + 1)
