"""What the app writes for the user (in a browser: sends to its downloads, ui/downloads.py): the setup (TOML), its share string, the metric
history (CSV) and a screenshot (SVG). Each is a screen action of every kind (rows of
`COMMON` in ui/controls.py name them) and says where it wrote.

Default file names never overwrite an earlier file (name-2.ext, name-3.ext, ...); a
name the user types that exists already is refused, not overwritten. Every file is
created exclusively (`_write_new`), so not even a name taken between the choice and the
write, or the 10,000th taken name, replaces a file the user made.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from nn_tui.setup_file import config_to_toml, share_string
from nn_tui.state_dir import free_path
from nn_tui.ui import downloads
from nn_tui.ui.screens import SaveScreen, ShareScreen


def current_config(screen):
    """The setup of the run on screen (the session puts it in every snapshot)."""
    return screen.session.snapshot.settings.get("config", getattr(screen.session, "config", None))


def share_line(screen) -> str | None:
    config = current_config(screen)
    return None if config is None else share_string(config)


def _name(screen, what: str, suffix: str) -> Path:
    return free_path(Path.cwd() / _file_name(screen, what, suffix))


def _file_name(screen, what: str, suffix: str) -> str:
    return f"nn-tui-{screen.session.snapshot.dataset}{what}{suffix}"


NEVER_OVERWRITE = "choose another name (w, c and the exports never overwrite)"


def _write_new(screen, path: Path, text: str) -> bool:
    """Write `text` to `path` only if no file is there; says why not and returns False."""
    try:
        with open(path, "x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        screen.app.notify(f"{path} exists; {NEVER_OVERWRITE}", severity="error", markup=False)
        return False
    except OSError as error:
        screen.app.notify(f"could not write {path}: {error.strerror or error}", severity="error", markup=False)
        return False
    return True


def save_setup(screen) -> None:
    """Ask for a file name (a free one offered), then write the setup as TOML."""
    config = current_config(screen)
    text = config_to_toml(config)
    if downloads.to_browser(screen.app):
        downloads.send_text(screen, _file_name(screen, "", ".toml"), text, "the setup")
        return

    def write(path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        if not _write_new(screen, target, text):
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


def _export(screen, text: str, what: str, suffix: str, label: str, done: str) -> None:
    """Send `text` (`label`) to the browser's downloads, or write it under a free default
    name and say "`done` <path>"."""
    if downloads.to_browser(screen.app):
        downloads.send_text(screen, _file_name(screen, what, suffix), text, label)
        return
    path = _name(screen, what, suffix)
    if _write_new(screen, path, text):
        screen.app.notify(f"{done} {path}", markup=False)


def export_history(screen) -> None:
    _export(screen, history_csv(screen.session.snapshot.history), "-history", ".csv", "the loss history",
            "wrote the loss history to")


def screenshot(screen) -> None:
    # Not App.save_screenshot: it would open the file for writing, replacing what is there.
    _export(screen, screen.app.export_screenshot(), "-screen", ".svg", "a screenshot", "saved a screenshot to")


ACTIONS = {
    "save_setup": save_setup,
    "share": show_share,
    "export_history": export_history,
    "screenshot": screenshot,
}
