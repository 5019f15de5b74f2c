"""Character data: the article's "I live in France. I speak fluent ___" stories,
and any plain UTF-8 text file.

Fluent stories: "I live in <country>. <K filler sentences> I speak fluent <language>."
The fillers are neutral (no country, no language) and each is at least 20
characters long, so at gap 2 the language comes at least 59 characters after
the country. Every language starts with its own letter, so the answer is
decided by remembering the country, not by spelling.

Held-out stories: a story is a country and an ordered choice of K fillers.
One in five of these combinations (chosen by a fixed hash, the same on every
run) belongs to the test set and is never trained on, at any gap. At gap 0 a
story is its country alone, so there is nothing to hold out: the 16 test stories
are the 16 training stories (the mapping country -> language is what is taught).

Long gaps (5..MAX_GAP, for attention): the stories draw their fillers from the ones
of at least 22 characters, so at gap 8 at least 200 characters lie between the
country and the language; and the test stories are drawn (seeded) instead of
enumerated (20·19·…·13 orderings of fillers are too many to list). Gaps 0..4 are
made exactly as before.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from dataclasses import dataclass

import numpy as np

from nn_tui.data.dataset import DataError

FLUENT_PAIRS = (
    ("France", "French"), ("Germany", "German"), ("Italy", "Italian"), ("Spain", "Spanish"),
    ("Japan", "Japanese"), ("Russia", "Russian"), ("Turkey", "Turkish"), ("Poland", "Polish"),
    ("Hungary", "Hungarian"), ("Egypt", "Arabic"), ("China", "Chinese"), ("Korea", "Korean"),
    ("Holland", "Dutch"), ("Norway", "Norwegian"), ("Vietnam", "Vietnamese"), ("England", "English"),
)

FILLERS = (
    "The sky was grey today.", "My cat sleeps all day.", "We walked to the park.",
    "The bus was late again.", "Tea is on the table.", "It rained all night.",
    "The shop opens at nine.", "The bread smells good.", "A bird sat on the roof.",
    "The train was very full.", "My shoes are too small.", "We had soup for lunch.",
    "The lamp is on the desk.", "Our dog likes the snow.", "The door is painted red.",
    "She reads in the garden.", "He fixed the old bike.", "The milk is in the box.",
    "We sang a song at noon.", "The clock is slow again.",
)

PROMPT = "I speak fluent "
SEPARATOR = "\n"
MAX_GAP = 8
ENUMERATED_GAP = 4  # up to this gap the held-out stories are listed; above it, drawn
LONG_FILLER = 22    # gaps above ENUMERATED_GAP use only fillers at least this long
LONG_FILLERS = tuple(i for i, sentence in enumerate(FILLERS) if len(sentence) >= LONG_FILLER)
TEST_SHARE = 5  # one in five (country, fillers) combinations is held out

# Plain text files: read at most this much (a novel is ~1 MB); larger is refused
# before it is read, and a stream without a size (/dev/zero) is cut off here.
MAX_TEXT_BYTES = 8 * 1024 * 1024
MIN_TEXT_CHARS = 200
MAX_VOCAB = 256


class CharVocab:
    """Characters <-> ids, in sorted order so the same text gives the same ids."""

    def __init__(self, chars):
        self.chars = tuple(sorted(set(chars)))
        self._index = {ch: i for i, ch in enumerate(self.chars)}

    @property
    def size(self):
        return len(self.chars)

    def encode(self, text):
        try:
            return np.array([self._index[ch] for ch in text], dtype=np.int64)
        except KeyError as missing:
            raise DataError(f"character {missing.args[0]!r} is not in the vocabulary") from None

    def decode(self, ids):
        return "".join(self.chars[int(i)] for i in ids)

    def __contains__(self, ch):
        return ch in self._index


@dataclass(frozen=True)
class Completion:
    """A held-out story cut before its answer: the model continues ``prompt``."""

    prompt: str
    answer: str

    @property
    def story(self):
        return f"{self.prompt}{self.answer}."


def fluent_story(country, language, fillers=()):
    middle = "".join(f" {sentence}" for sentence in fillers)
    return f"I live in {country}.{middle} {PROMPT}{language}."


def _is_test(country_index, filler_indices):
    key = f"{country_index}:{','.join(map(str, filler_indices))}".encode()
    return hashlib.sha256(key).digest()[0] % TEST_SHARE == 0


def _draw_fillers(rng, gap):
    """``gap`` distinct filler indices in a random order; above ENUMERATED_GAP from the
    long fillers only (the draw for gaps 0..4 is the one stories always had)."""
    if gap <= ENUMERATED_GAP:
        return tuple(int(i) for i in rng.permutation(len(FILLERS))[:gap])
    return tuple(LONG_FILLERS[int(i)] for i in rng.permutation(len(LONG_FILLERS))[:gap])


class FluentStories:
    """``FluentStories(gap)``: training stories drawn at any gap 0..``MAX_GAP``
    outside the test combinations, and the held-out test stories at ``gap``."""

    name = "fluent"

    def __init__(self, gap=2, n_test=160, seed=0):
        if not isinstance(gap, int) or isinstance(gap, bool) or not 0 <= gap <= MAX_GAP:
            raise DataError(f"--gap must be an integer from 0 to {MAX_GAP}, not {gap!r}")
        self.gap = gap
        text = "".join(c + l for c, l in FLUENT_PAIRS) + "".join(FILLERS) + fluent_story("", "") + SEPARATOR
        self.vocab = CharVocab(text)
        self.test = self._test_completions(n_test, seed)

    def _test_completions(self, n_test, seed):
        if self.gap > ENUMERATED_GAP:
            return self._completions(self._drawn_test_combos(n_test, seed))
        combos = [(c, f) for c in range(len(FLUENT_PAIRS))
                  for f in itertools.permutations(range(len(FILLERS)), self.gap)]
        held_out = [combo for combo in combos if self.gap == 0 or _is_test(*combo)]
        rng = np.random.default_rng(seed)
        if len(held_out) > n_test:
            # Balanced over countries, so chance is one in len(FLUENT_PAIRS).
            by_country = [[combo for combo in held_out if combo[0] == c] for c in range(len(FLUENT_PAIRS))]
            per = max(1, n_test // len(FLUENT_PAIRS))
            held_out = [group[i] for group in by_country
                        for i in sorted(rng.choice(len(group), size=min(per, len(group)), replace=False))]
        return self._completions(held_out)

    def _drawn_test_combos(self, n_test, seed):
        """Held-out (country, fillers) combinations at a long gap, ``n_test // 16`` per
        country, drawn with a generator of their own: the same on every run."""
        rng = np.random.default_rng(seed)
        per = max(1, n_test // len(FLUENT_PAIRS))
        combos = []
        for country_index in range(len(FLUENT_PAIRS)):
            found = []
            while len(found) < per:
                fillers = _draw_fillers(rng, self.gap)
                if _is_test(country_index, fillers) and fillers not in found:
                    found.append(fillers)
            combos.extend((country_index, fillers) for fillers in found)
        return combos

    @staticmethod
    def _completions(held_out):
        out = []
        for country_index, filler_indices in held_out:
            country, language = FLUENT_PAIRS[country_index]
            story = fluent_story(country, language, [FILLERS[i] for i in filler_indices])
            cut = len(story) - len(language) - 1
            out.append(Completion(story[:cut], language))
        return tuple(out)

    def sample_story(self, rng, gap):
        """A training story at ``gap``: never one of the held-out combinations."""
        while True:
            country_index = int(rng.integers(len(FLUENT_PAIRS)))
            fillers = _draw_fillers(rng, gap)
            if gap == 0 or not _is_test(country_index, fillers):
                country, language = FLUENT_PAIRS[country_index]
                return fluent_story(country, language, [FILLERS[i] for i in fillers])

    def window(self, rng, length, gaps):
        """One training window of exactly ``length + 1`` characters: whole stories
        one after another (each separated by a newline), the last one cut off.
        ``gaps`` is a sequence of gaps to draw each story's gap from."""
        parts, size = [], 0
        while size < length + 1:
            story = self.sample_story(rng, int(gaps[int(rng.integers(len(gaps)))]))
            parts.append(story + SEPARATOR)
            size += len(story) + 1
        return "".join(parts)[:length + 1]

    def answer_mask(self, text):
        """1 where the character is part of a language word after the prompt
        (including its full stop), 0 elsewhere: the positions a weighted loss stresses."""
        mask = np.zeros(len(text), dtype=bool)
        start = 0
        while True:
            at = text.find(PROMPT, start)
            if at < 0:
                return mask
            begin = at + len(PROMPT)
            end = text.find(".", begin)
            end = len(text) if end < 0 else end + 1
            mask[begin:end] = True
            start = end


