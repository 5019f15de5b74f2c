"""Lesson screens driven through Textual's Pilot: every lesson opens, trains on its
key, survives random keys and resizes; the picker, the palette and the playground."""

import random

import pytest

from nn_tui.kinds.sequence.views import CompletionView
from nn_tui.lessons import LESSONS
from nn_tui.lessons.runs import config_for, first_run
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.lesson_screen import LessonPicker, LessonPlayground, LessonScreen, lesson_controls
from tests.app.pilot_helpers import wait_for



def lesson_app(name) -> NNTuiApp:
    lesson = LESSONS[name]
    return NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson=name)


def steps_text(app) -> str:
    return app.screen.pane("steps").render().plain


def fits(app) -> None:
    """Every shown pane lies inside the terminal (the footer scrolls its keys)."""
    width, height = app.size
    for widget in app.screen._widgets.values():
        if widget.display and widget.region.area:
            assert widget.region.right <= width and widget.region.bottom <= height, widget


@pytest.mark.parametrize("name", list(LESSONS))
async def test_every_lesson_opens_trains_and_survives_random_keys_and_resizes(name):
    app = lesson_app(name)
    lesson = LESSONS[name]
    # Not the keys that open another screen (i opens a prompt that takes the keys after it).
    keys = [control.key.split(",")[0] for control in app.get_default_screen().controls
            if control.key not in ("q", "c", "P", "question_mark", "i")]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson is lesson
        assert "1/" in steps_text(app)  # the first step, highlighted
        fits(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 2)
        await pilot.press("space")
        rng = random.Random(sum(map(ord, name)))
        for round_ in range(40):
            await pilot.press(rng.choice(keys))
            if round_ % 10 == 9:
                await pilot.resize_terminal(*rng.choice([(80, 24), (100, 30), (120, 40), (70, 20)]))
                await pilot.pause(0.05)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert isinstance(app.screen, LessonScreen)
        fits(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        fits(app)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("name", list(LESSONS))
async def test_every_lesson_shows_its_current_step_and_keys_at(name, size):
    app = lesson_app(name)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        steps = app.screen.pane("steps")
        assert steps.region.height >= 3 and steps.region.bottom <= size[1]
        first = LESSONS[name].steps[0].text
        assert first.split()[0] in steps_text(app)
        fits(app)


def test_lesson_keys_are_rows_of_the_controls_table_filtered_not_new_bindings():
    from nn_tui.kinds.mlp.panes import CONTROLS
    from nn_tui.ui.controls import controls_for

    table = controls_for("mlp", CONTROLS)
    rows = lesson_controls(LESSONS["sparse"])
    by_label = {row.label: row for row in rows}
    for label in ("Play/pause", "Regularisation", "Reg. rate up", "Reg. rate down", "Select up", "Select down"):
        row = by_label[label]
        original = next(c for c in table if c.label == label)
        assert (row.key, row.command, row.args, row.action) == (original.key, original.command, original.args,
                                                                 original.action)
    assert "Activation" not in by_label and "Add layer" not in by_label  # narrower than the playground
    assert by_label["Prune: keep the larger half of each layer"].key == "p"  # the lesson's own p
    keys = [row.key for row in rows]
    assert len(keys) == len(set(keys))


async def test_perceptron_keys_tune_the_unit_and_a_step_held_at_its_goal_waits_for_enter():
    app = lesson_app("perceptron")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        await pilot.press("plus")
        # Step 1 says to watch the line and the table move after + : held there, not passed.
        await wait_for(pilot, lambda: screen.tracker.reached)
        assert screen.tracker.index == 0 and "Step 1's goal reached. Read on" in steps_text(app)
        await pilot.press("enter")
        assert screen.tracker.index == 1
        assert "✓ 1." in steps_text(app) and "▶ 2/5" in steps_text(app)
        await pilot.press("tab")
        assert screen.state.own.parameter == 1
        await pilot.press("enter")
        assert screen.tracker.index == 2
        await pilot.press("backspace")
        assert screen.tracker.index == 1


async def test_xor_run_keys_switch_runs_and_say_which_is_shown():
    app = lesson_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        assert "run shown: perceptron" in steps_text(app)
        await pilot.press("n")  # a network key while the perceptron is shown: refused, not sent
        await pilot.press("m")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "mlp")
        await wait_for(pilot, lambda: "run shown: network" in steps_text(app))
        await pilot.press("x")
        await wait_for(pilot, lambda: app.session.snapshot.settings["hidden"] == (3,))
        assert "run shown: stuck" in steps_text(app)


