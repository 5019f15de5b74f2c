"""Drawing widgets: half-block heatmaps and the network topology.

Both are Line API widgets that keep their last frame and refresh only the
terminal lines whose quantised colours changed (see ``_raster``).
"""

from nn_tui.ui.widgets.heatmap import Heatmap, heatmap_pixels
from nn_tui.ui.widgets.topology import (
    NodeBox,
    Topology,
    TopologyLayout,
    layout_topology,
    move_selection,
)

__all__ = [
    "Heatmap",
    "heatmap_pixels",
    "NodeBox",
    "Topology",
    "TopologyLayout",
    "layout_topology",
    "move_selection",
]
