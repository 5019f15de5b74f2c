"""The lesson screen: a PlaygroundScreen configured by a Lesson, plus its steps.

It knows a lesson only through its registry entry (``nn_tui.lessons.LESSONS``) and
the lesson's ``screen`` module (imported only here, as a kind's ``panes`` module is),
which may hold:

- ``PANES``: the lesson's own panes, name -> Pane (the rest of ``lesson.panes`` are
  the kind's LAYOUT ids); ``lesson.left_panes`` go under the steps, the rest right;
- ``CONTROLS``: the lesson's own key rows, whose ``action`` names an entry of
- ``ACTIONS``: name -> ``fn(screen, *args)``;
- ``follow(screen, snapshot)``: called on each new snapshot, before the steps;
- ``run_line(screen)``: the line over the steps saying what is shown;
- ``SMALL_SCREEN_FOLDS``: step number -> panes folded at that step on a small screen
  (``PANE_NAMES`` there: what the steps' border calls them).

Keys: the lesson's own rows, a switch key per named run that has one (generated
from ``lesson.setup["runs"]``), rows of the kind's controls table that
``lesson.keys`` ask for (``SHARED``), then steps, picker, playground, help, quit.
Steps: a StepTracker fed on every snapshot with progress computed from the
snapshot's views (``nn_tui.lessons.screen_values``); Enter next, Backspace back.
A run switch is a ``use_run`` session command (a fresh run from the lesson's
settings for that run, in the same session).
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.css.query import NoMatches
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from nn_tui.config import DEFAULT_KIND
from nn_tui.kinds import get_kind
from nn_tui.lessons import LESSONS, StepTracker
from nn_tui.lessons.pace import next_pace, pace_command
from nn_tui.lessons.runs import run_keys, run_names, run_settings, start_commands
from nn_tui.lessons.screen_values import LessonState, progress
from nn_tui.session import check_command
from nn_tui.snapshot import TRAINING
from nn_tui.ui.controls import CLOSING, Control, controls_for
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.playground import PlaygroundScreen
from nn_tui.ui.widgets.borders import set_border_subtitle
from nn_tui.ui.widgets.lesson_pane import StepsPane

# Lesson key names -> Textual key names.
KEYS = {"+": "plus,equals_sign", "-": "minus", "]": "right_square_bracket", "[": "left_square_bracket"}

# Names a lesson's keys use for rows of its kinds' controls tables: (command, args)
# or ("action", name, args). A lesson narrows the kind's keys; it adds none here.
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
    "head_up": ("action", "pick_head", (-1,)),
    "head_down": ("action", "pick_head", (1,)),
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

NAVIGATION = (
    Control("enter", "Next step", action="lesson_next_step", show=True, key_display="Enter"),
    Control("backspace", "Previous step", action="lesson_back", key_display="Backspace"),
    Control("P", "Playground (this network)", action="lesson_playground", show=True),
    Control("f", "Pace: slow, normal, full speed", action="lesson_pace", show=True),
)

SMALL_SCREEN_ROWS = 30  # below it, a lesson leaves out its small_screen_leaves_out panes (and shows its small_screen_only ones)
# What the steps' border calls the panes a small screen leaves out ("neuron" goes with "topology").
PANE_NAMES = {"loss": "loss curve", "topology": "network picture", "output": "output map",
              "digit": "digit picture", "dqn-cell": "cell values"}
STEPS_PANE = Pane("steps", widget=StepsPane, draw=lambda *args: None, group="lesson")
NO_SCREEN = SimpleNamespace(PANES={}, CONTROLS=(), ACTIONS={})  # a lesson with nothing of its own to show


def screen_parts(lesson):
    """The lesson's screen module (its own panes, keys, actions and hooks)."""
    return importlib.import_module(lesson.screen) if lesson.screen else NO_SCREEN


def lesson_kinds(lesson) -> tuple[str, ...]:
    names = run_names(lesson) or (None,)
    kinds = []
    for name in names:
        kind = run_settings(lesson, name).get("model", DEFAULT_KIND)
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def _panes_module(kind: str):
    return importlib.import_module(get_kind(kind).panes)


def _kind_panes(module) -> tuple[Pane, ...]:
    """A kind's panes: its layout's, and those it shows only when asked (EXTRA_PANES)."""
    return module.LAYOUT.panes() + tuple(getattr(module, "EXTRA_PANES", ()))


