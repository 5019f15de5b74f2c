"""`nn-tui lesson`: list the lessons, verify a lesson's claims, open one in the app.

    nn-tui lesson --list           each lesson's name and one line
    nn-tui lesson NAME --verify    train its default runs headlessly; one JSON object;
                                   exit 0 when every claim holds, 1 otherwise
    nn-tui lesson NAME             open the app on it (a lesson about tables: --data FILE
                                   --target COL for your own CSV)

Bad input (unknown lesson, bad options): one line on stderr, exit status 2
(nn_tui.command_line, as for every command). The app on a lesson autosaves and logs as
the playground does.
"""

from __future__ import annotations

import json
import sys

import nn_tui.lessons  # its LESSONS read at each call: a test may put its own lessons there
from nn_tui.command_line import EXIT_USAGE, Parser, UsageError, launch_app, run_command  # noqa: F401
from nn_tui.lessons.runs import config_for, first_run
from nn_tui.user_errors import USER_ERRORS

EXIT_OK, EXIT_CLAIM_FAILED = 0, 1


def _parser():
    parser = Parser(prog="nn-tui lesson", description="The story of deep learning, one lesson per idea.")
    parser.add_argument("name", nargs="?", help="the lesson to open or verify")
    parser.add_argument("--list", action="store_true", help="list the lessons")
    parser.add_argument("--verify", action="store_true",
                        help="train the lesson's default runs headlessly and check its claims (one JSON object)")
    parser.add_argument("--data", help="a lesson about tables: your own CSV file instead of its own")
    parser.add_argument("--target", help="(with --data) the column to predict")
    parser.add_argument("--drop", default="", help="(with --data) columns to leave out, comma-separated")
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    return run_command(_lesson_command, argv)


def _lesson_command(argv: list[str]) -> int:
    return _run(_parser().parse_args(argv))


def _run(options):
    lessons = nn_tui.lessons.LESSONS
    if options.list:
        if options.name or options.verify:
            raise UsageError("--list takes no lesson name and no --verify")
        width = max(map(len, lessons))
        for lesson in lessons.values():
            print(f"{lesson.name:<{width}}  {lesson.summary}")
        return EXIT_OK
    if not options.name:
        raise UsageError("name a lesson, or --list to see them")
    lesson = lessons.get(options.name)
    if lesson is None:
        raise UsageError(f"unknown lesson {options.name!r}; lessons: {', '.join(lessons)}")
    _check_data_options(options, lesson)
    if options.verify:
        if options.data:
            raise UsageError("--verify checks the lesson's own claims, on its own data; leave out --data")
        try:
            results = lesson.verify()
        except USER_ERRORS as error:  # e.g. a data file missing from the install
            raise UsageError(f"cannot verify lesson {lesson.name}: {error}") from None
        print(json.dumps({"lesson": lesson.name, "claims": [result.as_json() for result in results]}))
        return EXIT_OK if all(result.holds for result in results) else EXIT_CLAIM_FAILED
    return _open_app(lesson, options)


def _open_app(lesson, options):
    """The app on the lesson's (first) run, autosaved and logged as the playground's;
    a lesson that takes a CSV runs on the user's with --data."""
    own = {}
    if options.data:
        own = dict(data=options.data, target=options.target,
                   drop=tuple(name.strip() for name in options.drop.split(",") if name.strip()))
    config = config_for(lesson, first_run(lesson), **own)  # a user error: one line, exit 2
    return launch_app(config, lesson=lesson.name)


def _check_data_options(options, lesson):
    if options.data is None and options.target is None and not options.drop:
        return
    if not lesson.takes_own_csv:
        takers = ", ".join(other.name for other in nn_tui.lessons.LESSONS.values() if other.takes_own_csv)
        raise UsageError(f"--data, --target and --drop belong to a lesson about tables ({takers}), not {lesson.name}")
    if not (options.data and options.target):
        raise UsageError("--data and --target go together")
