"""What the app writes for the user: the setup (TOML), its share string, the metric
history (CSV) and a screenshot (SVG). Each is a screen action of every kind (rows of
`COMMON` in ui/controls.py name them) and says where it wrote.

Default file names never overwrite an earlier file (name-2.ext, name-3.ext, ...); a
name the user types that exists already is refused, not overwritten.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from nn_tui.setup_file import config_to_toml, share_string
from nn_tui.state_dir import free_path
from nn_tui.ui.screens import SaveScreen, ShareScreen


def current_config(screen):
    """The setup of the run on screen (the session puts it in every snapshot)."""
    return screen.session.snapshot.settings.get("config", getattr(screen.session, "config", None))


def share_line(screen) -> str | None:
    config = current_config(screen)
    return None if config is None else share_string(config)


def _name(screen, what: str, suffix: str) -> Path:
    return free_path(Path.cwd() / f"nn-tui-{screen.session.snapshot.dataset}{what}{suffix}")


def save_setup(screen) -> None:
    """Ask for a file name (a free one offered), then write the setup as TOML."""
    config = current_config(screen)
    text = config_to_toml(config)

    def write(path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        if target.exists():
            screen.app.notify(f"{target} exists; choose another name (w, c and the exports never overwrite)",
                              severity="error", markup=False)
            return
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            screen.app.notify(f"could not write {target}: {error.strerror or error}", severity="error", markup=False)
            return
        screen.app.notify(f"wrote the setup to {target} (nn-tui --config {target.name})", markup=False)

    screen.app.push_screen(SaveScreen(str(_name(screen, "", ".toml")), "Save the setup to (.toml)"), write)


def show_share(screen) -> None:
    line = share_line(screen)
    screen.app.copy_to_clipboard(line)  # OSC 52: terminals that allow it get it on the clipboard
    screen.app.push_screen(ShareScreen(line))


def history_csv(history) -> str:
    """Every named series of a snapshot's history, one row an epoch; NaN left empty."""
    names = list(history.series)
    rows = [["epoch", *names]]
    columns = [history.epochs, *(history.series[name] for name in names)]
    for values in zip(*columns):
        rows.append([_cell(value) for value in values])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _cell(value) -> str:
    value = float(value)
    if math.isnan(value):
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def export_history(screen) -> None:
    path = _name(screen, "-history", ".csv")
    try:
        path.write_text(history_csv(screen.session.snapshot.history), encoding="utf-8")
    except OSError as error:
        screen.app.notify(f"could not write {path}: {error.strerror or error}", severity="error", markup=False)
        return
    screen.app.notify(f"wrote the loss history to {path}", markup=False)


def screenshot(screen) -> None:
    path = _name(screen, "-screen", ".svg")
    try:
        written = screen.app.save_screenshot(filename=path.name, path=str(path.parent))
    except OSError as error:
        screen.app.notify(f"could not write {path}: {error.strerror or error}", severity="error", markup=False)
        return
    screen.app.notify(f"saved a screenshot to {written}", markup=False)


ACTIONS = {
    "save_setup": save_setup,
    "share": show_share,
    "export_history": export_history,
    "screenshot": screenshot,
}
