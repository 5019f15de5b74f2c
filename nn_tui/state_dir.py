"""Where nn-tui keeps what it saves on its own: the app's autosave, models saved by an
interrupted `nn-tui train` without --save, the training process's log. Per user:
`$XDG_STATE_HOME/nn-tui`, else `~/.local/state/nn-tui` (the XDG base directory spec)."""

from __future__ import annotations

import os
from pathlib import Path

AUTOSAVE_NAME = "autosave.npz"
LOG_NAME = "training.log"


def state_dir(create: bool = False) -> Path:
    base = os.environ.get("XDG_STATE_HOME", "")
    # The spec says a relative path is invalid and must be ignored.
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "state"
    path = root / "nn-tui"
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


SERVE_SLOT_ENV = "NN_TUI_SERVE_SLOT"  # set by `nn-tui serve`: the tab's own slot (nn_tui/classroom/slots.py)
SERVE_CLASS_ENV = "NN_TUI_SERVE_CLASS"  # set by `nn-tui serve`: the file saying how many tabs run (nn_tui/ui/class_pace.py)


def autosave_path() -> Path:
    """The app's autosave; a tab of `nn-tui serve` has its own, never this one."""
    slot = os.environ.get(SERVE_SLOT_ENV)
    return Path(slot) if slot else state_dir() / AUTOSAVE_NAME


def served_tab() -> bool:
    """The app runs in a tab of `nn-tui serve` (which sets the tab's slot)."""
    return bool(os.environ.get(SERVE_SLOT_ENV))


def free_path(path: Path) -> Path:
    """`path`, or the first `name-2.npz`, `name-3.npz`, ... that does not exist yet: a
    name nn-tui picks never overwrites an earlier save."""
    if not path.exists():
        return path
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path