def lesson_layout(lesson) -> Layout:
    """The steps, then the lesson's panes: its left_panes under the steps, the rest right."""
    kind_panes = {pane.id: pane for kind in lesson_kinds(lesson) for pane in _kind_panes(_panes_module(kind))}
    own = getattr(screen_parts(lesson), "PANES", {})
    left, right = [STEPS_PANE], []
    for name in lesson.panes:
        pane = own.get(name) or kind_panes.get(name)
        if pane is None:
            continue  # a pane the app cannot draw yet (see the lesson report)
        (left if name in lesson.left_panes else right).append(pane)
        if name == "topology" and "neuron" in kind_panes:  # the selection's panel goes with it
            right.append(kind_panes["neuron"])
    if not right:
        right.append(kind_panes["loss"])
    return Layout(columns=(Column("left", tuple(left)), Column("right", tuple(right))))


def run_controls(lesson) -> tuple[Control, ...]:
    """A switch key for each named run that has one: made from the runs, not written out."""
    return tuple(Control(KEYS.get(key, key), f"Run: {label}", action="lesson_use_run", args=(name,), show=True,
                         key_display=key if key in KEYS else None)
                 for name, (key, label) in run_keys(lesson).items())


RUNNING = ("play_pause", "step_epoch", "reset_weights")  # before the run switches, as on the playground


def lesson_controls(lesson) -> tuple[Control, ...]:
    """The lesson's own rows, the running keys, its run switches, the other rows of the
    kinds' controls tables its keys ask for, then navigation, help and quit (the footer's
    order). A lesson key replaces a table row."""
    tables = [controls_for(kind, _panes_module(kind).CONTROLS) for kind in lesson_kinds(lesson)]
    running: list[Control] = []
    others: list[Control] = []
    for key, command in lesson.keys.items():
        textual_key = KEYS.get(key, key)
        if command in SHARED:
            row = _find_row(tables, SHARED[command])
            if row is not None:
                row = replace(row, show=True)  # a lesson has few keys: all in the footer
                row = row if row.key == textual_key else replace(row, key=textual_key, key_display=key)
                (running if command in RUNNING else others).append(row)
    rows = [*getattr(screen_parts(lesson), "CONTROLS", ()), *running, *run_controls(lesson), *others]
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
    """The kind's UI object (selection, toggles), the lesson's state, and the lesson's
    own actions (rows of its CONTROLS name them; each is ``fn(screen, *args)``)."""

    def __init__(self, inner, state: LessonState, actions=None) -> None:
        self.inner = inner
        self.state = state
        self.actions = dict(actions or {})

    def __getattr__(self, name):
        actions = self.__dict__["actions"]
        if name in actions:
            return actions[name]
        return getattr(self.__dict__["inner"], name)


