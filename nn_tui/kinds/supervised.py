"""A run trained by gradient descent on (input, target) pairs: the mini-batch step
(nn_tui.training.Trainer) behind the `Run` interface. MLPs use it; so can any kind
whose model has `loss_and_grads`, `forward`, `loss` and an engine optimizer."""

from __future__ import annotations

import numpy as np

from nn_tui.engine import make_optimizer
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.training import Trainer


def make_optimizer_for(train_config):
    return make_optimizer(train_config.optimizer, train_config.lr, reg=train_config.reg,
                          reg_rate=train_config.reg_rate)


class SupervisedRun(Run):
    def __init__(self, config, dataset, model, x_train: np.ndarray, x_test: np.ndarray,
                 y_train: np.ndarray | None = None, y_test: np.ndarray | None = None,
                 prepare_train=None, prepare_test=None) -> None:
        super().__init__(config, dataset)
        self.model = model
        self.optimizer = make_optimizer_for(config.train)
        self.trainer = Trainer(
            model, self.optimizer, dataset.task, x_train,
            dataset.y_train if y_train is None else y_train, x_test,
            dataset.y_test if y_test is None else y_test,
            config.train.batch_size, seed=config.train.seed,
            prepare_train=prepare_train, prepare_test=prepare_test, dtype=np.dtype(config.train.dtype),
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

    def set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr  # no reset: the run goes on with the new rate

    def set_optimizer(self, train_config) -> None:
        self.optimizer = self.trainer.optimizer = make_optimizer_for(train_config)

    def set_batch_size(self, size: int) -> None:
        self.trainer.batch_size = size
        self.trainer.restart_epoch()


def model_arrays(model) -> dict:
    """Every layer's parameters (weights, biases, kernels) and mask, if it has one, by name."""
    arrays = {}
    for i, layer in enumerate(model.layers):
        for name, value in getattr(layer, "params", {}).items():
            arrays[f"model.{i}.{name}"] = value.copy()
        if getattr(layer, "mask", None) is not None:
            arrays[f"model.{i}.mask"] = layer.mask.copy()
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
