"""The `nn-tui` command: the app by default, `nn-tui train` headless.

One parser per command, the run options shared (nn_tui.config). Every user
error is one line on stderr with exit status 2; a diverged run exits with 3.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

# Before NumPy loads: the small matrices nn-tui trains on run fastest on one BLAS thread
# (three CNN epochs on the digits: 11.6 s with the default threads on this 2-core machine
# under load, 1.3 s with one), and the app's training process then leaves the UI a core.
# A setting of the user's own wins; the training process inherits these.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from nn_tui.interrupts import Interrupted

EXIT_USAGE = 2
EXIT_DIVERGED = 3


class UsageError(Exception):
    """Bad options or input: one line for the user, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage dump) and exits with 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


def _train_parser() -> argparse.ArgumentParser:
    from nn_tui.config import add_run_options

    parser = _Parser(prog="nn-tui train", description="Train a network without the app and report the scores.")
    add_run_options(parser)
    parser.add_argument("--epochs", type=int, default=argparse.SUPPRESS,
                        help="(default: 100, or the model kind's own)")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end, no progress bar")
    parser.add_argument("--force", action="store_true",
                        help="let --save replace a file that is not an nn-tui model")
    return parser


def _app_parser() -> argparse.ArgumentParser:
    from nn_tui.config import add_run_options

    parser = _Parser(
        prog="nn-tui",
        description="Watch a neural network learn, live. `nn-tui train --help` for headless training.",
    )
    add_run_options(parser)
    parser.add_argument("--play", action="store_true", help="start training at once")
    parser.add_argument("--fps", type=float, default=10.0, help="cap on screen updates per second (default: 10)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run the app autosaved (in $XDG_STATE_HOME/nn-tui, else "
                             "~/.local/state/nn-tui); its settings replace the options given")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "lesson":
        from nn_tui.lessons.cli import main as lesson_main; return lesson_main(argv[1:])
    if argv and argv[0] == "export":
        from nn_tui.export.cli import main as export_main; return export_main(argv[1:])
    if argv and argv[0] == "serve":
        from nn_tui.serve import main as serve_main; return serve_main(argv[1:])
    try:
        if argv and argv[0] == "train":
            from nn_tui import interrupts

            previous = interrupts.install()  # first: a signal while the data loads is caught too
            try:
                return train_command(argv[1:])
            finally:
                interrupts.restore(previous)
        return app_command(argv)
    except UsageError as error:
        print(f"nn-tui: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as interrupt:
        print(f"nn-tui: interrupted by {interrupt.name} before training started; nothing to save", file=sys.stderr)
        return interrupt.exit_status
    except KeyboardInterrupt:
        return 130


def _user_errors():
    """The exceptions that mean 'the input was wrong', not 'nn-tui has a bug'."""
    from nn_tui.config import ConfigError
    from nn_tui.data import DataError
    from nn_tui.engine import ModelFileError

    return (ConfigError, DataError, ModelFileError, OSError)


def _build_run(config):
    """The kind, data and run for a config, or UsageError."""
    from nn_tui.run_setup import prepare

    try:
        prepared = prepare(config)
        run = prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)
    except _user_errors() as error:
        raise UsageError(_one_line(error)) from None
    return prepared, run


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.filename:
        text = f"{error.filename}: {error.strerror or text}"
    return " ".join(text.split())


def _config(parser: argparse.ArgumentParser, argv: list[str]):
    from nn_tui.config import ConfigError, config_from_args
    from nn_tui.setup_file import apply_config_file

    try:
        ns = parser.parse_args(apply_config_file(parser, argv))
        return ns, config_from_args(ns)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def train_command(argv: list[str]) -> int:
    from nn_tui import interrupts
    from nn_tui.config import ConfigError
    from nn_tui.divergence import DivergenceWatch, advice, began
    from nn_tui.quiet import quiet_floating_point
    from nn_tui.save_target import check_save_target
    from nn_tui.training import TrainingDiverged

    quiet_floating_point()
    ns, config = _config(_train_parser(), argv)
    if config.train.save:
        try:
            check_save_target(config.train.save, force=ns.force)  # before an hour of training, not after
        except ConfigError as error:
            raise UsageError(str(error)) from None
    prepared, run = _build_run(config)
    config, dataset = prepared.config, prepared.dataset
    if not ns.json:
        for note in dataset.notes:
            print(f"note: {note}", file=sys.stderr)
    started = time.perf_counter()
    checkpoint = _Checkpoint(run)
    try:
        scores = _train_epochs(run, config.train.epochs, not ns.json, DivergenceWatch(), checkpoint)
    except TrainingDiverged as error:
        what_to_do = advice(config.train, began(error, run.epoch), prepared.loaded is not None)
        print(f"nn-tui: training diverged: {error}; {what_to_do}", file=sys.stderr)
        return EXIT_DIVERGED
    except Interrupted as interrupt:
        with interrupts.held():
            return _save_interrupted(run, checkpoint, interrupt, config)
    interrupts.uninstall()  # from here on a signal ends the command as usual
    seconds = time.perf_counter() - started

    save = config.train.save
    if save:
        try:
            with interrupts.held():
                run.save(save)
        except _user_errors() as error:
            raise UsageError(f"could not save the model: {_one_line(error)}") from None

    report = {
        "task": dataset.task,
        "dataset": dataset.name,
        "model": config.kind,
        **prepared.kind.report(run),
        "epochs": run.epoch,
        "steps": run.step,
        "seconds": round(seconds, 4),
        **scores,
        "seed": config.train.seed,
        "notes": list(dataset.notes),
    }
    if save:
        report["saved"] = save
    if ns.json:
        print(json.dumps(report))
    else:
        _print_report(report)
    return 0


