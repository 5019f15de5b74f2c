"""What an autoencoder shows: clean, noisy and rebuilt test digits, and with a
2-unit bottleneck the codes of the test digits by class.

The codes cost a pass over the whole test split: they are made once per epoch and
reused by the publishes in between (ten a second while training)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View

SHOWN = 8  # test digits per row


@dataclass(frozen=True, eq=False)
class ReconstructionView(View):
    """clean, noisy, rebuilt: (SHOWN, n) rows of pixels; sigma: the noise on the inputs."""

    clean: np.ndarray
    noisy: np.ndarray
    rebuilt: np.ndarray
    image_shape: tuple | None
    sigma: float = 0.0
    mark: str = "none"  # inpainting: the mark drawn over the inputs (the "noisy" row shows it)
    samples: tuple[int, ...] = ()  # the test images shown (their numbers in the test split)
    drawn: tuple[int, ...] = ()  # a mark drawn by hand: its pixels, on test image drawn_on (one shown)
    drawn_on: int = 0
    # A mark being drawn (the draw mode's preview, before Enter): (pixels, test image, PSNR
    # under it of the marked input, of the rebuilt image), both against the clean image.
    draft: tuple | None = None


@dataclass(frozen=True, eq=False)
class CodesView(View):
    """A 2-unit bottleneck's codes (N_test, 2) of the clean test digits, and their labels."""

    codes: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...] | None = None


def shown_samples(run) -> np.ndarray:
    """Evenly spread test images; the one a mark was drawn on by hand is always among them
    (in place of the nearest)."""
    shown = np.linspace(0, len(run.clean_test) - 1, min(SHOWN, len(run.clean_test))).astype(int)
    if run.drawn and run.drawn_on not in shown:
        shown[np.argmin(np.abs(shown - run.drawn_on))] = run.drawn_on
        shown.sort()
    return shown


def codes_view(run) -> CodesView:
    key = (id(run.model), run.epoch)
    cached = getattr(run, "_probe_codes", None)
    if cached is None or cached[0] != key:
        dataset = run.dataset
        with np.errstate(all="ignore"):
            codes = np.asarray(np.nan_to_num(run.codes(run.clean_test)), dtype=np.float32)
        labels = dataset.labels(dataset.y_test) if dataset.is_classification else np.zeros(len(codes), int)
        names = tuple(dataset.class_names) if dataset.class_names else None
        cached = run._probe_codes = (key, CodesView(codes=codes, labels=labels, class_names=names))
    return cached[1]


def draft_of(run) -> tuple | None:
    """The draw mode's preview, scored with the model as it is now (one image's forward pass)."""
    scores = run.draft_scores()
    if scores is None:
        return None
    return (run.draft.pixels, run.draft.drawn_on, *scores)


def probes(run) -> tuple:
    shown = shown_samples(run)
    with np.errstate(all="ignore"):
        rebuilt = np.nan_to_num(run.model.forward(run.noisy_test[shown]))
    f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731 - drawn only
    view = ReconstructionView(clean=f32(run.clean_test[shown]), noisy=f32(run.noisy_test[shown]),
                              rebuilt=f32(rebuilt), image_shape=run.dataset.image_shape,
                              sigma=float(run.config.model.corrupt), mark=run.mark,
                              samples=tuple(int(i) for i in shown), drawn=tuple(run.drawn), drawn_on=run.drawn_on,
                              draft=draft_of(run))
    if run.config.model.layers[-1] == 2:
        return (view, codes_view(run))
    return (view,)
