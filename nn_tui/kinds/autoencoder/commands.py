"""What a user can ask of an autoencoder: more or less noise on its inputs, another
kind of random mark, a mark drawn by hand on one test image.

The noise level changes the run's training data and test inputs, not its weights:
the network goes on learning from where it is.
"""

from __future__ import annotations

import math
from dataclasses import replace

from nn_tui.settings import ConfigError
from nn_tui.kinds.autoencoder.marks import MARKS
from nn_tui.kinds.autoencoder.spec import check_drawn, check_drawn_fits
from nn_tui.ladders import step_on

NOISE_LEVELS = tuple(round(0.05 * i, 2) for i in range(21))  # σ 0 .. 1


def set_corrupt(session, sigma: float) -> None:
    sigma = float(sigma)
    if not (math.isfinite(sigma) and 0 <= sigma <= 1):
        raise ConfigError(f"the noise must be a standard deviation from 0 to 1, got {sigma}")
    session.config = session.config.with_changes(corrupt=sigma)
    run = session.training_run
    run.config = session.config
    run.set_corrupt(sigma)  # the session scores it again: the status line shows the new PSNRs at once


def nudge_corrupt(session, direction: int) -> None:
    set_corrupt(session, step_on(NOISE_LEVELS, session.config.model.corrupt, direction))


def set_mark(session, mark: str) -> None:
    """Inpainting: draw this mark (box, line, scribble) over the inputs, or none."""
    if mark not in MARKS:
        raise ConfigError(f"the mark must be one of {', '.join(MARKS)}, got {mark!r}")
    session.config = session.config.with_changes(mark=mark)
    run = session.training_run
    run.config = session.config
    run.set_mark(mark)  # scored again by the session: the marked PSNRs show at once


def cycle_mark(session) -> None:
    set_mark(session, MARKS[(MARKS.index(session.config.model.mark) + 1) % len(MARKS)])


def set_drawn_mark(session, drawn_on: int, pixels) -> None:
    """A mark drawn by hand (the draw mode's Enter): these pixels (row × width + column)
    inked on test image `drawn_on`, which is then shown and scored with it; no pixels:
    no hand-drawn mark. A setting like the others: autosaved, shared, saved with the setup."""
    try:
        drawn = tuple(sorted({int(p) for p in pixels}))
        drawn_on = int(drawn_on) if drawn else 0
    except (TypeError, ValueError):
        raise ConfigError("a mark drawn by hand is pixel numbers on a test image (numbers)") from None
    check_drawn(drawn, drawn_on)
    spec = replace(session.config.model, drawn=drawn, drawn_on=drawn_on)
    check_drawn_fits(spec, session.dataset.image_shape, len(session.dataset.X_test))
    session.config = session.config.with_changes(drawn=spec.drawn, drawn_on=spec.drawn_on)
    run = session.training_run
    run.config = session.config
    run.set_drawn(spec.drawn, spec.drawn_on)  # scored again by the session: its PSNRs show at once
    session.keep_in_autosave()  # the user's drawing: kept by the autosave even if nothing trains after


def preview_drawn_mark(session, drawn_on: int, pixels) -> None:
    """While a mark is being drawn (the draw mode, before Enter): score these pixels on
    test image `drawn_on`, so the draw mode shows their PSNR as it changes; no pixels: no
    preview. Not a setting: the run's test inputs and scores stay as they are."""
    try:
        drawn = tuple(sorted({int(p) for p in pixels}))
        drawn_on = int(drawn_on)
    except (TypeError, ValueError):
        raise ConfigError("a mark drawn by hand is pixel numbers on a test image (numbers)") from None
    check_drawn(drawn, drawn_on)
    if drawn:
        check_drawn_fits(replace(session.config.model, drawn=drawn, drawn_on=drawn_on),
                         session.dataset.image_shape, len(session.dataset.X_test))
    session.training_run.preview_drawn(drawn, drawn_on)


COMMANDS = {"set_corrupt": set_corrupt, "nudge_corrupt": nudge_corrupt, "set_mark": set_mark,
            "cycle_mark": cycle_mark, "set_drawn_mark": set_drawn_mark, "preview_drawn_mark": preview_drawn_mark}
# A preview scores one image in the probes: the whole test split is not scored again per key.
KEEPS_SCORES = frozenset({"preview_drawn_mark"})
