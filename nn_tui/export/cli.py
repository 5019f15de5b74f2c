"""``nn-tui export MODEL.npz --to onnx|torch|json [-o PATH]``: its parser and run.

Every user error is one line on stderr and exit status 2, as for the rest of nn-tui.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_USAGE = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise _UsageError(f"{message} (see {self.prog} --help)")


def parser() -> argparse.ArgumentParser:
    from nn_tui.export import FORMATS

    result = _Parser(prog="nn-tui export",
                     description="Write an nn-tui model (.npz) as ONNX, PyTorch (state_dict + nn.Module) or JSON.")
    result.add_argument("model", metavar="MODEL.npz", help="a model saved by nn-tui (train --save, or the app)")
    result.add_argument("--to", required=True, choices=tuple(FORMATS), help="the format to write")
    result.add_argument("-o", "--output", metavar="PATH",
                        help="where to write (default: MODEL with .onnx, .pt (+ .py) or .json)")
    return result


def main(argv: list[str]) -> int:
    from nn_tui.engine import ModelFileError
    from nn_tui.export import ExportError, default_path, export, source_from_file

    try:
        args = parser().parse_args(argv)
        path = args.output or default_path(args.model, args.to)
        if os.path.exists(args.model) and os.path.exists(path) and os.path.samefile(args.model, path):
            raise _UsageError(f"{path} is the model itself; pick another output with -o")
        source = source_from_file(args.model)
        print(export(source, args.to, path))
    except (_UsageError, ExportError, ModelFileError) as error:
        print(f"nn-tui: error: {' '.join(str(error).split())}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        where = error.filename or ""
        print(f"nn-tui: error: could not write {where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    return 0
