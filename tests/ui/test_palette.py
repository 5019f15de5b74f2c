import numpy as np
from rich.style import Style

from nn_tui.ui import palette
from nn_tui.ui.palette import (
    DIVERGING_DIM,
    N_BINS,
    NEUTRAL_BIN,
    bin_color,
    bin_rgb,
    cell_style,
    class_color,
    class_indices,
    link_indices,
    link_levels,
    value_bins,
)


def test_ends_and_middle():
    bins = value_bins(np.array([-1.0, 0.0, 1.0]))
    assert bins.tolist() == [0, NEUTRAL_BIN, N_BINS - 1]
    assert bin_rgb(0) == palette.NEGATIVE_RGB  # orange
    assert bin_rgb(NEUTRAL_BIN) == palette.ZERO_RGB  # grey
    assert bin_rgb(N_BINS - 1) == palette.POSITIVE_RGB  # blue
    assert bin_color(N_BINS - 1).triplet == palette.POSITIVE_RGB


def test_nan_is_neutral_and_out_of_range_clamped():
    bins = value_bins(np.array([np.nan, -7.0, 3.0, np.inf, -np.inf]))
    assert bins.tolist() == [NEUTRAL_BIN, 0, N_BINS - 1, N_BINS - 1, 0]


def test_monotone_and_all_bins_used():
    v = np.linspace(-1, 1, 1001)
    bins = value_bins(v)
    assert np.all(np.diff(bins.astype(int)) >= 0)
    assert set(bins.tolist()) == set(range(N_BINS))
    # orange fades into blue: the blue channel grows, the red one shrinks
    reds = [bin_rgb(i)[0] for i in range(N_BINS)]
    blues = [bin_rgb(i)[2] for i in range(N_BINS)]
    assert reds[0] > reds[NEUTRAL_BIN] > reds[-1]
    assert blues[0] < blues[NEUTRAL_BIN]


def test_shape_dtype_and_dim():
    v = np.zeros((3, 4))
    bins = value_bins(v, dim=True)
    assert bins.shape == (3, 4) and bins.dtype == np.uint8
    assert (bins == DIVERGING_DIM + NEUTRAL_BIN).all()
    # dimmed colours are darker than the full ones
    for i in (0, NEUTRAL_BIN, N_BINS - 1):
        assert sum(bin_rgb(i, dim=True)) < sum(bin_rgb(i))


def test_styles_are_cached():
    a = cell_style(0, DIVERGING_DIM + 3)
    assert isinstance(a, Style)
    assert a is cell_style(0, DIVERGING_DIM + 3)
    assert a.color.triplet == palette.NEGATIVE_RGB
    assert cell_style(palette.DEFAULT, palette.DEFAULT) == Style()


def test_classes():
    idx = class_indices(np.array([0, 1, 9, 10, -1]))
    assert idx.tolist() == [palette.CLASS, palette.CLASS + 1, palette.CLASS + 9, palette.CLASS, palette.EMPTY]
    assert class_color(0) != class_color(1)
    assert len({class_color(k).triplet for k in range(palette.N_CLASSES)}) == palette.N_CLASSES


def test_links_sign_and_strength():
    w = np.array([-3.0, -0.5, -0.01, 0.0, 0.01, 0.5, 3.0])
    assert link_levels(w).tolist() == [4, 2, 0, 0, 0, 2, 4]
    idx = link_indices(w)
    assert idx[0] == palette.LINK_NEG + 3 and idx[-1] == palette.LINK_POS + 3
    assert idx[2] == idx[3] == idx[4] == palette.DEFAULT
    # stronger links are brighter
    weak, strong = palette.palette_rgb(palette.LINK_POS), palette.palette_rgb(palette.LINK_POS + 3)
    assert sum(strong) > sum(weak)


def test_sticky_bins_hold_against_small_jitter():
    from nn_tui.ui.palette import STICKY_MARGIN, sticky_value_bins

    width = 2 / N_BINS
    edge = -1 + 16 * width  # the edge between bins 15 and 16
    before = value_bins(np.array([edge - 0.01]))
    assert before.tolist() == [15]
    jitter = np.array([edge + 0.5 * STICKY_MARGIN * width])  # just across the edge
    assert value_bins(jitter).tolist() == [16]
    assert sticky_value_bins(jitter, before).tolist() == [15]  # held
    far = np.array([edge + 2 * STICKY_MARGIN * width])
    assert sticky_value_bins(far, before).tolist() == [16]  # a real move goes through
    # NaN is neutral, clamped values stay in the end bins, no previous = plain bins
    prev = np.array([0, N_BINS - 1, 3], dtype=np.uint8)
    v = np.array([-5.0, 5.0, np.nan])
    assert sticky_value_bins(v, prev).tolist() == [0, N_BINS - 1, NEUTRAL_BIN]
    assert sticky_value_bins(v, None).tolist() == value_bins(v).tolist()
