"""An autoencoder run: an MLP n-encoder-decoder-n with a sigmoid output and MSE on pixels in [0, 1]."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import Dataset
from nn_tui.engine import Network
from nn_tui.kinds.autoencoder.step import DenoisingTrainer, corrupt
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.kinds.supervised import SupervisedRun, make_optimizer_for


def psnr(estimate: np.ndarray, clean: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB for pixels with peak 1.0, over every pixel."""
    mse = float(np.mean((estimate - clean) ** 2))
    return float("inf") if mse == 0 else float(10.0 * np.log10(1.0 / mse))


def knn_accuracy(train_codes, train_labels, test_codes, test_labels, k=5) -> float:
    """A k-nearest-neighbour classifier fitted on train_codes, scored on test_codes
    (ties in the vote go to the smallest class)."""
    distances = ((test_codes[:, None, :] - train_codes[None, :, :]) ** 2).sum(axis=2)
    # argpartition, not a full sort: scored every epoch, the sort took longer than the epoch
    nearest = np.argpartition(distances, k - 1, axis=1)[:, :k]
    votes = np.zeros((len(test_codes), int(train_labels.max()) + 1), dtype=np.int64)
    np.add.at(votes, (np.arange(len(test_codes))[:, None], train_labels[nearest]), 1)
    return float(np.mean(votes.argmax(axis=1) == test_labels))


class AutoencoderRun(Run):
    def __init__(self, config, dataset: Dataset, model) -> None:
        super().__init__(config, dataset)
        self.model = model
        dtype = config.train.dtype
        # Pixels in [0, 1] (uint8 images scaled). A float copy of the whole set: the noise is
        # drawn for all of it at each epoch's start (per-batch scaling is not done here yet).
        self.clean_train = np.ascontiguousarray(dataset.floats(dataset.X_train, None, dtype))
        self.clean_test = np.ascontiguousarray(dataset.floats(dataset.X_test, None, dtype))
        sigma, seed = config.model.corrupt, config.train.seed
        # The test split's noise is drawn once, so every epoch is scored on the same inputs.
        self.noisy_test = corrupt(self.clean_test, sigma, np.random.default_rng([seed, 2])) if sigma else self.clean_test
        self.optimizer = make_optimizer_for(config.train)
        self.trainer = DenoisingTrainer(model, self.optimizer, self.clean_train, self.clean_test, self.noisy_test,
                                        sigma, config.train.batch_size, seed)

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def step(self) -> int:
        return self.trainer.step

    @property
    def code_layer(self) -> int:
        """Index (in model.layers) of the bottleneck layer, whose outputs are the codes."""
        return len(self.config.model.layers) - 1

    def codes(self, X: np.ndarray) -> np.ndarray:
        return self.model.layer_outputs(X)[self.code_layer]

    def train_steps(self, max_steps: int) -> bool:
        return self.trainer.train_steps(max_steps)

    def run_epoch(self) -> None:
        self.trainer.run_epoch()

    def restart_epoch(self) -> None:
        self.trainer.restart_epoch()

    def scores(self) -> dict[str, float]:
        scores = self.trainer.scores()
        rebuilt = self.model.forward(self.noisy_test)
        if self.config.model.corrupt > 0:  # without noise, noisy = clean: an infinite PSNR says nothing
            scores["test_psnr_noisy"] = psnr(self.noisy_test, self.clean_test)
        scores["test_psnr"] = psnr(rebuilt, self.clean_test)
        if self.config.model.layers[-1] == 2 and self.dataset.is_classification:
            labels = self.dataset.labels(self.dataset.y_train)
            test_labels = self.dataset.labels(self.dataset.y_test)
            scores["code_5nn_accuracy"] = knn_accuracy(self.codes(self.clean_train), labels,
                                                       self.codes(self.clean_test), test_labels)
        return scores

    def set_corrupt(self, sigma: float) -> None:
        """A new noise level for the inputs; the weights stay. The test split's noise is
        drawn again from its own seed, the epoch under way goes on with fresh noise."""
        self.noisy_test = (corrupt(self.clean_test, sigma, np.random.default_rng([self.config.train.seed, 2]))
                           if sigma else self.clean_test)
        trainer = self.trainer
        trainer.sigma, trainer.x_test = sigma, self.noisy_test
        trainer.x_train = corrupt(self.clean_train, sigma, trainer.noise_rng) if sigma else self.clean_train

    def set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr

    def set_optimizer(self, train_config) -> None:
        self.optimizer = self.trainer.optimizer = make_optimizer_for(train_config)

    def set_batch_size(self, size: int) -> None:
        self.trainer.batch_size = size
        self.trainer.restart_epoch()

    def metadata(self) -> dict:
        return {**super().metadata(), "corrupt": self.config.model.corrupt}

    # --- resuming: the supervised state, plus the noise stream and this epoch's noisy inputs
    resumable = True

    def state(self) -> RunState:
        state = SupervisedRun.state(self)
        state.info["noise_rng"] = self.trainer.noise_rng.bit_generator.state
        if self.trainer._order is not None and self.config.model.corrupt > 0:
            state.arrays["noisy_train"] = self.trainer.x_train.copy()
        return state

    def restore(self, state: RunState) -> None:
        SupervisedRun.restore(self, state)
        self.trainer.noise_rng.bit_generator.state = state.info["noise_rng"]
        noisy = state.arrays.get("noisy_train")
        if noisy is not None:
            if noisy.shape != self.clean_train.shape:
                raise NotResumable("the saved noisy inputs do not fit this data")
            self.trainer.x_train = np.array(noisy, dtype=self.clean_train.dtype)


def build(config, dataset: Dataset, model=None) -> AutoencoderRun:
    spec, train = config.model, config.train
    n = dataset.X_train.shape[1]
    if model is not None:
        if model.sizes[0] != n or model.sizes[-1] != n:
            raise ConfigError(f"{Path(train.load or 'the model').name}: the autoencoder rebuilds {model.sizes[0]} "
                              f"values, but this data has {n}")
    else:
        try:
            model = Network.mlp(n, hidden=list(spec.hidden), n_out=n, activation=spec.activation, output="sigmoid",
                                loss="mse", seed=train.seed, init=spec.init, dtype=np.dtype(train.dtype))
        except ValueError as error:
            raise ConfigError(str(error)) from None
    return AutoencoderRun(config, dataset, model)
