"""A CSV file's bytes and text, read with a size budget, for ``nn_tui.data.csv_loader``.

A file is refused before it is read when its size already exceeds the budget,
and anything that is not a regular file (a pipe, ``/dev/zero``) is read in
chunks that stop at the budget, so no input can take unbounded memory.

Text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"),
else the bytes that are not UTF-8 are read as Windows-1252 (Excel's default),
with a note; a file that mixes both (rows pasted from two exports) keeps its
UTF-8 parts. NUL bytes outside UTF-16 mean "not a text CSV".
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from nn_tui.data.dataset import DataError

MAX_CSV_BYTES = 100 * 1024 * 1024  # about 25 million cells: what fits in memory here
CHUNK_BYTES = 1024 * 1024
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# surrogateescape turns each byte that is not UTF-8 into one of these.
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


def describe_size(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.0f} MB" if n_bytes >= 1024 * 1024 else f"{n_bytes} bytes"


def read_bytes(path: Path, max_bytes: int = MAX_CSV_BYTES, kind: str = "CSV") -> bytes:
    """The file's bytes; DataError if it is missing, unreadable, binary or over ``max_bytes``.
    ``kind`` names the file in messages (setup files are read here too, as "TOML")."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise DataError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a directory, not a {kind} file") from None
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    too_big = f"{path} is larger than {describe_size(max_bytes)}, the most nn-tui reads from a {kind} file"
    with handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise DataError(f"{path} is a directory, not a {kind} file")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise DataError(f"{path} is {describe_size(info.st_size)}; "
                            f"nn-tui reads {kind} files up to {describe_size(max_bytes)}")
        chunks: list[bytes] = []
        total = 0
        utf16 = False
        while True:
            try:
                chunk = handle.read(min(CHUNK_BYTES, max_bytes + 1 - total))
            except OSError as error:
                raise DataError(f"cannot read {path}: {error.strerror or error}") from None
            if not chunk:
                break
            if total == 0:
                utf16 = chunk.startswith(UTF16_BOMS)
            # Checked per chunk so /dev/zero or a binary stream stops at the first megabyte.
            if not utf16 and b"\x00" in chunk:
                raise DataError(f"{path} is not a text {kind} (it contains NUL bytes)")
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise DataError(too_big)
    return b"".join(chunks)


def decode_text(data: bytes, path: Path, notes: list[str]) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else UTF-8 with the other bytes as Windows-1252."""
    if data.startswith(UTF16_BOMS):
        # Excel's "Unicode text" export; its NUL bytes are part of the encoding.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(f"{path} is not a text CSV (not valid UTF-16)") from None
    try:
        return data.decode("utf-8-sig")  # nearly every file: no scan for escaped bytes needed
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="surrogateescape")
    first_bad = _ESCAPED_BYTES.search(text)
    if first_bad is None:
        return text
    has_utf8 = not _ESCAPED_BYTES.sub("", text).isascii()
    try:
        text = _ESCAPED_BYTES.sub(_as_cp1252, text)
    except UnicodeDecodeError:
        raise DataError(f"{path} is not a text CSV (not valid UTF-8 or Windows-1252)") from None
    if has_utf8:
        line = text.count("\n", 0, first_bad.start()) + 1
        notes.append(f"file mixes encodings: bytes that are not UTF-8 (first on line {line}) "
                     f"were read as Windows-1252")
    else:
        notes.append("file is not valid UTF-8; read it as Windows-1252")
    return text


def _as_cp1252(match: re.Match) -> str:
    return bytes(ord(char) - 0xDC00 for char in match.group()).decode("cp1252")
