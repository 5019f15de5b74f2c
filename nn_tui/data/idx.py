"""Read one IDX file (the format of MNIST, Fashion-MNIST, EMNIST, KMNIST), plain or gzipped.

The format: two zero bytes, a type byte (0x08 = unsigned byte, the only one these
data sets use), the number of dimensions, then each dimension as a big-endian
uint32, then the values in row-major order. The header's sizes are checked
against the limits and the file's length before any array is allocated: a
16-byte file can promise 10^9 pixels.
"""

from __future__ import annotations

import errno
import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from nn_tui.data.dataset import DataError

UNSIGNED_BYTE = 0x08
TYPE_NAMES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short", 0x0C: "int", 0x0D: "float", 0x0E: "double"}
GZIP_MAGIC = b"\x1f\x8b"
# Deflate expands at most about 1032:1; a gzipped file promising more than that many
# bytes per stored byte is truncated or lying, and is refused before the allocation.
MAX_DEFLATE_RATIO = 1032
CHUNK = 1 << 20


def open_binary(path: Path):
    """The file opened for reading, or a one-line DataError (missing, a loop, a folder)."""
    try:
        return open(path, "rb")
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DataError(f"{path}: a symbolic link loop") from None
        if error.errno == errno.ENOENT:
            raise DataError(f"{path}: no such file") from None
        raise DataError(f"{path}: cannot open: {error.strerror or error}") from None


def _read_exactly(stream, buffer: memoryview) -> int:
    """Fill ``buffer`` from ``stream``; the number of bytes read (short at end of file)."""
    done = 0
    while done < len(buffer):
        got = stream.readinto(buffer[done:done + CHUNK])
        if not got:
            break
        done += got
    return done


def read_idx(path: Path, ndim: int, max_values: int) -> np.ndarray:
    """The array of an IDX file of unsigned bytes with ``ndim`` dimensions.

    Raises DataError naming the file for a wrong magic number, another value type,
    other dimensions, more than ``max_values`` values, or a file shorter or longer
    than its header says."""
    path = Path(path)
    with open_binary(path) as raw:
        size = os.fstat(raw.fileno()).st_size
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        try:
            return _read_idx_stream(stream, path, ndim, max_values, size, compressed)
        except (OSError, EOFError, zlib.error) as error:  # a damaged gzip stream
            raise DataError(f"{path}: not a readable gzip file ({error})") from None


def _read_idx_stream(stream, path: Path, ndim: int, max_values: int, size: int, compressed: bool) -> np.ndarray:
    header = stream.read(4)
    if len(header) < 4 or header[:2] != b"\0\0":
        raise DataError(f"{path}: not an IDX file (wrong magic number {header.hex() or 'empty'})")
    kind, dims = header[2], header[3]
    if kind != UNSIGNED_BYTE:
        raise DataError(f"{path}: IDX values of type {TYPE_NAMES.get(kind, hex(kind))}; nn-tui reads unsigned bytes")
    if dims != ndim:
        raise DataError(f"{path}: an IDX file with {dims} dimension(s), expected {ndim}")
    shape_bytes = stream.read(4 * dims)
    if len(shape_bytes) < 4 * dims:
        raise DataError(f"{path}: truncated IDX header")
    shape = tuple(int(value) for value in np.frombuffer(shape_bytes, dtype=">u4"))
    count = int(np.prod(shape, dtype=object))  # Python ints: a lying header cannot overflow
    if count > max_values:
        raise DataError(f"{path}: the header promises {count:,} values ({' x '.join(map(str, shape))}); "
                        f"nn-tui reads up to {max_values:,}")
    stored = size - 4 - 4 * dims
    limit = stored * MAX_DEFLATE_RATIO if compressed else stored
    if count > limit:
        raise DataError(f"{path}: truncated: the header promises {count:,} values, the file holds "
                        f"{'far fewer' if compressed else f'{max(stored, 0):,}'}")
    values = np.empty(count, dtype=np.uint8)
    got = _read_exactly(stream, memoryview(values))
    if got < count:
        raise DataError(f"{path}: truncated: the header promises {count:,} values, the file holds {got:,}")
    if stream.read(1):
        raise DataError(f"{path}: longer than its header says ({count:,} values); not an IDX file of this shape")
    return values.reshape(shape)
