"""Rosenblatt's learning rule, one pass over the training set per epoch."""

from __future__ import annotations


import numpy as np

from nn_tui.kinds.base import Run, RunState
from nn_tui.kinds.supervised import model_arrays, restore_model_arrays
from nn_tui.training import TrainingDiverged, score_model


class PerceptronRun(Run):
    def __init__(self, config, dataset, model, inputs) -> None:
        super().__init__(config, dataset)
        self.model = model
        self.inputs = inputs
        self.lr = config.train.lr
        self.rng = np.random.default_rng(config.train.seed)
        self.y_train = dataset.y_train.astype(inputs.train.dtype, copy=False)
        self.y_test = dataset.y_test.astype(inputs.test.dtype, copy=False)
        self._epoch = 0
        self._step = 0

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def step(self) -> int:
        return self._step

    def train_steps(self, max_steps: int) -> bool:
        """The rule's unit of work is a whole pass: every call ends an epoch."""
        self.model.train_epoch(self.inputs.train, self.y_train, self.lr, self.rng)
        if not np.isfinite(self.model.params["W"]).all():
            raise TrainingDiverged(f"the weights became non-finite at epoch {self._epoch + 1}")
        self._step += 1
        self._epoch += 1
        return True

    def run_epoch(self) -> None:
        self.train_steps(1)

    def scores(self) -> dict[str, float]:
        return score_model(self.model, self.dataset.task, self.inputs.train, self.y_train,
                           self.inputs.test, self.y_test, self._epoch)

    # --- resuming ---------------------------------------------------------------
    resumable = True

    def state(self) -> RunState:
        info = {"epoch": self._epoch, "step": self._step, "lr": self.lr, "rng": self.rng.bit_generator.state}
        return RunState(arrays=model_arrays(self.model), info=info)

    def restore(self, state: RunState) -> None:
        restore_model_arrays(self.model, state.arrays)
        info = state.info
        self._epoch, self._step, self.lr = int(info["epoch"]), int(info["step"]), float(info["lr"])
        self.rng.bit_generator.state = info["rng"]

    def set_lr(self, lr: float) -> None:
        self.lr = lr

    def set_optimizer(self, train_config) -> None:
        """The rule has no optimizer: nothing to change but the rate."""
        self.lr = train_config.lr

    def set_batch_size(self, size: int) -> None:
        """Rosenblatt's rule updates after every sample, whatever the batch size."""

    def input_names(self) -> tuple[str, ...]:
        return self.inputs.names
