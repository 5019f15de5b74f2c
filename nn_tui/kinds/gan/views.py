"""What a GAN's screen shows, frozen for the snapshot (see nn_tui/views.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class GanPlaneView(View):
    """The plane of a GAN: D's answer over it, real and generated points, G's manifold.

    d_map (R, R): 2·D(x) − 1 in [-1, 1] (+1: D says real; D(x) = σ(logit), or the raw
    score for least squares), row 0 the top (largest x2).
    real, fake (M, 2): samples shown (a few hundred each). fake_push (M, 2): the
    direction G's update moves each generated point (−dL_G/dx, one length for all:
    only the direction and the relative size are drawn). manifold (K, K, 2) or (K, 1, 2):
    G over a grid of noise space; noise_note says which slice of it."""

    d_map: np.ndarray
    domain: tuple[float, float]
    real: np.ndarray
    fake: np.ndarray
    fake_push: np.ndarray
    manifold: np.ndarray
    noise_note: str = ""