@dataclass(frozen=True)
class TextCorpus:
    """A plain text file as character ids: the first 90 % to train on, the rest to test."""

    name: str
    vocab: CharVocab
    train_ids: np.ndarray
    test_ids: np.ndarray


def load_text(path, max_bytes=MAX_TEXT_BYTES):
    """A UTF-8 text file as a ``TextCorpus``. Raises ``DataError`` (one line) for
    a missing, too large, undecodable or too short file."""
    name = os.path.basename(str(path))
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise DataError(f"{name} is {size / 1e6:.1f} MB; text files up to {max_bytes / 1e6:.0f} MB are supported")
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)  # devices report size 0: read no further than the limit
    except DataError:
        raise
    except IsADirectoryError:
        raise DataError(f"{name} is a directory, not a text file") from None
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    if len(raw) > max_bytes:
        raise DataError(f"{name} is larger than {max_bytes / 1e6:.0f} MB; text files up to that size are supported")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(f"{name} is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start})") from None
    text = text.replace("\r\n", "\n")
    if "\x00" in text:
        raise DataError(f"{name} contains NUL characters; it looks like a binary file, not text")
    if len(text) < MIN_TEXT_CHARS:
        raise DataError(f"{name} has {len(text)} characters; a character model needs at least {MIN_TEXT_CHARS}")
    vocab = CharVocab(text)
    if vocab.size > MAX_VOCAB:
        raise DataError(f"{name} uses {vocab.size} distinct characters; at most {MAX_VOCAB} are supported")
    ids = vocab.encode(text)
    cut = int(len(ids) * 0.9)
    return TextCorpus(name, vocab, ids[:cut], ids[cut:])
