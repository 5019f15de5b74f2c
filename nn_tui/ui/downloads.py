"""In a browser (`nn-tui serve`), what the app would write goes to the student's
downloads instead (Textual's deliver_text / deliver_binary), never to the server's
disk, and no path is asked for: a student must not be able to write files where the
server's user can.

The model is written by the training process; it writes into a private temporary folder
(0700), the app reads the file once it is there (model files are written whole, then
renamed), sends its bytes and removes the folder.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

MODEL_WAIT_SECONDS = 60.0  # the training process answers between epochs
MIME = {".toml": "application/toml", ".csv": "text/csv", ".svg": "image/svg+xml"}


def to_browser(app) -> bool:
    """True when the app is served to a browser: files go to its downloads."""
    return bool(getattr(app, "is_web", False))


def send_text(screen, name: str, text: str, what: str) -> None:
    screen.app.deliver_text(io.StringIO(text), save_filename=name, encoding="utf-8",
                            mime_type=MIME.get(Path(name).suffix, "text/plain"))
    screen.app.notify(f"sent {what} to your browser's downloads: {name}", markup=False)


def send_model(screen, name: str) -> None:
    """Ask the training process for the model in a private folder, then send it on."""
    folder = Path(tempfile.mkdtemp(prefix="nn-tui-download-"))
    path = folder / name
    screen.send("save", str(path), quiet=True)
    asked_at = time.monotonic()

    def check() -> None:
        if path.exists():
            data = path.read_bytes()
        elif time.monotonic() - asked_at > MODEL_WAIT_SECONDS:
            data = None
        else:
            return
        timer.stop()
        shutil.rmtree(folder, ignore_errors=True)
        if data is None:
            screen.app.notify("the model did not come from the training process; try w again",
                              severity="error", markup=False)
            return
        screen.app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type="application/octet-stream")
        screen.app.notify(f"sent the model to your browser's downloads: {name}", markup=False)

    timer = screen.set_interval(0.1, check)
