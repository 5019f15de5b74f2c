"""Checks on where a model is to be saved, made before any training starts: an hour of
training must not end in "directory not found", and `--save notes.csv` must not replace
the user's CSV with a zip."""

from __future__ import annotations

import os
from pathlib import Path

from nn_tui.engine import ModelFileError
from nn_tui.engine.model_file import read_model_file
from nn_tui.settings import ConfigError


def is_model_file(path: Path) -> bool:
    """Does `path` hold an nn-tui model (the only kind of file --save replaces unasked)?"""
    try:
        read_model_file(path)
    except ModelFileError:
        return False
    return True


def check_save_target(path: str, force: bool = False, option: str = "--save ", replaceable=is_model_file,
                      kind: str = "an nn-tui model", example: str = "model.npz", hint: str | None = None) -> None:
    """Refuse (ConfigError, one line) a save path that cannot or should not be written.
    `option` starts the message ("--save " on the command line, "" in the app, which
    has no --force to offer). An existing file is replaced only when `replaceable(path)`
    (for --save, an nn-tui model; for export, an earlier export: nn_tui/export/earlier.py);
    `kind` names what it is not, `example` a file name to offer for a directory and
    `hint` ends the refusal (default: offer --force when there is an option)."""
    target = Path(path)
    where = f"{option}{path}"
    if target.is_dir():
        raise ConfigError(f"{where}: is a directory; give a file name such as {target / example}")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ConfigError(f"{where}: the directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise ConfigError(f"{where}: cannot write in {directory}")
    if target.exists() and not target.is_file():  # renaming over /dev/null would replace the device
        raise ConfigError(f"{where}: not a regular file (a device or a pipe); give a file name")
    if target.exists() and not force and not replaceable(target):
        if hint is None:
            hint = ", or add --force to replace it" if option else ""
        raise ConfigError(f"{where}: the file exists and is not {kind}; pick another name{hint}")
