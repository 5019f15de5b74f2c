"""A run trained by gradient descent on (input, target) pairs: the mini-batch step
(nn_tui.training.Trainer) behind the `Run` interface. MLPs use it; so can any kind
whose model has `loss_and_grads`, `forward`, `loss` and an engine optimizer.

With `--early-stop` a validation split is set aside from the training rows and
watched after every epoch (nn_tui.early_stopping); with `--schedule`/`--warmup` the
trainer sets the rate before every update (nn_tui.engine.schedules)."""

from __future__ import annotations

import dataclasses

import numpy as np

from nn_tui.early_stopping import EarlyStopping, validation_split
from nn_tui.engine import make_optimizer
from nn_tui.engine.schedules import Schedule
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.settings import VALIDATION_SHARE
from nn_tui.training import Trainer, evaluation_mode, outputs_and_loss


def make_optimizer_for(train_config):
    return make_optimizer(train_config.optimizer, train_config.lr, reg=train_config.reg,
                          reg_rate=train_config.reg_rate)


def schedule_for(train_config, lr: float) -> Schedule | None:
    """The trainer's schedule for these settings around the base rate `lr`; None for a
    constant rate without warm-up (the rate is then never touched, as before schedules)."""
    schedule = Schedule(train_config.schedule, lr, warmup=train_config.warmup, length=train_config.epochs,
                        every=train_config.step_every)
    return schedule if schedule.changes else None


def use_schedule(trainer, train_config, lr: float) -> None:
    trainer.schedule = schedule_for(train_config, lr)


