"""Early stopping: watch the loss on a validation split after every epoch, remember
the weights of the best epoch, and stop (putting those weights back) once it has not
improved for `patience` epochs.

The validation rows are set aside from the training data before training starts
(`validation_split`, drawn from the data seed) and never trained on. Everything it
keeps is plain numbers and arrays (`state`/`restore`), so an autosaved run resumes
with the same best epoch, the same count of epochs without improvement, the same
best weights.
"""

from __future__ import annotations

import math

import numpy as np

# A validation loss counts as better only below the best by this share: noise in the
# last digits is not progress.
MIN_IMPROVEMENT = 1e-4


def validation_split(n_rows: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, validation rows), each in ascending order: `share` of n_rows
    (at least one, and at least one left to train on) drawn with `seed`."""
    if n_rows < 2:
        raise ValueError("early stopping needs at least 2 training rows (1 to validate on)")
    n_val = min(max(1, int(round(share * n_rows))), n_rows - 1)
    order = np.random.default_rng([seed, 22]).permutation(n_rows)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


class EarlyStopping:
    """``after_epoch(epoch, loss, model)`` once an epoch ends; True when it stopped the
    run there (the best weights are back in ``model``). After a stop it starts a new
    wait, so training may go on from the best weights."""

    def __init__(self, patience: int) -> None:
        self.patience = int(patience)
        self.best_loss = math.inf
        self.best_epoch: int | None = None
        self.wait = 0  # epochs since the best
        self.stopped_at: int | None = None
        self._best_params: np.ndarray | None = None
        self._best_buffers: dict = {}

    def after_epoch(self, epoch: int, loss: float, model) -> bool:
        if loss < self.best_loss - MIN_IMPROVEMENT * abs(self.best_loss) or self.best_epoch is None:
            self.best_loss, self.best_epoch, self.wait = float(loss), int(epoch), 0
            self._best_params = model.flat_params.copy()
            self._best_buffers = {name: array.copy() for name, array in model.buffers().items()}
            return False
        self.wait += 1
        if self.wait < self.patience:
            return False
        self.stopped_at, self.wait = int(epoch), 0
        self.restore_best(model)
        return True

    def restore_best(self, model) -> None:
        """Put the best epoch's weights (and batch norm's statistics) back in ``model``."""
        if self._best_params is not None:
            np.copyto(model.flat_params, self._best_params)
            model.load_buffers(self._best_buffers)

    # --- resuming ---------------------------------------------------------------
    def state(self) -> tuple[dict, dict]:
        info = {"best_loss": None if math.isinf(self.best_loss) else self.best_loss,
                "best_epoch": self.best_epoch, "wait": self.wait, "stopped_at": self.stopped_at}
        arrays = {} if self._best_params is None else {
            "params": self._best_params.copy(), **{f"buffer.{k}": v.copy() for k, v in self._best_buffers.items()}}
        return info, arrays

    def restore(self, info: dict, arrays: dict, model) -> None:
        self.best_loss = math.inf if info["best_loss"] is None else float(info["best_loss"])
        self.best_epoch = None if info["best_epoch"] is None else int(info["best_epoch"])
        self.wait = int(info["wait"])
        self.stopped_at = None if info["stopped_at"] is None else int(info["stopped_at"])
        params = arrays.get("params")
        if params is not None and params.shape != model.flat_params.shape:
            raise ValueError("the saved best weights do not fit this model")
        self._best_params = None if params is None else np.array(params, dtype=model.flat_params.dtype)
        self._best_buffers = {k[len("buffer."):]: np.array(v) for k, v in arrays.items() if k.startswith("buffer.")}
