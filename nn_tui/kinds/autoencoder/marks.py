"""Marks drawn over images for the inpainting mode ("removing watermarks"): a box, a
line or a scribble of white ink at a random place on each image, drawn from a seeded
generator; or a mark drawn by hand in the app (its pixels, `drawn_mask`). The
autoencoder is trained to rebuild what was under the mark, and scored
on the marked pixels alone (PSNR before: the marked input; after: the rebuilt image).

Every function takes a batch: masks for n images are drawn together (the scribble's
walk takes its steps for all n at once), so marking costs little beside a step.
"""

from __future__ import annotations

import numpy as np

MARKS = ("none", "box", "line", "scribble")
INK = 1.0  # the mark's pixels: full white, as a watermark's ink


def _grid(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.mgrid[0:height, 0:width]
    return rows[None].astype(np.float64), cols[None].astype(np.float64)


def _boxes(n: int, height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """Rectangles a quarter to a half of each side, anywhere inside the image."""
    h = rng.integers(max(1, height // 4), max(2, height // 2) + 1, n)
    w = rng.integers(max(1, width // 4), max(2, width // 2) + 1, n)
    top = rng.integers(0, height - h + 1)
    left = rng.integers(0, width - w + 1)
    rows, cols = _grid(height, width)
    return ((rows >= top[:, None, None]) & (rows < (top + h)[:, None, None])
            & (cols >= left[:, None, None]) & (cols < (left + w)[:, None, None]))


def _lines(n: int, height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """A straight stroke half the image long or more, at any angle, about a fourteenth of
    the side thick (2 pixels at 28x28, never thinner than a pixel: 0.75 reaches a pixel's
    centre from anywhere)."""
    side = min(height, width)
    start = rng.uniform(0, 1, (n, 2)) * (height - 1, width - 1)
    angle = rng.uniform(0, 2 * np.pi, n)
    length = rng.uniform(0.5, 1.0, n) * side
    end = np.clip(start + length[:, None] * np.stack([np.sin(angle), np.cos(angle)], axis=1),
                  0, (height - 1, width - 1))
    half = max(0.75, side / 28)
    rows, cols = _grid(height, width)
    d = end - start
    length2 = np.maximum((d ** 2).sum(axis=1), 1e-9)[:, None, None]
    # The distance from each pixel to the segment: project on it, clamp to its ends.
    t = ((rows - start[:, 0, None, None]) * d[:, 0, None, None]
         + (cols - start[:, 1, None, None]) * d[:, 1, None, None]) / length2
    t = np.clip(t, 0.0, 1.0)
    dr = rows - (start[:, 0, None, None] + t * d[:, 0, None, None])
    dc = cols - (start[:, 1, None, None] + t * d[:, 1, None, None])
    return dr ** 2 + dc ** 2 <= half ** 2


def _scribbles(n: int, height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """A wandering stroke: a random walk that turns a little at each step."""
    steps = 2 * max(height, width)
    position = rng.uniform(0.25, 0.75, (n, 2)) * (height - 1, width - 1)
    heading = rng.uniform(0, 2 * np.pi, n)
    masks = np.zeros((n, height, width), dtype=bool)
    index = np.arange(n)
    thick = min(height, width) >= 16  # a 2x2 pen on big images, one pixel on the digits
    for _ in range(steps):
        heading += rng.normal(0.0, 0.6, n)
        position += np.stack([np.sin(heading), np.cos(heading)], axis=1)
        bounced = (position < 0) | (position > (height - 1, width - 1))
        heading = np.where(bounced.any(axis=1), heading + np.pi, heading)
        position = np.clip(position, 0, (height - 1, width - 1))
        r, c = position[:, 0].astype(int), position[:, 1].astype(int)
        masks[index, r, c] = True
        if thick:
            masks[index, np.minimum(r + 1, height - 1), c] = True
            masks[index, r, np.minimum(c + 1, width - 1)] = True
            masks[index, np.minimum(r + 1, height - 1), np.minimum(c + 1, width - 1)] = True
    return masks


DRAW = {"box": _boxes, "line": _lines, "scribble": _scribbles}


def mark_masks(n: int, image_shape: tuple[int, int], mark: str, rng: np.random.Generator) -> np.ndarray:
    """(n, H*W) booleans: the pixels the mark covers on each of n images."""
    height, width = image_shape
    if mark == "none" or n == 0:
        return np.zeros((n, height * width), dtype=bool)
    return DRAW[mark](n, height, width, rng).reshape(n, height * width)


def drawn_mask(pixels, image_shape: tuple[int, int]) -> np.ndarray:
    """(H*W,) booleans: a mark drawn by hand, given as its pixels' numbers (row × W + column)."""
    mask = np.zeros(image_shape[0] * image_shape[1], dtype=bool)
    mask[np.asarray(pixels, dtype=np.intp)] = True
    return mask


def apply_marks(X: np.ndarray, masks: np.ndarray, channels: int = 1) -> np.ndarray:
    """A copy of the rows X (n, C*H*W) with the marked pixels inked, in every channel."""
    marked = np.array(X, copy=True)
    marked.reshape(len(X), channels, -1)[np.broadcast_to(masks[:, None, :], (len(X), channels, masks.shape[1]))] = INK
    return marked


def masked_psnr(estimate: np.ndarray, clean: np.ndarray, masks: np.ndarray, channels: int = 1) -> float:
    """PSNR (peak 1.0) over the marked pixels only; NaN when nothing is marked."""
    where = np.broadcast_to(masks[:, None, :], (len(clean), channels, masks.shape[1])).reshape(len(clean), -1)
    if not where.any():
        return float("nan")
    error = (np.asarray(estimate, dtype=np.float64)[where] - np.asarray(clean, dtype=np.float64)[where]) ** 2
    mse = float(error.mean())
    return float("inf") if mse == 0 else float(10.0 * np.log10(1.0 / mse))
