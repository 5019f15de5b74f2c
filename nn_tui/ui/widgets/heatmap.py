"""A half-block heatmap of values over the input plane, with data points on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from textual.geometry import Size
from textual.widget import Widget

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import (FramedLines, LineCache, blank_frame, pack, pixels_to_cells, resample,
                                       shaded_cells)

if TYPE_CHECKING:
    from nn_tui.views import PlaneView

__all__ = ["Heatmap", "heatmap_pixels", "map_bins"]


def map_bins(
    rows: int,
    cols: int,
    values: np.ndarray | None,
    *,
    discretize: bool = False,
    previous: np.ndarray | None = None,
) -> np.ndarray | None:
    """Diverging bins (rows, cols) of ``values`` resampled, or None without values.

    ``previous`` (the bins returned last time) adds hysteresis, see
    :func:`palette.sticky_value_bins`; ``discretize`` keeps only the sign.
    """
    if values is None or np.ndim(values) != 2 or min(np.shape(values)) == 0:
        return None
    grid = resample(np.asarray(values, dtype=np.float64), rows, cols)
    if discretize:
        return palette.value_bins(np.where(np.isnan(grid), np.nan, np.where(grid >= 0, 1.0, -1.0)))
    return palette.sticky_value_bins(grid, previous)


def heatmap_pixels(
    rows: int,
    cols: int,
    values: np.ndarray | None,
    *,
    classes: np.ndarray | None = None,
    points: np.ndarray | None = None,
    point_values: np.ndarray | None = None,
    domain: tuple[float, float] = (-6.0, 6.0),
    discretize: bool = False,
    dim: bool = True,
    bins: np.ndarray | None = None,
) -> np.ndarray:
    """Palette-index pixels (rows, cols) of a map and its points. Pure; no Textual.

    ``values`` (R, C) in [-1, 1] go through the diverging palette (dimmed when
    ``dim``), ``discretize`` keeps only their sign; ``bins`` (rows, cols) may give
    their already quantised bins instead (see :func:`map_bins`). If ``classes``
    (R, C) int is given the map is categorical: each pixel takes its class's
    (dimmed) colour and ``point_values`` are class ids. Points (M, 2) are (x1, x2)
    in ``domain`` on both axes, x1 to the right and x2 up; each one is one
    full-strength pixel.
    """
    if rows <= 0 or cols <= 0:
        return np.zeros((max(rows, 0), max(cols, 0)), dtype=np.uint8)
    categorical = classes is not None
    if categorical:
        grid = resample(np.asarray(classes), rows, cols)
        pix = palette.class_indices(grid, dim=dim)
    else:
        if bins is None:
            bins = map_bins(rows, cols, values, discretize=discretize)
        if bins is None:
            pix = np.full((rows, cols), palette.DEFAULT, dtype=np.uint8)
        else:
            pix = bins + np.uint8(palette.DIVERGING_DIM if dim else palette.DIVERGING)

    placed = place_points(rows, cols, points, point_values, domain)
    if placed is not None:
        py, px, vals = placed
        if categorical:
            pix[py, px] = palette.class_indices(vals)
        else:
            pix[py, px] = palette.value_bins(np.asarray(vals, dtype=np.float64))
    return pix


def place_points(rows: int, cols: int, points, point_values, domain) -> tuple | None:
    """(row, column, value) of the points that fall in a rows x cols raster of the plane."""
    if points is None or point_values is None or not len(points):
        return None
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    vals = np.asarray(point_values).reshape(-1)[: len(pts)]
    pts = pts[: len(vals)]
    lo, hi = float(domain[0]), float(domain[1])
    span = hi - lo if hi != lo else 1.0
    with np.errstate(invalid="ignore"):
        px = np.floor((pts[:, 0] - lo) / span * cols)
        py = np.floor((hi - pts[:, 1]) / span * rows)
    # A point exactly on the upper edge belongs to the last pixel.
    px = np.where(pts[:, 0] == hi, cols - 1, px)
    py = np.where(pts[:, 1] == lo, rows - 1, py)
    ok = np.isfinite(px) & np.isfinite(py) & (px >= 0) & (px < cols) & (py >= 0) & (py < rows)
    if not ok.any():
        return None
    return py[ok].astype(np.intp), px[ok].astype(np.intp), vals[ok]


def heatmap_shaded(rows: int, cols: int, values, *, classes=None, points=None, point_values=None,
                   domain=(-6.0, 6.0), discretize: bool = False, bins=None) -> np.ndarray:
    """Cells (rows, cols) of a map in shading characters, one value a cell (16 colours,
    NO_COLOR: see palette.shade_cells); points are letters on top: o positive, x negative,
    or the class's digit."""
    pix = heatmap_pixels(rows, cols, values, classes=classes, domain=domain, discretize=discretize,
                         dim=False, bins=bins)
    frame = shaded_cells(pix)
    placed = place_points(rows, cols, points, point_values, domain)
    if placed is not None:
        py, px, vals = placed
        if classes is not None:
            chars = np.asarray([ord("0") + int(v) % 10 for v in vals], dtype=np.uint32)
            fg = palette.class_indices(vals)
        else:
            v = np.asarray(vals, dtype=np.float64)
            chars = np.where(v >= 0, ord("o"), ord("x")).astype(np.uint32)
            fg = palette.value_bins(v)
        frame[py, px] = pack(chars, np.uint64(palette.HIGHLIGHT) if palette.shading() == "mono" else fg,
                             palette.DEFAULT)
    return frame


