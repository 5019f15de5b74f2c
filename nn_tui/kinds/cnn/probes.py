"""What a CNN shows: each conv layer's filters and feature maps for one test digit,
its prediction, and the confusion matrix of the test set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.engine import Conv2D
from nn_tui.kinds.mlp.probes import test_set_view
from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class ConvView(View):
    """image: the test digit (H, W); filters[i]: conv layer i's W (out, in, k, k);
    feature_maps[i]: its output for that digit (out, H_i, W_i); probabilities: (classes,)."""

    sample: int
    image: np.ndarray
    filters: tuple[np.ndarray, ...]
    feature_maps: tuple[np.ndarray, ...]
    probabilities: np.ndarray
    label: int


def probes(run, sample: int = 0) -> tuple:
    model = run.model
    sample = int(np.clip(sample, 0, len(run.x_test) - 1))
    x = run.x_test[sample:sample + 1]
    with np.errstate(all="ignore"):
        probabilities = model.forward(x)[0]
    convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
    view = ConvView(
        sample=sample, image=x[0, 0], filters=tuple(layer.params["W"] for layer in convs),
        feature_maps=tuple(layer.output[0] for layer in convs), probabilities=probabilities,
        label=int(run.dataset.y_test[sample].argmax()),
    )
    return (view, test_set_view(model, run.dataset, run.x_test))
