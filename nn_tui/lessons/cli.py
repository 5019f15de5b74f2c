"""`nn-tui lesson`: list the lessons, verify a lesson's claims, open one in the app.

    nn-tui lesson --list           each lesson's name and one line
    nn-tui lesson NAME --verify    train its default runs headlessly; one JSON object;
                                   exit 0 when every claim holds, 1 otherwise
    nn-tui lesson NAME             open the app on it (tabular: --data FILE --target COL
                                   for your own CSV)

Bad input (unknown lesson, bad options): one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

EXIT_OK, EXIT_CLAIM_FAILED, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise _UsageError(f"{message} (see {self.prog} --help)")


def _parser():
    parser = _Parser(prog="nn-tui lesson", description="The story of deep learning, one lesson per idea.")
    parser.add_argument("name", nargs="?", help="the lesson to open or verify")
    parser.add_argument("--list", action="store_true", help="list the lessons")
    parser.add_argument("--verify", action="store_true",
                        help="train the lesson's default runs headlessly and check its claims (one JSON object)")
    parser.add_argument("--data", help="(tabular) your own CSV file instead of the Titanic list")
    parser.add_argument("--target", help="(tabular, with --data) the column to predict")
    parser.add_argument("--drop", default="", help="(tabular, with --data) columns to leave out, comma-separated")
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(_parser().parse_args(argv))
    except _UsageError as error:
        print(f"nn-tui lesson: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _run(options):
    from nn_tui.lessons import LESSONS

    if options.list:
        if options.name or options.verify:
            raise _UsageError("--list takes no lesson name and no --verify")
        width = max(map(len, LESSONS))
        for lesson in LESSONS.values():
            print(f"{lesson.name:<{width}}  {lesson.summary}")
        return EXIT_OK
    if not options.name:
        raise _UsageError("name a lesson, or --list to see them")
    lesson = LESSONS.get(options.name)
    if lesson is None:
        raise _UsageError(f"unknown lesson {options.name!r}; lessons: {', '.join(LESSONS)}")
    _check_data_options(options, lesson)
    if options.verify:
        if options.data:
            raise _UsageError("--verify checks the lesson's own claims, on its own data; leave out --data")
        from nn_tui.data import DataError

        try:
            results = lesson.verify()
        except (DataError, OSError) as error:  # e.g. a data file missing from the install
            raise _UsageError(f"cannot verify lesson {lesson.name}: {error}") from None
        print(json.dumps({"lesson": lesson.name, "claims": [result.as_json() for result in results]}))
        return EXIT_OK if all(result.holds for result in results) else EXIT_CLAIM_FAILED
    return _open_app(lesson, options)


def _open_app(lesson, options):
    """The app on the lesson's (first) run; tabular with --data runs on the user's CSV."""
    from nn_tui.config import ConfigError
    from nn_tui.data import DataError
    from nn_tui.engine import ModelFileError
    from nn_tui.lessons.runs import config_for, first_run

    own = {}
    if options.data:
        own = dict(data=options.data, target=options.target,
                   drop=tuple(name.strip() for name in options.drop.split(",") if name.strip()))
    try:
        config = config_for(lesson, first_run(lesson), **own)
        from nn_tui.session_process import SessionProcess

        session = SessionProcess(config)
    except (ConfigError, DataError, ModelFileError, OSError) as error:
        raise _UsageError(" ".join(str(error).split())) from None
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(session, lesson=lesson.name)
    app.run()
    return app.return_code or 0


def _check_data_options(options, lesson):
    if options.data is None and options.target is None and not options.drop:
        return
    if lesson.name != "tabular":
        raise _UsageError("--data, --target and --drop belong to the tabular lesson")
    if not (options.data and options.target):
        raise _UsageError("--data and --target go together")
