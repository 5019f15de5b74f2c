"""Lesson 13: GANs: a generator (forger) against a discriminator (detective) on 2-D points.

The kind's defaults (bench/gan_quality.py) are tuned for 10,000 epochs; the
claims here use 2,000 so --verify takes seconds (about 10 s). Measured
(bench/lesson_kinds.py, seeds 0-4): two-gaussians JS 0.70-0.90 at the start,
0.34-0.49 after 2,000 epochs; on the ring the defaults cover 5-8 of 8 modes
after 2,000 epochs where the badly set GAN below covers 0-1.
"""

from __future__ import annotations

from functools import lru_cache

from nn_tui.kinds.gan.model import Gan
from nn_tui.kinds.gan.spec import GanSpec
from nn_tui.kinds.gan.train import Evaluator, train
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, at_most, epochs_trained, equals

EPOCHS = 2_000
# Everything the kind's defaults fix, undone: 1-D noise, learning rates 50-100× higher, Adam's usual β1, no averaged G.
BADLY_SET = {"noise_dim": 1, "g_lr": 1e-2, "d_lr": 1e-2, "beta1": 0.9, "g_average": 0.0}
JS_FALL = 0.2  # the divergence falls by at least this much
GAN_PACE = 100  # epochs (one D and one G update) a second on screen: step 4's 3,000 in half a minute


@lru_cache(maxsize=8)
def _trace(distribution: str, changes: tuple, seed: int, epochs: int) -> tuple[dict, dict]:
    """The kind's measure (Evaluator: the same real points and noise every call) before and after training."""
    gan = Gan(GanSpec().replace(**dict(changes)), distribution, seed=seed)
    evaluate = Evaluator(gan)
    before = evaluate(gan)
    train(gan, epochs)
    return before, evaluate(gan)


def divergence_falls(seed: int = 0, epochs: int = EPOCHS, changes: dict | None = None, fall: float = JS_FALL):
    before, after = _trace("two-gaussians", tuple(sorted((changes or {}).items())), seed, epochs)
    value = {"js_start": before["js_divergence"], "js_end": after["js_divergence"]}
    return ClaimResult(f"on two-gaussians the JS divergence between real and generated points falls by at least "
                       f"{fall:g} in {epochs:,} epochs (0 = the same distribution, 1 = no overlap)", value,
                       value["js_end"] <= value["js_start"] - fall)


def badly_set_collapses(seed: int = 0, epochs: int = EPOCHS, bad: dict = BADLY_SET):
    _, good = _trace("ring", (), seed, epochs)
    _, poor = _trace("ring", tuple(sorted(bad.items())), seed, epochs)
    value = {"modes_default": good["modes_covered"], "modes_badly_set": poor["modes_covered"], "modes": 8}
    return ClaimResult(f"on the ring of 8 modes, a badly set GAN (1-D noise, learning rates 1e-2, Adam β1 0.9, no "
                       f"averaged generator) covers fewer modes than the defaults (mode collapse) after {epochs:,} epochs",
                       value, value["modes_badly_set"] < value["modes_default"])


LESSON = Lesson(
    name="gan",
    title="Generative adversarial networks: a forger and a detective",
    summary="A generator against a discriminator on 2-D data; the divergence falling, mode collapse.",
    steps=(
        Step("Generative adversarial networks (Goodfellow et al., 2014): two networks play a game. "
             "The generator turns random noise into points; the discriminator is "
             "shown real points and generated ones and says how real each looks. The generator learns only "
             "from the discriminator's verdicts. Press Space to start.", epochs_trained(100), keys=("space",)),
        Step("The shading is the discriminator's map: where it believes points are real. The generator's "
             "samples drift towards the bright regions, and the map moves after them. Train on.",
             epochs_trained(500), keys=("space",)),
        Step("The JS divergence compares the real and generated points on a grid: 1 means no overlap, 0 the "
             "same spread. Train until it is under 0.5.",
             equals("run", "two_gaussians") & at_most("js_divergence", 0.5), keys=("space",)),
        Step("Press 3: the ring of 8 modes, with a badly set GAN (1-D noise, learning rates 1e-2, no "
             "averaging). Train it. Its generator finds one place the discriminator likes and sends nearly "
             "everything there: mode collapse. The status line counts the modes covered; the plane's title "
             "names the collapse when it happens.",
             equals("run", "ring_badly_set") & epochs_trained(3_000), keys=("3", "space")),
        Step("Press 2 for the default GAN on the same ring, and train until it covers at least 6 of the 8 modes.",
             equals("run", "ring") & at_least("modes_covered", 6), keys=("2", "space")),
        Step("What made the difference: 8 noise inputs instead of 1, learning rates 50-100 times smaller, Adam's "
             "β1 at 0.5 instead of 0.9, and a generator averaged over its recent steps. Press 1 for a fresh run on "
             "the two gaussians (Space trains it); k hides or shows the generator's manifold (the ┼ grid, on at "
             "first), g its push on each point.",
             READ_ONLY, keys=("1", "k", "g", "enter")),
    ),
    claims=(divergence_falls, badly_set_collapses),
    # A GAN's epoch is one D and G update: its steps count hundreds and thousands of them.
    setup={"runs": {
        "two_gaussians": {"model": "gan", "dataset": "two-gaussians", "seed": 0, "pace": GAN_PACE, "key": "1", "label": "two gaussians"},
        "ring": {"model": "gan", "dataset": "ring", "seed": 0, "pace": GAN_PACE, "key": "2", "label": "the ring, defaults"},
        "ring_badly_set": {"model": "gan", "dataset": "ring", "seed": 0, **BADLY_SET, "pace": GAN_PACE,
                           "key": "3", "label": "the ring, badly set"},
    }, "start": "two_gaussians"},
    panes=("output", "loss"),  # the gan kind's LAYOUT ids: D's map with the points, the D/G loss and JS curves
    keys={"space": "play_pause", "s": "step_epoch", "r": "reset_weights", "k": "toggle_manifold", "g": "toggle_push",
          "enter": "next_step"},
)
