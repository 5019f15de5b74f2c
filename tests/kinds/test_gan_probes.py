"""The GAN's screen side, without a screen: its views, its commands through the
session, and that showing never changes what training computes."""

import numpy as np
import pytest

from nn_tui.config import ConfigError, RunConfig
from nn_tui.kinds.gan.probes import manifold_noise, probes
from nn_tui.kinds.gan.spec import GanSpec
from nn_tui.kinds.gan.views import GanPlaneView
from nn_tui.session import Session


def session(**config):
    return Session(RunConfig.of(model="gan", dataset="ring", **config))


def train_epochs(s, epochs, publish_every=0):
    for epoch in range(epochs):
        s.training_run.run_epoch()
        if publish_every and epoch % publish_every == 0:
            s.publish()


def test_views_are_small_frozen_and_in_range():
    s = session()
    train_epochs(s, 30)
    s.publish()
    view = s.snapshot.view(GanPlaneView)
    assert view.d_map.shape == (32, 32) and -1 <= view.d_map.min() <= view.d_map.max() <= 1
    assert view.real.shape == (200, 2) and view.fake.shape == (200, 2) and view.fake_push.shape == (200, 2)
    assert np.isclose(np.hypot(*view.fake_push.T).max(), 1.0)  # directions, the largest of length 1
    assert view.manifold.shape == (9, 9, 2) and "2-D slice through mean" in view.noise_note
    assert not view.fake.flags.writeable
    nbytes = sum(a.nbytes for a in (view.d_map, view.real, view.fake, view.fake_push, view.manifold))
    assert nbytes < 32_000  # every frame crosses a pipe


def test_publishing_views_never_changes_training():
    quiet, watched = session(seed=5), session(seed=5)
    train_epochs(quiet, 40)
    train_epochs(watched, 40, publish_every=1)
    for a, b in ((quiet.training_run.model.G, watched.training_run.model.G),
                 (quiet.training_run.model.D, watched.training_run.model.D)):
        assert np.array_equal(a.flat_params, b.flat_params)


def test_the_generated_points_move_when_g_trains_and_stay_when_only_d_does():
    s = session()
    before = probes(s.training_run)[0]
    s.send("cycle_train")  # D only
    s.apply_commands()
    train_epochs(s, 5)
    after_d = probes(s.training_run)[0]
    assert np.array_equal(before.fake, after_d.fake) and not np.array_equal(before.d_map, after_d.d_map)
    s.send("cycle_train")  # G only
    s.apply_commands()
    train_epochs(s, 5)
    assert not np.array_equal(after_d.fake, probes(s.training_run)[0].fake)


def test_one_update_commands_count_steps_and_losses():
    s = session()
    g0 = s.training_run.model.G.flat_params.copy()
    d0 = s.training_run.model.D.flat_params.copy()
    s.send("one_update", "d")
    s.apply_commands()
    assert s.snapshot.step == 1 and s.snapshot.epoch == 0
    assert np.array_equal(s.training_run.model.G.flat_params, g0)
    assert not np.array_equal(s.training_run.model.D.flat_params, d0)
    assert np.isfinite(s.snapshot.metrics["d_loss"]) and np.isfinite(s.snapshot.metrics["g_loss"])


def test_per_network_settings_reach_the_config_and_the_live_optimizer():
    s = session()
    s.send("nudge_network_lr", "d", 1)
    s.send("cycle_network_optimizer", "g")
    s.apply_commands()
    gan = s.training_run.model
    assert s.config.model.d_lr == 2e-4 and gan.d_opt.lr == 2e-4 and gan.spec.d_lr == 2e-4
    assert s.config.model.g_optimizer != "adam" and s.config.model.g_lr == 2e-4
    s.send("nudge_gan_setting", "gan_batch", 1)
    s.apply_commands()
    assert s.training_run.model.spec.gan_batch == 200
    s.send("remove_network_layer", "d")
    s.send("remove_network_layer", "d")
    s.send("remove_network_layer", "d")  # refused in a notice: nothing left to remove
    s.apply_commands()
    assert s.config.model.d_layers == ()
    notes = []
    while not s.notices.empty():
        notes.append(s.notices.get_nowait().text)
    assert any("no hidden layer left" in n for n in notes)


def test_status_line_names_the_gans_metrics_and_the_mode_count():
    from nn_tui.ui.widgets.status_line import status_text

    s = session()
    line = status_text(s.snapshot).plain
    assert "D 1." in line and "G 0." in line and "JS " in line and "modes 0/8" in line and "train loss" not in line
    two = Session(RunConfig.of(model="gan", dataset="two-gaussians"))
    assert "modes" not in status_text(two.snapshot).plain  # no modes to count


@pytest.mark.parametrize("dim, shape", [(1, (9, 1)), (2, (9, 9)), (8, (9, 9))])
def test_manifold_is_a_grid_of_noise_through_its_mean(dim, shape):
    noise, grid_shape, note = manifold_noise(GanSpec(noise_dim=dim))
    assert grid_shape == shape and noise.shape == (shape[0] * shape[1], dim)
    if dim > 2:
        assert np.all(noise[:, 2:] == 0) and "slice" in note


def test_unknown_network_is_refused():
    from nn_tui.kinds.gan.commands import set_lr

    with pytest.raises(ConfigError):
        set_lr(session(), "x", 0.1)


def test_the_planes_title_counts_the_modes_of_the_snapshot_the_status_line_shows():
    """The picture is redrawn at most every PLANE_SECONDS while training; its title is not held with it."""
    from types import SimpleNamespace

    from nn_tui.kinds.gan.panes import GanUi, draw_plane

    def snapshot(covered):
        return SimpleNamespace(status="training", epoch=3_000, metrics={"modes_covered": covered},
                               settings={"mode_count": 8})

    drawn = []
    widget = SimpleNamespace(border_title="", border_subtitle="", outer_size=SimpleNamespace(width=120),
                             update_gan=lambda view, **kw: drawn.append(view))
    ui, view = GanUi(show_manifold=False), SimpleNamespace(noise_note="")
    draw_plane(widget, snapshot(0), view, ui)
    assert "covers 0 of 8" in widget.border_title
    draw_plane(widget, snapshot(1), view, ui)  # the next frame, within PLANE_SECONDS
    assert len(drawn) == 1  # the picture waits ...
    assert "covers 1 of 8" in widget.border_title  # ... the title says what the status line says
