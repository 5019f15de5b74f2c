"""The training loop shared by `nn-tui train` and the app's session.

A Trainer owns no thread and no UI: it trains a model on fixed inputs in
mini-batches, counts epochs, scores the model, and raises TrainingDiverged when
the loss stops being a finite number. Work can be asked for in slices of steps
so the session can answer a key press in the middle of a long epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nn_tui.data import BINARY, MULTICLASS, REGRESSION
from nn_tui.engine import Perceptron


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite."""


@dataclass(frozen=True)
class Scores:
    train_loss: float
    test_loss: float
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    test_rmse: float | None = None
    test_r2: float | None = None


def format_loss(value: float) -> str:
    """A loss for people: four decimals, or three significant digits once it is
    huge (a diverging run reaches 1e287, which four decimals would print in full)."""
    if math.isfinite(value) and abs(value) >= 1e4:
        return f"{value:.3g}"
    return f"{value:.4f}"  # nan and inf print as such


def accuracy(task: str, outputs: np.ndarray, targets: np.ndarray) -> float:
    if task == MULTICLASS:
        return float(np.mean(outputs.argmax(axis=1) == targets.argmax(axis=1)))
    # Binary targets are 0/1, so any output activation is read with the same cut.
    return float(np.mean((outputs[:, 0] >= 0.5) == (targets[:, 0] >= 0.5)))


class Trainer:
    def __init__(self, model, optimizer, task: str, x_train, y_train, x_test, y_test,
                 batch_size: int, seed: int = 0) -> None:
        self.model = model
        self.optimizer = optimizer
        self.task = task
        self.x_train, self.y_train = x_train, y_train.astype(x_train.dtype, copy=False)
        self.x_test, self.y_test = x_test, y_test.astype(x_test.dtype, copy=False)
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self.epoch = 0  # completed epochs
        self.step = 0  # completed mini-batch updates
        self._order: np.ndarray | None = None  # this epoch's sample order
        self._cursor = 0  # where in `_order` the next batch starts

    @property
    def is_perceptron(self) -> bool:
        return isinstance(self.model, Perceptron)

    @property
    def steps_per_epoch(self) -> int:
        if self.is_perceptron:
            return 1
        return -(-len(self.x_train) // self.batch_size)

    def run_epoch(self) -> None:
        """Finish the current epoch (a whole one if none is under way)."""
        self.train_steps(self.steps_per_epoch)

    def train_steps(self, max_steps: int) -> bool:
        """Do up to `max_steps` updates, stopping at the end of an epoch. True if one ended."""
        if self.is_perceptron:
            self._perceptron_epoch()
            return True
        if self._order is None:
            self._order = self.rng.permutation(len(self.x_train))
            self._cursor = 0
        order, batch, n = self._order, self.batch_size, len(self._order)
        x, y = self.x_train, self.y_train
        model, optimizer = self.model, self.optimizer
        for _ in range(max_steps):
            index = order[self._cursor : self._cursor + batch]
            loss, _ = model.loss_and_grads(x[index], y[index])
            if not math.isfinite(loss):
                raise TrainingDiverged(f"the loss became {loss} at epoch {self.epoch + 1}")
            optimizer.step(model)
            self.step += 1
            self._cursor += batch
            if self._cursor >= n:
                self._order = None
                self.epoch += 1
                return True
        return False

    def _perceptron_epoch(self) -> None:
        self.model.train_epoch(self.x_train, self.y_train, self.optimizer.lr, self.rng)
        self.step += 1
        self.epoch += 1

    def restart_epoch(self) -> None:
        """Forget the epoch under way (after the data or the model changed)."""
        self._order = None
        self._cursor = 0

    def scores(self) -> Scores:
        model, task = self.model, self.task
        out_train, out_test = model.forward(self.x_train), model.forward(self.x_test)
        train_loss = float(model.loss(self.x_train, self.y_train))
        test_loss = float(model.loss(self.x_test, self.y_test))
        if not (math.isfinite(train_loss) and math.isfinite(test_loss)):
            raise TrainingDiverged(f"the loss became {train_loss} at epoch {self.epoch}")
        if task in (BINARY, MULTICLASS):
            return Scores(
                train_loss, test_loss,
                train_accuracy=accuracy(task, out_train, self.y_train),
                test_accuracy=accuracy(task, out_test, self.y_test),
            )
        assert task == REGRESSION
        error = out_test - self.y_test
        rmse = float(np.sqrt(np.mean(error**2)))
        spread = float(np.sum((self.y_test - self.y_test.mean(axis=0)) ** 2))
        r2 = 1.0 - float(np.sum(error**2)) / spread if spread > 0 else float("nan")
        return Scores(train_loss, test_loss, test_rmse=rmse, test_r2=r2)
