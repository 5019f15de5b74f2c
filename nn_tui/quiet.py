"""NumPy's floating-point warnings never reach the user's terminal: a diverging run says
so in one line (nn_tui.divergence), not in a screenful of `RuntimeWarning: overflow`."""

from __future__ import annotations

import warnings

import numpy as np


def quiet_floating_point() -> None:
    """For this process: overflow, underflow, 0/0 give inf/NaN silently, and NumPy's
    other RuntimeWarnings (empty slices) are dropped. Call it in the CLI and the
    training process, not in library code."""
    np.seterr(all="ignore")
    warnings.simplefilter("ignore", RuntimeWarning)
