"""The gan kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.settings import ConfigError
from nn_tui.data.distributions import DISTRIBUTIONS, GENERATIVE
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.gan import build as gan_build
from nn_tui.kinds.gan import commands as gan_commands
from nn_tui.kinds.gan import probes as gan_probes
from nn_tui.kinds.gan import spec as gan_spec
from nn_tui.kinds.gan.model import Gan

# The settings a loaded GAN's file decides (what its arrays are shaped by and mean).
FILE_DECIDES = ("noise_dim", "noise_type", "noise_scale", "g_layers", "g_activation", "d_layers", "d_activation")


class GanKind(ModelKind):
    name = "gan"
    summary = gan_spec.SUMMARY
    spec = gan_spec.GanSpec
    options = gan_spec.OPTIONS
    datasets = DISTRIBUTIONS
    # bench/gan_quality.py measures its goals at 10,000 epochs (about 10 s here)
    defaults = {"dataset": "two-gaussians", "epochs": 10_000}
    commands = gan_commands.COMMANDS
    panes = "nn_tui.kinds.gan.panes"

    def check(self, config) -> None:
        gan_spec.check_spec(config.model)
        gan_build.check_train_settings(config)

    def load_data(self, config, seed):
        return gan_build.load_distribution(config, seed)

    def check_data(self, config, dataset) -> None:
        if dataset.task != GENERATIVE:  # --load of a GAN's file, data of another kind
            raise ConfigError("--load: the file holds a GAN, which learns a 2-D distribution: "
                              "add --model gan (and --dataset one of: " + ", ".join(DISTRIBUTIONS) + ")")

    def build(self, config, dataset, model=None):
        return gan_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        return isinstance(model, Gan)

    def spec_for(self, model, current):
        """The file decides the networks (sizes, activations, noise); the training
        settings (learning rates, optimizers, steps, loss, batch) are the run's."""
        return current.replace(**{name: getattr(model.spec, name) for name in FILE_DECIDES})

    def probes(self, run) -> tuple:
        return gan_probes.probes(run)

    def settings(self, run) -> dict:
        gan = run.model
        spec = gan.spec
        modes = gan.distribution.modes
        return dict(
            spec.as_dict(), distribution=gan.distribution.name, trains=run.only,
            mode_count=None if modes is None else len(modes),
        )

    def status(self, settings) -> tuple:
        """D's and G's losses, the divergence and the modes covered, then each network's
        optimizer and who trains: instead of the playground's losses, lr and activation."""
        modes = settings.get("mode_count")
        metrics = (("d_loss", "D", "{:.3f}"), ("g_loss", "G", "{:.3f}"), ("js_divergence", "JS", "{:.3f}"),
                   *((("modes_covered", "modes", "{:.0f}/" + str(modes)),) if modes is not None else ()))
        return metrics, (f"G {settings['g_optimizer']} {settings['g_lr']:g}",
                         f"D {settings['d_optimizer']} {settings['d_lr']:g}",
                         {None: "D+G", "d": "D only", "g": "G only"}[settings.get("trains")])

    def report(self, run) -> dict:
        gan = run.model
        return {"generator": list(gan.G.sizes), "discriminator": list(gan.D.sizes)}


KIND = GanKind()
