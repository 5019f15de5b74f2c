"""What a CNN shows: for the selected test digit, each conv layer's filters (and their
last gradients) and feature maps, the dense layers' outputs and the prediction; for
the whole test set, the confusion matrix and the digits it gets wrong.

The selected digit is the run's `probe_sample` (the kind's commands move it), so a
snapshot carries one digit's maps, not the test set's. The test-set views cost a
forward pass over every test digit (a tenth of a short epoch): they are made again
when an epoch has ended, at most every REFRESH_SECONDS while training, and reused by
the publishes in between (ten a second while training). Once a screen has asked for
them, the run makes them at each epoch's end instead (ImageRun.scores): the weights the
status line's test accuracy is of, also when a pause lands mid-epoch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from nn_tui.engine import Conv2D, Dense
from nn_tui.training import predict
from nn_tui.views import ConfusionView, View

MAX_MISTAKES = 40  # misclassified test digits a snapshot carries (the strip shows what fits)
# The test images the confusion matrix and mistakes strip are made from: all of the
# digits' 450, the first 2,000 of Fashion-MNIST's 10,000 (a pass over all of them,
# every second while training, would cost as much as the training).
PROBE_TEST_ROWS = 2000
REFRESH_SECONDS = 1.0  # the screen redraws these panes about this often anyway


@dataclass(frozen=True, eq=False)
class ConvView(View):
    """image: the selected test digit (H, W) in [0, 1]; filters[i]: conv layer i's W
    (out, in, k, k) and filter_grads[i] dL/dW of the last mini-batch; feature_maps[i]:
    its output for the digit (out, H_i, W_i); dense[j]: hidden dense layer j's outputs
    (n_j,); probabilities: (classes,). Arrays are float32: they are only drawn."""

    sample: int
    n_samples: int
    image: np.ndarray
    filters: tuple[np.ndarray, ...]
    filter_grads: tuple[np.ndarray, ...]
    feature_maps: tuple[np.ndarray, ...]
    dense: tuple[np.ndarray, ...]
    probabilities: np.ndarray
    label: int
    class_names: tuple[str, ...] | None = None

    @property
    def predicted(self) -> int:
        return int(np.argmax(self.probabilities))


@dataclass(frozen=True, eq=False)
class MistakesView(View):
    """Misclassified test digits: images (M, H, W), their true and predicted classes and
    test-set indices; `count` of them in all (M is at most MAX_MISTAKES)."""

    images: np.ndarray
    true: np.ndarray
    predicted: np.ndarray
    indices: np.ndarray
    count: int
    n_samples: int
    class_names: tuple[str, ...] | None = None  # the data set's, where it names its classes


def selected_sample(run) -> int:
    return int(np.clip(getattr(run, "probe_sample", 0), 0, len(run.x_test) - 1))


def test_predictions(run, fresh: bool = False) -> np.ndarray:
    """The predicted class of every test digit as of a recent epoch (see the module).
    A call that finds the run where the last one left it (paused) always refreshes, so
    a paused screen never keeps an old answer; `fresh` refreshes too."""
    key = (id(run.model), run.epoch)
    now = time.monotonic()
    cached = getattr(run, "_probe_predictions", None)
    idle = cached is not None and cached[3] == run.step
    due = cached is None or (cached[0] != key and (idle or now - cached[2] >= REFRESH_SECONDS))
    if due or fresh:
        with np.errstate(all="ignore"):
            shown = slice(0, min(len(run.x_test), PROBE_TEST_ROWS))
            guess = np.nan_to_num(predict(run.model, run.x_test[shown], run.images)).argmax(axis=1)
        cached = (key, guess, now, run.step)
    run._probe_predictions = (cached[0], cached[1], cached[2], run.step)
    return cached[1]


def probes(run, sample: int | None = None) -> tuple:
    if sample is not None:
        run.probe_sample = sample
    sample = selected_sample(run)
    model, dataset = run.model, run.dataset
    names = tuple(dataset.class_names) if dataset.class_names else None
    guess = test_predictions(run)  # first: the one-digit pass below must leave the layers' outputs
    truth = dataset.labels(dataset.y_test)
    x = run.test_images(slice(sample, sample + 1))
    with np.errstate(all="ignore"):
        probabilities = np.nan_to_num(model.forward(x)[0])
    convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
    hidden = [layer for layer in model.layers if isinstance(layer, Dense)][:-1]
    f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731 - drawn only; half the bytes in the pipe
    view = ConvView(
        sample=sample, n_samples=len(run.x_test), image=f32(grey(x)[0]),
        filters=tuple(f32(layer.params["W"]) for layer in convs),
        filter_grads=tuple(f32(layer.grads["W"]) for layer in convs),
        feature_maps=tuple(f32(layer.output[0]) for layer in convs),
        dense=tuple(f32(layer.output[0]) for layer in hidden),
        probabilities=f32(probabilities), label=int(truth[sample]), class_names=names,
    )
    classes = dataset.n_outputs
    truth = truth[:len(guess)]  # the test images the predictions cover
    counts = np.bincount(truth * classes + guess, minlength=classes * classes).reshape(classes, classes)
    wrong = np.flatnonzero(guess != truth)
    shown = wrong[:MAX_MISTAKES]
    mistakes = MistakesView(images=f32(grey(run.test_images(shown))), true=truth[shown], predicted=guess[shown],
                            indices=shown, count=len(wrong), n_samples=len(guess),
                            class_names=names)
    return (view, ConfusionView(confusion=counts, class_names=names), mistakes)


def grey(images: np.ndarray) -> np.ndarray:
    """(n, C, H, W) images as (n, H, W) for the screen: the one channel, or the mean of a colour image's."""
    return images[:, 0] if images.shape[1] == 1 else images.mean(axis=1)


def mistakes_of(run) -> np.ndarray:
    """Indices of the test images (of those the probes look at) the model gets wrong."""
    guess = test_predictions(run, fresh=True)
    return np.flatnonzero(guess != run.dataset.labels(run.dataset.y_test)[:len(guess)])
