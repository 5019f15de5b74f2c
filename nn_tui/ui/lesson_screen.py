"""The lesson screen: a PlaygroundScreen configured by a Lesson, plus its steps.

- panes: the lesson's pane names, taken from the kind's LAYOUT by id (topology,
  output, loss, confusion, fit) or from ``LESSON_PANES`` (the lesson's own);
- keys: rows of the kind's controls table, filtered by what the lesson's keys ask
  for (``SHARED``), plus the lesson's own rows (``LESSON_ROWS``), plus steps,
  picker, playground, help and quit;
- steps: a StepTracker fed on every snapshot with progress computed from the
  snapshot's views (``nn_tui.lessons.screen_values``); Enter next, Backspace back.

A lesson with several runs switches with a ``use_run`` session command (a fresh
run from the lesson's settings for that run, in the same session).
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from nn_tui.kinds import get_kind
from nn_tui.lessons import LESSONS, StepTracker
from nn_tui.lessons.importance import ImportanceView
from nn_tui.lessons.runs import run_names, run_settings, start_commands
from nn_tui.lessons.screen_values import PARAMETER_STEP, PARAMETERS, LessonState, connections, network, \
    perceptron_parameters, progress, set_by_hand
from nn_tui.session import check_command
from nn_tui.ui.controls import CLOSING, Control, controls_for
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.playground import PlaygroundScreen
from nn_tui.ui.widgets import lesson_pane as lp
from nn_tui.views import NetworkView

# Lesson key names -> Textual key names.
KEYS = {"+": "plus,equals_sign", "-": "minus", "]": "right_square_bracket", "[": "left_square_bracket"}

# Lesson command -> the row of the controls table it is: (command, args) or ("action", name, args).
SHARED = {
    "play_pause": ("toggle_play", ()),
    "step_epoch": ("step", ()),
    "reset_weights": ("reset", ()),
    "lr_up": ("nudge", ("lr", 1)),
    "lr_down": ("nudge", ("lr", -1)),
    "next_regularization": ("cycle_setting", ("reg", 1)),
    "reg_rate_up": ("nudge", ("reg_rate", 1)),
    "reg_rate_down": ("nudge", ("reg_rate", -1)),
    "add_neuron": ("action", "add_neuron", ()),
    "remove_neuron": ("action", "remove_neuron", ()),
    "select_previous": ("action", "select", (0, -1)),
    "select_next": ("action", "select", (0, 1)),
    "select_left": ("action", "select", (-1, 0)),
    "select_right": ("action", "select", (1, 0)),
    "unit_up": ("action", "pick_unit", (-1,)),
    "unit_down": ("action", "pick_unit", (1,)),
    "cursor_left": ("action", "move_cursor", (-1,)),
    "cursor_right": ("action", "move_cursor", (1,)),
    "next_story": ("show_story", (1,)),
    "gap_up": ("nudge_gap", (1,)),
    "gap_down": ("nudge_gap", (-1,)),
    "type_prompt": ("action", "ask_prompt", ()),
    "toggle_manifold": ("action", "toggle_manifold", ()),
    "toggle_push": ("action", "toggle_push", ()),
}

# The lesson's own keys: command -> (label, screen action, args). The screen's
# do_lesson_<action> runs them.
LESSON_ROWS = {
    "select_parameter": ("Next parameter (w1, w2, threshold)", "parameter", (1,)),
    "raise_parameter": ("Parameter up", "nudge_parameter", (1,)),
    "lower_parameter": ("Parameter down", "nudge_parameter", (-1,)),
    "next_gate": ("Next gate (AND / OR)", "next_data", ("gates", "gates")),
    "next_target": ("Next target curve", "next_data", ("approximation", "targets")),
    "use_hidden_layer": ("Run: network with a hidden layer", "use_run", ("network",)),
    "use_stuck_network": ("Run: the stuck network", "use_run", ("stuck",)),
    "use_rnn_no_gap": ("Run: plain RNN, no gap", "use_run", ("rnn_no_gap",)),
    "use_rnn": ("Run: plain RNN, gap 2", "use_run", ("rnn",)),
    "use_lstm": ("Run: LSTM, gap 2", "use_run", ("lstm",)),
    "use_gru": ("Run: GRU, gap 2", "use_run", ("gru",)),
    "use_two_gaussians": ("Run: two gaussians", "use_run", ("two_gaussians",)),
    "use_ring": ("Run: the ring, defaults", "use_run", ("ring",)),
    "use_ring_badly_set": ("Run: the ring, badly set", "use_run", ("ring_badly_set",)),
    "next_phase": ("Next phase", "phase", (1,)),
    "previous_phase": ("Previous phase", "phase", (-1,)),
    "cut_weakest_link": ("Cut the selected neuron's weakest link", "cut_link", ()),
    "prune_half": ("Prune: keep the larger half of each layer", "prune", ()),
    "show_importance": ("Measure permutation importance", "importance", ()),
    "next_step": ("Next step", "next_step", ()),
}

NAVIGATION = (
    Control("enter", "Next step", action="lesson_next_step", show=True, key_display="Enter"),
    Control("backspace", "Previous step", action="lesson_back", key_display="Backspace"),
    Control("P", "Playground (this network)", action="lesson_playground", show=True),
)

# The lesson's own panes: name -> Pane. Small text panes go in the left column.
LESSON_PANES = {
    "truth_table": Pane("truth_table", NetworkView, widget=lp.TruthTable, draw=lp.draw_truth_table),
    "parameters": Pane("parameters", NetworkView, widget=lp.ParametersPane, draw=lp.draw_parameters),
    "mistakes": Pane("mistakes", widget=lp.MistakesPane, draw=lp.draw_mistakes, group="plot"),
    "numbers": Pane("numbers", widget=lp.NumbersPane, draw=lp.draw_numbers),
    "inputs": Pane("inputs", NetworkView, widget=lp.InputsPane, draw=lp.draw_inputs),
    "loss_race": Pane("loss_race", widget=lp.SeriesPlot, draw=lp.draw_loss_race, group="plot"),
    "activation_curves": Pane("activation_curves", NetworkView, widget=lp.SeriesPlot,
                              draw=lp.draw_activation_curves, group="plot"),
    "contributions": Pane("contributions", NetworkView, widget=lp.SeriesPlot, draw=lp.draw_contributions,
                          group="output"),
    "connections_chart": Pane("connections_chart", NetworkView, widget=lp.SeriesPlot,
                              draw=lp.draw_connections_chart, group="plot"),
    "importance": Pane("importance", ImportanceView, widget=lp.ImportancePane, draw=lp.draw_importance),
    "weight_images": Pane("weight_images", NetworkView, widget=lp.WeightImages, draw=lp.draw_weight_images,
                          group="output"),
}
LEFT_PANES = ("truth_table", "mistakes", "inputs", "completion")  # under the steps; the rest go right
SMALL_SCREEN_ROWS = 30  # below it, a lesson leaves out its small_screen_leaves_out panes
STEPS_PANE = Pane("steps", widget=lp.StepsPane, draw=lambda *args: None, group="lesson")


def lesson_kinds(lesson) -> tuple[str, ...]:
    names = run_names(lesson) or (None,)
    kinds = []
    for name in names:
        kind = run_settings(lesson, name).get("model", "mlp")
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def _panes_module(kind: str):
    return importlib.import_module(get_kind(kind).panes)


def lesson_layout(lesson) -> Layout:
    """The steps, then the lesson's panes: small text ones left, pictures right."""
    kind_panes = {pane.id: pane for kind in lesson_kinds(lesson) for pane in _panes_module(kind).LAYOUT.panes()}
    left, right = [STEPS_PANE], []
    for name in lesson.panes:
        pane = LESSON_PANES.get(name) or kind_panes.get(name)
        if pane is None:
            continue  # a pane the app cannot draw yet (see the lesson report)
        (left if name in LEFT_PANES else right).append(pane)
        if name == "topology" and "neuron" in kind_panes:  # the selection's panel goes with it
            right.append(kind_panes["neuron"])
    if not right:
        right.append(kind_panes["loss"])
    return Layout(columns=(Column("left", tuple(left)), Column("right", tuple(right))))


