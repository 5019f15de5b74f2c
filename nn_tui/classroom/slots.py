"""Each tab's own autosave slot: `<state dir>/serve/<tab id>.npz`.

A tab id is random and made by the server; one from a browser (its URL or cookie) is used
only if it looks like one, so it can never name a path. The terminal app's autosave
(`autosave.npz`) and the tabs' slots never meet.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from nn_tui.state_dir import SERVE_SLOT_ENV as SLOT_ENV  # the tab's app autosaves there
from nn_tui.state_dir import state_dir

TAB_ID = re.compile(r"[A-Za-z0-9_-]{16}")
BROWSER_COOKIE = "nn_tui_tabs"  # this browser's recent tab ids, newest first
REMEMBERED_TABS = 6


def new_tab_id() -> str:
    return secrets.token_urlsafe(12)


def valid_tab_id(text: str | None) -> bool:
    return text is not None and TAB_ID.fullmatch(text) is not None


def slot_dir() -> Path:
    return state_dir() / "serve"


def slot_path(tab_id: str) -> Path:
    if not valid_tab_id(tab_id):
        raise ValueError(f"not a tab id: {tab_id!r}")
    return slot_dir() / f"{tab_id}.npz"


def browser_tabs(cookie: str | None) -> list[str]:
    return [tab for tab in (cookie or "").split(".") if valid_tab_id(tab)][:REMEMBERED_TABS]


def remember_tab(cookie: str | None, tab_id: str) -> str:
    """The cookie's new value: `tab_id` first, then the others it held."""
    return ".".join([tab_id, *(tab for tab in browser_tabs(cookie) if tab != tab_id)][:REMEMBERED_TABS])
