"""GANs: a generator against a discriminator on 2-D distributions (GAN Lab's ideas).

Headless so far: `nn-tui train --model gan --dataset two-gaussians --json` trains and
reports d_loss, g_loss, js_divergence, kl_divergence (and modes_covered for ring and
grid). The screen is not built yet, so the app refuses the kind in one line.
"""

from __future__ import annotations

from nn_tui.config import ConfigError
from nn_tui.data.distributions import DISTRIBUTIONS
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.gan import build as gan_build
from nn_tui.kinds.gan import spec as gan_spec


class GanKind(ModelKind):
    name = "gan"
    summary = "a generator against a discriminator, on 2-D distributions"
    spec = gan_spec.GanSpec
    options = gan_spec.OPTIONS
    datasets = DISTRIBUTIONS
    # bench/gan_quality.py measures its goals at 10,000 epochs (about 10 s here)
    defaults = {"dataset": "two-gaussians", "epochs": 10_000}
    commands = {}
    panes = ""

    def check(self, config) -> None:
        gan_spec.check_spec(config.model)
        gan_build.check_train_settings(config)

    def load_data(self, config, seed):
        return gan_build.load_distribution(config, seed)

    def build(self, config, dataset, model=None):
        return gan_build.build(config, dataset, model)

    def fits_view(self, config) -> None:
        raise ConfigError("the GAN screen is not built yet; train it headless: nn-tui train --model gan --json")

    def settings(self, run) -> dict:
        return dict(run.model.spec.as_dict(), distribution=run.model.distribution.name)

    def report(self, run) -> dict:
        gan = run.model
        return {"generator": list(gan.G.sizes), "discriminator": list(gan.D.sizes)}


KIND = GanKind()
