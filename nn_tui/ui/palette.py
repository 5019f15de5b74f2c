"""The fixed colours nn-tui draws with.

Everything the widgets paint is a small integer *palette index* (a ``uint8``), so a
frame is a NumPy array that can be compared row by row, and a terminal cell is a
pair of indices ``(fg, bg)`` whose ``rich.style.Style`` is built once and cached.

The index space:

=================  ===========  ===========================================
range              name         what
=================  ===========  ===========================================
0 .. 30            ``DIVERGING``  orange (-1) - grey (0) - blue (+1), 31 steps
31 .. 61           ``DIVERGING_DIM``  the same, dimmed (heatmap backgrounds)
62 .. 71           ``CLASS``      ten categorical colours (multi-class)
72 .. 81           ``CLASS_DIM``  the same, dimmed
82 .. 85           ``LINK_NEG``   negative weights, weakest .. strongest
86 .. 89           ``LINK_POS``   positive weights, weakest .. strongest
90, 91, 92, 93     ``TEXT``, ``TEXT_DIM``, ``HIGHLIGHT``, ``EMPTY``
255                ``DEFAULT``    no colour: the widget's own colour shows
=================  ===========  ===========================================

Colours are truecolor RGB; Textual downgrades them to 256 colours itself. `set_scheme`
switches to a light theme's mix, or to the 16 named ANSI colours (and shading
characters for maps, see `shade_cells`) for 16-colour terminals and NO_COLOR.
The diverging scale is the one TensorFlow Playground uses (``#f59322`` -
``#e8eaeb`` - ``#0877bd``, quantised like its ``d3.scale.quantize`` over [-1, 1]).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.style import Style

__all__ = [
    "N_BINS",
    "NEUTRAL_BIN",
    "DIVERGING",
    "DIVERGING_DIM",
    "CLASS",
    "CLASS_DIM",
    "N_CLASSES",
    "LINK_LEVELS",
    "LINK_THRESHOLDS",
    "LINK_NEG",
    "LINK_POS",
    "TEXT",
    "TEXT_DIM",
    "HIGHLIGHT",
    "EMPTY",
    "DEFAULT",
    "NEGATIVE_RGB",
    "ZERO_RGB",
    "POSITIVE_RGB",
    "CLASS_RGB",
    "value_bins",
    "sticky_value_bins",
    "STICKY_MARGIN",
    "bin_rgb",
    "bin_color",
    "class_indices",
    "class_color",
    "link_levels",
    "link_indices",
    "palette_rgb",
    "palette_color",
    "cell_style",
]

# -- the diverging scale -----------------------------------------------------------

NEGATIVE_RGB = (0xF5, 0x93, 0x22)  # orange, value -1
ZERO_RGB = (0xE8, 0xEA, 0xEB)  # near-white grey, value 0
POSITIVE_RGB = (0x08, 0x77, 0xBD)  # blue, value +1

N_BINS = 31  # odd, so 0 has a bin of its own in the middle
NEUTRAL_BIN = N_BINS // 2  # 15: value 0, and where NaN goes

# Dimmed colours are mixed with this dark grey: data points drawn at full strength
# stand out from the background they sit on (the Playground draws its background
# at alpha 160/255 over white; a terminal is usually dark, so we go darker).
DIM_BASE_RGB = (0x14, 0x14, 0x16)
DIM_AMOUNT = 0.55  # share of the colour in a dimmed colour

# -- index space -------------------------------------------------------------------

DIVERGING = 0
DIVERGING_DIM = DIVERGING + N_BINS
CLASS = DIVERGING_DIM + N_BINS
N_CLASSES = 10
CLASS_DIM = CLASS + N_CLASSES
LINK_LEVELS = 4
LINK_NEG = CLASS_DIM + N_CLASSES
LINK_POS = LINK_NEG + LINK_LEVELS
TEXT = LINK_POS + LINK_LEVELS
TEXT_DIM = TEXT + 1
HIGHLIGHT = TEXT + 2
EMPTY = TEXT + 3
DEFAULT = 255

# Categorical colours for up to ten classes (class 0 blue and 1 orange like the
# binary sets; then a Tableau-like set that stays apart on a dark background).
CLASS_RGB: tuple[tuple[int, int, int], ...] = (
    POSITIVE_RGB,
    NEGATIVE_RGB,
    (0x2C, 0xA0, 0x2C),  # green
    (0xD6, 0x27, 0x28),  # red
    (0x94, 0x67, 0xBD),  # purple
    (0x8C, 0x56, 0x4B),  # brown
    (0xE3, 0x77, 0xC2),  # pink
    (0x17, 0xBE, 0xCF),  # cyan
    (0xBC, 0xBD, 0x22),  # olive
    (0x9E, 0x9E, 0x9E),  # grey
)

# A weight's |w| reaches link level k (1..LINK_LEVELS) at LINK_THRESHOLDS[k-1];
# below the first threshold the link is not drawn. Absolute, like the Playground's
# stroke width scale (|w| 0..5 -> 1..10 px), so a link that barely moved keeps its
# colour (and its bytes).
LINK_THRESHOLDS = (0.05, 0.3, 1.0, 2.5)
# How much of the full colour each level shows over the dark background.
LINK_ALPHA = (0.38, 0.58, 0.8, 1.0)

TEXT_RGB = (0xD0, 0xD0, 0xD0)
TEXT_DIM_RGB = (0x80, 0x80, 0x80)
HIGHLIGHT_RGB = (0xFF, 0xD7, 0x00)  # bright yellow
EMPTY_RGB = (0x3A, 0x3A, 0x3C)  # a neuron with nothing to show yet


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    """Linear mix from a (t=0) to b (t=1), rounded to integers."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def _diverging_rgb(i: int) -> tuple[int, int, int]:
    t = i / (N_BINS - 1)  # 0 .. 1 across the bins, like d3.range(0, 1, 1/30)
    if t <= 0.5:
        return _mix(NEGATIVE_RGB, ZERO_RGB, t / 0.5)
    return _mix(ZERO_RGB, POSITIVE_RGB, (t - 0.5) / 0.5)


