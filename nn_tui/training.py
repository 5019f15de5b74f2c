"""The supervised training loop: mini-batches of a model with `loss_and_grads`.

A Trainer owns no thread and no UI: it trains a model on fixed inputs in
mini-batches, counts epochs, scores the model (named metrics), and raises
TrainingDiverged when the loss stops being a finite number. Work can be asked for
in slices of steps so the session can answer a key press in the middle of a long
epoch. Every kind trained by gradient descent on (input, target) pairs uses it.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from nn_tui.data import BINARY, MULTICLASS, REGRESSION


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite."""


def format_loss(value: float) -> str:
    """A loss for people: four decimals, or three significant digits once it is
    huge (a diverging run reaches 1e287, which four decimals would print in full)."""
    if math.isfinite(value) and abs(value) >= 1e4:
        return f"{value:.3g}"
    return f"{value:.4f}"  # nan and inf print as such


def evaluation_mode(model):
    """``with evaluation_mode(model):`` dropout off and batch norm on its running
    statistics inside (a model without modes: as it is). Scores, views and checks are
    made so: they neither draw dropout masks nor move batch norm's statistics."""
    evaluating = getattr(model, "evaluating", None)
    return evaluating() if evaluating is not None else contextlib.nullcontext()


def accuracy(task: str, outputs: np.ndarray, targets: np.ndarray) -> float:
    if task == MULTICLASS:
        return float(np.mean(outputs.argmax(axis=1) == targets.argmax(axis=1)))
    # Binary targets are 0/1, so any output activation is read with the same cut.
    return float(np.mean((outputs[:, 0] >= 0.5) == (targets[:, 0] >= 0.5)))


# Rows scored in one forward pass. A set up to ONE_PASS_ROWS is scored whole (the digits:
# their numbers stay bit for bit what they were); a bigger one in chunks of EVAL_ROWS,
# so 60,000 images never exist as floats (nor their feature maps) all at once.
ONE_PASS_ROWS = 2048
EVAL_ROWS = 512
SCORED_TRAIN_ROWS = 10_000


def chunks(n: int):
    """Row ranges to score a set of n rows in (one range when it is small)."""
    step = n if n <= ONE_PASS_ROWS else EVAL_ROWS
    return [slice(start, start + step) for start in range(0, n, max(step, 1))] or [slice(0, 0)]


