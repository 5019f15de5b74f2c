"""Run -> the GAN's views, every frame: so each is cheap (a coarse grid through D, a
few hundred samples through G). Their noise and real samples are drawn once per run
from a stream of their own, so showing never shifts training's random numbers and the
points do not flicker between frames: only G's and D's changes move them."""

from __future__ import annotations

import numpy as np

from nn_tui.data.features import plane_grid
from nn_tui.kinds.gan.losses import g_loss_and_grad
from nn_tui.kinds.gan.views import GanPlaneView

D_GRID = 32  # D's map: 32×32 values (a 120×40 screen shows about 70×70 half-block pixels)
SHOWN_REAL = 200
SHOWN_FAKE = 200
MANIFOLD_SIDE = 9  # lines of the noise grid in each direction
NOISE_SPAN = 2.0  # Gaussian noise: the grid spans ±2σ; uniform noise: its whole range
PROBE_SEED_SALT = 0x6A17  # the probes' own stream, apart from the four of Gan


def probes(run) -> tuple:
    gan = run.model
    cache = _cache(run)
    with np.errstate(all="ignore"):
        if gan.spec.gan_loss == "least-squares":  # D's raw score is what it learns (1 real, 0 fake)
            d_map = 2.0 * gan.D.forward(cache["grid"])[:, 0] - 1.0
        else:
            d_map = 2.0 * gan.discriminate(cache["grid"]) - 1.0
        G = gan.G_shown
        fake = G.forward(cache["noise"])
        manifold = G.forward(cache["manifold_noise"]).reshape(*cache["manifold_shape"], 2)
        push = _push(gan, fake)
    return (GanPlaneView(
        d_map=np.clip(np.nan_to_num(d_map), -1, 1).reshape(D_GRID, D_GRID),
        domain=run.dataset.domain,
        real=cache["real"],
        fake=np.nan_to_num(fake),
        fake_push=push,
        manifold=np.nan_to_num(manifold),
        noise_note=cache["note"],
    ),)


def _push(gan, fake: np.ndarray) -> np.ndarray:
    """−dL_G/dx at each shown generated point, scaled so the largest is 1."""
    z = gan.D.forward(fake)
    _, dz = g_loss_and_grad(z, gan.spec.gan_loss)
    push = -np.nan_to_num(gan.D.backward(dz))
    largest = float(np.max(np.hypot(push[:, 0], push[:, 1]), initial=0.0))
    return push / largest if largest > 0 else push


def _cache(run) -> dict:
    cache = getattr(run, "_gan_probe_cache", None)
    if cache is not None and cache["spec"] == run.model.spec:
        return cache
    gan, dataset = run.model, run.dataset
    spec = gan.spec
    rng = np.random.default_rng([gan.seed, PROBE_SEED_SALT])
    points, _, _ = plane_grid(dataset.domain, D_GRID)
    dtype = gan.D.dtype if hasattr(gan.D, "dtype") else np.float64
    cache = {
        "spec": spec,
        "grid": np.ascontiguousarray(points, dtype=dtype),
        "real": dataset.X_train[:SHOWN_REAL],
        "noise": gan.noise(SHOWN_FAKE, rng),
    }
    cache["manifold_noise"], cache["manifold_shape"], cache["note"] = manifold_noise(spec)
    run._gan_probe_cache = cache
    return cache


def manifold_noise(spec) -> tuple[np.ndarray, tuple[int, int], str]:
    """A grid of noise space: its first two dimensions over their range, the others at
    the noise's mean (0). 1-D noise: a line."""
    span = spec.noise_scale * (NOISE_SPAN if spec.noise_type == "gaussian" else 1.0)
    ticks = np.linspace(-span, span, MANIFOLD_SIDE)
    if spec.noise_dim == 1:
        return ticks.reshape(-1, 1), (MANIFOLD_SIDE, 1), "G of its 1-D noise"
    a, b = np.meshgrid(ticks, ticks, indexing="ij")
    noise = np.zeros((MANIFOLD_SIDE * MANIFOLD_SIDE, spec.noise_dim))
    noise[:, 0], noise[:, 1] = a.ravel(), b.ravel()
    if spec.noise_dim == 2:
        note = "G of a 2-D noise grid"
    else:
        note = f"{spec.noise_dim}-D noise: 2-D slice through mean"
    return noise, (MANIFOLD_SIDE, MANIFOLD_SIDE), note
