"""Rosenblatt's perceptron: one threshold unit and its error-correction rule.

    ŷ = step(x·w + b)        (step(0) = 1; the threshold is −b)
    on a mistake: w += lr·(y − ŷ)·x,  b += lr·(y − ŷ)

It is its own small class, not a Dense layer with a step activation: it is
trained sample by sample by the rule above, not by gradients (step has none).
It mimics the parts of Network a viewer needs (layers, sizes, forward,
save/load) so the app can show either.
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.activations import step_
from nn_tui.engine.layers import Parameters
from nn_tui.engine.model_file import ModelFileError, read_model_file, register_model_reader, write_model_file
from nn_tui.engine.validation import check_count, make_rng, resolve_dtype


class Perceptron:
    """``Perceptron(n_in, seed=0, dtype=np.float64)``

    Weights start small and random, U(−0.5, 0.5) from ``default_rng(seed)``,
    so the first decision line is visible rather than degenerate; the bias
    starts at 0. ``params`` = {"W": (n_in, 1), "b": (1,)}.
    """

    activation = "step"
    output_activation = "step"
    loss_name = "error_rate"
    mask = None  # a perceptron is always fully connected

    def __init__(self, n_in, seed=0, dtype=np.float64):
        self.n_in = check_count("n_in", n_in)
        self.n_out = 1
        self.dtype = resolve_dtype(dtype)
        self.seed = seed
        self._rng = make_rng(seed)  # default shuffling when train_epoch gets no rng
        weights = self._rng.uniform(-0.5, 0.5, size=(self.n_in, 1))
        self.params = Parameters(W=weights.astype(self.dtype), b=np.zeros(1, dtype=self.dtype))
        self.metadata = {}
        self.input = None
        self.output = None

    @property
    def layers(self):
        return [self]

    @property
    def sizes(self):
        return (self.n_in, 1)

    @property
    def activations(self):
        return ("step",)

    @property
    def n_params(self):
        return self.n_in + 1

    def net_input(self, X):
        """x·w + b for every row of X, shape (N, 1)."""
        return np.asarray(X, dtype=self.dtype) @ self.params["W"] + self.params["b"]

    def forward(self, X):
        """0/1 predictions, shape (N, 1)."""
        self.input = np.asarray(X, dtype=self.dtype)
        self.output = step_(self.net_input(self.input))
        return self.output

    def layer_outputs(self, X):
        return [self.forward(X)]

    def predict(self, X):
        return self.forward(X)

    def train_epoch(self, X, y, lr, rng=None):
        """One pass over (X, y) in an order shuffled by ``rng`` (a Generator;
        None uses the perceptron's own, seeded from ``seed``), applying the
        rule to each sample. Returns the number of mistakes made."""
        X = np.asarray(X, dtype=self.dtype)
        y = np.asarray(y, dtype=self.dtype).reshape(-1)
        if X.ndim != 2 or X.shape[1] != self.n_in or len(y) != len(X):
            raise ValueError(f"need X of shape (N, {self.n_in}) and N targets, got {X.shape} and {len(y)}")
        if not np.isin(y, (0, 1)).all():
            raise ValueError("perceptron targets must be 0 or 1")
        rng = self._rng if rng is None else make_rng(rng)
        weights = self.params["W"][:, 0]  # a view: updates land in params
        bias = self.params["b"]
        mistakes = 0
        for i in rng.permutation(len(X)):
            x = X[i]
            predicted = 1.0 if x @ weights + bias[0] >= 0 else 0.0
            error = y[i] - predicted
            if error:
                weights += (lr * error) * x
                bias += lr * error
                mistakes += 1
        return mistakes

    def loss(self, X, Y):
        """The fraction of samples misclassified (the perceptron minimises no
        differentiable loss, so this is what progress is measured in)."""
        predicted = self.forward(X).reshape(-1)
        Y = np.asarray(Y, dtype=self.dtype).reshape(-1)
        if len(Y) != len(predicted):
            raise ValueError(f"{len(Y)} targets for {len(predicted)} samples")
        return float(np.mean(predicted != Y))

    def accuracy(self, X, Y):
        return 1.0 - self.loss(X, Y)

    def save(self, path, metadata=None):
        """Same file format as Network.save (kind "perceptron"), written atomically."""
        description = {"sizes": [self.n_in, 1], "activations": ["step"], "dtype": self.dtype.name}
        write_model_file(path, "perceptron", description, [self],
                         self.metadata if metadata is None else metadata)

    @classmethod
    def load(cls, path):
        return cls._from_file(read_model_file(path, expected_kind="perceptron"), path)

    @classmethod
    def _from_file(cls, contents, path):
        description, arrays, metadata = contents
        if description.get("activations", ["step"]) != ["step"]:
            raise ModelFileError(f"{path}: a perceptron's activation is step")
        perceptron = cls(description["sizes"][0], dtype=description["dtype"])
        perceptron.params["W"] = arrays[0]["W"]
        perceptron.params["b"] = arrays[0]["b"]
        perceptron.metadata = metadata
        return perceptron

    def __repr__(self):
        return f"<Perceptron {self.n_in}-1>"


register_model_reader("perceptron", Perceptron._from_file)
