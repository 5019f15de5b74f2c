"""Small argument checks shared by the engine's constructors."""

from __future__ import annotations

import numbers

import numpy as np

SUPPORTED_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def resolve_dtype(dtype) -> np.dtype:
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in SUPPORTED_DTYPES:
        raise ValueError(f"dtype must be float64 or float32, not {dtype!r}")
    return resolved


def make_rng(rng) -> np.random.Generator:
    """A Generator from a Generator, an int seed, or None (= seed 0).

    None means seed 0 rather than fresh OS entropy: the engine promises the same
    numbers on every run unless the caller asks for something else.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"seed must be a numpy Generator, an int or None, not {type(rng).__name__}")


def seed_or_rng(seed, rng=None) -> np.random.Generator:
    """The Generator a constructor draws from. ``seed=`` (a Generator, an int,
    or None = 0) is the one convention; ``rng=`` is its old spelling in Dense
    and Conv2D, still accepted."""
    if rng is not None:
        if seed is not None:
            raise TypeError("give seed= (rng= is its old name), not both")
        return make_rng(rng)
    return make_rng(seed)


def check_choice(kind: str, name, choices) -> str:
    if not isinstance(name, str) or name not in choices:
        raise ValueError(f"unknown {kind} {name!r}; choose from {', '.join(choices)}")
    return name


def check_count(what: str, value, minimum: int = 1) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{what} must be an integer >= {minimum}, not {value!r}")
    return int(value)