class LessonScreen(PlaygroundScreen):
    def __init__(self, session, lesson, fps: float = 10.0, state: LessonState | None = None,
                 start_settings: dict | None = None) -> None:
        state = state or LessonState(lesson)
        self.parts = screen_parts(lesson)
        ui = LessonUi(_panes_module(lesson_kinds(lesson)[0]).make_ui(), state, getattr(self.parts, "ACTIONS", {}))
        super().__init__(session, lesson_layout(lesson), lesson_controls(lesson), ui, fps)
        # A lesson key wins over the screen's own binding of it (Tab moves the focus).
        for key, bindings in self._bindings.key_to_bindings.items():
            own = [binding for binding in bindings if binding.action.startswith("control(")]
            if own:
                self._bindings.key_to_bindings[key] = own
        self.lesson = lesson
        self.state = state
        self.tracker = StepTracker(lesson, progress(lesson, session.snapshot, state), hold=True)
        self.pace = "normal"  # the run's own watchable pace; f cycles slow, normal, full
        self._lesson_version = -1
        self._was_training = False  # the last snapshot's run was training
        self._start_settings = start_settings  # sent as a use_run when the screen opens (a switch)
        self._expect_kind = None if start_settings is None else start_settings.get("model", DEFAULT_KIND)
        self._sent_at_version = session.snapshot.version  # the switch's snapshot comes after this one

    def on_mount(self) -> None:
        if self._start_settings is not None:
            self.send("use_run", self._start_settings)
        self._set_start_weights()
        self._send_pace()
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
        # Classes, not `display`: an inline display would override the pane's "no-view"
        # (xor's hidden maps on the perceptron run showed an empty box at 80x24).
        for name in self.lesson.small_screen_leaves_out:
            self.pane(name).set_class(height < SMALL_SCREEN_ROWS, "left-out")
        for name in self.lesson.small_screen_only:
            self.pane(name).set_class(height >= SMALL_SCREEN_ROWS, "left-out")
        # A lesson's screen may give a pane a larger share (xor: the hidden units' maps);
        # not on a small screen, where the other panes would shrink to a row or two.
        for name, share in getattr(self.parts, "PANE_HEIGHTS", {}).items():
            self.pane(name).styles.height = share if height >= SMALL_SCREEN_ROWS else "1fr"
        # And one may need a pane whole there (digits: the confusion matrix's ten rows).
        for name, rows in self.lesson.small_screen_heights.items():
            self.pane(name).styles.height = rows if height < SMALL_SCREEN_ROWS else None
        self._show_steps((width, height))  # the short or the full list for this size, also when paused

    # ----------------------------------------------------------------- frames
    def tick(self) -> None:
        snapshot = self.session.snapshot
        if self.active:  # the UI object of the kind about to be drawn (a run switch changes it)
            self._follow_kind(snapshot)
            follow = getattr(self.parts, "follow", None)
            # Before the panes draw: a pane of what follow keeps (the deep lesson's runs table)
            # drew the state of the snapshot before, and a paused run sends no next one (one
            # s on the third run: its row never showed).
            if follow is not None and snapshot.version != self._lesson_version:
                follow(self, snapshot)
        super().tick()
        if not self.active:
            self._lesson_version = -1
            return
        if snapshot.version == self._lesson_version:
            return
        self._lesson_version = snapshot.version
        if self._expect_kind is not None:  # switched here: begin the steps on the new run
            if (snapshot.kind != self._expect_kind or snapshot.epoch != 0
                    or snapshot.version <= self._sent_at_version):
                return
            self._expect_kind = None
            self.tracker = StepTracker(self.lesson, progress(self.lesson, snapshot, self.state), hold=True)
        was_reached = self.tracker.reached
        # A run that stopped itself (early stopping) reaches its goal on its first paused
        # snapshot: held too, or the overfitting lesson's step 6 passed unseen.
        training, self._was_training = snapshot.status == TRAINING or self._was_training, snapshot.status == TRAINING
        self.tracker.update(progress(self.lesson, snapshot, self.state), training=training)
        if self.tracker.reached and not was_reached and training:
            self.send("pause")  # the goal is reached: stop so the learner can read on
            self.app.notify(self.goal_line())
        self._show_steps()

    def goal_line(self) -> str:
        """What the steps pane says under a step whose goal is met ("" while it is not)."""
        tracker = self.tracker
        if not tracker.reached:
            return ""
        number = tracker.index + 1
        enter = "Enter to finish" if number == len(self.lesson.steps) else "Enter for the next step"
        if tracker.met_at_start:
            return f"Step {number}'s goal is already met ({tracker.step.done.describe}): nothing to do here. {enter}"
        if tracker.reached_training:
            return f"Step {number}'s goal reached: training paused. Read on, {enter}"
        # Reached by a key while paused (a held_at_goal step): nothing was paused here.
        return f"Step {number}'s goal reached. Read on, then {enter}"

    def _show_steps(self, size=None) -> None:
        width, height = size or self.app.size
        short = height < 34 or width < 110
        # Where the lesson leaves panes out, the steps' bottom border says which (a row of
        # text there would push the panes under the steps off a 24-row screen).
        small = height < SMALL_SCREEN_ROWS
        names = {**PANE_NAMES, **getattr(self.parts, "PANE_NAMES", {})}
        left_out = [names.get(name, name.replace("_", " ")) for name in
                    (*self.lesson.small_screen_leaves_out, *self._fold_for_the_step(small)) if name != "neuron"] \
            if small else []
        steps = self.pane("steps")
        subtitle = f"not shown: {', '.join(left_out)}" if left_out else ""
        set_border_subtitle(steps, subtitle)
        steps.show_steps(self.lesson, self.tracker.index, self.run_line(), short, self.goal_line(),
                         self.navigation_keys())
        self._keys_of_the_step_first()

    def _fold_for_the_step(self, small: bool) -> tuple[str, ...]:
        """A lesson's screen may fold, on a small screen, panes the current step does not
        speak of (SMALL_SCREEN_FOLDS: step number -> panes), so that those it does have
        rows; the rest of the time they are shown. Returns the panes folded now."""
        folds = getattr(self.parts, "SMALL_SCREEN_FOLDS", {})
        folded = folds.get(self.tracker.index + 1, ()) if small else ()
        for name in {name for names in folds.values() for name in names}:
            # A class, not `display`: a pane without a view stays hidden (.no-view).
            self.pane(name).set_class(name in folded, "folded")
        return folded

    def navigation_keys(self) -> dict[str, str]:
        """Action -> the key this screen's controls table binds to it, as shown: the hints
        under the steps are made from it, so they cannot name a key that does not do it."""
        keys: dict[str, str] = {}
        for control in self.controls:
            if control.action and control.action not in keys:
                keys[control.action] = control.key_display or control.key.split(",")[0]
        return keys

    def _keys_of_the_step_first(self) -> None:
        """The footer lists the keys the current step names first, then Enter; on a
        narrow terminal only those (the rest stay bound, and ? lists them all). A footer
        too long for the terminal is cut at its right end, never those keys."""
        step, narrow = self.tracker.index, self.app.size.width < 110
        if (step, narrow) == getattr(self, "_footer_for", None):
            return
        self._footer_for = (step, narrow)
        named = self.lesson.steps[step].keys if step < len(self.lesson.steps) else ()
        first = [key for name in (*named, "enter") for key in KEYS.get(name, name).split(",")]
        by_key = self._bindings.key_to_bindings
        if not hasattr(self, "_footer_rows"):  # as bound: whether shown, and the label
            self._footer_rows = {key: list(bindings) for key, bindings in by_key.items()}
        ordered = {key: by_key[key] for key in first if key in by_key}
        ordered.update((key, bindings) for key, bindings in by_key.items() if key not in ordered)
        shown = [key for key in ordered if key in first and any(b.show for b in self._footer_rows.get(key, ()))]
        room = self.app.size.width - 14  # 14: the palette key at the right end
        labels = [b.description.split(" (")[0] for key in shown for b in self._footer_rows[key][:1]]
        if sum(len(label) + 5 for label in labels) > room:
            room //= max(len(shown), 1)  # each its share
        for key, bindings in ordered.items():
            bound = self._footer_rows.get(key, bindings)
            ordered[key] = [replace(now, show=was.show and (key in first or not narrow),
                                    description=footer_label(was.description, room) if narrow else was.description)
                            for now, was in zip(bindings, bound)]
        by_key.clear()
        by_key.update(ordered)
        try:
            self.query_one(Footer).compact = narrow
        except NoMatches:
            pass
        self.refresh_bindings()

    def run_line(self) -> str:
        """Which run is shown, for lessons that switch between several (or the lesson's own line)."""
        names = run_names(self.lesson)
        if names:
            keys = {name: key for name, (key, _) in run_keys(self.lesson).items()}
            others = " · ".join(f"{keys[n]}: {_run_label(n)}" for n in names if n != self.state.run and n in keys)
            return f"run shown: {_run_label(self.state.run)}" + (f"  ({others})" if others else "")
        own_line = getattr(self.parts, "run_line", None)
        if own_line is not None:
            return own_line(self)
        own = self.lesson.setup.get("data")
        shown = self.session.snapshot.dataset
        if own and shown != Path(own).stem:  # nn-tui lesson NAME --data FILE
            return f"your data: {shown} (the steps speak of {Path(own).stem}; the keys work the same)"
        return ""

    def _follow_kind(self, snapshot) -> None:
        """A run of another kind gets that kind's UI object."""
        module = get_kind(snapshot.kind).panes
        if module != getattr(self, "_ui_module", None):
            if hasattr(self, "_ui_module"):
                self.ui.inner = importlib.import_module(module).make_ui()
            self._ui_module = module

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

    def state_changed(self) -> None:
        """The lesson's own state changed (a key of its own): redraw and re-check the steps."""
        self._lesson_version = -1
        self.show_all()
        self.tick()

    def do_lesson_next_step(self) -> None:
        self.tracker.next()
        self._show_steps()

    def do_lesson_back(self) -> None:
        self.tracker.back()
        self._show_steps()

    def do_lesson_use_run(self, name: str) -> None:
        if name not in run_names(self.lesson):
            return
        self.state.switch_to(name)  # "run" reads None until the new run's snapshot arrives
        self.send("use_run", run_settings(self.lesson, name))
        self._send_pace()  # this run's own pace
        self._show_steps()

    def do_lesson_pace(self) -> None:
        self.pace = next_pace(self.pace)
        self._send_pace()

    def _send_pace(self) -> None:
        self.send("set_pace", *pace_command(self.lesson, self.state.run, self.pace))

    def do_lesson_playground(self) -> None:
        self.app.push_screen(LessonPlayground.of(self.session, self.fps, self.lesson))


def footer_label(description: str, room: int) -> str:
    """A footer label in `room` cells with its key: without its parenthesis, then cut."""
    label = description.split(" (")[0]
    room = max(room - 5, 6)  # the key and the gaps around it
    return label if len(label) <= room else label[:room - 1] + "…"


def _run_label(name: str) -> str:
    return name.replace("_", " ")  # a_run_name -> a run name


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
    for number, lesson in enumerate(LESSONS.values(), start=1):
        yield SystemCommand(f"Lesson {number}: {lesson.name}", lesson.summary,
                            lambda name=lesson.name: switch_lesson(app, name))
