"""An autoencoder run: an MLP n-encoder-decoder-n with a sigmoid output and MSE on pixels in [0, 1]."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import Dataset
from nn_tui.engine import Network
from nn_tui.engine.network import dense_layers
from nn_tui.kinds.autoencoder.probes import SHOWN
from nn_tui.kinds.autoencoder.marks import apply_marks, drawn_mask, mark_masks, masked_psnr
from nn_tui.kinds.autoencoder.spec import check_drawn_fits
from nn_tui.kinds.autoencoder.step import DenoisingTrainer, corrupt
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.kinds.supervised import SupervisedRun, make_optimizer_for, use_schedule
from nn_tui.training import evaluation_mode


def psnr(estimate: np.ndarray, clean: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB for pixels with peak 1.0, over every pixel."""
    mse = float(np.mean((estimate - clean) ** 2))
    return float("inf") if mse == 0 else float(10.0 * np.log10(1.0 / mse))


@dataclass(frozen=True, eq=False)
class DraftMark:
    """A mark being drawn in the draw mode: its pixels on test image `drawn_on`, the input
    it makes (1, n) and its mask (1, H*W), and that input's PSNR under the mark."""

    pixels: tuple[int, ...]
    drawn_on: int
    marked: np.ndarray
    mask: np.ndarray
    before: float


KNN_TRAIN_ROWS = 10_000  # the neighbours a big set's test codes are looked up among
KNN_TEST_CHUNK = 256  # test codes at a time: (256, 10,000, code) differences, not (10,000, 60,000, code)


def knn_accuracy(train_codes, train_labels, test_codes, test_labels, k=5) -> float:
    """A k-nearest-neighbour classifier fitted on train_codes (the first KNN_TRAIN_ROWS),
    scored on test_codes (ties in the vote go to the smallest class)."""
    train_codes, train_labels = train_codes[:KNN_TRAIN_ROWS], train_labels[:KNN_TRAIN_ROWS]
    right = 0
    for start in range(0, len(test_codes), KNN_TEST_CHUNK):
        codes = test_codes[start:start + KNN_TEST_CHUNK]
        distances = ((codes[:, None, :] - train_codes[None, :, :]) ** 2).sum(axis=2)
        # argpartition, not a full sort: scored every epoch, the sort took longer than the epoch
        nearest = np.argpartition(distances, k - 1, axis=1)[:, :k]
        votes = np.zeros((len(codes), int(train_labels.max()) + 1), dtype=np.int64)
        np.add.at(votes, (np.arange(len(codes))[:, None], train_labels[nearest]), 1)
        right += int(np.sum(votes.argmax(axis=1) == test_labels[start:start + KNN_TEST_CHUNK]))
    return right / len(test_codes) if len(test_codes) else float("nan")


