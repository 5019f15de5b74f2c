"""Writing export files: to a temporary name first, then renamed over the
target, so a failed export never leaves half a file behind."""

from __future__ import annotations

from nn_tui.engine.atomic_file import replace_atomically


def write_bytes(path, data: bytes) -> None:
    replace_atomically(path, lambda file: file.write(data), prefix=".nn-tui-export-")


def write_text(path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
