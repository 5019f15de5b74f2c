"""The immutable picture of a training run that the session hands to the UI.

The session (training thread) is the only writer of the network. Whenever the
display is due it copies what the widgets need into a new ``Snapshot`` and
swaps one reference; widgets render from snapshots and never see the network.
Arrays inside a snapshot are fresh copies (or data that never changes, such as
the data set's points) and are marked read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Run states shown in the status line.
PAUSED = "paused"
TRAINING = "training"
DIVERGED = "diverged"


@dataclass(frozen=True, eq=False)
class History:
    """Loss (and accuracy) against epoch, already bounded in length."""

    epochs: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: np.ndarray | None = None  # None for regression
    test_accuracy: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class Snapshot:
    # Identity and progress.
    version: int  # grows by one with every publish; widgets skip work when unchanged
    epoch: int
    step: int
    status: str  # PAUSED, TRAINING or DIVERGED
    message: str | None  # one line for the user (e.g. why training diverged)

    # Scores of the latest evaluation.
    train_loss: float
    test_loss: float
    train_accuracy: float | None  # classification only
    test_accuracy: float | None
    history: History

    # Settings, for the status line and controls.
    dataset: str
    task: str  # nn_tui.data.BINARY / MULTICLASS / REGRESSION
    model: str  # "mlp" or "perceptron"
    features: tuple[str, ...]  # input feature ids (plane sets) or input column names
    input_labels: tuple[str, ...]  # display labels of the inputs, same order
    hidden: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    optimizer: str
    learning_rate: float
    batch_size: int
    reg: str
    reg_rate: float
    noise: float
    train_ratio: float

    # The network: sizes[0] inputs, then each layer. weights[i] is (sizes[i], sizes[i+1]).
    sizes: tuple[int, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    masks: tuple[np.ndarray | None, ...]
    selected: tuple[int, int] | None = None  # (layer index incl. inputs, neuron index)

    # What every neuron outputs. For plane data: neuron_maps[i] is (sizes[i], R, R),
    # row 0 the top of the plane (largest x2), column 0 its left (smallest x1);
    # values are the neuron's output (inputs: the feature's value scaled to [-1, 1]).
    # For other data: neuron_maps[i] is (sizes[i], S): outputs for S shown samples.
    neuron_maps: tuple[np.ndarray, ...] = ()
    # The network's output over the plane, (R, R) in [-1, 1]: for binary 2p-1, for
    # regression the clipped value, for multiclass the winning class's confidence
    # signed by class parity. None for non-plane data.
    output_map: np.ndarray | None = None
    output_classes: np.ndarray | None = None  # (R, R) int winning class, multiclass only
    domain: tuple[float, float] = (-6.0, 6.0)

    # The data's points in the plane (plane sets) and their labels in [-1, 1]
    # (binary: -1/+1, regression: value, multiclass: class index).
    train_points: np.ndarray | None = None
    train_values: np.ndarray | None = None
    test_points: np.ndarray | None = None
    test_values: np.ndarray | None = None
    # How the network does on the test set, for data that is not a plane (the output pane
    # shows these instead of a heatmap). Classification: confusion[i, j] counts test samples
    # of class i predicted as j. Regression: fit_x against fit_true and fit_pred, where
    # fit_x is the input (one input: a curve) or the true value (several: a scatter).
    class_names: tuple[str, ...] | None = None
    confusion: np.ndarray | None = None
    fit_x: np.ndarray | None = None
    fit_true: np.ndarray | None = None
    fit_pred: np.ndarray | None = None
    fit_is_curve: bool = False
    extra: dict = field(default_factory=dict)  # lesson-specific panes read from here
