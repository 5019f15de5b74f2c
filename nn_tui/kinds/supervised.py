"""A run trained by gradient descent on (input, target) pairs: the mini-batch step
(nn_tui.training.Trainer) behind the `Run` interface. MLPs use it; so can any kind
whose model has `loss_and_grads`, `forward`, `loss` and an engine optimizer."""

from __future__ import annotations

import numpy as np

from nn_tui.engine import make_optimizer
from nn_tui.kinds.base import Run
from nn_tui.training import Trainer


def make_optimizer_for(train_config):
    return make_optimizer(train_config.optimizer, train_config.lr, reg=train_config.reg,
                          reg_rate=train_config.reg_rate)


class SupervisedRun(Run):
    def __init__(self, config, dataset, model, x_train: np.ndarray, x_test: np.ndarray,
                 y_train: np.ndarray | None = None, y_test: np.ndarray | None = None) -> None:
        super().__init__(config, dataset)
        self.model = model
        self.optimizer = make_optimizer_for(config.train)
        self.trainer = Trainer(
            model, self.optimizer, dataset.task, x_train,
            dataset.y_train if y_train is None else y_train, x_test,
            dataset.y_test if y_test is None else y_test,
            config.train.batch_size, seed=config.train.seed,
        )

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def step(self) -> int:
        return self.trainer.step

    def train_steps(self, max_steps: int) -> bool:
        return self.trainer.train_steps(max_steps)

    def run_epoch(self) -> None:
        self.trainer.run_epoch()

    def restart_epoch(self) -> None:
        self.trainer.restart_epoch()

    def scores(self) -> dict[str, float]:
        return self.trainer.scores()

    def set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr  # no reset: the run goes on with the new rate

    def set_optimizer(self, train_config) -> None:
        self.optimizer = self.trainer.optimizer = make_optimizer_for(train_config)

    def set_batch_size(self, size: int) -> None:
        self.trainer.batch_size = size
        self.trainer.restart_epoch()