class Heatmap(FramedLines, Widget):
    """Values in [-1, 1] over a plane as half blocks: W x H cells show W x 2H pixels.

    Feed it with :meth:`update_map` (or :meth:`update_snapshot`); it keeps the last
    frame and refreshes only the terminal lines whose colours changed.
    """

    DEFAULT_CSS = """
    Heatmap {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(
        self,
        *,
        discretize: bool = False,
        show_points: bool = True,
        dim_background: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._lines = LineCache()
        self._discretize = discretize
        self._show_points = show_points
        self._dim = dim_background
        self._values: np.ndarray | None = None
        self._class_map: np.ndarray | None = None
        self._points: np.ndarray | None = None
        self._point_values: np.ndarray | None = None
        self._domain: tuple[float, float] = (-6.0, 6.0)
        self._bins: np.ndarray | None = None  # last background bins, for hysteresis

    # -- attributes down ------------------------------------------------------

    @property
    def discretize(self) -> bool:
        """Show only the sign of each value (two colours), like the Playground's option."""
        return self._discretize

    @discretize.setter
    def discretize(self, value: bool) -> None:
        if bool(value) != self._discretize:
            self._discretize = bool(value)
            self._redraw()

    @property
    def show_points(self) -> bool:
        """Draw the data points over the map."""
        return self._show_points

    @show_points.setter
    def show_points(self, value: bool) -> None:
        if bool(value) != self._show_points:
            self._show_points = bool(value)
            self._redraw()

    def update_map(
        self,
        values: np.ndarray | None,
        points: np.ndarray | None = None,
        point_values: np.ndarray | None = None,
        domain: tuple[float, float] = (-6.0, 6.0),
        classes: np.ndarray | None = None,
    ) -> None:
        """Show a new map; refreshes only the lines whose quantised colours changed.

        Args:
            values: (R, C) values in [-1, 1], row 0 the top of the plane; None for blank.
            points: (M, 2) points (x1, x2) to draw on top, or None.
            point_values: (M,) their labels: values in [-1, 1] (binary -1/+1,
                regression), or class ids when ``classes`` is given.
            domain: the plane's extent on both axes.
            classes: (R, C) int winning class per pixel: draws a multi-class map
                with the categorical palette (``values`` is then ignored).
        """
        self._values = values
        self._points = points
        self._point_values = point_values
        self._domain = (float(domain[0]), float(domain[1]))
        self._class_map = classes
        self._redraw()

    def update_view(
        self,
        view: PlaneView,
        *,
        neuron_map: np.ndarray | None = None,
        test_points: bool = True,
    ) -> None:
        """Show a plane view's output map (or one neuron's own map, as the Playground
        does for a hovered neuron) with the data points on it."""
        classes, values = view.output_classes, view.output_map
        if neuron_map is not None:
            classes, values = None, neuron_map
        points, labels = view.train_points, view.train_values
        if test_points and view.test_points is not None and view.test_values is not None:
            if points is None or labels is None:
                points, labels = view.test_points, view.test_values
            else:
                points = np.concatenate([points, view.test_points])
                labels = np.concatenate([labels, view.test_values])
        self.update_map(values, points, labels, domain=view.domain, classes=classes)

    # -- drawing --------------------------------------------------------------

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        if self._values is None and self._class_map is None:
            self._bins = None
            return blank_frame(rows, cols)
        # The plane is square and a half-block pixel about as wide as tall: draw the largest
        # square that fits, centred, so a circle stays a circle in any pane.
        side = min(cols, 2 * rows)
        inner_rows, inner_cols = max(1, side // 2), max(1, side)
        if (inner_rows, inner_cols) == (rows, cols):
            return self._draw_map(rows, cols)
        frame = blank_frame(rows, cols)
        top, left = (rows - inner_rows) // 2, (cols - inner_cols) // 2
        frame[top : top + inner_rows, left : left + inner_cols] = self._draw_map(inner_rows, inner_cols)
        return frame

    def _draw_map(self, rows: int, cols: int) -> np.ndarray:
        show = self._show_points
        shaded = palette.shading() is not None  # one value a cell, in shading characters
        pixel_rows = rows if shaded else 2 * rows
        bins = None
        if self._class_map is None:
            previous = None if self._discretize else self._bins
            bins = map_bins(pixel_rows, cols, self._values, discretize=self._discretize, previous=previous)
        self._bins = None if self._discretize else bins
        if shaded:
            return heatmap_shaded(rows, cols, self._values, classes=self._class_map,
                                  points=self._points if show else None,
                                  point_values=self._point_values if show else None,
                                  domain=self._domain, discretize=self._discretize, bins=bins)
        pix = heatmap_pixels(
            2 * rows,
            cols,
            self._values,
            classes=self._class_map,
            points=self._points if show else None,
            point_values=self._point_values if show else None,
            domain=self._domain,
            discretize=self._discretize,
            dim=self._dim,
            bins=bins,
        )
        return pixels_to_cells(pix)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """With ``height: auto`` the pixels come out square: a cell is two pixels tall."""
        return max(1, (width + 1) // 2)
