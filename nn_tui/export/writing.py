"""Writing export files: to a temporary name first, then renamed over the
target, so a failed export never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile


def write_bytes(path, data: bytes) -> None:
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp_path = tempfile.mkstemp(prefix=".nn-tui-export-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temp_path, 0o644)  # mkstemp makes it 0600
        os.replace(temp_path, path)
    except BaseException:
        try:
            os.unlink(temp_path)
        except FileNotFoundError:
            pass
        raise


def write_text(path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