def lesson_controls(lesson) -> tuple[Control, ...]:
    """Rows of the kinds' controls tables the lesson's keys ask for, the lesson's
    own rows, then navigation, help and quit. A lesson key replaces a table row."""
    tables = [controls_for(kind, _panes_module(kind).CONTROLS) for kind in lesson_kinds(lesson)]
    rows: list[Control] = []
    for key, command in lesson.keys.items():
        textual_key = KEYS.get(key, key)
        if command in SHARED:
            row = _find_row(tables, SHARED[command])
            if row is not None:
                row = replace(row, show=True)  # a lesson has few keys: all in the footer
                rows.append(row if row.key == textual_key else replace(row, key=textual_key, key_display=key))
        elif command in LESSON_ROWS and command != "next_step":
            label, action, args = LESSON_ROWS[command]
            rows.append(Control(textual_key, label, action=f"lesson_{action}", args=args, show=True,
                                key_display=key if key in KEYS else None))
    taken = {row.key for row in rows}
    return tuple(rows) + tuple(c for c in NAVIGATION if c.key not in taken) + CLOSING


def _find_row(tables, wanted):
    for table in tables:
        for row in table:
            if wanted[0] == "action":
                if row.action == wanted[1] and row.args == wanted[2]:
                    return replace(row, kinds=())
            elif row.command == wanted[0] and row.args == wanted[1]:
                return replace(row, kinds=())
    return None