class SupervisedRun(Run):
    def __init__(self, config, dataset, model, x_train: np.ndarray, x_test: np.ndarray,
                 y_train: np.ndarray | None = None, y_test: np.ndarray | None = None,
                 prepare_train=None, prepare_test=None) -> None:
        super().__init__(config, dataset)
        self.model = model
        self.optimizer = make_optimizer_for(config.train)
        y_train = dataset.y_train if y_train is None else y_train
        self.early_stopping = None
        if config.train.early_stop:
            rows, held = validation_split(len(x_train), VALIDATION_SHARE, config.data_seed)
            self.x_val, self.y_val = x_train[held], y_train[held]
            x_train, y_train = x_train[rows], y_train[rows]
            self.early_stopping = EarlyStopping(config.train.early_stop)
        self.trainer = Trainer(
            model, self.optimizer, dataset.task, x_train, y_train, x_test,
            dataset.y_test if y_test is None else y_test,
            config.train.batch_size, seed=config.train.seed,
            prepare_train=prepare_train, prepare_test=prepare_test, dtype=np.dtype(config.train.dtype),
        )
        if self.early_stopping is not None:
            self.y_val = self.y_val.astype(self.trainer.y_train.dtype, copy=False)
        use_schedule(self.trainer, config.train, config.train.lr)

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def step(self) -> int:
        return self.trainer.step

    def train_steps(self, max_steps: int) -> bool:
        ended = self.trainer.train_steps(max_steps)
        if ended and self.early_stopping is not None:
            self.early_stopping.after_epoch(self.epoch, self.validation_loss(), self.model)
        return ended

    def run_epoch(self) -> None:
        while not self.train_steps(self.trainer.steps_per_epoch):
            pass

    def validation_loss(self) -> float:
        """The loss on the validation split (early stopping's), in evaluation mode."""
        with evaluation_mode(self.model):
            return outputs_and_loss(self.model, self.x_val, self.y_val, self.trainer.prepare_train)[1]

    @property
    def stopped_early_at(self) -> int | None:
        return None if self.early_stopping is None else self.early_stopping.stopped_at

    def finish(self) -> None:
        if self.early_stopping is not None and self.early_stopping.stopped_at != self.epoch:
            self.early_stopping.restore_best(self.model)

    def training_report(self) -> dict:
        report = super().training_report()
        if self.early_stopping is not None:
            report.update(stopped_early_at=self.early_stopping.stopped_at, best_epoch=self.early_stopping.best_epoch,
                          best_val_loss=self.early_stopping.best_loss)
        return report

    def restart_epoch(self) -> None:
        self.trainer.restart_epoch()

    def scores(self) -> dict[str, float]:
        scores = self.trainer.scores()
        if self.early_stopping is not None:
            scores["val_loss"] = self.validation_loss()
        return scores

    def health_inputs(self):
        return self.trainer.health_inputs()

    # --- resuming ---------------------------------------------------------------
    resumable = True

    def state(self) -> RunState:
        trainer_info, arrays = self.trainer.state()
        t, moments = self.optimizer.get_state()
        arrays = {**{f"trainer.{k}": v for k, v in arrays.items()},
                  **{f"optimizer.{k}": v for k, v in moments.items()},
                  **model_arrays(self.model)}
        info = {"trainer": trainer_info, "optimizer": {"name": self.optimizer.name, "t": t, "lr": self.optimizer.lr}}
        if hasattr(self.model, "rng"):  # dropout's masks: the next ones drawn after a resume are the same
            info["model_rng"] = self.model.rng.bit_generator.state
        stopping = getattr(self, "early_stopping", None)
        if stopping is not None:
            info["early_stopping"], best = stopping.state()
            arrays.update({f"early_stopping.{k}": v for k, v in best.items()})
        return RunState(arrays=arrays, info=info)

    def restore(self, state: RunState) -> None:
        info, arrays = state.info, state.arrays
        if info["optimizer"]["name"] != self.optimizer.name:
            raise NotResumable("the saved run used another optimizer than its settings say")
        restore_model_arrays(self.model, arrays)
        self.optimizer.lr = info["optimizer"]["lr"]
        self.optimizer.set_state(self.model, info["optimizer"]["t"],
                                 {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("optimizer.")})
        self.trainer.restore(info["trainer"], {k.split(".", 1)[1]: v for k, v in arrays.items()
                                                if k.startswith("trainer.")})
        if "model_rng" in info:
            self.model.rng.bit_generator.state = info["model_rng"]
        stopping = getattr(self, "early_stopping", None)
        if stopping is not None:
            if "early_stopping" not in info:
                raise NotResumable("the saved run did not stop early; its settings say it does")
            stopping.restore(info["early_stopping"], {k.split(".", 1)[1]: v for k, v in arrays.items()
                                                      if k.startswith("early_stopping.")}, self.model)

    def set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr  # no reset: the run goes on with the new rate
        use_schedule(self.trainer, self.config.train, lr)  # the schedule's base rate, where it has one

    def set_optimizer(self, train_config) -> None:
        self.optimizer = self.trainer.optimizer = make_optimizer_for(train_config)

    def set_batch_size(self, size: int) -> None:
        self.trainer.batch_size = size
        self.trainer.restart_epoch()


def model_arrays(model) -> dict:
    """Every layer's parameters (weights, biases, kernels), mask if it has one, and
    buffers (batch norm's running statistics), by name."""
    arrays = {}
    for i, layer in enumerate(model.layers):
        for name, value in getattr(layer, "params", {}).items():
            arrays[f"model.{i}.{name}"] = value.copy()
        if getattr(layer, "mask", None) is not None:
            arrays[f"model.{i}.mask"] = layer.mask.copy()
        for name, value in getattr(layer, "buffers", {}).items():
            arrays[f"model.{i}.buffer.{name}"] = value.copy()
    return arrays


def restore_model_arrays(model, arrays: dict) -> None:
    for i, layer in enumerate(model.layers):
        for name, current in getattr(layer, "params", {}).items():
            value = arrays.get(f"model.{i}.{name}")
            if value is None or value.shape != current.shape:
                raise NotResumable(f"the saved run's layer {i} does not fit this model ({name})")
            layer.params[name] = np.asarray(value)  # Parameters copies into the network's buffers
        if hasattr(layer, "set_mask"):
            mask = arrays.get(f"model.{i}.mask")
            layer.set_mask(None if mask is None else np.asarray(mask))
        for name, current in getattr(layer, "buffers", {}).items():
            value = arrays.get(f"model.{i}.buffer.{name}")
            if value is None or value.shape != current.shape:
                raise NotResumable(f"the saved run's layer {i} does not fit this model ({name})")
            current[...] = value
