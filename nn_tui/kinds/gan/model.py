"""A generator and a discriminator, both engine MLPs, with their optimizers.

G: noise (N, noise_dim) -> points (N, 2), linear output.
D: points (N, 2) -> one logit (N, 1), linear output; the GAN loss applies σ
(or, least squares, reads it as a score), so D's engine loss is never used.

Randomness: one SeedSequence per seed, spawned into independent streams for
G's weights, D's weights, training (real batches, noise, instance noise) and
evaluation, so evaluating never shifts the training stream and the same seed
gives the same run bit for bit.
"""

from __future__ import annotations

import copy

import numpy as np

from nn_tui.data.distributions import Distribution, make_distribution, sample_noise
from nn_tui.engine.network import Network
from nn_tui.engine.optimizers import make_optimizer
from nn_tui.kinds.gan.spec import GanSpec, check_spec

POINT_DIM = 2


def _optimizer(name, lr, beta1):
    return make_optimizer(name, lr, beta1=beta1) if name == "adam" else make_optimizer(name, lr)


class Gan:
    """G, D, their optimizers and the training stream for one seed. ``G_shown`` is
    the generator the screen and the metrics use: G itself, or its average."""

    def __init__(self, spec: GanSpec, distribution: Distribution | str, seed: int = 0, dtype=np.float64):
        check_spec(spec)
        self.spec = spec
        self.distribution = make_distribution(distribution) if isinstance(distribution, str) else distribution
        self.seed = seed
        g_seed, d_seed, train_seed, self.eval_seed = np.random.SeedSequence(seed).spawn(4)
        self.G = Network.mlp(spec.noise_dim, spec.g_layers, POINT_DIM, activation=spec.g_activation,
                             output="linear", loss="mse", seed=np.random.default_rng(g_seed), dtype=dtype)
        self.D = Network.mlp(POINT_DIM, spec.d_layers, 1, activation=spec.d_activation,
                             output="linear", loss="mse", seed=np.random.default_rng(d_seed), dtype=dtype)
        self.g_opt = _optimizer(spec.g_optimizer, spec.g_lr, spec.beta1)
        self.d_opt = _optimizer(spec.d_optimizer, spec.d_lr, spec.beta1)
        self.rng = np.random.default_rng(train_seed)
        self.epoch = 0
        # the averaged generator (see GanSpec.g_average); G itself when off
        self.G_shown = copy.deepcopy(self.G) if spec.g_average > 0 else self.G

    def noise(self, n, rng):
        spec = self.spec
        return sample_noise(n, spec.noise_dim, spec.noise_type, rng, spec.noise_scale)

    def generate(self, n, rng):
        """n points (n, 2) of the generator in training, from noise drawn with rng."""
        return self.G.forward(self.noise(n, rng))

    def generate_shown(self, n, rng):
        """n points of the generator shown and measured (the average, if on)."""
        return self.G_shown.forward(self.noise(n, rng))

    def update_average(self):
        if self.G_shown is not self.G:
            beta = self.spec.g_average
            average = self.G_shown.flat_params
            average *= beta
            average += (1.0 - beta) * self.G.flat_params

    def discriminate(self, points):
        """D's probability that each point is real, (n,) (σ of the logit; for
        least squares the raw score is what the loss sees)."""
        z = self.D.forward(points)[:, 0]
        return np.exp(z - np.logaddexp(0.0, z))
