"""The denoising step: mini-batches of noisy inputs against their clean selves."""

from __future__ import annotations

import numpy as np

from nn_tui.data import REGRESSION
from nn_tui.kinds.autoencoder.marks import apply_marks, mark_masks
from nn_tui.training import SCORED_TRAIN_ROWS, Trainer, chunks, evaluation_mode, metrics, outputs_and_loss


def corrupt(X: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """X plus Gaussian noise of standard deviation sigma, clipped to the pixels' [0, 1]."""
    noisy = X + sigma * rng.standard_normal(X.shape)
    return np.clip(noisy, 0.0, 1.0, out=noisy).astype(X.dtype, copy=False)


class DenoisingTrainer(Trainer):
    """The supervised Trainer with targets = the clean inputs and fresh noise on
    the training inputs at the start of every epoch (a new corruption each pass,
    so the network cannot learn the noise by heart).

    With ``prepare`` the clean training images are stored rows (uint8) made floats a
    batch at a time, and each batch gets its noise as it is drawn: no float copy of
    the training set exists, clean or noisy."""

    def __init__(self, model, optimizer, clean_train, clean_test, noisy_test, sigma, batch_size, seed,
                 prepare=None, mark="none", image_shape=None, channels=1):
        super().__init__(model, optimizer, REGRESSION, clean_train, clean_train, noisy_test, clean_test,
                         batch_size, seed=seed)
        self.clean_train = clean_train
        self.sigma = sigma
        self.noise_rng = np.random.default_rng([seed, 1])  # its own stream: the batches stay as without noise
        self.prepare = prepare
        self.seed = seed
        # Inpainting: a mark on every batch's inputs, drawn from a stream of its own.
        self.mark, self.image_shape, self.channels = mark, image_shape, channels
        self.mark_rng = np.random.default_rng([seed, 4])

    def marked(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.mark == "none":
            return X
        return apply_marks(X, mark_masks(len(X), self.image_shape, self.mark, rng), self.channels)

    @property
    def per_batch(self) -> bool:
        return self.prepare is not None

    def train_steps(self, max_steps: int) -> bool:
        if self._order is None and self.sigma > 0 and not self.per_batch:  # an epoch starts
            self.x_train = corrupt(self.clean_train, self.sigma, self.noise_rng)
        return super().train_steps(max_steps)

    def batch(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.per_batch:
            x, y = super().batch(index)
            return self.marked(x, self.mark_rng), y
        clean = self.prepare(self.clean_train, index)
        noisy = corrupt(clean, self.sigma, self.noise_rng) if self.sigma > 0 else clean
        return self.marked(noisy, self.mark_rng), clean

    def health_inputs(self) -> np.ndarray:
        return self.prepare(self.clean_train, slice(0, SCORED_TRAIN_ROWS)) if self.per_batch else self.x_train

    def scores(self) -> dict[str, float]:
        with evaluation_mode(self.model):
            return self._scores()

    def _scores(self) -> dict[str, float]:
        if not self.per_batch and self.mark == "none":
            return super().scores()
        # The training loss on the first SCORED_TRAIN_ROWS, noised and marked from streams of
        # their own (the same at every scoring; the training's streams are left alone).
        rng, mark_rng = np.random.default_rng([self.seed, 3]), np.random.default_rng([self.seed, 6])
        rows_scored = min(len(self.clean_train), SCORED_TRAIN_ROWS)
        total = 0.0
        for rows in chunks(rows_scored):
            clean = self.prepare(self.clean_train, rows) if self.per_batch else self.clean_train[rows]
            noisy = corrupt(clean, self.sigma, rng) if self.sigma > 0 else clean
            total += float(self.model.loss(self.marked(noisy, mark_rng), clean)) * len(clean)
        out_test, test_loss = outputs_and_loss(self.model, self.x_test, self.y_test)
        return metrics(REGRESSION, self.epoch, total / max(rows_scored, 1), test_loss, None, None,
                       out_test, self.y_test)
