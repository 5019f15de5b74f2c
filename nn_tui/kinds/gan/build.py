"""A GAN run from a config: the distribution as a data set, G and D, the training loop
the session and `nn-tui train` drive."""

from __future__ import annotations

import math

import numpy as np

from nn_tui.data import Dataset
from nn_tui.data.distributions import DISTRIBUTIONS, GENERATIVE, make_distribution
from nn_tui.engine import ModelFileError
from nn_tui.kinds import run_state
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.kinds.gan.losses import d_loss_and_grads, g_loss_and_grad
from nn_tui.kinds.gan.model import Gan
from nn_tui.kinds.gan.model_file import save_gan, spec_from_json
from nn_tui.kinds.gan.spec import check_spec
from nn_tui.kinds.gan.train import Evaluator, d_step, g_step
from nn_tui.settings import ConfigError, TrainConfig
from nn_tui.training import TrainingDiverged

SHOWN_SAMPLES = 1000  # real points kept in the data set, for the screen and the metadata
# The divergence needs 20,000 points through G (a few ms): measured every this many
# epochs (and at the last one `--epochs` asks for), not after every epoch.
MEASURE_EVERY = 250
# Training settings a GAN sets per network instead (its spec's --g-lr, --d-lr, ...).
_PER_NETWORK = {"optimizer": "--g-optimizer / --d-optimizer", "lr": "--g-lr / --d-lr", "batch_size": "--gan-batch"}


def check_train_settings(config) -> None:
    defaults = TrainConfig()
    for name, instead in _PER_NETWORK.items():
        if getattr(config.train, name) != getattr(defaults, name):
            raise ConfigError(f"--{name.replace('_', '-')}: a GAN sets it per network, with {instead}")
    if config.train.reg != "none":
        raise ConfigError("--reg: a GAN has no regularisation (yet)")
    if config.data.data is not None:
        raise ConfigError("--data: a GAN learns one of the built-in 2-D distributions (--dataset)")


def load_distribution(config, seed: int) -> Dataset:
    name = config.data.dataset
    if name not in DISTRIBUTIONS:
        raise ConfigError(f"--model gan learns a 2-D distribution; --dataset must be one of: {', '.join(DISTRIBUTIONS)}")
    distribution = make_distribution(name)
    rng = np.random.default_rng(seed)
    real = distribution.sample(SHOWN_SAMPLES, rng)
    ones = np.ones((SHOWN_SAMPLES, 1))
    return Dataset(name=name, task=GENERATIVE, X_train=real, y_train=ones, X_test=real[:0], y_test=ones[:0],
                   input_names=("x1", "x2"), is_plane=True, domain=(distribution.box[0], distribution.box[1]))


def build(config, dataset: Dataset, model=None) -> "GanRun":
    gan = Gan(config.model, dataset.name, seed=config.train.seed, dtype=np.dtype(config.train.dtype))
    if model is not None:  # a loaded GAN: its networks' weights (the spec_for gave the same shapes)
        np.copyto(gan.G.flat_params, model.G.flat_params, casting="same_kind")
        np.copyto(gan.D.flat_params, model.D.flat_params, casting="same_kind")
        if gan.G_shown is not gan.G:  # the file's average, or (it kept none) G itself
            np.copyto(gan.G_shown.flat_params, model.G_shown.flat_params, casting="same_kind")
    return GanRun(config, dataset, gan)


def starting_losses(gan: Gan) -> dict[str, float]:
    """L_D and L_G before any update, on a batch of a stream of their own (training's
    stays as it is): so the history tracks both losses from epoch 0."""
    rng = np.random.default_rng([gan.seed, 0x1055])
    n = gan.spec.gan_batch
    real, fake = gan.distribution.sample(n, rng), gan.generate(n, rng)
    z_real, z_fake = gan.D.forward(real), gan.D.forward(fake)
    d_loss = d_loss_and_grads(z_real, z_fake, gan.spec.gan_loss, 1.0 - gan.spec.label_smoothing)[0]
    return {"d_loss": d_loss, "g_loss": g_loss_and_grad(z_fake, gan.spec.gan_loss)[0]}


