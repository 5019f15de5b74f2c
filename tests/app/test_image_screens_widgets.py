"""The image screens' drawing helpers, without Textual running: tiles, scales, bars, scatter."""

import numpy as np

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import blank_frame
from nn_tui.ui.widgets.class_bars import bar_cells
from nn_tui.ui.widgets.image_grid import StickyBins, Tile, nice_scale, place_tiles, rows_needed, tile_cells, tile_size
from nn_tui.ui.widgets.scatter import scatter_pixels, snapped_range


def test_nice_scale_moves_in_steps_so_small_changes_keep_every_bin():
    assert nice_scale(np.array([0.9, -0.3])) == 1.0
    assert nice_scale(np.array([1.01])) == nice_scale(np.array([1.4])) == 2 ** 0.5
    assert nice_scale(np.zeros(3)) == 1.0 and nice_scale(np.array([np.nan])) == 1.0


def test_tiles_are_half_blocks_and_shrink_or_grow():
    assert tile_size((8, 8), 1) == (4, 8) and tile_size((8, 8), 2) == (8, 16) and tile_size((8, 8), 0.5) == (2, 4)
    assert tile_size((3, 3), 1) == (2, 3)  # an odd pixel row is padded
    image = np.linspace(0, 1, 64).reshape(8, 8)
    bins = StickyBins()("digit", image)
    assert bins.min() == palette.NEUTRAL_BIN and bins.max() == palette.N_BINS - 1  # 0..1: grey to blue
    assert tile_cells(bins, 2).shape == (8, 16) and tile_cells(bins, 0.5).shape == (2, 4)


def test_sticky_bins_keep_a_value_that_jitters_at_a_bin_edge():
    bins = StickyBins(margin=0.5)
    edge = -1 + 2 / palette.N_BINS * 20  # the edge between bins 19 and 20
    first = bins("w", np.array([[edge + 1e-3]]))
    assert (bins("w", np.array([[edge - 1e-3]])) == first).all()
    assert (bins("w", np.array([[edge - 0.1]])) != first).all()  # a real change shows


def test_place_tiles_wraps_at_the_width_and_stops_at_the_bottom():
    frame = blank_frame(6, 20)
    tiles = [Tile(tile_cells(np.full((4, 4), palette.NEUTRAL_BIN)), f"{i}") for i in range(10)]
    used, drawn = place_tiles(frame, 0, 0, 20, tiles)
    assert drawn == 8 and used == 6  # 4 tiles of 4+1 cells per line, 2 cells + a caption each, 2 lines of them
    assert rows_needed(10, (2, 4), 20, captions=True) == 9


def test_class_bars_are_whole_cells():
    assert bar_cells(0.5, 10) == 5 and bar_cells(0.04, 10) == 0 and bar_cells(1.7, 10) == 10


def test_scatter_puts_each_point_on_its_pixel_in_its_class_colour():
    points = np.array([[0.0, 0.0], [1.0, 1.0], [np.nan, 0.5]])
    pixels = scatter_pixels(2, 4, points, np.array([3, 7, 1]), (0.0, 1.0), (0.0, 1.0))
    assert pixels.shape == (4, 4)
    assert pixels[3, 0] == palette.CLASS + 3 and pixels[0, 3] == palette.CLASS + 7  # y up
    assert (pixels == palette.DEFAULT).sum() == 14  # the NaN point is left out
    lo, hi = snapped_range(np.array([0.13, 5.9]))
    assert lo <= 0.13 and hi >= 5.9 and lo == 0.0 and hi == 6.0
