"""What an autoencoder shows: clean, noisy and rebuilt test digits, and with a
2-unit bottleneck the codes of the test digits by class."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View

SHOWN = 8  # test digits per row


@dataclass(frozen=True, eq=False)
class ReconstructionView(View):
    """clean, noisy, rebuilt: (SHOWN, n) rows of pixels; codes: (N_test, 2) and
    labels (N_test,) with a 2-unit bottleneck, else empty; psnr in dB."""

    clean: np.ndarray
    noisy: np.ndarray
    rebuilt: np.ndarray
    image_shape: tuple | None
    codes: np.ndarray
    labels: np.ndarray
    psnr_noisy: float | None
    psnr: float


def probes(run) -> tuple:
    from nn_tui.kinds.autoencoder.build import psnr

    shown = np.linspace(0, len(run.clean_test) - 1, min(SHOWN, len(run.clean_test))).astype(int)
    with np.errstate(all="ignore"):
        rebuilt = run.model.forward(run.noisy_test)
    two_d = run.config.model.layers[-1] == 2
    codes = run.codes(run.clean_test) if two_d else np.zeros((0, 2))
    labels = run.dataset.labels(run.dataset.y_test) if two_d and run.dataset.is_classification else np.zeros(0, int)
    return (ReconstructionView(
        clean=run.clean_test[shown], noisy=run.noisy_test[shown], rebuilt=rebuilt[shown],
        image_shape=run.dataset.image_shape, codes=codes, labels=labels,
        psnr_noisy=psnr(run.noisy_test, run.clean_test) if run.config.model.corrupt else None,
        psnr=psnr(rebuilt, run.clean_test),
    ),)