class AutoencoderRun(Run):
    def __init__(self, config, dataset: Dataset, model) -> None:
        super().__init__(config, dataset)
        self.model = model
        dtype = config.train.dtype
        # Images stored as bytes stay so for training (scaled and noised a batch at a time);
        # the smaller test split, which the probes and PSNR read whole, is made floats once.
        # Float data (the digits) is used as before: whole arrays, noise drawn per epoch.
        self.per_batch = dataset.pixel_max is not None
        self.dtype = np.dtype(dtype)
        self.clean_train = (dataset.X_train if self.per_batch
                            else np.ascontiguousarray(dataset.X_train, dtype=dtype))
        self.clean_test = np.ascontiguousarray(dataset.floats(dataset.X_test, None, dtype))
        sigma, seed = config.model.corrupt, config.train.seed
        self.channels = dataset.channels or 1
        self.mark = config.model.mark
        self.drawn, self.drawn_on = config.model.drawn, config.model.drawn_on  # a mark drawn by hand
        self.draft: DraftMark | None = None  # a mark being drawn (the draw mode's preview)
        self._draw_test_inputs(sigma)
        self.optimizer = make_optimizer_for(config.train)
        self.trainer = DenoisingTrainer(model, self.optimizer, self.clean_train, self.clean_test, self.noisy_test,
                                        sigma, config.train.batch_size, seed,
                                        prepare=self.train_floats if self.per_batch else None,
                                        mark=self.mark, image_shape=dataset.image_shape, channels=self.channels)
        use_schedule(self.trainer, config.train, config.train.lr)

    def _draw_test_inputs(self, sigma: float) -> None:
        """The test split's inputs: its noise and marks are drawn once, each from its own
        seed, so every epoch is scored on the same inputs. The image a mark was drawn on by
        hand has that mark instead of a random one."""
        seed = self.config.train.seed
        self._test_sigma = sigma
        noisy = corrupt(self.clean_test, sigma, np.random.default_rng([seed, 2])) if sigma else self.clean_test
        self.test_masks = mark_masks(len(self.clean_test), self.dataset.image_shape, self.mark,
                                     np.random.default_rng([seed, 5]))
        if self.drawn:
            self.test_masks[self.drawn_on] = drawn_mask(self.drawn, self.dataset.image_shape)
        marked = self.mark != "none" or bool(self.drawn)
        self.noisy_test = apply_marks(noisy, self.test_masks, self.channels) if marked else noisy
        # The noisy rows without a mark, of the images the draw mode can draw on (those shown):
        # a preview inks its mark on these. A few rows, not another copy of the test split.
        rows = set(np.linspace(0, len(noisy) - 1, min(SHOWN, len(noisy))).astype(int).tolist())
        self._unmarked_rows = {row: noisy[row].copy() for row in rows | ({self.drawn_on} if self.drawn else set())}
        if self.draft is not None:  # the new noise or marks: the preview's input again
            self.preview_drawn(self.draft.pixels, self.draft.drawn_on)

    def _unmarked_row(self, index: int) -> np.ndarray:
        """Test image `index` with its noise and no mark (drawn again from the noise's seed
        when it is not one of the rows kept)."""
        row = self._unmarked_rows.get(index)
        if row is None:
            sigma = self._test_sigma
            noisy = (corrupt(self.clean_test, sigma, np.random.default_rng([self.config.train.seed, 2]))
                     if sigma else self.clean_test)
            row = self._unmarked_rows[index] = noisy[index].copy()
        return row

    def preview_drawn(self, pixels: tuple[int, ...], drawn_on: int) -> None:
        """A mark being drawn by hand (not yet applied): its input, inked on the image's noisy
        self, and that input's PSNR under it; the probes rebuild it with the model as it is
        then. No pixels: no preview."""
        if not pixels:
            self.draft = None
            return
        mask = drawn_mask(pixels, self.dataset.image_shape)[None]
        marked = apply_marks(self._unmarked_row(drawn_on)[None], mask, self.channels)
        before = masked_psnr(marked, self.clean_test[drawn_on:drawn_on + 1], mask, self.channels)
        self.draft = DraftMark(tuple(pixels), int(drawn_on), marked, mask, before)

    def draft_scores(self) -> tuple[float, float] | None:
        """The preview's PSNR under its mark (against the clean image), as input and rebuilt."""
        draft = self.draft
        if draft is None:
            return None
        with evaluation_mode(self.model), np.errstate(all="ignore"):
            rebuilt = self.model.forward(draft.marked)
        clean = self.clean_test[draft.drawn_on:draft.drawn_on + 1]
        return draft.before, masked_psnr(rebuilt, clean, draft.mask, self.channels)

    def train_floats(self, X: np.ndarray, rows) -> np.ndarray:
        """Stored training rows as the network's pixels in [0, 1]."""
        return self.dataset.floats(X, rows, self.dtype)

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def step(self) -> int:
        return self.trainer.step

    @property
    def code_layer(self) -> int:
        """Index (in model.layers) of the bottleneck layer, whose outputs are the codes
        (its Dense layer: the codes are taken before any batch norm or dropout after it)."""
        return self.model.layers.index(dense_layers(self.model)[len(self.config.model.layers) - 1])

    def codes(self, X: np.ndarray) -> np.ndarray:
        return self.model.layer_outputs(X)[self.code_layer]

    def train_steps(self, max_steps: int) -> bool:
        return self.trainer.train_steps(max_steps)

    def run_epoch(self) -> None:
        self.trainer.run_epoch()

    def restart_epoch(self) -> None:
        self.trainer.restart_epoch()

    def scores(self) -> dict[str, float]:
        with evaluation_mode(self.model):
            return self._scores()

    def _scores(self) -> dict[str, float]:
        scores = self.trainer.scores()
        rebuilt = self.model.forward(self.noisy_test)
        if self.config.model.corrupt > 0:  # without noise, noisy = clean: an infinite PSNR says nothing
            scores["test_psnr_noisy"] = psnr(self.noisy_test, self.clean_test)
        scores["test_psnr"] = psnr(rebuilt, self.clean_test)
        if self.mark != "none":  # inpainting: the marked pixels alone, as the input had them and rebuilt
            scores["test_psnr_marked_before"] = masked_psnr(self.noisy_test, self.clean_test, self.test_masks,
                                                            self.channels)
            scores["test_psnr_marked"] = masked_psnr(rebuilt, self.clean_test, self.test_masks, self.channels)
        if self.drawn:  # the mark drawn by hand: its pixels alone, on the image it was drawn on
            one = slice(self.drawn_on, self.drawn_on + 1)
            clean, masks = self.clean_test[one], self.test_masks[one]
            scores["test_psnr_drawn_before"] = masked_psnr(self.noisy_test[one], clean, masks, self.channels)
            scores["test_psnr_drawn"] = masked_psnr(rebuilt[one], clean, masks, self.channels)
        if self.config.model.layers[-1] == 2 and self.dataset.is_classification:
            labels = self.dataset.labels(self.dataset.y_train)
            test_labels = self.dataset.labels(self.dataset.y_test)
            known = self.clean_train[:KNN_TRAIN_ROWS]
            known = self.train_floats(known, None) if self.per_batch else known
            scores["code_5nn_accuracy"] = knn_accuracy(self.codes(known), labels,
                                                       self.codes(self.clean_test), test_labels)
        return scores

    def set_corrupt(self, sigma: float) -> None:
        """A new noise level for the inputs; the weights stay. The test split's noise is
        drawn again from its own seed, the epoch under way goes on with fresh noise."""
        self._draw_test_inputs(sigma)
        trainer = self.trainer
        trainer.sigma, trainer.x_test = sigma, self.noisy_test
        if not self.per_batch:  # per batch, the next batch draws its noise at the new level
            trainer.x_train = corrupt(self.clean_train, sigma, trainer.noise_rng) if sigma else self.clean_train

    def set_mark(self, mark: str) -> None:
        """Another mark for inpainting (or none); the weights stay. The test split's marks
        are drawn again from their own seed; the next batch gets the new mark."""
        self.mark = self.trainer.mark = mark
        self._draw_test_inputs(self.trainer.sigma)
        self.trainer.x_test = self.noisy_test

    def set_drawn(self, drawn: tuple[int, ...], drawn_on: int) -> None:
        """A mark drawn by hand on test image `drawn_on` (or none: ()); the weights and the
        training stay as they are, only the test inputs change. The preview is done with."""
        self.drawn, self.drawn_on = tuple(drawn), int(drawn_on)
        self.draft = None
        self._draw_test_inputs(self.trainer.sigma)
        self.trainer.x_test = self.noisy_test

    def set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr
        use_schedule(self.trainer, self.config.train, lr)

    def set_optimizer(self, train_config) -> None:
        self.optimizer = self.trainer.optimizer = make_optimizer_for(train_config)

    def set_batch_size(self, size: int) -> None:
        self.trainer.batch_size = size
        self.trainer.restart_epoch()

    def metadata(self) -> dict:
        drawn = {"drawn": list(self.drawn), "drawn_on": self.drawn_on} if self.drawn else {}
        return {**super().metadata(), "corrupt": self.config.model.corrupt, "mark": self.mark, **drawn}

    # --- resuming: the supervised state, plus the noise stream and this epoch's noisy inputs
    resumable = True

    def state(self) -> RunState:
        state = SupervisedRun.state(self)
        state.info["noise_rng"] = self.trainer.noise_rng.bit_generator.state
        state.info["mark_rng"] = self.trainer.mark_rng.bit_generator.state
        if self.trainer._order is not None and self.config.model.corrupt > 0 and not self.per_batch:
            state.arrays["noisy_train"] = self.trainer.x_train.copy()
        return state

    def restore(self, state: RunState) -> None:
        SupervisedRun.restore(self, state)
        self.trainer.noise_rng.bit_generator.state = state.info["noise_rng"]
        if "mark_rng" in state.info:  # files from before the inpainting mode have none
            self.trainer.mark_rng.bit_generator.state = state.info["mark_rng"]
        noisy = state.arrays.get("noisy_train")
        if noisy is not None and not self.per_batch:
            if noisy.shape != self.clean_train.shape:
                raise NotResumable("the saved noisy inputs do not fit this data")
            self.trainer.x_train = np.array(noisy, dtype=self.clean_train.dtype)


def build(config, dataset: Dataset, model=None) -> AutoencoderRun:
    spec, train = config.model, config.train
    n = dataset.X_train.shape[1]
    check_drawn_fits(spec, dataset.image_shape, len(dataset.X_test))  # a loaded model's mark too
    if model is not None:
        if model.sizes[0] != n or model.sizes[-1] != n:
            raise ConfigError(f"{Path(train.load or 'the model').name}: the autoencoder rebuilds {model.sizes[0]} "
                              f"values, but this data has {n}")
    else:
        try:
            model = Network.mlp(n, hidden=list(spec.hidden), n_out=n, activation=spec.activation, output="sigmoid",
                                loss="mse", seed=train.seed, init=spec.init, dtype=np.dtype(train.dtype),
                                dropout=train.dropout, batchnorm=train.batchnorm)
        except ValueError as error:
            raise ConfigError(str(error)) from None
    return AutoencoderRun(config, dataset, model)
