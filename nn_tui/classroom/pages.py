"""The pages `nn-tui serve` shows instead of the app: the class is full, a saved run to
resume; and the lines written into a tab's terminal (idle, full) when no app draws it."""

from __future__ import annotations

import html
import time

STYLE = ("<style>body{background:#0c181f;color:#e8eef2;font:18px/1.5 'Roboto Mono',menlo,monospace;"
         "max-width:40em;margin:4em auto;padding:0 1em}a{color:#8fd3ff;margin-right:2em}</style>")


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{STYLE}"
            f"</head><body>{body}</body></html>")


def class_full(tabs_in: int, max_tabs: int) -> str:
    return _page("nn-tui: the class is full",
                 f"<h1>The class is full</h1><p>{tabs_in} of {max_tabs} tabs are in. "
                 "Try again when someone closes theirs (reload this page).</p>")


def full_line(tabs_in: int, max_tabs: int) -> str:
    return f"The class is full: {tabs_in} of {max_tabs} tabs are in. Reload when someone closes theirs."


def resume_offer(what: str, resume_url: str, new_url: str, watch_url: str | None = None) -> str:
    """Resume the saved run, start a new one, or (the teacher presents) watch the teacher's run."""
    watch = "" if watch_url is None else (
        f"<a id='watch' href='{html.escape(watch_url)}'>Watch the teacher's run</a>")
    return _page("nn-tui: resume your run?",
                 f"<h1>Your run is saved</h1><p>This tab trained {html.escape(what)}.</p>"
                 f"<p>{watch}<a id='resume' href='{html.escape(resume_url)}'>Resume it</a>"
                 f"<a id='new' href='{html.escape(new_url)}'>Start a new run</a></p>"
                 "<p>(A new run replaces the saved one once it trains"
                 + ("; so does a copy of the teacher's run, c while watching" if watch else "")
                 + ".)</p>")


def saved_run_words(info: dict) -> str:
    """'spiral to epoch 120, saved 14:05' from an autosave's info."""
    from nn_tui import autosave  # start-up time: numpy's reader only when a slot is looked at

    data = info["config"]["data"]
    when = time.strftime("%H:%M", time.localtime(info["saved_at"]))
    return f"{data['data'] or data['dataset']} to epoch {autosave.epoch_of(info)}, saved {when}"


def terminal_text(*lines: str) -> bytes:
    """Lines for the tab's terminal (xterm.js) with no app behind it: a clear screen, then the text."""
    return ("\x1b[?1049l\x1b[0m\x1b[2J\x1b[H\r\n" + "".join(f"  {line}\r\n" for line in lines)).encode()