class GanRun(Run):
    """An epoch = d_steps discriminator updates then g_steps generator updates."""

    def __init__(self, config, dataset: Dataset, gan: Gan) -> None:
        super().__init__(config, dataset)
        self.model = gan
        self._steps = 0
        self._phase = 0  # updates done in the epoch under way
        self._losses: dict[str, float] = starting_losses(gan)
        self._measure = Evaluator(gan)
        self._measured: tuple[int, dict] | None = None
        # What an epoch trains: both networks, or "d" / "g" only (the screen's keys);
        # the other network's updates of the epoch are skipped, so its weights stay.
        self.only: str | None = None
        self._spec_of: tuple = (None, {})  # (spec, its JSON) for state()

    @property
    def epoch(self) -> int:
        return self.model.epoch

    @property
    def step(self) -> int:
        return self._steps

    def train_steps(self, max_steps: int) -> bool:
        gan = self.model
        for _ in range(max_steps):
            spec = gan.spec
            if self._phase < spec.d_steps:
                if self.only != "g":
                    self._losses["d_loss"] = d_step(gan)
            elif self.only != "d":
                self._losses["g_loss"] = g_step(gan)
            self._phase += 1
            self._steps += 1
            if self._phase >= spec.d_steps + spec.g_steps:
                self._phase = 0
                gan.epoch += 1
                if not all(math.isfinite(v) for v in self._losses.values()):
                    raise TrainingDiverged(", ".join(f"{k} {v}" for k, v in self._losses.items()))
                return True
        return False

    def restart_epoch(self) -> None:
        self._phase = 0

    def scores(self) -> dict:
        epoch = self.epoch
        due = (self._measured is None or epoch - self._measured[0] >= MEASURE_EVERY
               or (epoch == self.config.train.epochs and self._measured[0] != epoch))
        if due:
            self._measured = (epoch, self._measure(self.model))
        return {**self._losses, **self._measured[1]}

    def set_lr(self, lr: float) -> None:
        # one key for both networks keeps their ratio
        gan = self.model
        ratio = gan.g_opt.lr / gan.d_opt.lr if gan.d_opt.lr else 1.0
        gan.d_opt.lr = lr
        gan.g_opt.lr = lr * ratio

    def set_optimizer(self, train_config) -> None:
        raise ConfigError("a GAN sets its optimizers per network (--g-optimizer, --d-optimizer)")

    def set_batch_size(self, size: int) -> None:
        spec = self.model.spec.replace(gan_batch=size)
        check_spec(spec)
        self.model.spec = spec

    def input_names(self) -> tuple[str, ...]:
        return ("x1", "x2")

    def save(self, path) -> None:
        save_gan(self.model, path, self.metadata())

    # --- resuming: both networks and optimizers, the average, the stream, the epoch under way
    resumable = True
    _NETWORKS = (("G", "g_opt"), ("D", "d_opt"))

    def state(self) -> RunState:
        gan, arrays = self.model, {}
        optimizers = {}
        for net, opt in self._NETWORKS:
            run_state.save_params(arrays, net, getattr(gan, net))
            optimizers[opt] = run_state.save_optimizer(arrays, opt, getattr(gan, opt))
        if gan.G_shown is not gan.G:
            run_state.save_params(arrays, "G_shown", gan.G_shown)
        info = {"epoch": gan.epoch, "steps": self._steps, "phase": self._phase, "only": self.only,
                "losses": {k: float(v) for k, v in self._losses.items()},
                "measured": None if self._measured is None else [self._measured[0], self._measured[1]],
                "rng": run_state.save_rng(gan.rng), "spec": self._spec_json(), "optimizers": optimizers}
        return RunState(arrays=arrays, info=info)

    def _spec_json(self) -> dict:
        # `nn-tui train` takes a state every epoch; the spec changes only by a command
        spec = self.model.spec
        if self._spec_of[0] is not spec:
            self._spec_of = (spec, spec.as_dict())
        return dict(self._spec_of[1])

    def restore(self, state: RunState) -> None:
        with run_state.complete_state():
            gan, info, arrays = self.model, state.info, state.arrays
            try:
                spec = spec_from_json(info["spec"])  # the live spec (a command may have changed it)
            except ModelFileError as error:
                raise NotResumable(f"the saved run's GAN settings: {error}") from None
            if _shape_of(spec) != _shape_of(gan.spec):
                raise NotResumable("the saved run's networks have another architecture than its settings say")
            if info["only"] not in (None, "d", "g"):
                raise NotResumable(f"the saved run trains {info['only']!r}, which is neither d nor g")
            gan.spec = spec
            for net, opt in self._NETWORKS:
                run_state.restore_params(arrays, net, getattr(gan, net))
                run_state.restore_optimizer(arrays, opt, getattr(gan, opt), getattr(gan, net), info["optimizers"][opt])
            if gan.G_shown is not gan.G:
                run_state.restore_params(arrays, "G_shown", gan.G_shown)
            run_state.restore_rng(gan.rng, info["rng"])
            gan.epoch, self._steps, self._phase = int(info["epoch"]), int(info["steps"]), int(info["phase"])
            self.only = info["only"]
            self._losses = {k: float(v) for k, v in info["losses"].items()}
            measured = info["measured"]
            self._measured = None if measured is None else (int(measured[0]), dict(measured[1]))


def _shape_of(spec) -> tuple:
    """What decides the arrays a GAN has: its layer sizes and whether G is averaged."""
    return spec.noise_dim, tuple(spec.g_layers), tuple(spec.d_layers), spec.g_average > 0
