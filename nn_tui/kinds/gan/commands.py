"""What a user can ask of a GAN on its screen: single D or G updates, which network
running trains, and each network's own learning rate, optimizer, layers and activation.

Settings that keep the weights (learning rate, optimizer) change the live run and the
session's config (so a setup file or share string records them); the architecture and
activations need fresh networks (`session.rebuild`)."""

from __future__ import annotations

from nn_tui.settings import ConfigError
from nn_tui.engine.optimizers import OPTIMIZERS
from nn_tui.kinds.gan.model import _optimizer
from nn_tui.kinds.gan.spec import MAX_LAYERS, MAX_NEURONS, check_spec
from nn_tui.kinds.gan.train import d_step, g_step
from nn_tui.ladders import cycle, step_on
from nn_tui.engine.activations import ACTIVATIONS

NETWORKS = ("g", "d")
TRAINS = (None, "d", "g")  # what running trains: both, D only, G only
TRAIN_LABELS = {None: "D and G", "d": "D only", "g": "G only"}
HIDDEN = tuple(a for a in ACTIVATIONS if ACTIVATIONS[a].hidden_ok)
NEURON_LADDER = (1, 2, 4, 8, 16, 32, 64, 128, 256)
# Finer than the playground's ladder: a GAN's good rates sit between 1e-5 and 1e-2.
GAN_LEARNING_RATES = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1)


def _network(who: str) -> str:
    if who not in NETWORKS:
        raise ConfigError(f"a GAN's networks are g and d, not {who!r}")
    return who


def _record(session, **changes) -> None:
    """The change in the session's config and the live Gan's spec (checked first)."""
    spec = session.training_run.model.spec.replace(**changes)
    check_spec(spec)
    session.config = session.config.with_changes(**changes)
    session.training_run.model.spec = spec


def one_update(session, who: str) -> None:
    """One update of D or of G alone (not an epoch); training pauses to show it."""
    run = session.training_run
    session.pause_for_edit(0.0)
    loss = d_step(run.model) if _network(who) == "d" else g_step(run.model)
    run._losses[f"{who}_loss"] = loss
    run._steps += 1
    session.record_update()


def cycle_train(session) -> None:
    """Running (and the step key) trains D and G, D only, or G only."""
    run = session.training_run
    run.only = cycle(TRAINS, run.only)
    session.notify(f"training {TRAIN_LABELS[run.only]}")


def set_lr(session, who: str, lr: float) -> None:
    who = _network(who)
    _record(session, **{f"{who}_lr": float(lr)})
    getattr(session.training_run.model, f"{who}_opt").lr = float(lr)


def nudge_lr(session, who: str, direction: int) -> None:
    current = getattr(session.training_run.model.spec, f"{_network(who)}_lr")
    set_lr(session, who, step_on(GAN_LEARNING_RATES, current, direction))


def nudge_both_lr(session, direction: int) -> None:
    for who in NETWORKS:
        nudge_lr(session, who, direction)


def cycle_optimizer(session, who: str) -> None:
    """The next optimizer, fresh (its moments start at zero); the weights stay."""
    who = _network(who)
    gan = session.training_run.model
    name = cycle(tuple(OPTIMIZERS), getattr(gan.spec, f"{who}_optimizer"))
    _record(session, **{f"{who}_optimizer": name})
    setattr(gan, f"{who}_opt", _optimizer(name, getattr(gan.spec, f"{who}_lr"), gan.spec.beta1))


def cycle_activation(session, who: str) -> None:
    who = _network(who)
    name = cycle(HIDDEN, getattr(session.config.model, f"{who}_activation"))
    session.rebuild(**{f"{who}_activation": name})


def _layers(session, who: str) -> tuple[int, ...]:
    return tuple(getattr(session.config.model, f"{_network(who)}_layers"))


def add_layer(session, who: str) -> None:
    layers = _layers(session, who)
    if len(layers) >= MAX_LAYERS:
        raise ConfigError(f"at most {MAX_LAYERS} hidden layers")
    session.rebuild(**{f"{who}_layers": layers + ((layers[-1] if layers else 32),)})


def remove_layer(session, who: str) -> None:
    layers = _layers(session, who)
    if not layers:
        raise ConfigError("there is no hidden layer left to remove")
    session.rebuild(**{f"{who}_layers": layers[:-1]})


def nudge_width(session, who: str, direction: int) -> None:
    """Every hidden layer of the network one rung wider or narrower (1 … 256)."""
    layers = _layers(session, who)
    if not layers:
        raise ConfigError("add a hidden layer first")
    wider = tuple(min(MAX_NEURONS, step_on(NEURON_LADDER, n, direction)) for n in layers)
    session.rebuild(**{f"{who}_layers": wider})


# Ladders of the settings the screen steps; the live ones keep the weights.
LADDERS = {"d_steps": (1, 2, 3, 4, 5), "gan_batch": (25, 50, 100, 150, 200, 300, 500, 1000),
           "noise_dim": (1, 2, 4, 8, 16)}
LIVE = ("d_steps", "gan_batch")


def nudge_setting(session, name: str, direction: int) -> None:
    if name not in LADDERS:
        raise ConfigError(f"no GAN setting {name!r} to step")
    value = step_on(LADDERS[name], getattr(session.config.model, name), direction)
    if name in LIVE:
        _record(session, **{name: value})
        session.training_run.restart_epoch()
    else:
        session.rebuild(**{name: value})


COMMANDS = {
    "nudge_gan_setting": nudge_setting,
    "one_update": one_update,
    "cycle_train": cycle_train,
    "set_network_lr": set_lr,
    "nudge_network_lr": nudge_lr,
    "nudge_both_lr": nudge_both_lr,
    "cycle_network_optimizer": cycle_optimizer,
    "cycle_network_activation": cycle_activation,
    "add_network_layer": add_layer,
    "remove_network_layer": remove_layer,
    "nudge_network_width": nudge_width,
}