async def test_activation_race_keeps_three_curves_on_one_plot():
    app = lesson_app("activations")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("space")
        state = app.screen.state.own
        await wait_for(pilot, lambda: len(state.race) == 3)
        assert list(state.race) == ["sigmoid", "tanh", "relu"]
        for epochs, losses in state.race.values():
            assert epochs[-1] >= 40 and len(losses) == len(epochs)
        plot = app.screen.pane("loss_race")
        # Drawn on a frame after the race: a frame before it still had "relu (now)".
        await wait_for(pilot, lambda: [label for label, *_ in plot._series][:3] == ["sigmoid", "tanh", "relu"])
        await wait_for(pilot, lambda: app.session.snapshot.status == "paused")


async def test_backprop_phase_keys_show_the_walkthrough():
    app = lesson_app("backprop")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: app.screen.tracker.index == 1)
        numbers = app.screen.pane("numbers").render().plain
        assert "y_hat=+0.5718" in numbers and "E=" not in numbers and "E =" not in numbers
        await pilot.press("left")
        assert app.screen.state.own.phase == 1


async def test_picker_switches_lessons_and_the_playground_keeps_the_network():
    app = lesson_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("m")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "mlp")
        await pilot.press("s", "s")
        await wait_for(pilot, lambda: app.session.snapshot.epoch == 2)
        await pilot.press("P")
        await pilot.pause(0.1)
        assert isinstance(app.screen, LessonPlayground)
        assert app.session.snapshot.epoch == 2  # the same run, not a new one
        assert any(c.label == "Add layer" for c in app.screen.controls)  # the full table
        await pilot.press("l")
        await wait_for(pilot, lambda: app.session.snapshot.settings["hidden"] == (4, 4))
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.name == "xor"
        await pilot.press("c")
        await pilot.pause(0.1)
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("home", "enter")  # the first lesson: the perceptron
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.name == "perceptron")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "perceptron")
        await wait_for(pilot, lambda: app.screen._expect_kind is None)
        assert len(app.screen_stack) == 2  # over the screen the app opened with, which waits
        assert not app.screen_stack[0].active and app.screen.active
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.screen.tracker.reached)  # step 1: held at its goal
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.tracker.index == 1)


async def test_the_playground_lists_the_picker_in_help_and_the_palette_lists_lessons():
    from nn_tui.config import RunConfig
    from nn_tui.ui.screens import HelpScreen

    app = NNTuiApp(Session(RunConfig.of()), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        assert any(c.key == "c" and c.action == "lessons" for c in app.screen.controls)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        # Every lesson, numbered in the story's order.
        lesson_titles = [title for title in titles if title.startswith("Lesson ")]
        assert lesson_titles == [f"Lesson {number}: {name}" for number, name in enumerate(LESSONS, start=1)]
        assert "Lesson 1: perceptron" in titles and "Lesson 5: overfitting" in titles
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause(0.1)
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("down", "enter")  # xor
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: app.session.snapshot.kind == "perceptron")
        assert app.screen.lesson.name == "xor"


@pytest.mark.parametrize("name", list(LESSONS))
async def test_every_lesson_opens_from_the_picker_on_the_same_session_and_trains(name):
    from nn_tui.config import RunConfig

    app = NNTuiApp(Session(RunConfig.of()), fps=20)
    lesson = LESSONS[name]
    expected = Session(config_for(lesson, first_run(lesson))).snapshot
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("c")
        await pilot.pause(0.1)
        before = list(LESSONS)[:list(LESSONS).index(name)]
        await pilot.press("home", *["down"] * len(before), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson is lesson)
        await wait_for(pilot, lambda: (app.session.snapshot.kind, app.session.snapshot.dataset)
                       == (expected.kind, expected.dataset) and app.screen._expect_kind is None)
        assert app.session.snapshot.settings == expected.settings
        assert app.screen_stack[0]._shown_version == -1  # the playground under the lesson draws nothing
        assert "1/" in steps_text(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 2)
        await pilot.press("space")


