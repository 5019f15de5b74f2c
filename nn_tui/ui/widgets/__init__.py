"""Drawing widgets: half-block heatmaps and the network topology.

Both are Line API widgets that keep their last frame and refresh only the
cells whose quantised colours changed (see ``_raster``). ``enable_span_updates()``
(opt-in, process-wide) makes Textual send just those cells instead of each
changed line from its start (see ``_span_updates``).
"""

from nn_tui.ui.widgets._span_updates import enable_span_updates
from nn_tui.ui.widgets.heatmap import Heatmap, heatmap_pixels
from nn_tui.ui.widgets.topology import (
    NodeBox,
    Topology,
    TopologyLayout,
    layout_topology,
    move_selection,
)

__all__ = [
    "enable_span_updates",
    "Heatmap",
    "heatmap_pixels",
    "NodeBox",
    "Topology",
    "TopologyLayout",
    "layout_topology",
    "move_selection",
]
