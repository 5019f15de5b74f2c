"""The denoising step: mini-batches of noisy inputs against their clean selves."""

from __future__ import annotations

import numpy as np

from nn_tui.data import REGRESSION
from nn_tui.training import Trainer


def corrupt(X: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """X plus Gaussian noise of standard deviation sigma, clipped to the pixels' [0, 1]."""
    noisy = X + sigma * rng.standard_normal(X.shape)
    return np.clip(noisy, 0.0, 1.0, out=noisy).astype(X.dtype, copy=False)


class DenoisingTrainer(Trainer):
    """The supervised Trainer with targets = the clean inputs and fresh noise on
    the training inputs at the start of every epoch (a new corruption each pass,
    so the network cannot learn the noise by heart)."""

    def __init__(self, model, optimizer, clean_train, clean_test, noisy_test, sigma, batch_size, seed):
        super().__init__(model, optimizer, REGRESSION, clean_train, clean_train, noisy_test, clean_test,
                         batch_size, seed=seed)
        self.clean_train = clean_train
        self.sigma = sigma
        self.noise_rng = np.random.default_rng([seed, 1])  # its own stream: the batches stay as without noise

    def train_steps(self, max_steps: int) -> bool:
        if self._order is None and self.sigma > 0:  # an epoch starts
            self.x_train = corrupt(self.clean_train, self.sigma, self.noise_rng)
        return super().train_steps(max_steps)