def _dim(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    return _mix(DIM_BASE_RGB, rgb, DIM_AMOUNT)


# A light theme: colours mixed with near-white instead (the Playground draws its background
# at alpha 160/255 over white), and darker text and marks.
LIGHT_DIM_BASE_RGB = (0xFA, 0xFA, 0xFA)
LIGHT_DIM_AMOUNT = 0.63
LIGHT_TEXT_RGB = (0x30, 0x30, 0x30)
LIGHT_TEXT_DIM_RGB = (0x78, 0x78, 0x78)
LIGHT_HIGHLIGHT_RGB = (0xC2, 0x18, 0x5B)  # magenta: yellow vanishes on white
LIGHT_EMPTY_RGB = (0xD8, 0xD8, 0xDA)

# Colour modes. "rgb": truecolor (Textual downgrades to 256 colours itself). "ansi": the
# 16 ANSI colours by name (the terminal's own palette), and maps drawn in shading
# characters whose density is the value's strength, the colour its sign. "mono"
# (NO_COLOR): shading characters alone, on one signed ramp (see shade_cells).
MODES = ("rgb", "ansi", "mono")
_ANSI_CLASSES = ("blue", "yellow", "green", "red", "magenta", "cyan", "bright_red", "bright_cyan",
                 "bright_green", "white")


def _build_table(light: bool = False) -> tuple[tuple[int, int, int] | None, ...]:
    base, amount = (LIGHT_DIM_BASE_RGB, LIGHT_DIM_AMOUNT) if light else (DIM_BASE_RGB, DIM_AMOUNT)
    table: list[tuple[int, int, int] | None] = [None] * 256
    for i in range(N_BINS):
        rgb = _diverging_rgb(i)
        table[DIVERGING + i] = rgb
        table[DIVERGING_DIM + i] = _mix(base, rgb, amount)
    for k, rgb in enumerate(CLASS_RGB):
        table[CLASS + k] = rgb
        table[CLASS_DIM + k] = _mix(base, rgb, amount)
    for level, alpha in enumerate(LINK_ALPHA):
        table[LINK_NEG + level] = _mix(base, NEGATIVE_RGB, alpha)
        table[LINK_POS + level] = _mix(base, POSITIVE_RGB, alpha)
    table[TEXT] = LIGHT_TEXT_RGB if light else TEXT_RGB
    table[TEXT_DIM] = LIGHT_TEXT_DIM_RGB if light else TEXT_DIM_RGB
    table[HIGHLIGHT] = LIGHT_HIGHLIGHT_RGB if light else HIGHLIGHT_RGB
    table[EMPTY] = LIGHT_EMPTY_RGB if light else EMPTY_RGB
    return tuple(table)


def _ansi_colors() -> tuple[Color | None, ...]:
    """Named ANSI colours: negative yellow, positive blue, near zero the default colour."""
    table: list[Color | None] = [None] * 256
    for i in range(N_BINS):
        distance = abs(i - NEUTRAL_BIN)
        name = None if distance <= 1 else ("yellow" if i < NEUTRAL_BIN else "blue")
        if name and distance >= N_BINS // 2 - 4:
            name = "bright_" + name
        table[DIVERGING + i] = table[DIVERGING_DIM + i] = None if name is None else Color.parse(name)
    for k, name in enumerate(_ANSI_CLASSES):
        table[CLASS + k] = table[CLASS_DIM + k] = Color.parse(name)
    for level in range(LINK_LEVELS):
        bright = "bright_" if level >= 2 else ""
        table[LINK_NEG + level] = Color.parse(bright + "yellow")
        table[LINK_POS + level] = Color.parse(bright + "blue")
    table[TEXT_DIM] = table[EMPTY] = Color.parse("bright_black")
    table[HIGHLIGHT] = Color.parse("bright_magenta")
    return tuple(table)


_RGB = _build_table()
_COLORS: tuple[Color | None, ...] = tuple(
    None if rgb is None else Color.from_rgb(*rgb) for rgb in _RGB
)
_scheme: tuple = (False, "rgb", None)  # (light, mode, background)
# The background of cells drawn in DEFAULT: a light theme's (else its panes would show the
# terminal's own, usually dark, background); None: the terminal's, as on dark themes (close
# to theirs, and fewer bytes: no colour code for empty cells).
_BACKGROUND: Color | None = None


def set_scheme(light: bool = False, mode: str = "rgb", background: tuple[int, int, int] | None = None) -> bool:
    """Switch the colours every widget draws with (a theme change); True if they changed.
    Widgets must then draw again: their cached lines hold the old styles."""
    global _RGB, _COLORS, _scheme, _BACKGROUND
    if mode not in MODES:
        raise ValueError(f"unknown colour mode {mode!r}")
    background = None if mode != "rgb" or background is None else tuple(background)
    if (bool(light), mode, background) == _scheme:
        return False
    _scheme = (bool(light), mode, background)
    _BACKGROUND = None if background is None else Color.from_rgb(*background)
    _RGB = _build_table(light)
    if mode == "rgb":
        _COLORS = tuple(None if rgb is None else Color.from_rgb(*rgb) for rgb in _RGB)
    else:
        _COLORS = _ansi_colors()
    cell_style.cache_clear()
    return True


def has_background() -> bool:
    """Do DEFAULT cells get the theme's background (light themes), not the terminal's?"""
    return _BACKGROUND is not None


def scheme() -> tuple[bool, str]:
    """(light, mode) of the colours in use."""
    return _scheme[:2]


def shading() -> str | None:
    """"ansi" or "mono" when maps are drawn in shading characters, else None."""
    return None if _scheme[1] == "rgb" else _scheme[1]


# -- values to indices (vectorised) ------------------------------------------------


def value_bins(values: np.ndarray | float, *, dim: bool = False) -> np.ndarray:
    """Quantise values in [-1, 1] to diverging palette indices (``uint8``).

    -1 falls in bin 0 (orange), 0 in ``NEUTRAL_BIN``, +1 in bin ``N_BINS - 1`` (blue);
    values outside [-1, 1] are clamped and NaN goes to the neutral bin. With
    ``dim=True`` the indices point at the dimmed copies (``DIVERGING_DIM + bin``).
    """
    v = np.asarray(values, dtype=np.float64)
    nan = np.isnan(v)
    # d3.scale.quantize over [-1, 1] with N_BINS equal-width bins.
    scaled = np.floor((np.clip(np.where(nan, 0.0, v), -1.0, 1.0) + 1.0) * (N_BINS / 2.0))
    bins = np.clip(scaled, 0, N_BINS - 1).astype(np.uint8)
    if nan.any():
        bins[nan] = NEUTRAL_BIN
    if dim:
        bins += DIVERGING_DIM
    return bins


# A value keeps its previous bin until it leaves that bin widened by this share of
# a bin on each side: noise smaller than that no longer flips cells back and forth.
STICKY_MARGIN = 0.25


def sticky_value_bins(
    values: np.ndarray, previous: np.ndarray | None, margin: float = STICKY_MARGIN
) -> np.ndarray:
    """Like :func:`value_bins` (undimmed), but with hysteresis against ``previous``.

    ``previous`` holds the bins returned last time for the same pixels (or None, or
    an array of another shape: then this is plain ``value_bins``). A value still
    inside its previous bin widened by ``margin`` bins on both sides keeps that bin,
    so a value jittering around a bin edge is drawn with the same bytes each frame.
    """
    bins = value_bins(values)
    if previous is None or previous.shape != bins.shape or margin <= 0:
        return bins
    v = np.asarray(values, dtype=np.float64)
    width = 2.0 / N_BINS
    low = -1.0 + (previous.astype(np.float64) - margin) * width
    high = low + (1.0 + 2.0 * margin) * width
    # The end bins own everything beyond +-1 (values are clamped), NaN never sticks.
    keep = (v >= np.where(previous == 0, -np.inf, low)) & (
        v < np.where(previous == N_BINS - 1, np.inf, high)
    )
    return np.where(keep, previous, bins).astype(np.uint8)


def class_indices(classes: np.ndarray | int, *, dim: bool = False) -> np.ndarray:
    """Palette indices of class ids (``uint8``); ids wrap modulo ``N_CLASSES``.

    Negative ids (or NaN in a float array) mean "no class" and map to ``EMPTY``.
    """
    c = np.asarray(classes)
    if c.dtype.kind == "f":
        bad = ~np.isfinite(c)
        c = np.where(bad, -1, c).astype(np.int64)
    else:
        c = c.astype(np.int64)
    base = CLASS_DIM if dim else CLASS
    out = (base + np.mod(c, N_CLASSES)).astype(np.uint8)
    out[c < 0] = EMPTY
    return out


def link_levels(weights: np.ndarray) -> np.ndarray:
    """Strength level of each weight: 0 (not drawn) .. ``LINK_LEVELS`` (``uint8``)."""
    a = np.abs(np.nan_to_num(np.asarray(weights, dtype=np.float64), nan=0.0))
    return np.searchsorted(np.asarray(LINK_THRESHOLDS), a, side="right").astype(np.uint8)


def link_indices(weights: np.ndarray) -> np.ndarray:
    """Palette index of each weight's link colour (``DEFAULT`` where not drawn)."""
    w = np.asarray(weights, dtype=np.float64)
    level = link_levels(w)
    idx = np.where(w > 0, LINK_POS, LINK_NEG) + level.astype(np.int64) - 1
    return np.where(level > 0, idx, DEFAULT).astype(np.uint8)


# -- indices to colours and styles -------------------------------------------------


def palette_rgb(index: int) -> tuple[int, int, int] | None:
    """The RGB triple of a palette index (None for ``DEFAULT`` / unused indices)."""
    return _RGB[int(index)]


def palette_color(index: int) -> Color | None:
    """The rich ``Color`` of a palette index (None for ``DEFAULT``)."""
    return _COLORS[int(index)]


def bin_rgb(i: int, dim: bool = False) -> tuple[int, int, int]:
    """RGB of diverging bin ``i`` (0 .. N_BINS-1)."""
    return _RGB[(DIVERGING_DIM if dim else DIVERGING) + int(i)]  # type: ignore[return-value]


def bin_color(i: int, dim: bool = False) -> Color:
    """rich ``Color`` of diverging bin ``i`` (0 .. N_BINS-1)."""
    return _COLORS[(DIVERGING_DIM if dim else DIVERGING) + int(i)]  # type: ignore[return-value]


def class_color(k: int, dim: bool = False) -> Color:
    """rich ``Color`` of class ``k`` (wraps modulo ``N_CLASSES``)."""
    return _COLORS[(CLASS_DIM if dim else CLASS) + int(k) % N_CLASSES]  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def cell_style(fg: int, bg: int) -> Style:
    """The (cached) style of a cell drawn with palette indices ``fg`` on ``bg``.

    The same ``Style`` object is returned for the same pair, so rendering a frame
    allocates no styles, and Textual's per-style ANSI cache is hit every time.
    """
    return Style(color=_COLORS[fg], bgcolor=_BACKGROUND if bg == DEFAULT else _COLORS[bg])


# -- shading characters (16 colours, NO_COLOR) ---------------------------------------

SHADES = " ░▒▓█"
# A class's pattern when colour cannot tell classes apart.
CLASS_SHADES = "█░▒▓#+=%*o"


def shade_cells(pix: np.ndarray, mode: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(codepoints, fg indices) of palette-index pixels at cell resolution, as shading.

    Diverging values: in "ansi" the density is the strength |v| and the colour its sign;
    in "mono" one ramp from -1 (blank) to +1 (full block), so the sign shows without
    colour. Classes get a pattern each; EMPTY a dot; DEFAULT stays blank.
    """
    mode = mode or shading() or "ansi"
    p = np.asarray(pix, dtype=np.uint8)
    chars = np.full(p.shape, ord(" "), dtype=np.uint32)
    fg = np.full(p.shape, DEFAULT, dtype=np.uint8)
    for base in (DIVERGING, DIVERGING_DIM):
        where = (p >= base) & (p < base + N_BINS)
        if where.any():
            b = p[where].astype(np.int64) - base
            if mode == "mono":
                level = b * len(SHADES) // N_BINS
            else:
                level = np.minimum(np.abs(b - NEUTRAL_BIN) * len(SHADES) // (NEUTRAL_BIN + 1), len(SHADES) - 1)
            chars[where] = np.frombuffer(SHADES.encode("utf-32-le"), dtype="<u4")[level]
            fg[where] = (DIVERGING + b).astype(np.uint8)
    for base in (CLASS, CLASS_DIM):
        where = (p >= base) & (p < base + N_CLASSES)
        if where.any():
            k = p[where].astype(np.int64) - base
            chars[where] = np.frombuffer(CLASS_SHADES.encode("utf-32-le"), dtype="<u4")[k]
            fg[where] = (CLASS + k).astype(np.uint8)
    empty = p == EMPTY
    chars[empty] = ord("·")
    fg[empty] = EMPTY
    return chars, fg
