"""``nn-tui export MODEL.npz --to onnx|torch|json [-o PATH]``: its parser and run.

Every user error is one line on stderr and exit status 2, as for the rest of nn-tui
(nn_tui.command_line).
"""

from __future__ import annotations

import os

from nn_tui.command_line import EXIT_USAGE, Parser, UsageError, run_command  # noqa: F401
from nn_tui.export import FORMATS, default_path, export, source_from_file
from nn_tui.export.earlier import FORMAT_NAMES, export_targets, is_earlier_export
from nn_tui.save_target import check_save_target


def parser() -> Parser:
    result = Parser(prog="nn-tui export",
                    description="Write an nn-tui model (.npz) as ONNX, PyTorch (state_dict + nn.Module) or JSON.")
    result.add_argument("model", metavar="MODEL.npz", help="a model saved by nn-tui (train --save, or the app)")
    result.add_argument("--to", required=True, choices=tuple(FORMATS), help="the format to write")
    result.add_argument("-o", "--output", metavar="PATH",
                        help="where to write (default: MODEL with .onnx, .pt (+ .py) or .json)")
    result.add_argument("--force", action="store_true",
                        help="replace an existing file that is not an earlier export of this format")
    return result


def main(argv: list[str]) -> int:
    return run_command(_export, argv)


def _export(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    path = args.output or default_path(args.model, args.to)
    if os.path.exists(args.model) and os.path.exists(path) and os.path.samefile(args.model, path):
        raise UsageError(f"{path} is the model itself; pick another output with -o")
    _check_targets(args.to, path, args.force, typed=args.output is not None)
    source = source_from_file(args.model)
    try:
        print(export(source, args.to, path))
    except OSError as error:
        raise UsageError(f"could not write {error.filename or ''}: {error.strerror or error}") from None
    return 0


def _check_targets(to: str, path: str, force: bool, typed: bool) -> None:
    """Before reading the model: every file the export writes can be written, and
    replaces nothing but an earlier export of the same format (or --force)."""
    for target in export_targets(to, path):
        check_save_target(target, force=force, option="-o " if typed else "",
                          replaceable=lambda existing: is_earlier_export(existing, to),
                          kind=f"an nn-tui {FORMAT_NAMES[to]} export", example="model" + FORMATS[to][0],
                          hint=(", or add --force to replace it" if typed
                                else " with -o, or add --force to replace it"))
