"""The status line: every value readable, at 80 columns too, whatever the losses."""

import math
import re
from dataclasses import replace

import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.snapshot import DIVERGED
from nn_tui.training import format_loss
from nn_tui.ui.widgets.status_line import status_text


@pytest.fixture(scope="module")
def snapshot():
    return Session(RunConfig.of(dataset="reg-plane", lr=5.0)).snapshot


@pytest.mark.parametrize("value, shown", [
    (0.12345, "0.1235"), (0.0, "0.0000"), (9999.0, "9999.0000"), (12345.0, "1.23e+04"),
    (1.4586e287, "1.46e+287"), (math.inf, "inf"), (math.nan, "nan"),
])
def test_losses_are_shown_short(value, shown):
    assert format_loss(value) == shown


@pytest.mark.parametrize("width", [80, 120])
def test_a_diverged_run_still_shows_its_learning_rate(snapshot, width):
    metrics = {**snapshot.metrics, "train_loss": 1.4586e287, "test_loss": math.inf}
    diverged = replace(snapshot, status=DIVERGED, metrics=metrics)
    line = status_text(diverged, width).plain
    assert "train loss 1.46e+287" in line and "test loss inf" in line
    assert "lr 5" in line and len(line) <= width - 2  # the widget pads one cell each side


def test_a_kind_declares_what_its_status_line_shows_not_its_settings():
    gan = Session(RunConfig.of(model="gan", dataset="ring")).snapshot
    line = status_text(gan, 120).plain
    assert "D " in line and "JS " in line and "modes 0/8" in line and "G adam 0.0002" in line and "D+G" in line
    assert "train loss" not in line and "lr " not in line
    sequence = Session(RunConfig.of(model="lstm")).snapshot
    line = status_text(sequence, 120).plain
    assert "completion 0.00" in line and "lr 0.005  lstm  adam" in line
    for snapshot in (gan, sequence):  # the kind's `status` hook, not entries smuggled into the settings
        assert not {"status_metrics", "status_settings"} & set(snapshot.settings)


@pytest.mark.parametrize("width, shown", [(120, "overfitting since epoch 1,234"), (80, "overfitting since epoch 1,234")])
def test_the_status_line_says_since_when_the_run_overfits(snapshot, width, shown):
    assert "overfitting" not in status_text(snapshot, width).plain
    overfitting = replace(snapshot, overfitting_since=1234)
    line = status_text(overfitting, width)
    assert shown in line.plain[:width - 2]  # the widget pads one cell each side
    assert "test loss" in line.plain.split("overfitting")[0] or width < 110  # beside the losses it is about
    assert re.search(r"test( loss)? \d", line.plain.split("overfitting")[0])
    assert not "overfitting" in status_text(replace(overfitting, status=DIVERGED), width).plain  # that says more


@pytest.mark.parametrize("pace", ["normal 20 ep/s", "full speed", None])
@pytest.mark.parametrize("epoch, since", [(102, 90), (12_345, 1_234)])
def test_at_80_columns_the_overfitting_mark_is_never_cut(snapshot, pace, epoch, since):
    # The overfitting lesson at 80x24: "‖ paused epoch 102 normal 20 ep/s train loss 0.1188
    # test loss 0.8337" and the mark was cut off. The pace keeps its name, the losses drop
    # "loss", then the mark "epoch" (paused at the step's goal: "since epoch 90" fits, not
    # while training).
    metrics = {**snapshot.metrics, "train_loss": 0.1188, "test_loss": 0.8337}
    overfitting = replace(snapshot, epoch=epoch, pace=pace, overfitting_since=since, metrics=metrics)
    lines = {status: status_text(replace(overfitting, status=status), 78).plain for status in ("paused", "training")}
    for line in lines.values():
        assert re.search(rf"overfitting since (epoch )?{since:,}\b", line[:78]), line
        assert "0.1188" in line and "0.8337" in line, line
        assert pace is None or pace.split()[0] in line or epoch > 10_000, line  # left out only when nothing else fits
    assert f"overfitting since epoch {since:,}" in lines["paused"] or epoch > 10_000, lines
    wide = status_text(overfitting, 120).plain
    assert f"train loss 0.1188  test loss 0.8337  overfitting since epoch {since:,}" in wide


def test_at_80_columns_the_sequence_kinds_show_their_completion_in_the_lines_first_78_cells():
    # The rnn lesson's steps train to "80 % completed": at 80x24 the line was cut before it.
    sequence = replace(Session(RunConfig.of(model="rnn")).snapshot, pace="normal 10 ep/s")
    assert "completion 0.00" in status_text(sequence, 80).plain[:78]
    gan = replace(Session(RunConfig.of(model="gan", dataset="ring")).snapshot, pace="normal 100 ep/s")
    assert "modes 0/8" in status_text(gan, 80).plain[:78]


def test_at_80_columns_the_pace_is_left_out_only_for_the_overfitting_mark():
    # The sequence kinds' four numbers never fit 78 cells: the pace keeps its name (f changes
    # it), the losses lose the word "loss" so that their numbers show.
    sequence = replace(Session(RunConfig.of(model="lstm")).snapshot, pace="normal 4 ep/s")
    line = status_text(sequence, 78).plain[:78]
    assert " normal completion 0.00 train " in line and re.search(r"test \d\.\d{4}", line), line



