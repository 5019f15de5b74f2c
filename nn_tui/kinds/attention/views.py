"""What the attention kind's screen shows, frozen (see nn_tui/views.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View

WEIGHT_LEVELS = 255  # attention weights travel as uint8: weight × 255, rounded


@dataclass(frozen=True, eq=False)
class AttentionView(View):
    """One held-out text as the transformer reads it. ``weights`` (blocks, heads, T, T) is
    every head's attention from each position (row) onto each earlier one (column), as
    uint8 (× 1/255); ``top_ids``/``top_probs`` (T, 5) the five likeliest next characters
    after each position; ``asking`` the position that predicts the language's first
    letter (the space after "I speak fluent"), where the cursor starts."""

    text: str
    weights: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    chars: tuple[str, ...]
    asking: int
    story: int = 0
    stories: int = 1

    @property
    def blocks(self) -> int:
        return int(self.weights.shape[0])

    @property
    def heads(self) -> int:
        return int(self.weights.shape[1])

    def head_map(self, flat_head: int) -> np.ndarray:
        """The (T, T) weights of head ``flat_head`` (block-major), in [0, 1]."""
        block, head = divmod(flat_head, self.heads)
        return self.weights[block, head].astype(np.float64) / WEIGHT_LEVELS
