"""A lesson's runs as flat settings for ``RunConfig.of`` (and the session's use_run).

``lesson.setup`` is options of ``nn-tui train``, or under "runs" several named
ones with "start" the first shown. Entries that only the lesson screen reads (a
run's switch "key" and "label", the starting "weights", its "pace" in epochs a
second, and what the lesson names in ``screen_only``) are kept out of the run's
settings; ``screen_extras`` returns them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from nn_tui.config import RunConfig, check

SCREEN_ONLY = ("key", "label", "weights", "pace")  # every lesson's; a lesson adds its own in screen_only
TUPLES = ("layers", "drop", "features")  # lists in the lesson data, tuples in a RunConfig


def run_names(lesson) -> tuple[str, ...]:
    """The named runs a lesson's keys switch between; () for a single run."""
    return tuple(lesson.setup.get("runs", {}))


def first_run(lesson) -> str | None:
    names = run_names(lesson)
    return lesson.setup.get("start", names[0]) if names else None


def run_keys(lesson) -> dict[str, tuple[str, str]]:
    """Run name -> (its switch key, its label), for the runs that have a key."""
    keys = {}
    for name in run_names(lesson):
        entries = lesson.setup["runs"][name]
        if "key" in entries:
            keys[name] = (entries["key"], entries.get("label", name.replace("_", " ")))
    return keys


def _screen_only(lesson) -> tuple[str, ...]:
    return SCREEN_ONLY + tuple(lesson.screen_only)


def _entries(lesson, run: str | None) -> Mapping[str, Any]:
    setup = lesson.setup
    if "runs" in setup:
        return setup["runs"][run or first_run(lesson)]
    return setup


def run_settings(lesson, run: str | None = None, data: str | None = None, target: str | None = None,
                 drop: tuple[str, ...] = (), **changes) -> dict[str, Any]:
    """The run's settings; ``data``/``target``/``drop`` put the user's own CSV in
    place of the lesson's table; ``changes`` override anything else."""
    entries = _entries(lesson, run)
    settings = {name: value for name, value in entries.items() if name not in _screen_only(lesson)}
    for name in TUPLES:
        if name in settings:
            settings[name] = tuple(settings[name])
    if data is not None:
        settings.update(data=data, target=target, drop=tuple(drop))
    settings.update(changes)
    return settings


def screen_extras(lesson, run: str | None = None) -> dict[str, Any]:
    return {name: value for name, value in _entries(lesson, run).items() if name in _screen_only(lesson)}


def config_for(lesson, run: str | None = None, **options):
    """A checked RunConfig for the lesson's run (ConfigError on bad settings)."""
    config = RunConfig.of(**run_settings(lesson, run, **options))
    check(config)
    return config


def start_commands(lesson, run: str | None = None) -> list[tuple[str, tuple]]:
    """Session commands that give a fresh run the lesson's starting weights
    ("weights": "module.function" in nn_tui.lessons, making a Network of the
    run's shape): hand edits of every weight and bias, as a user could make."""
    name = screen_extras(lesson, run).get("weights")
    if not name:
        return []
    module, _, function = name.rpartition(".")
    net = getattr(importlib.import_module(f"nn_tui.lessons.{module}"), function)()
    commands = []
    for layer, dense in enumerate(net.layers):
        weights, biases = dense.params["W"], dense.params["b"]
        for row in range(weights.shape[0]):
            for column in range(weights.shape[1]):
                commands.append(("set_weight", (layer, row, column, float(weights[row, column]))))
        for column in range(biases.shape[0]):
            commands.append(("set_bias", (layer, column, float(biases[column]))))
    return commands