async def test_sparse_keys_cut_and_prune_on_the_training_side():
    from nn_tui.lessons.screen_values import network
    from nn_tui.lessons.sparse import live_links as connections

    app = lesson_app("sparse")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        total = connections(network(app.session.snapshot))
        await pilot.press("enter")  # past "train it densely first"
        await pilot.press("right", "x")  # a hidden neuron's weakest incoming link
        await wait_for(pilot, lambda: connections(network(app.session.snapshot)) == total - 1)
        await wait_for(pilot, lambda: app.screen.tracker.reached)  # "connections changed": held
        assert app.screen.tracker.index == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.tracker.index == 2)
        await pilot.press("p")
        await wait_for(pilot, lambda: connections(network(app.session.snapshot)) <= total // 2)
        assert len(app.screen.state.own.chart) >= 2  # a point per size on the chart


async def test_tabular_i_measures_importance_and_the_pane_shows_it():
    app = lesson_app("tabular")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        pane = app.screen.pane("importance")
        await pilot.pause(0.2)
        assert not pane.display  # nothing measured yet
        await pilot.press("s", "i")
        await wait_for(pilot, lambda: pane.display and "sex" in pane.render().plain)


async def test_rnn_lesson_number_keys_switch_cell_and_gap_and_the_arrows_pick_a_unit():
    app = lesson_app("rnn")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        assert "run shown: rnn no gap" in steps_text(app) and "3: lstm" in steps_text(app)
        assert screen.pane("loss").display  # left out at 80×24 only, where it would be squeezed empty
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert not screen.pane("loss").display and screen.pane("gaps").region.height >= 6
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.1)
        assert screen.pane("loss").display
        assert app.session.snapshot.settings["gap"] == 0
        await pilot.press("3")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "lstm")
        assert app.session.snapshot.settings["gap"] == 2 and "run shown: lstm" in steps_text(app)
        await pilot.press("4")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "gru")
        await pilot.press("2")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "rnn" and app.session.snapshot.settings["gap"] == 2)
        await pilot.press("down", "down", "right")
        assert (screen.ui.unit, screen.ui.cursor) == (2, 1)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.step >= 16)
        assert app.session.snapshot.kind == "rnn" and screen.state.run == "rnn"
        await pilot.press("i")  # a prompt of the user's own, answered by the run shown
        await pilot.pause(0.1)
        app.screen.query_one("#prompt-input").value = "I live in Spain. I speak fluent "
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.snapshot.view(CompletionView) is not None)
        assert isinstance(app.screen, LessonScreen)
        assert app.session.snapshot.view(CompletionView).prompt == "I live in Spain. I speak fluent "


async def test_gan_lesson_number_keys_switch_between_its_three_runs():
    app = lesson_app("gan")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        assert app.session.snapshot.dataset == "two-gaussians" and "run shown: two gaussians" in steps_text(app)
        await pilot.press("3")
        await wait_for(pilot, lambda: app.session.snapshot.dataset == "ring")
        assert app.session.snapshot.settings["noise_dim"] == 1  # the badly set one
        assert "run shown: ring badly set" in steps_text(app)
        await pilot.press("2")
        await wait_for(pilot, lambda: app.session.snapshot.settings["noise_dim"] == 8)
        assert app.session.snapshot.dataset == "ring" and "run shown: ring " in steps_text(app)
        manifold = screen.ui.show_manifold
        await pilot.press("k")
        assert screen.ui.show_manifold != manifold
        await pilot.press("s")
        await wait_for(pilot, lambda: app.session.snapshot.epoch == 1)