class LessonUi:
    """The kind's UI object (selection, toggles) plus the lesson's state."""

    def __init__(self, inner, state: LessonState) -> None:
        self.inner = inner
        self.state = state

    def __getattr__(self, name):
        return getattr(self.__dict__["inner"], name)


class LessonScreen(PlaygroundScreen):
    def __init__(self, session, lesson, fps: float = 10.0, state: LessonState | None = None,
                 start_settings: dict | None = None) -> None:
        state = state or LessonState(lesson)
        ui = LessonUi(_panes_module(lesson_kinds(lesson)[0]).make_ui(), state)
        super().__init__(session, lesson_layout(lesson), lesson_controls(lesson), ui, fps)
        # A lesson key wins over the screen's own binding of it (Tab moves the focus).
        for key, bindings in self._bindings.key_to_bindings.items():
            own = [binding for binding in bindings if binding.action.startswith("control(")]
            if own:
                self._bindings.key_to_bindings[key] = own
        self.lesson = lesson
        self.state = state
        self.tracker = StepTracker(lesson, progress(lesson, session.snapshot, state))
        self._lesson_version = -1
        self._start_settings = start_settings  # sent as a use_run when the screen opens (a switch)
        self._expect_kind = None if start_settings is None else start_settings.get("model", "mlp")
        self._sent_at_version = session.snapshot.version  # the switch's snapshot comes after this one

    def on_mount(self) -> None:
        if self._start_settings is not None:
            self.send("use_run", self._start_settings)
        self._set_start_weights()
        super().on_mount()  # lays out for the size, and shows the steps

    def _apply_size_classes(self, size=None) -> None:
        super()._apply_size_classes(size)
        width, height = size or self.app.size
        # The steps' column: narrower than the playground's left one on a wide screen,
        # wider on a small one (long steps); it scrolls if a step still does not fit.
        wide = width >= 110
        left = self.query_one("#left")
        left.styles.width = "2fr" if wide else "5fr"
        left.styles.overflow_y = "auto"
        self.query_one("#right").styles.width = "3fr" if wide else "4fr"
        for name in self.lesson.small_screen_leaves_out:
            self.pane(name).display = height >= SMALL_SCREEN_ROWS
        self._show_steps((width, height))  # the short or the full list for this size, also when paused

    # ----------------------------------------------------------------- frames
    def tick(self) -> None:
        super().tick()
        if not self.active:
            self._lesson_version = -1
            return
        snapshot = self.session.snapshot
        if snapshot.version == self._lesson_version:
            return
        self._lesson_version = snapshot.version
        self._follow_kind(snapshot)
        self._follow_race(snapshot)
        self._follow_chart(snapshot)
        if self._expect_kind is not None:  # switched here: begin the steps on the new run
            if (snapshot.kind != self._expect_kind or snapshot.epoch != 0
                    or snapshot.version <= self._sent_at_version):
                return
            self._expect_kind = None
            self.tracker = StepTracker(self.lesson, progress(self.lesson, snapshot, self.state))
        self.tracker.update(progress(self.lesson, snapshot, self.state))
        self._show_steps()

    def _show_steps(self, size=None) -> None:
        width, height = size or self.app.size
        short = height < 34 or width < 110
        self.pane("steps").show_steps(self.lesson, self.tracker.index, self.run_line(), short)

    def run_line(self) -> str:
        """Which run is shown, for lessons that switch between several."""
        names = run_names(self.lesson)
        if names:
            keys = {LESSON_ROWS[c][2][0]: k for k, c in self.lesson.keys.items()
                    if c in LESSON_ROWS and LESSON_ROWS[c][1] == "use_run"}
            others = " · ".join(f"{keys[n]}: {_run_label(n)}" for n in names if n != self.state.run and n in keys)
            return f"run shown: {_run_label(self.state.run)}" + (f"  ({others})" if others else "")
        race = self.state.race_names
        if race:
            racer = self.session.snapshot.settings.get("activation")
            done = ", ".join(self.state.race) or "none yet"
            if len(self.state.race) >= len(race):
                return f"race finished ({done}); now training {racer}"
            return f"race: now {racer} ({self.state.racer + 1}/{len(race)}); finished: {done}"
        own = self.lesson.setup.get("data")
        shown = self.session.snapshot.dataset
        if own and shown != Path(own).stem:  # nn-tui lesson tabular --data FILE
            return f"your data: {shown} (the steps speak of {Path(own).stem}; the keys work the same)"
        return ""

    def _follow_kind(self, snapshot) -> None:
        """A run of another kind (xor's perceptron, then its network) gets that kind's UI object."""
        module = get_kind(snapshot.kind).panes
        if module != getattr(self, "_ui_module", None):
            if hasattr(self, "_ui_module"):
                self.ui.inner = importlib.import_module(module).make_ui()
            self._ui_module = module

    def _follow_race(self, snapshot) -> None:
        """The activation race: one Space trains each racer its epochs in turn; the
        finished curves stay on the plot (kept here, UI-side)."""
        race, state = self.state.race_names, self.state
        if not race or len(state.race) >= len(race) or state.racer >= len(race):
            return
        epochs = int(self.lesson.setup.get("epochs", 40))
        name = race[state.racer]
        if snapshot.settings.get("activation") != name or snapshot.epoch < epochs:
            return
        history = snapshot.history
        state.race[name] = (history.epochs.copy(), history.get("train_loss").copy())
        state.racer += 1
        if state.racer < len(race):
            self.send("use_run", run_settings(self.lesson, activation=race[state.racer]))
            self.send("play")
        else:
            self.send("pause")
            self.app.notify("race finished: the three curves are on one plot")

    def _follow_chart(self, snapshot) -> None:
        if "connections_chart" not in self.lesson.panes:
            return
        view = network(snapshot)
        accuracy = snapshot.metrics.get("test_accuracy")
        if view is None or accuracy is None:
            return
        links = connections(view)
        chart = self.state.chart
        if chart and chart[-1][0] == links:
            chart[-1] = (links, accuracy)  # retraining at this size: the latest accuracy
        else:
            chart.append((links, accuracy))

    def _set_start_weights(self) -> None:
        for command, args in start_commands(self.lesson, self.state.run):
            self.send(command, *args)

    # ------------------------------------------------------------------ keys
    def send(self, command: str, *args, **kwargs) -> None:
        try:
            check_command(self.session.snapshot.kind, command)
        except AttributeError:
            self.app.notify(f"{command.replace('_', ' ')}: not for this run ({self.session.snapshot.kind})")
            return
        super().send(command, *args, **kwargs)

    def _state_changed(self) -> None:
        self._lesson_version = -1
        self.show_all()
        self.tick()

    def do_lesson_next_step(self) -> None:
        self.tracker.next()
        self._show_steps()

    def do_lesson_back(self) -> None:
        self.tracker.back()
        self._show_steps()

    def do_lesson_parameter(self, direction: int) -> None:
        self.state.parameter = (self.state.parameter + direction) % len(PARAMETERS)
        self._state_changed()

    def do_lesson_nudge_parameter(self, direction: int) -> None:
        view = network(self.session.snapshot)
        if view is None or view.sizes[0] != 2 or len(view.sizes) != 2:
            return
        name = PARAMETERS[self.state.parameter]
        value = round(perceptron_parameters(view)[name] / PARAMETER_STEP + direction) * PARAMETER_STEP
        command, args = set_by_hand(self.state, view, name, value)
        self.send(command, *args)

    def do_lesson_next_data(self, source: str, entry: str) -> None:
        """The next gate or target: new data; hand-set perceptron weights are kept."""
        names = list(self.state.extras.get(entry) or _source_names(source))
        current = self.session.snapshot.dataset
        following = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
        view = network(self.session.snapshot)
        self.send("set_data", dataset=f"{source}:{following}")
        if source == "gates" and view is not None and len(view.sizes) == 2:
            values = perceptron_parameters(view)
            self.send("set_weight", 0, 0, 0, values["w1"])
            self.send("set_weight", 0, 1, 0, values["w2"])
            self.send("set_bias", 0, 0, -values["threshold"])

    def do_lesson_use_run(self, name: str) -> None:
        if name not in run_names(self.lesson):
            return
        self.state.run = name
        self.send("use_run", run_settings(self.lesson, name))
        self._show_steps()

    def do_lesson_phase(self, direction: int) -> None:
        from nn_tui.lessons.backprop import PHASES

        self.state.phase = min(max(self.state.phase + direction, 0), len(PHASES))
        self._state_changed()

    def do_lesson_cut_link(self) -> None:
        layer, neuron = self.ui.selected
        self.send("cut_weakest_link", layer - 1, neuron)

    def do_lesson_prune(self) -> None:
        view = network(self.session.snapshot)
        if view is None:
            return
        total = sum(w.size for w in view.weights)
        self.state.prune_rounds += 1
        self.send("prune_smallest", connections(view) / total / 2)

    def do_lesson_importance(self) -> None:
        self.send("measure_importance")

    def do_lesson_playground(self) -> None:
        self.app.push_screen(LessonPlayground.of(self.session, self.fps, self.lesson))


