"""The one way nn-tui patches Textual's internals: checked, and never worse than Textual.

A patch names the function it replaces and a fingerprint of that function's source as
it was when the patch was written. If the source differs (Textual changed it), the
patch is not applied and Textual's own code runs. Once applied, any exception in the
replacement falls back to Textual's original for that call.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from typing import Callable


def fingerprint(function: Callable) -> str:
    """The first 16 hex digits of the SHA-256 of a function's source ("" if unreadable)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def patch(owner: type, name: str, replacement: Callable, expected: str) -> bool:
    """Replace `owner.name` with `replacement(original, *args)` if the original's
    fingerprint is `expected`. Returns whether the patch is in effect."""
    original = getattr(owner, name, None)
    if original is None or getattr(original, "_nn_tui_original", None) is not None:
        return getattr(original, "_nn_tui_original", None) is not None
    if fingerprint(original) != expected:
        return False

    @functools.wraps(original)
    def patched(*args, **kwargs):
        try:
            return replacement(original, *args, **kwargs)
        except Exception:
            return original(*args, **kwargs)

    patched._nn_tui_original = original  # type: ignore[attr-defined]
    setattr(owner, name, patched)
    return True


def unpatch(owner: type, name: str) -> None:
    original = getattr(getattr(owner, name, None), "_nn_tui_original", None)
    if original is not None:
        setattr(owner, name, original)
