"""The `nn-tui` command: the app by default, `nn-tui train` headless.

`nn-tui lesson`, `export` and `serve` are dispatched to their own modules. All of them
stand on nn_tui.command_line: one parser, one table of user errors (one line on stderr,
exit status 2), one way to build a run and launch the app. A diverged run exits with 3.
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

from nn_tui import autosave, interrupts  # noqa: E402  (after the BLAS threads are set)
from nn_tui.command_line import (EXIT_USAGE, UsageError, app_parser, build_run,  # noqa: E402,F401
                                 check_app_options, launch_app, parse_run, run_command, run_parser)
from nn_tui.config import ConfigError  # noqa: E402
from nn_tui.divergence import DivergenceWatch, advice, began  # noqa: E402
from nn_tui.interrupts import Interrupted  # noqa: E402
from nn_tui.quiet import quiet_floating_point  # noqa: E402
from nn_tui.save_target import check_save_target  # noqa: E402
from nn_tui.state_dir import autosave_path, free_path, state_dir  # noqa: E402
from nn_tui.training import TrainingDiverged, format_loss  # noqa: E402
from nn_tui.user_errors import USER_ERRORS, one_line  # noqa: E402

EXIT_DIVERGED = 3


def _train_parser():
    parser = run_parser("nn-tui train", "Train a network without the app and report the scores.")
    parser.add_argument("--epochs", type=int, default=argparse.SUPPRESS,
                        help="(default: 100, or the model kind's own)")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end, no progress bar")
    parser.add_argument("--force", action="store_true",
                        help="let --save replace a file that is not an nn-tui model")
    return parser


# The foundation under the names tests and tools have used.
_app_parser, _config, _build_run = app_parser, parse_run, build_run


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv else None
    if command == "lesson":
        from nn_tui.lessons.cli import main as lesson_main  # start-up time: each command loads its own
        return lesson_main(argv[1:])
    if command == "export":
        from nn_tui.export.cli import main as export_main  # start-up time: each command loads its own
        return export_main(argv[1:])
    if command == "serve":
        from nn_tui.serve import main as serve_main  # start-up time: each command loads its own
        return serve_main(argv[1:])
    if command == "train":
        return run_command(_train_with_signals, argv[1:])
    return run_command(app_command, argv)


def _train_with_signals(argv: list[str]) -> int:
    previous = interrupts.install()  # first: a signal while the data loads is caught too
    try:
        return train_command(argv)
    except Interrupted as interrupt:
        print(f"nn-tui: interrupted by {interrupt.name} before training started; nothing to save", file=sys.stderr)
        return interrupt.exit_status
    finally:
        interrupts.restore(previous)


def train_command(argv: list[str]) -> int:
    quiet_floating_point()
    ns, config = parse_run(_train_parser(), argv)
    if config.train.save:
        try:
            check_save_target(config.train.save, force=ns.force)  # before an hour of training, not after
        except ConfigError as error:
            raise UsageError(str(error)) from None
    prepared, run = build_run(config)
    config, dataset = prepared.config, prepared.dataset
    if not ns.json:
        for note in dataset.notes:
            print(f"note: {note}", file=sys.stderr)
    started = time.perf_counter()
    checkpoint = _Checkpoint(run)
    try:
        scores = _train_epochs(run, config.train.epochs, not ns.json, DivergenceWatch(), checkpoint)
        # Inside the try: a signal before (or while) the handlers go back to Python's defaults
        # saves the trained run, as one during training does.
        interrupts.uninstall()  # from here on a signal ends the command as usual
    except TrainingDiverged as error:
        what_to_do = advice(config.train, began(error, run.epoch), prepared.loaded is not None)
        print(f"nn-tui: training diverged: {error}; {what_to_do}", file=sys.stderr)
        return EXIT_DIVERGED
    except Interrupted as interrupt:
        with interrupts.held():
            return _save_interrupted(run, checkpoint, interrupt, config)
    if config.train.early_stop and run.stopped_early_at != run.epoch:  # the best weights, if it did not stop
        run.finish()
        scores = run.scores()
    seconds = time.perf_counter() - started

    save = config.train.save
    if save:
        try:
            with interrupts.held():
                run.save(save)
        except USER_ERRORS as error:
            raise UsageError(f"could not save the model: {one_line(error)}") from None

    report = {
        "task": dataset.task,
        "dataset": dataset.name,
        "model": config.kind,
        **prepared.kind.report(run),
        "epochs": run.epoch,
        "steps": run.step,
        "seconds": round(seconds, 4),
        **scores,
        **run.training_report(),
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
        self.saved = (None, run.epoch)  # (state, its epoch)
        self.take()

    def take(self) -> None:
        state = self.run.state() if self.run.resumable else None  # a copy; the previous one stays
        # One assignment: the interrupt is raised between any two statements, and a state
        # paired with the epoch before it would save one epoch and name another.
        self.saved = (state, self.run.epoch)

    def rewind(self) -> int:
        """Put the run back to the checkpoint; returns the epoch it is at."""
        state, epoch = self.saved
        if state is None:
            return self.run.epoch
        self.run.restore(state)
        return epoch


def _save_interrupted(run, checkpoint: _Checkpoint, interrupt: Interrupted, config) -> int:
    """One line: what was saved where (the model as of the last completed epoch)."""
    reached = run.epoch
    try:
        epoch = checkpoint.rewind()
        if config.train.save:
            path = config.train.save
        else:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = str(free_path(state_dir(create=True) / f"interrupted-{run.dataset.name}-{stamp}.npz"))
        run.save(path)
    except USER_ERRORS as error:
        print(f"nn-tui: interrupted by {interrupt.name} at epoch {reached}; could not save the model: "
              f"{one_line(error)}", file=sys.stderr)
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
            if run.stopped_early_at is not None:
                break
        return scores

    # Start-up time: a --json run never draws a bar.
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
                if run.stopped_early_at is not None:
                    break
        except Interrupted:
            progress.live.transient = True  # the line saying what was saved replaces the bar
            raise
    return scores


def _summary(scores: dict) -> str:
    parts = [f"{name.replace('_', ' ')} {format_loss(scores[name])}" for name in ("train_loss", "test_loss")
             if name in scores]
    if "test_accuracy" in scores:
        parts.append(f"test acc {scores['test_accuracy']:.3f}")
    return "  ".join(parts)


def _print_report(report: dict) -> None:
    from rich.console import Console  # start-up time: a --json run prints no table
    from rich.table import Table

    table = Table(title=f"{report['dataset']} · {report['task']}", show_header=False)
    for key, value in report.items():
        if key in ("notes", "dataset", "task"):
            continue
        table.add_row(key.replace("_", " "), f"{value:.4f}" if isinstance(value, float) else str(value))
    Console().print(table)


def app_command(argv: list[str]) -> int:
    quiet_floating_point()
    ns, config = parse_run(app_parser(), argv)
    resume = None
    if ns.resume:
        resume = autosave.read(autosave_path())  # a ConfigError: one line, exit 2
        config = resume.config
    check_app_options(ns, config)
    return launch_app(config, fps=ns.fps, play=ns.play, resume=resume)