def _run_label(name: str) -> str:
    return name.replace("_", " ")  # ring_badly_set -> ring badly set


def _source_names(source: str) -> tuple[str, ...]:
    if source == "approximation":
        from nn_tui.lessons.approximation import TARGETS

        return tuple(TARGETS)
    from nn_tui.lessons.gates import TRUTH_TABLES

    return tuple(TRUTH_TABLES)


class LessonPlayground(PlaygroundScreen):
    """The playground on the lesson's run (same session, the full controls table);
    Escape goes back to the lesson."""

    BINDINGS = [Binding("escape", "back_to_lesson", "Back to the lesson", show=True)]

    @classmethod
    def of(cls, session, fps, lesson):
        panes = _panes_module(session.snapshot.kind)
        screen = cls(session, panes.LAYOUT, controls_for(session.snapshot.kind, panes.CONTROLS),
                     panes.make_ui(), fps)
        screen.lesson = lesson
        return screen

    def action_back_to_lesson(self) -> None:
        self.app.pop_screen()


# ------------------------------------------------------------------ the picker
class LessonPicker(ModalScreen[str | None]):
    """The lessons, in the story's order; Enter opens one, Escape closes."""

    BINDINGS = [Binding("escape", "dismiss_none", "Close")]
    DEFAULT_CSS = """
    LessonPicker { align: center middle; }
    LessonPicker OptionList { width: 90; max-width: 95%; height: auto; max-height: 90%;
                              border: thick $primary; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        options = []
        for number, lesson in enumerate(LESSONS.values(), start=1):
            options.append(Option(f"{number:>2}. {lesson.name:<13} {lesson.summary}", id=lesson.name))
        picker = OptionList(*options)
        picker.border_title = "Lessons (Enter opens, Esc closes)"
        yield picker

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def open_picker(app) -> None:
    def chosen(name: str | None) -> None:
        if name:  # after the picker is gone: switching screens inside its callback upsets Textual
            app.call_later(switch_lesson, app, name)

    app.push_screen(LessonPicker(), chosen)


def switch_lesson(app, name: str) -> None:
    """Open lesson `name` on the app's session: its first run replaces the one shown."""
    lesson = LESSONS[name]
    state = LessonState(lesson)
    screen = LessonScreen(app.session, lesson, app.fps, state, start_settings=run_settings(lesson, state.run))
    # On top of the first screen (the one the app opened with), nothing between: Textual
    # cannot switch away its default screen, and a screen under another stays idle.
    while len(app.screen_stack) > 1:
        app.pop_screen()
    app.push_screen(screen)


def lesson_commands(app):
    """Command-palette entries: open each lesson."""
    from textual.app import SystemCommand

    for number, lesson in enumerate(LESSONS.values(), start=1):
        yield SystemCommand(f"Lesson {number}: {lesson.name}", lesson.summary,
                            lambda name=lesson.name: switch_lesson(app, name))
