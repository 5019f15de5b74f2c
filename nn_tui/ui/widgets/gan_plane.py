"""A GAN's plane: D's output as a dimmed heatmap, G's manifold as light grey lines over it,
real points (blue) and generated points (orange) on top, and optionally short yellow
marks of where G's next update pushes each generated point."""

from __future__ import annotations

import numpy as np

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import pixels_to_cells
from nn_tui.ui.widgets.heatmap import Heatmap, heatmap_pixels, map_bins, place_points

REAL, FAKE = 1.0, -1.0  # point values: the palette's two ends
SEGMENT_SAMPLES = 6  # points drawn along each manifold segment (between grid lines' knots)
PUSH_PIXELS = 4  # the longest push mark, in pixels
PUSH_EVERY = 2  # marks on every third generated point: enough to see the field


def manifold_points(manifold: np.ndarray | None) -> np.ndarray | None:
    """Points along every line of a (K, L, 2) grid bent by G, both directions."""
    if manifold is None or manifold.size == 0:
        return None
    t = np.linspace(0.0, 1.0, SEGMENT_SAMPLES, endpoint=False)[:, None, None]
    parts = []
    for grid in (manifold, manifold.transpose(1, 0, 2)):
        if grid.shape[0] > 1:
            start, end = grid[:-1], grid[1:]  # (K-1, L, 2)
            parts.append((start[None] + t[..., None] * (end - start)[None]).reshape(-1, 2))
    parts.append(manifold.reshape(-1, 2))
    return np.concatenate(parts)


def push_points(fake: np.ndarray, push: np.ndarray, domain, pixels: int) -> np.ndarray:
    """Points of a short mark from each (every PUSH_EVERY-th) generated point along its push."""
    fake, push = fake[::PUSH_EVERY], push[::PUSH_EVERY]
    span = float(domain[1] - domain[0]) or 1.0
    step = span / max(pixels, 1)  # one pixel, in the plane's units
    lengths = np.arange(1, PUSH_PIXELS + 1)[:, None, None] * step
    return (fake[None] + lengths * push[None]).reshape(-1, 2)


class GanPlane(Heatmap):
    """Feed it with :meth:`update_gan`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._gan_view = None
        self.show_manifold = True
        self.show_push = False

    def update_gan(self, view, *, manifold: bool = True, push: bool = False) -> None:
        self._gan_view = view
        self.show_manifold, self.show_push = manifold, push
        points = np.concatenate([view.real, view.fake])
        values = np.concatenate([np.full(len(view.real), REAL), np.full(len(view.fake), FAKE)])
        self.update_map(view.d_map, points, values, domain=view.domain)

    def _draw_map(self, rows: int, cols: int) -> np.ndarray:
        view = self._gan_view
        if view is None or palette.shading() is not None:
            return super()._draw_map(rows, cols)  # shading characters: map and points only
        return pixels_to_cells(self.pixels(2 * rows, cols))

    def pixels(self, pixel_rows: int, cols: int) -> np.ndarray:
        """Palette-index pixels of the plane: D's map, then each layer of points."""
        view = self._gan_view
        bins = map_bins(pixel_rows, cols, self._values, previous=self._bins)
        self._bins = bins
        pix = heatmap_pixels(pixel_rows, cols, self._values, domain=self._domain, dim=True, bins=bins)
        layers = []
        if self.show_manifold:
            layers.append((manifold_points(view.manifold), palette.TEXT))
        layers.append((view.real, None))
        layers.append((view.fake, None))
        if self.show_push:
            layers.append((push_points(view.fake, view.fake_push, self._domain, cols), palette.HIGHLIGHT))
        for index, (points, colour) in enumerate(layers):
            if points is None or not len(points):
                continue
            value = FAKE if points is view.fake else REAL
            placed = place_points(pixel_rows, cols, points, np.full(len(points), value), self._domain)
            if placed is None:
                continue
            py, px, vals = placed
            pix[py, px] = palette.value_bins(vals) if colour is None else colour
        return pix