class _Checkpoint:
    """The run as of its last completed epoch: what an interrupt saves. A kind that
    keeps no state (Run.resumable false) is saved as it is when the signal came."""

    def __init__(self, run) -> None:
        self.run = run
        self.state = None
        self.epoch = run.epoch
        self.take()

    def take(self) -> None:
        if self.run.resumable:
            self.state = self.run.state()  # a copy; the previous one stays until this returns
        self.epoch = self.run.epoch

    def rewind(self) -> int:
        """Put the run back to the checkpoint; returns the epoch it is at."""
        if self.state is None:
            return self.run.epoch
        self.run.restore(self.state)
        return self.epoch


def _save_interrupted(run, checkpoint: _Checkpoint, interrupt: Interrupted, config) -> int:
    """One line: what was saved where (the model as of the last completed epoch)."""
    from nn_tui.state_dir import free_path, state_dir

    reached = run.epoch
    try:
        epoch = checkpoint.rewind()
        if config.train.save:
            path = config.train.save
        else:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = str(free_path(state_dir(create=True) / f"interrupted-{run.dataset.name}-{stamp}.npz"))
        run.save(path)
    except _user_errors() as error:
        print(f"nn-tui: interrupted by {interrupt.name} at epoch {reached}; could not save the model: "
              f"{_one_line(error)}", file=sys.stderr)
        return interrupt.exit_status
    print(f"nn-tui: interrupted by {interrupt.name}; saved the model as of epoch {epoch} "
          f"(the last completed) to {path}", file=sys.stderr)
    return interrupt.exit_status


def _train_epochs(run, epochs: int, show_progress: bool, watch, checkpoint: _Checkpoint) -> dict:
    """Train `epochs` epochs, scoring after each (as the app does for its curves); the
    watch raises TrainingDiverged, the checkpoint follows the last completed epoch."""
    scores = run.scores()
    inputs = run.health_inputs()
    watch.observe(run.epoch, scores, run.model, inputs)

    def one_epoch() -> dict:
        run.run_epoch()
        scores = run.scores()
        watch.observe(run.epoch, scores, run.model, inputs)
        checkpoint.take()
        return scores

    if not show_progress:
        for _ in range(epochs):
            scores = one_epoch()
        return scores

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("epoch"), MofNCompleteColumn(), BarColumn(),
        TextColumn("{task.fields[summary]}"), TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        bar = progress.add_task("train", total=epochs, summary="")
        try:
            for _ in range(epochs):
                scores = one_epoch()
                progress.update(bar, advance=1, summary=_summary(scores))
        except Interrupted:
            progress.live.transient = True  # the line saying what was saved replaces the bar
            raise
    return scores


def _summary(scores: dict) -> str:
    from nn_tui.training import format_loss

    parts = [f"{name.replace('_', ' ')} {format_loss(scores[name])}" for name in ("train_loss", "test_loss")
             if name in scores]
    if "test_accuracy" in scores:
        parts.append(f"test acc {scores['test_accuracy']:.3f}")
    return "  ".join(parts)


def _print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{report['dataset']} · {report['task']}", show_header=False)
    for key, value in report.items():
        if key in ("notes", "dataset", "task"):
            continue
        table.add_row(key.replace("_", " "), f"{value:.4f}" if isinstance(value, float) else str(value))
    Console().print(table)


def app_command(argv: list[str]) -> int:
    from nn_tui import autosave
    from nn_tui.config import ConfigError
    from nn_tui.kinds import get_kind
    from nn_tui.quiet import quiet_floating_point
    from nn_tui.state_dir import LOG_NAME, autosave_path, state_dir

    quiet_floating_point()
    ns, config = _config(_app_parser(), argv)
    path = autosave_path()
    resume = None
    if ns.resume:
        try:
            resume = autosave.read(path)
        except ConfigError as error:
            raise UsageError(_one_line(error)) from None
        config = resume.config
    try:
        get_kind(config.kind).fits_view(config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if not ns.fps > 0:
        raise UsageError(f"--fps must be a positive number, got {ns.fps}")
    from nn_tui.session_process import SessionProcess

    _say_loading(config)
    try:
        session = SessionProcess(config, fps=ns.fps, resume=resume, autosave_path=path,
                                 log_path=state_dir() / LOG_NAME)
    except _user_errors() as error:
        raise UsageError(_one_line(error)) from None
    if resume is None:
        _notice_of_autosave(session, path)

    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(session, play=ns.play, fps=ns.fps)
    app.run()
    return app.return_code or 0


def _say_loading(config) -> None:
    """A line while a data file loads (a 50 MB CSV takes seconds), not a blank terminal."""
    from pathlib import Path

    if config.data.data is None:
        return
    try:
        size = Path(config.data.data).stat().st_size
    except OSError:
        return  # loading says what is wrong
    print(f"nn-tui: reading {config.data.data} ({size / 1e6:.1f} MB)...", file=sys.stderr, flush=True)


def _notice_of_autosave(session, path) -> None:
    """The start notice: an earlier run was autosaved, and how to bring it back."""
    from nn_tui import autosave
    from nn_tui.session import Notice

    if not path.exists():
        return
    try:
        info = autosave.read_info(path)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info["saved_at"]))
        what = f"{info['config']['data']['data'] or info['config']['data']['dataset']} " \
               f"at epoch {autosave.epoch_of(info)}, {when}"
    except (autosave.AutosaveError, KeyError, TypeError, ValueError, OverflowError):
        what = "unreadable"
    session.notices.put(Notice(f"An autosaved run exists ({what}): quit and start nn-tui --resume to bring "
                               "it back. It is replaced once this run trains.", "information"))