class Trainer:
    """``prepare_train``/``prepare_test``, when given, turn (stored rows, which rows) into the
    model's inputs a batch at a time: images kept as uint8 are scaled per batch. Without
    them the stored arrays are the inputs (``dtype``: theirs)."""

    def __init__(self, model, optimizer, task: str, x_train, y_train, x_test, y_test,
                 batch_size: int, seed: int = 0, prepare_train=None, prepare_test=None, dtype=None) -> None:
        self.model = model
        self.optimizer = optimizer
        self.task = task
        self.prepare_train, self.prepare_test = prepare_train, prepare_test
        train_dtype = x_train.dtype if dtype is None or prepare_train is None else dtype
        test_dtype = x_test.dtype if dtype is None or prepare_test is None else dtype
        self.x_train, self.y_train = x_train, y_train.astype(train_dtype, copy=False)
        self.x_test, self.y_test = x_test, y_test.astype(test_dtype, copy=False)
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self.epoch = 0  # completed epochs
        self.step = 0  # completed mini-batch updates
        self._order: np.ndarray | None = None  # this epoch's sample order
        self._cursor = 0  # where in `_order` the next batch starts
        # A nn_tui.engine.schedules.Schedule that sets the optimizer's rate before every
        # update from the position in training (epochs done + the share of this one),
        # or None: the rate is left as it is.
        self.schedule = None
        # Batch norm cannot train on a batch of one row (no variance): an epoch's last
        # batch that would be one row is taken with the batch before it instead.
        self.min_batch = 2 if any("running_var" in getattr(layer, "buffers", {})
                                  for layer in getattr(model, "layers", ())) else 1

    @property
    def steps_per_epoch(self) -> int:
        return -(-len(self.x_train) // self.batch_size)

    def run_epoch(self) -> None:
        """Finish the current epoch (a whole one if none is under way)."""
        self.train_steps(self.steps_per_epoch)

    def train_steps(self, max_steps: int) -> bool:
        """Do up to `max_steps` updates, stopping at the end of an epoch. True if one ended."""
        if self._order is None:
            self._order = self.rng.permutation(len(self.x_train))
            self._cursor = 0
        order, batch, n = self._order, self.batch_size, len(self._order)
        model, optimizer, take, schedule = self.model, self.optimizer, self.batch, self.schedule
        for _ in range(max_steps):
            if schedule is not None:
                optimizer.lr = schedule.lr_at(self.epoch + self._cursor / n)
            end = self._cursor + batch
            if n - end < self.min_batch:  # (never with min_batch 1: the old batches, bit for bit)
                end = n
            index = order[self._cursor : end]
            loss, _ = model.loss_and_grads(*take(index))
            if not math.isfinite(loss):
                raise TrainingDiverged(f"the loss became {loss} at epoch {self.epoch + 1}")
            optimizer.step(model)
            self.step += 1
            self._cursor = end
            if self._cursor >= n:
                self._order = None
                self.epoch += 1
                return True
        return False

    def batch(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(inputs, targets) of the training rows `index`."""
        x = self.x_train[index] if self.prepare_train is None else self.prepare_train(self.x_train, index)
        return x, self.y_train[index]

    def restart_epoch(self) -> None:
        """Forget the epoch under way (after the data or the model changed)."""
        self._order = None
        self._cursor = 0

    def state(self) -> tuple[dict, dict]:
        """(info, arrays): counts, the shuffling RNG and the epoch under way, so a
        resumed trainer draws the same batches in the same order."""
        info = {"epoch": self.epoch, "step": self.step, "cursor": self._cursor,
                "batch_size": self.batch_size, "rng": self.rng.bit_generator.state}
        arrays = {} if self._order is None else {"order": self._order.copy()}
        return info, arrays

    def restore(self, info: dict, arrays: dict) -> None:
        self.epoch, self.step = int(info["epoch"]), int(info["step"])
        self.batch_size = int(info["batch_size"])
        self.rng.bit_generator.state = info["rng"]
        order = arrays.get("order")
        if order is not None and (order.shape != (len(self.x_train),) or order.dtype.kind not in "iu"):
            raise ValueError("the saved epoch order does not fit this data")
        self._order = None if order is None else np.array(order, dtype=np.int64)
        self._cursor = int(info["cursor"]) if order is not None else 0

    def scores(self) -> dict[str, float]:
        """train_loss and test_loss; accuracies for classification, RMSE and R² for regression."""
        with evaluation_mode(self.model):
            return score_model(self.model, self.task, self.x_train, self.y_train, self.x_test, self.y_test,
                               self.epoch, self.prepare_train, self.prepare_test)

    def health_inputs(self) -> np.ndarray:
        """Training inputs to look at the hidden layers with: all of a small set, the
        first ONE_PASS_ROWS of a big one (as floats)."""
        if self.prepare_train is None:
            return self.x_train
        return self.prepare_train(self.x_train, slice(0, ONE_PASS_ROWS))


def outputs_and_loss(model, x, y, prepare=None) -> tuple[np.ndarray, float]:
    """The model's outputs on every row of x and its loss there; with ``prepare``, a chunk
    of rows at a time (the loss a count-weighted mean of the chunks')."""
    if prepare is None:
        return model.forward(x), float(model.loss(x, y))
    pieces = chunks(len(x))
    if len(pieces) == 1:  # as without prepare: the digits' numbers stay bit for bit
        inputs = prepare(x, pieces[0])
        return model.forward(inputs), float(model.loss(inputs, y))
    outputs, total = [], 0.0
    for rows in pieces:
        inputs = prepare(x, rows)
        loss = float(model.loss(inputs, y[rows]))
        # The loss pass leaves the outputs in the last layer: one pass per chunk, not two.
        outputs.append(model.layers[-1].output.copy())
        total += loss * len(inputs)
    return np.concatenate(outputs), total / len(x)


def predict(model, x, prepare=None) -> np.ndarray:
    """The model's outputs on every row of x, a chunk at a time with ``prepare``."""
    if prepare is None:
        return model.forward(x)
    return np.concatenate([model.forward(prepare(x, rows)) for rows in chunks(len(x))])


def score_model(model, task: str, x_train, y_train, x_test, y_test, epoch: int,
                prepare_train=None, prepare_test=None) -> dict[str, float]:
    """The named metrics of a model on its train and test split. The training metrics of
    a set held as stored rows (``prepare_train``) are measured on its first
    SCORED_TRAIN_ROWS: scoring all of Fashion-MNIST's 60,000 after every epoch would cost
    a third of the epoch."""
    if prepare_train is not None and len(x_train) > SCORED_TRAIN_ROWS:
        x_train, y_train = x_train[:SCORED_TRAIN_ROWS], y_train[:SCORED_TRAIN_ROWS]
    out_train, train_loss = outputs_and_loss(model, x_train, y_train, prepare_train)
    out_test, test_loss = outputs_and_loss(model, x_test, y_test, prepare_test)
    return metrics(task, epoch, train_loss, test_loss, out_train, y_train, out_test, y_test)


def metrics(task: str, epoch: int, train_loss: float, test_loss: float, out_train, y_train, out_test,
            y_test) -> dict[str, float]:
    """The named metrics from the losses and outputs (out_train is unused for regression)."""
    if not (math.isfinite(train_loss) and math.isfinite(test_loss)):
        raise TrainingDiverged(f"the loss became {train_loss} at epoch {epoch}")
    if task in (BINARY, MULTICLASS):
        return {"train_loss": train_loss, "test_loss": test_loss,
                "train_accuracy": accuracy(task, out_train, y_train),
                "test_accuracy": accuracy(task, out_test, y_test)}
    assert task == REGRESSION
    error = out_test - y_test
    rmse = float(np.sqrt(np.mean(error**2)))
    spread = float(np.sum((y_test - y_test.mean(axis=0)) ** 2))
    r2 = 1.0 - float(np.sum(error**2)) / spread if spread > 0 else float("nan")
    return {"train_loss": train_loss, "test_loss": test_loss, "test_rmse": rmse, "test_r2": r2}
