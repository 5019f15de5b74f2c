"""The network drawn like TensorFlow Playground: neurons as thumbnails, links as lines.

Layout (pure, see :func:`layout_topology`): one column per layer (inputs, each
hidden layer, output); every neuron is a box of ``box_w x box_h`` cells showing
its own output over the input plane as a half-block mini heatmap (or, for
non-plane data, its outputs over the shown samples as a strip). Between two
columns every unmasked connection is a braille-dot line (2 x 4 dots a cell,
straight DDA lines); a cell takes the colour of the strongest link through it:
blue for positive weights, orange for negative, brighter the larger ``|w|``,
not drawn below ``palette.LINK_THRESHOLDS[0]``.

Boxes shrink as the widget narrows or a layer grows: 12x6 cells down to 2x1 and
finally 1x1 (a single two-pixel glyph). The dot geometry of every link is
computed once per layout; a frame only maps the weights to colours (vectorised)
and refreshes the terminal lines whose cells changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from textual import events
from textual.message import Message
from textual.widget import Widget

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import (
    BRAILLE,
    SPACE,
    FramedLines,
    LineCache,
    blank_frame,
    nearest_index,
    pack,
    pixels_to_cells,
    resample,
    shaded_cells,
    write_text,
)

if TYPE_CHECKING:
    from nn_tui.views import NetworkView

__all__ = [
    "NodeBox",
    "TopologyLayout",
    "layout_topology",
    "move_selection",
    "neuron_name",
    "shorten_labels",
    "Topology",
    "BOX_TIERS",
]

# Box sizes (cells wide, cells tall) from largest to smallest; a box of w x h cells
# shows w x 2h pixels, so these thumbnails are square.
BOX_TIERS: tuple[tuple[int, int], ...] = ((12, 6), (10, 5), (8, 4), (6, 3), (4, 2), (2, 1), (1, 1))
MAX_LABEL = 8  # input labels are cut to this many cells
# Between two columns at most one link per this many cells is drawn (the strongest;
# at least one per neuron of the larger layer).
LINK_CELLS_PER_LINK = 8
_BRAILLE_BITS = np.array(
    [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8
)  # [dot row 0..3][dot column 0..1]


# -- layout (pure) ------------------------------------------------------------------


@dataclass(frozen=True)
class NodeBox:
    """A neuron's thumbnail: cells [x, x+w) x [y, y+h) of the widget."""

    x: int
    y: int
    w: int
    h: int

    @property
    def center(self) -> tuple[int, int]:
        return (self.x + self.w // 2, self.y + self.h // 2)

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass(frozen=True)
class TopologyLayout:
    """Where everything goes for given layer sizes and widget size."""

    width: int
    height: int
    sizes: tuple[int, ...]
    box_w: int
    box_h: int
    v_gap: int  # empty rows between two boxes of a column
    label_width: int  # cells left of the first column for input labels (0: none)
    columns: tuple[int, ...]  # x of each layer's boxes
    # nodes[layer][k]: the boxes that fit. A layer taller than the widget keeps its
    # first neurons only (len(nodes[layer]) < sizes[layer]).
    nodes: tuple[tuple[NodeBox, ...], ...]
    # Wide layers (more neurons than rows): each layer is a block of this many one-cell
    # columns, neurons top to bottom then left to right; () when every layer is one column.
    column_widths: tuple[int, ...] = ()

    @property
    def dense(self) -> bool:
        return bool(self.column_widths)

    def right_edge(self, layer: int) -> int:
        """The cell right of a layer's column (its block, for a wide layer)."""
        width = self.column_widths[layer] if self.column_widths else self.box_w
        return self.columns[layer] + width

    def node_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The (layer, neuron) whose box holds cell (x, y), if any."""
        for layer, boxes in enumerate(self.nodes):
            for k, box in enumerate(boxes):
                if box.contains(x, y):
                    return (layer, k)
        return None

    def box(self, layer: int, index: int) -> NodeBox | None:
        if 0 <= layer < len(self.nodes) and 0 <= index < len(self.nodes[layer]):
            return self.nodes[layer][index]
        return None


def _column_height(n: int, box_h: int, v_gap: int) -> int:
    return n * box_h + max(n - 1, 0) * v_gap


def layout_topology(
    sizes: tuple[int, ...] | list[int],
    width: int,
    height: int,
    labels: tuple[str, ...] | list[str] = (),
) -> TopologyLayout:
    """Choose box size, column positions and every neuron's box. Pure.

    Takes the largest box tier for which the tallest layer fits the height (one
    empty row between boxes; none for one-row boxes when needed) and the links
    between columns stay at least ``max(4, box_w)`` cells long (3 for the tiniest
    tier). Columns are spread over the width, each one centred vertically.
    """
    sizes = tuple(int(n) for n in sizes)
    width, height = max(int(width), 0), max(int(height), 0)
    ncol = len(sizes)
    if ncol == 0 or width == 0 or height == 0:
        return TopologyLayout(width, height, sizes, 1, 1, 0, 0, (), tuple(() for _ in sizes))
    label_w = min(max((len(s) for s in labels), default=0), MAX_LABEL)
    tallest = max(max(sizes), 1)

    def fits(box_w: int, box_h: int, v_gap: int, label_w: int, min_gap: int) -> int | None:
        """Gap between columns if this tier fits, else None."""
        if _column_height(tallest, box_h, v_gap) > height:
            return None
        left = label_w + 1  # labels, then one cell for the selection marker
        room = width - left - 1 - ncol * box_w  # one cell right of the last column
        if ncol == 1:
            return 0 if room >= 0 else None
        gap = room // (ncol - 1)
        return gap if gap >= min_gap else None

    choice: tuple[int, int, int, int, int] | None = None  # box_w, box_h, v_gap, gap, label_w
    for box_w, box_h in BOX_TIERS:
        min_gap = 3 if box_w == 1 else max(4, box_w)
        gaps = (1, 0) if box_h == 1 else (1,)
        for v_gap in gaps:
            gap = fits(box_w, box_h, v_gap, label_w, min_gap)
            if gap is not None:
                choice = (box_w, box_h, v_gap, gap, label_w)
                break
        if choice:
            break
    if choice is None and tallest > height:
        return _dense_layout(sizes, width, height, label_w)
    if choice is None:
        # Very small widget: tiniest boxes, labels cut to what is left, and what
        # still does not fit is clipped (neurons that do not fit are left out).
        box_w, box_h = 1, 1
        v_gap = 1 if _column_height(tallest, 1, 1) <= height else 0
        spare = width - 2 - ncol * box_w - max(ncol - 1, 0) * 2
        label_w = max(0, min(label_w, spare))
        room = width - (label_w + 1) - 1 - ncol * box_w
        gap = max(room // (ncol - 1), 1) if ncol > 1 else 0
        choice = (box_w, box_h, v_gap, gap, label_w)

    box_w, box_h, v_gap, gap, label_w = choice
    left = label_w + 1
    columns: list[int] = []
    nodes: list[tuple[NodeBox, ...]] = []
    for c, n in enumerate(sizes):
        x = left + c * (box_w + gap)
        columns.append(x)
        if x + box_w > width:
            nodes.append(())
            continue
        fit = n
        while fit > 0 and _column_height(fit, box_h, v_gap) > height:
            fit -= 1
        top = (height - _column_height(fit, box_h, v_gap)) // 2
        nodes.append(
            tuple(NodeBox(x, top + k * (box_h + v_gap), box_w, box_h) for k in range(fit))
        )
    return TopologyLayout(
        width, height, sizes, box_w, box_h, v_gap, label_w, tuple(columns), tuple(nodes)
    )


def _dense_layout(sizes: tuple[int, ...], width: int, height: int, label_w: int) -> TopologyLayout:
    """Layers with more neurons than rows: every neuron a one-cell thumbnail (two pixels of
    its map), a layer a block of as many columns as it needs (128 neurons in 30 rows: 5).
    The selected neuron's map is drawn enlarged beside its block (see Topology)."""
    ncol = len(sizes)
    widths = [max(1, -(-n // height)) for n in sizes]
    if widths[0] > 1:
        label_w = 0  # no labels beside a block of inputs (see Topology._ensure_layout)
    per_column = [-(-n // w) for n, w in zip(sizes, widths)]
    for labels in (label_w, 0):  # drop the labels before the links get too short
        room = width - (labels + 1) - 1 - sum(widths)
        gap = room // (ncol - 1) if ncol > 1 else 0
        if gap >= 3:
            break
    label_w, gap = labels, max(gap, 1)
    columns, nodes, x = [], [], labels + 1
    for n, w, rows in zip(sizes, widths, per_column):
        columns.append(x)
        top = (height - rows) // 2
        nodes.append(tuple(NodeBox(x + k // rows, top + k % rows, 1, 1) for k in range(n) if x + k // rows < width))
        x += w + gap
    return TopologyLayout(width, height, sizes, 1, 1, 0, label_w, tuple(columns), tuple(nodes), tuple(widths))


def neuron_name(layer: int, n_layers: int, index: int) -> str:
    """A neuron's name under its enlarged map: "input 2", "h1.3" (hidden layer 1,
    unit 3), "out 1". Not "L1 #3": L1 also names the regularisation."""
    if layer == 0:
        return f"input {index + 1}"
    if layer == n_layers - 1:
        return f"out {index + 1}"
    return f"h{layer}.{index + 1}"


def shorten_labels(labels, width: int) -> tuple[str, ...]:
    """Labels cut to `width` cells, kept apart where plain cutting would make two
    alike: "bill_length_mm" and "bill_length_mm_missing" both cut to "bill_len",
    so those become "bill…_mm" and "bill…ing" (head, ellipsis, tail: the
    shortest tail of 3 or more that leaves every label distinct)."""
    if width <= 0:
        return tuple("" for _ in labels)
    result = [label[:width] for label in labels]
    if width < 3:
        return tuple(result)
    groups: dict[str, list[int]] = {}
    for i, cut in enumerate(result):
        groups.setdefault(cut, []).append(i)
    for members in (m for m in groups.values() if len(m) > 1):
        others = {result[i] for i in range(len(labels)) if i not in members}
        for tail in range(min(3, width - 2), width - 1):
            head = width - 1 - tail
            tried = [labels[i] if len(labels[i]) <= width else labels[i][:head] + "…" + labels[i][-tail:]
                     for i in members]
            if len(set(tried)) == len(tried) and not others.intersection(tried):
                break
        for i, label in zip(members, tried):
            result[i] = label
    return tuple(result)


def move_selection(
    sizes: tuple[int, ...] | list[int],
    selected: tuple[int, int] | None,
    d_layer: int = 0,
    d_index: int = 0,
) -> tuple[int, int]:
    """The neuron an arrow key leads to. Pure.

    Up/down (``d_index``) move within a layer and stop at its ends; left/right
    (``d_layer``) go to the neighbouring layer's neuron at the nearest height
    (columns are centred, so that is the same offset from the middle). With no
    selection yet, the first neuron of the first hidden layer (or the inputs).
    """
    sizes = tuple(int(n) for n in sizes)
    if not sizes:
        raise ValueError("no layers")
    if selected is None:
        layer = 1 if len(sizes) > 2 else 0
        return (layer, 0)
    layer, k = selected
    layer = min(max(layer, 0), len(sizes) - 1)
    k = min(max(k, 0), max(sizes[layer] - 1, 0))
    if d_layer:
        new_layer = min(max(layer + d_layer, 0), len(sizes) - 1)
        if new_layer != layer:
            offset = k - (sizes[layer] - 1) / 2
            k = int(np.floor(offset + (sizes[new_layer] - 1) / 2 + 0.5))
            layer = new_layer
            k = min(max(k, 0), max(sizes[layer] - 1, 0))
    if d_index:
        k = min(max(k + d_index, 0), max(sizes[layer] - 1, 0))
    return (layer, k)


# -- link geometry (computed once per layout) ---------------------------------------


# Up to this many drawable links their dots are traced once per layout; beyond (wide
# layers: 128 x 128 is 16,384 links, ~1M dots) only the links a frame draws are traced.
EAGER_LINKS = 4096


class _Links:
    """Every drawable link's dots: which cell each dot lights and with which bit."""

    def __init__(self, layout: TopologyLayout) -> None:
        self.cells = layout.width * layout.height
        self.width, self.height = layout.width, layout.height
        sizes = layout.sizes
        self.offsets = np.concatenate([[0], np.cumsum([a * b for a, b in zip(sizes, sizes[1:])])]).astype(np.intp)
        self.count = int(self.offsets[-1])
        # At most one link per LINK_CELLS_PER_LINK cells of the area between columns.
        caps = []
        for c in range(len(sizes) - 1):
            left, right = layout.nodes[c], layout.nodes[c + 1]
            if not left or not right:
                caps.append(0)
                continue
            span_w = right[0].x - layout.right_edge(c)
            top = min(min(b.y for b in left), min(b.y for b in right))
            bottom = max(max(b.y + b.h for b in left), max(b.y + b.h for b in right))
            caps.append(max(len(left), len(right), span_w * (bottom - top) // LINK_CELLS_PER_LINK))
        self.caps = tuple(caps)
        ids, x0s, y0s, x1s, y1s = [], [], [], [], []
        for c in range(len(sizes) - 1):
            left, right = layout.nodes[c], layout.nodes[c + 1]
            if not left or not right:
                continue
            i = np.repeat(np.arange(len(left)), len(right))
            j = np.tile(np.arange(len(right)), len(left))
            ids.append(self.offsets[c] + i * sizes[c + 1] + j)
            if layout.dense:  # from the right edge of one block to the left edge of the next
                lx = np.full(len(left), layout.right_edge(c) * 2)
                rx = np.full(len(right), layout.columns[c + 1] * 2 - 1)
            else:
                lx = np.array([b.x + b.w for b in left]) * 2
                rx = np.array([b.x for b in right]) * 2 - 1
            ly = np.array([4 * b.y + 2 * b.h - 1 for b in left])
            ry = np.array([4 * b.y + 2 * b.h - 1 for b in right])
            x0s.append(lx[i])
            y0s.append(ly[i])
            x1s.append(rx[j])
            y1s.append(ry[j])
        if not ids:
            self._ends = None
            self.lazy = False
            self.link = np.zeros(0, dtype=np.intp)
            self.cell = np.zeros(0, dtype=np.intp)
            self.bit = np.zeros(0, dtype=np.uint8)
            return
        self._ends = tuple(np.concatenate(a).astype(np.intp) for a in (ids, x0s, y0s, x1s, y1s))
        self.lazy = len(self._ends[0]) > EAGER_LINKS
        if self.lazy:
            self._row = np.full(self.count, -1, dtype=np.intp)  # link id -> its row in _ends
            self._row[self._ends[0]] = np.arange(len(self._ends[0]))
        else:
            self.link, self.cell, self.bit = self._trace(np.arange(len(self._ends[0])))

    def _trace(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(link id, cell, braille bit) of every dot of the links in `rows` (straight DDA lines)."""
        link_id, x0, y0, x1, y1 = (a[rows] for a in self._ends)
        dx, dy = x1 - x0, y1 - y0
        steps = np.maximum(np.abs(dx), np.abs(dy)) + 1
        owner = np.repeat(np.arange(len(link_id)), steps)
        t = np.arange(int(steps.sum())) - np.repeat(np.cumsum(steps) - steps, steps)
        frac = t / np.maximum(steps - 1, 1)[owner]
        xs = np.rint(x0[owner] + frac * dx[owner]).astype(np.intp)
        ys = np.rint(y0[owner] + frac * dy[owner]).astype(np.intp)
        ok = (xs >= 0) & (xs < 2 * self.width) & (ys >= 0) & (ys < 4 * self.height)
        xs, ys, owner = xs[ok], ys[ok], owner[ok]
        return link_id[owner].astype(np.intp), (ys // 4) * self.width + xs // 2, _BRAILLE_BITS[ys % 4, xs % 2]

    def dots(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The dots of every link that `keys` draws (and, when traced eagerly, the rest)."""
        if not self.lazy:
            return self.link, self.cell, self.bit
        rows = self._row[np.flatnonzero(keys >= 2)]
        return self._trace(rows[rows >= 0])

    def links_at(self, x: int, y: int, keys: np.ndarray) -> np.ndarray:
        """Ids of the drawn links with a dot in cell (x, y)."""
        link, cell, _ = self.dots(keys)
        hit = link[cell == y * self.width + x]
        return np.unique(hit[keys[hit] >= 2])


def _link_keys(
    snapshot: NetworkView, count: int, offsets: np.ndarray, caps: tuple[int, ...] = ()
) -> np.ndarray:
    """Per link (flattened weights of every layer): 2*level + (w > 0); 0/1 = not drawn.

    ``caps[c]`` bounds how many links between layers c and c+1 are drawn: beyond
    it only the strongest are kept, so a dense 16 x 16 layer squeezed into a few
    columns shows its main paths rather than a solid mat of dots.
    """
    keys = np.zeros(count, dtype=np.uint8)
    sizes = snapshot.sizes
    for c in range(len(sizes) - 1):
        if c >= len(snapshot.weights):
            break
        w = np.asarray(snapshot.weights[c], dtype=np.float64)
        if w.size != sizes[c] * sizes[c + 1]:
            continue
        w = w.reshape(-1)
        level = palette.link_levels(w)
        mask = snapshot.masks[c] if c < len(snapshot.masks) else None
        if mask is not None:
            m = np.asarray(mask)
            if m.size == w.size:
                level = np.where(m.reshape(-1).astype(bool), level, 0)
        cap = caps[c] if c < len(caps) else w.size
        shown = np.flatnonzero(level)
        if len(shown) > cap:
            drop = len(shown) - cap  # 1 ..= len(shown): cap is 0 when no link fits
            strength = np.abs(w[shown])
            weakest = shown[np.argpartition(strength, drop - 1)[:drop]]
            level = level.copy()
            level[weakest] = 0
        keys[offsets[c] : offsets[c + 1]] = level * 2 + (w > 0)
    return keys


# -- the widget ---------------------------------------------------------------------


_EMPTY_PIXEL = palette.EMPTY


class Topology(FramedLines, Widget):
    """The network: thumbnails of every neuron's output and the links between them.

    Feed it with :meth:`update_snapshot`; it redraws into a frame and refreshes only
    the terminal lines that changed. Clicking a neuron posts :class:`Topology.NeuronClicked`.
    """

    DEFAULT_CSS = """
    Topology {
        width: 1fr;
        height: 1fr;
    }
    """

    class NeuronClicked(Message):
        """A neuron's box was clicked: (layer counting inputs as 0, index)."""

        def __init__(self, topology: Topology, layer: int, index: int) -> None:
            super().__init__()
            self.topology = topology
            self.layer = layer
            self.index = index

        @property
        def control(self) -> Topology:
            return self.topology

    class LinkClicked(Message):
        """A drawn link was clicked: the weight from neuron `row` of layer `layer` (inputs
        are layer 0) to neuron `column` of the next layer (the strongest link in that cell)."""

        def __init__(self, topology: Topology, layer: int, row: int, column: int) -> None:
            super().__init__()
            self.topology = topology
            self.layer = layer
            self.row = row
            self.column = column

        @property
        def control(self) -> Topology:
            return self.topology

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._lines = LineCache()
        self._snapshot: NetworkView | None = None
        self._selected: tuple[int, int] | None = None
        self._layout: TopologyLayout | None = None
        self._layout_key: tuple | None = None
        self._links: _Links | None = None
        self._base: np.ndarray | None = None  # labels on blank
        self._labels: tuple[str, ...] = ()  # input labels as drawn (shortened to fit)
        self._box_index: list[tuple[np.ndarray, np.ndarray]] = []
        self._link_key_cache: np.ndarray | None = None
        self._link_frame: np.ndarray | None = None
        self._thumb_bins: dict[int, np.ndarray] = {}  # last bins per layer (hysteresis)

    # -- attributes down ------------------------------------------------------

    def update_view(self, view: NetworkView, selected: tuple[int, int] | None = None) -> None:
        """Draw a network view with `selected` highlighted; only changed lines are sent."""
        if view is self._snapshot and selected == self._selected:
            return
        self._snapshot = view
        self._selected = None if selected is None else (int(selected[0]), int(selected[1]))
        self._redraw()

    @property
    def selected(self) -> tuple[int, int] | None:
        """The highlighted neuron; set with each view, or directly (last one wins)."""
        return self._selected

    @selected.setter
    def selected(self, value: tuple[int, int] | None) -> None:
        value = None if value is None else (int(value[0]), int(value[1]))
        if value != self._selected:
            self._selected = value
            self._redraw()

    @property
    def layout_info(self) -> TopologyLayout | None:
        """The layout of the last frame drawn (None before the first one)."""
        return self._layout

    # -- messages up ----------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self._layout is None:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        hit = self._layout.node_at(offset.x, offset.y)
        if hit is not None:
            self.post_message(self.NeuronClicked(self, *hit))
            return
        link = self.link_at(offset.x, offset.y)
        if link is not None:
            self.post_message(self.LinkClicked(self, *link))

    def link_at(self, x: int, y: int) -> tuple[int, int, int] | None:
        """(layer, row, column) of the strongest link drawn through cell (x, y), if any."""
        links, keys, view = self._links, self._link_key_cache, self._snapshot
        if links is None or keys is None or view is None:
            return None
        ids = links.links_at(x, y, keys)
        if not len(ids):
            return None
        best = int(ids[np.argmax(keys[ids] >> 1)])  # the strongest level; ties: the first
        layer = int(np.searchsorted(links.offsets, best, side="right")) - 1
        row, column = divmod(best - int(links.offsets[layer]), view.sizes[layer + 1])
        return layer, row, column

    # -- drawing --------------------------------------------------------------

    def _ensure_layout(self, snapshot: NetworkView, rows: int, cols: int) -> TopologyLayout:
        labels = tuple(snapshot.input_labels)
        key = (tuple(snapshot.sizes), rows, cols, labels)
        if key == self._layout_key and self._layout is not None:
            return self._layout
        layout = layout_topology(snapshot.sizes, cols, rows, labels)
        base = blank_frame(rows, cols)
        self._labels = shorten_labels(labels, layout.label_width)
        # A block of several input columns has no room for labels on its rows: the neuron
        # panel names the selected input instead.
        one_column = not layout.dense or layout.column_widths[0] == 1
        if layout.label_width and layout.nodes and one_column:
            for k, box in enumerate(layout.nodes[0]):
                text = self._labels[k] if k < len(labels) else ""
                write_text(
                    base, box.y + box.h // 2, layout.label_width - len(text), text, palette.TEXT
                )
        box_index = []
        for boxes in layout.nodes:
            if boxes:
                ys = np.array([b.y for b in boxes])[:, None, None] + np.arange(layout.box_h)[None, :, None]
                xs = np.array([b.x for b in boxes])[:, None, None] + np.arange(layout.box_w)[None, None, :]
                ys, xs = np.broadcast_arrays(ys, xs)
                box_index.append((ys, xs))
            else:
                box_index.append((np.zeros((0, 1, 1), np.intp), np.zeros((0, 1, 1), np.intp)))
        self._layout, self._layout_key = layout, key
        self._links = _Links(layout)
        self._base = base
        self._box_index = box_index
        self._link_key_cache = None
        self._link_frame = None
        self._thumb_bins = {}
        return layout

    def _draw_links(self, snapshot: NetworkView) -> np.ndarray:
        links = self._links
        assert links is not None and self._base is not None
        keys = _link_keys(snapshot, links.count, links.offsets, links.caps)
        if self._link_frame is not None and np.array_equal(keys, self._link_key_cache):
            return self._link_frame
        frame = self._base.copy()
        flat = frame.reshape(-1)
        link, cell, bit = links.dots(keys)
        entry = keys[link]
        vis = entry >= 2
        cell, bit, entry = cell[vis], bit[vis], entry[vis]
        bits = np.zeros(links.cells, dtype=np.uint8)
        np.bitwise_or.at(bits, cell, bit)
        best = np.zeros(links.cells, dtype=np.uint8)
        np.maximum.at(best, cell, entry)
        lit = np.flatnonzero(bits)
        level = best[lit] >> 1
        colour = np.where(best[lit] & 1, palette.LINK_POS, palette.LINK_NEG) + level.astype(np.int64) - 1
        flat[lit] = pack(BRAILLE + bits[lit].astype(np.uint32), colour, palette.DEFAULT)
        self._link_key_cache, self._link_frame = keys, frame
        return frame

    def inset_box(self, layout: TopologyLayout, layer: int, box: NodeBox) -> NodeBox | None:
        """Where a wide layout shows the selected neuron's map enlarged: the largest
        thumbnail that fits the wider gap beside its layer, level with it."""
        gaps = []
        if layer + 1 < len(layout.columns):
            gaps.append((layout.columns[layer + 1] - layout.right_edge(layer), layout.right_edge(layer)))
        if layer > 0:
            start = layout.right_edge(layer - 1)
            gaps.append((layout.columns[layer] - start, start))
        if not gaps:
            return None
        gap, start = max(gaps)
        for bw, bh in BOX_TIERS[:-2]:  # at least 4 x 2 cells, or it is not enlarged
            if bw + 2 <= gap and bh + 1 <= layout.height:
                y = min(max(box.y - bh // 2, 0), layout.height - bh - 1)
                return NodeBox(start + (gap - bw) // 2, y, bw, bh)
        return None

    def _draw_enlarged(self, frame, layout, snapshot, layer: int, index: int, box: NodeBox) -> None:
        hi = palette.HIGHLIGHT
        write_text(frame, box.y, box.x, "█", hi)  # the selected cell; its map is drawn beside
        inset = self.inset_box(layout, layer, box)
        if inset is None:
            return
        maps = snapshot.neuron_maps[layer] if layer < len(snapshot.neuron_maps) else None
        pix = np.full((2 * inset.h, inset.w), _EMPTY_PIXEL, dtype=np.uint8)
        if maps is not None and index < len(maps):
            m = np.asarray(maps[index])
            if m.ndim == 2 and min(m.shape) > 0:
                pix = palette.value_bins(resample(m, 2 * inset.h, inset.w))
            elif m.ndim == 1 and m.size:
                pix = np.broadcast_to(palette.value_bins(m[nearest_index(m.size, inset.w)]), pix.shape)
        cells = shaded_cells(pix[0::2]) if palette.shading() else pixels_to_cells(pix)
        frame[inset.y:inset.y + inset.h, inset.x:inset.x + inset.w] = cells
        for y in range(inset.y, inset.y + inset.h):
            write_text(frame, y, inset.x - 1, "▐", hi)
            write_text(frame, y, inset.x + inset.w, "▌", hi)
        write_text(frame, inset.y + inset.h, inset.x, neuron_name(layer, len(layout.sizes), index)[: inset.w], hi)

    def _thumbnails(self, snapshot: NetworkView, layer: int, n: int) -> np.ndarray:
        """Cells (n, box_h, box_w) of the first n neurons of a layer."""
        layout = self._layout
        assert layout is not None
        bw, bh = layout.box_w, layout.box_h
        maps = snapshot.neuron_maps[layer] if layer < len(snapshot.neuron_maps) else None
        pix = np.full((n, 2 * bh, bw), _EMPTY_PIXEL, dtype=np.uint8)
        grid = None
        if maps is not None:
            maps = np.asarray(maps)
            m = min(n, maps.shape[0]) if maps.ndim >= 2 else 0
            if m and maps.ndim == 3 and min(maps.shape[1:]) > 0:
                grid = resample(maps[:m], 2 * bh, bw)
            elif m and maps.ndim == 2 and maps.shape[1] > 0:
                strip = maps[:m][:, nearest_index(maps.shape[1], bw)]
                grid = np.broadcast_to(strip[:, None, :], (m, 2 * bh, bw))
        if grid is not None:
            previous = self._thumb_bins.get(layer)
            bins = palette.sticky_value_bins(grid, previous)
            self._thumb_bins[layer] = bins
            pix[: len(bins)] = bins
        else:
            self._thumb_bins.pop(layer, None)
        if palette.shading():  # 16 colours, NO_COLOR: the top pixel of each cell, as shading
            return shaded_cells(pix[:, 0::2, :])
        return pixels_to_cells(pix)

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        snapshot = self._snapshot
        if snapshot is None or not snapshot.sizes:
            return blank_frame(rows, cols)
        layout = self._ensure_layout(snapshot, rows, cols)
        frame = self._draw_links(snapshot).copy()
        for layer, boxes in enumerate(layout.nodes):
            if boxes:
                ys, xs = self._box_index[layer]
                frame[ys, xs] = self._thumbnails(snapshot, layer, len(boxes))
        self._draw_dropped(frame, layout, snapshot)
        self._draw_selection(frame, layout, snapshot)
        return frame

    def _draw_dropped(self, frame: np.ndarray, layout: TopologyLayout, snapshot: NetworkView) -> None:
        """Units dropout switched off in the last training batch: an empty box with a ×."""
        for hidden, dropped in enumerate(getattr(snapshot, "dropped", ())):
            layer = hidden + 1
            if dropped is None or layer >= len(layout.nodes):
                continue
            for index in np.flatnonzero(dropped[: len(layout.nodes[layer])]).tolist():
                box = layout.box(layer, index)
                if box is None:
                    continue
                frame[box.y : box.y + box.h, box.x : box.x + box.w] = pack(SPACE, palette.DEFAULT, palette.EMPTY)
                write_text(frame, box.y + box.h // 2, box.x + box.w // 2, "×", palette.TEXT_DIM, palette.EMPTY)

    def _draw_selection(self, frame: np.ndarray, layout: TopologyLayout, snapshot: NetworkView) -> None:
        if self._selected is None:
            return
        layer, index = self._selected
        box = layout.box(layer, index)
        if box is None:
            return
        hi = palette.HIGHLIGHT
        if layout.dense:
            self._draw_enlarged(frame, layout, snapshot, layer, index, box)
            return
        for y in range(box.y, box.y + box.h):
            write_text(frame, y, box.x - 1, "▐", hi)
            write_text(frame, y, box.x + box.w, "▌", hi)
        if layout.v_gap:
            write_text(frame, box.y - 1, box.x - 1, "▗" + "▄" * box.w + "▖", hi)
            write_text(frame, box.y + box.h, box.x - 1, "▝" + "▀" * box.w + "▘", hi)
        if layer == 0 and layout.label_width:
            text = self._labels[index] if index < len(self._labels) else ""
            write_text(frame, box.y + box.h // 2, layout.label_width - len(text), text, hi)
