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
    result.add_argument("--force", action="store_true",
                        help="replace an existing file that is not an earlier export of this format")
    return result


def main(argv: list[str]) -> int:
    from nn_tui.config import ConfigError
    from nn_tui.engine import ModelFileError
    from nn_tui.export import ExportError, default_path, export, source_from_file

    try:
        args = parser().parse_args(argv)
        path = args.output or default_path(args.model, args.to)
        if os.path.exists(args.model) and os.path.exists(path) and os.path.samefile(args.model, path):
            raise _UsageError(f"{path} is the model itself; pick another output with -o")
        _check_targets(args.to, path, args.force, typed=args.output is not None)
        source = source_from_file(args.model)
        print(export(source, args.to, path))
    except (_UsageError, ExportError, ModelFileError, ConfigError) as error:
        print(f"nn-tui: error: {' '.join(str(error).split())}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        where = error.filename or ""
        print(f"nn-tui: error: could not write {where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _check_targets(to: str, path: str, force: bool, typed: bool) -> None:
    """Before reading the model: every file the export writes can be written, and
    replaces nothing but an earlier export of the same format (or --force)."""
    from nn_tui.export import FORMATS
    from nn_tui.export.earlier import FORMAT_NAMES, export_targets, is_earlier_export
    from nn_tui.save_target import check_save_target

    for target in export_targets(to, path):
        check_save_target(target, force=force, option="-o " if typed else "",
                          replaceable=lambda existing: is_earlier_export(existing, to),
                          kind=f"an nn-tui {FORMAT_NAMES[to]} export", example="model" + FORMATS[to][0],
                          hint=(", or add --force to replace it" if typed
                                else " with -o, or add --force to replace it"))
