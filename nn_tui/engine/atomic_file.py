"""Replacing a file so that a reader sees the old one or the new one, never half of one.

The model files, the autosave and the export files all write this way: to a temporary
file beside the target, flushed to disk, then renamed over it (``os.replace`` is atomic
within a directory). A failure or an interrupt removes the temporary file."""

from __future__ import annotations

import os
import tempfile
from typing import IO, Callable


def replace_atomically(path, write: Callable[[IO[bytes]], None], prefix: str = ".nn-tui-",
                       mode: int | None = 0o644) -> None:
    """Call ``write(file)`` on a temporary binary file beside ``path``, then rename it
    to ``path``. ``mode`` None keeps mkstemp's 0600 (a file private to its user)."""
    path = os.fspath(path)
    try:
        fd, temp_path = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=os.path.dirname(os.path.abspath(path)))
    except OSError as error:
        raise _about(error, path) from None
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temp_path, mode)
        os.replace(temp_path, path)
    except BaseException as error:
        try:
            os.unlink(temp_path)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise _about(error, path) from None
        raise


def _about(error: OSError, path: str) -> OSError:
    """The error as about `path`, the file the caller named: the temporary file's name
    (".nn-tui-export-wrn_rgrm.tmp") means nothing to a user. Same errno, same subclass."""
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror, path)
