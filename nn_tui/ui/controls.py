"""The controls table: every key of the app, what it does, its label, the kinds it serves.

The screen binds its keys from this table, and the footer, the help screen and the
command palette all read it, so a lesson can narrow the keys by passing fewer rows.
A row either sends a session `command` (with `args`) or runs a UI `action` (a method
of the kind's UI object, else of the screen) that needs the screen's own state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Control:
    key: str  # Textual key names, comma-separated ("plus,equals_sign")
    label: str
    command: str | None = None  # a session command ...
    args: tuple = ()
    action: str | None = None  # ... or a UI action
    show: bool = False  # in the footer
    key_display: str | None = None
    kinds: tuple[str, ...] = ()  # the kinds it applies to; () for every kind

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


# The kinds whose runs take dropout and batch norm (ModelKind.training_extras).
TRAINED_WITH_EXTRAS = ("mlp", "cnn", "autoencoder")

# Keys every kind shares: running, the learning rate, data and training settings, files.
COMMON = (
    Control("space", "Play/pause", command="toggle_play", show=True),
    Control("s", "Step epoch", command="step", show=True),
    Control("r", "Reset weights", command="reset", show=True),
    Control("R", "New data", command="regenerate"),
    Control("plus,equals_sign", "LR up", command="nudge", args=("lr", 1), show=True, key_display="+"),
    Control("minus", "LR down", command="nudge", args=("lr", -1), show=True, key_display="-"),
    Control("d", "Data set", command="cycle_setting", args=("dataset", 1)),
    Control("z", "Noise up", command="nudge", args=("noise", 1)),
    Control("Z", "Noise down", command="nudge", args=("noise", -1)),
    Control("t", "Train ratio up", command="nudge", args=("train_ratio", 1)),
    Control("T", "Train ratio down", command="nudge", args=("train_ratio", -1)),
    Control("b", "Batch size up", command="nudge", args=("batch_size", 1)),
    Control("B", "Batch size down", command="nudge", args=("batch_size", -1)),
    Control("o", "Optimizer", command="cycle_setting", args=("optimizer", 1)),
    Control("g", "Regularisation", command="cycle_setting", args=("reg", 1)),
    Control("h", "Reg. rate up", command="nudge", args=("reg_rate", 1)),
    Control("H", "Reg. rate down", command="nudge", args=("reg_rate", -1)),
    Control("j", "Dropout up", command="nudge", args=("dropout", 1), kinds=TRAINED_WITH_EXTRAS),
    Control("J", "Dropout down", command="nudge", args=("dropout", -1), kinds=TRAINED_WITH_EXTRAS),
    Control("M", "Batch norm on/off", command="toggle_batchnorm", kinds=TRAINED_WITH_EXTRAS),
    Control("w", "Save model", action="save"),
    Control("C", "Save setup (.toml)", action="save_setup"),
    Control("u", "Share string of this setup", action="share"),
    Control("v", "Export loss history (.csv)", action="export_history"),
    Control("V", "Screenshot (.svg)", action="screenshot"),
    Control("y", "Loss plot: log / linear scale", action="loss_log_scale"),
    Control("x", "Loss plot: steps / epochs", action="loss_steps"),
    Control("m", "Theme: dark, light, 16 colours", action="next_theme"),
)
# Always last: the lesson picker, help and quit.
CLOSING = (
    Control("c", "Lessons (pick one)", action="lessons"),
    Control("question_mark", "Help", action="help", show=True, key_display="?"),
    Control("q", "Quit", action="quit", show=True),
)


# The teacher's tab under `nn-tui serve` (its app can present: nn_tui/broadcast.py): its run on
# every other tab, read-only, or each tab back on its own.
PRESENT = Control("S", "Present to the class (on/off)", action="present", show=True)


def with_present(controls: tuple[Control, ...]) -> tuple[Control, ...]:
    """The table with the teacher's presenting key, before help and quit."""
    return controls[:-len(CLOSING)] + (PRESENT,) + controls[-len(CLOSING):]


def controls_for(kind: str, own: tuple[Control, ...]) -> tuple[Control, ...]:
    """The table a kind's screen binds: the common rows, the kind's own, help and quit.
    A kind's row with the key of a common one replaces it."""
    own = tuple(c for c in own if c.applies_to(kind))
    taken = {c.key for c in own}
    common = tuple(c for c in COMMON if c.key not in taken and c.applies_to(kind))
    # The kind's rows shown in the footer go right after the common footer rows.
    return common[:6] + tuple(c for c in own if c.show) + common[6:] + tuple(c for c in own if not c.show) + CLOSING
