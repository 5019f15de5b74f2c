"""Build and train a model kind's run headlessly, as ``nn-tui train`` does.

The lessons on the newer kinds (cnn, autoencoder) check their claims on the
kind's own Run (``nn_tui.run_setup.prepare`` + ``kind.build``): the same data,
model and training step the app shows, so what a claim measures is what the
screen will show for the same settings and seed.
"""

from __future__ import annotations

from functools import lru_cache

from nn_tui.config import RunConfig
from nn_tui.run_setup import prepare


def build_run(**settings):
    """A fresh run from flat settings (``model="cnn", conv=(8, 16), ...``)."""
    prepared = prepare(RunConfig.of(**settings))
    return prepared.kind.build(prepared.config, prepared.dataset)


def trained_scores(settings: tuple, epochs: int) -> dict:
    """The run's scores after ``epochs`` epochs (settings as a tuple of pairs, so it can be cached)."""
    return dict(_trained(settings, epochs)[1])


def trained_run(settings: tuple, epochs: int):
    return _trained(settings, epochs)[0]


@lru_cache(maxsize=8)  # several claims read the same default run
def _trained(settings: tuple, epochs: int):
    run = build_run(**dict(settings))
    for _ in range(epochs):
        run.run_epoch()
    return run, run.scores()


def pairs(settings: dict) -> tuple:
    return tuple(sorted(settings.items()))