# Every metric a kind's status line names, as a run might show it.
SHOWN = {"train_loss": 0.012345, "test_loss": 0.023456, "test_accuracy": 0.9, "completion_accuracy": 0.12,
         "bits_per_char": 4.484, "test_psnr": 18.23, "test_psnr_noisy": 10.8, "test_psnr_marked": 12.3,
         "test_psnr_marked_before": 9.1, "test_psnr_drawn": 13.4, "test_psnr_drawn_before": 8.7, "d_loss": 0.693,
         "g_loss": 0.71, "js_divergence": 0.123, "modes_covered": 7, "mean_return": -0.812, "success_rate": 0.9,
         "optimal_share": 0.7, "epsilon": 0.123, "perfect_o_loss": 12, "random_x_win": 85}
EVERY_KIND = [dict(), dict(model="cnn", dataset="digits"), dict(model="autoencoder", dataset="digits"),
              dict(model="rnn"), dict(model="lstm", dataset="fluent"), dict(model="gru"), dict(model="attention"),
              dict(model="gan", dataset="ring"), dict(model="dqn"), dict(model="selfplay")]


def _forms(snapshot, width: int) -> list[tuple[str, str]]:
    """Each item the line may show, (whole, shortened): "train loss 0.0123" / "train 0.0123"."""
    from nn_tui.ui.widgets.status_line import _Line

    whole, short = _Line.of(snapshot, width < 110), _Line.of(snapshot, width < 110)
    short.pace, short.short_losses, short.short_mark = 1, True, True
    return [(a.strip(), b.strip()) for (a, _), (b, _) in zip(whole.parts(), short.parts())]


def _left_after_whole_items(line: str, forms) -> str:
    """The line less every item found in it whole (in either form, in order): only spaces
    are left where no item was cut."""
    for item in forms:
        for form in item:
            at = line.find(form)
            if at >= 0 and line[at + len(form):at + len(form) + 1] in ("", " "):
                line = line[:at] + line[at + len(form):]
                break
    return line


@pytest.mark.parametrize("config", EVERY_KIND, ids=lambda config: config.get("model", "mlp"))
@pytest.mark.parametrize("width", [78, 118])
def test_every_kinds_status_line_fits_its_width_in_whole_items(config, width):
    # At 80x24 the lstm's line ended "bits/char 4.484 lr", the rnn lesson's "bits/char", the
    # autoencoder's "noisy 10.8 lr": Textual cut the line where its width ran out.
    snapshot = Session(RunConfig.of(**config)).snapshot
    for state in ("training", "paused", DIVERGED):
        for pace in (None, "normal 10 ep/s", "full speed"):
            for epoch, since in ((3, None), (12_345, None), (1_234_567, None), (12_345, 12_000)):
                shown = replace(snapshot, status=state, pace=pace, epoch=epoch, metrics=SHOWN, overfitting_since=since)
                line = status_text(shown, width).plain
                assert len(line) <= width, line  # nothing for Textual to cut
                assert not _left_after_whole_items(line, _forms(shown, width)).strip(), line
                assert line.split()[1:4] == [state, "epoch", f"{epoch:,}"], line
                first_number = _forms(shown, width)[2 + (pace is not None)]  # what the kind's story is about
                assert any(form in line for form in first_number), line


def test_items_go_least_missed_first():
    # The pace's speed, then the settings after the learning rate, then the word "loss", then
    # the learning rate; the numbers only where no setting is left.
    mlp = replace(Session(RunConfig.of()).snapshot, pace="normal 10 ep/s", epoch=12_345, metrics=SHOWN,
                  status="training")
    assert status_text(mlp, 78).plain == "▶ training epoch 12,345 normal train loss 0.0123 test loss 0.0235 lr 0.03 tanh"
    lstm = replace(Session(RunConfig.of(model="lstm", dataset="fluent")).snapshot, epoch=12, metrics=SHOWN,
                   status="training")
    assert status_text(lstm, 78).plain.endswith("test 0.0235 bits/char 4.484")  # not "bits/char 4.484 lr"
    lstm = replace(lstm, epoch=12_345)  # no room for bits/char: room again for the learning rate
    assert status_text(lstm, 78).plain.endswith("completion 0.12 train 0.0123 test 0.0235 lr 0.005 lstm")
    psnrs = {name: SHOWN[name] for name in ("train_loss", "test_loss", "test_psnr", "test_psnr_noisy")}
    autoencoder = replace(Session(RunConfig.of(model="autoencoder", dataset="digits")).snapshot, epoch=12,
                          metrics=psnrs, status="training")
    assert status_text(autoencoder, 78).plain.endswith("PSNR 18.2 dB noisy 10.8 lr 0.003")  # not "noisy 10.8 lr"
    # At 120 columns the data set's name goes first (the rnn lesson's line was cut there too).
    wide = replace(lstm, pace="normal 4 ep/s")
    assert status_text(wide, 128).plain.endswith("normal  completion 0.12  train loss 0.0123  test loss 0.0235  "
                                                 "bits/char 4.484  lr 0.005  lstm  adam"), status_text(wide, 128).plain
