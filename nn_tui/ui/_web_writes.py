"""In a browser (`nn-tui serve`), the app's packets to the server must arrive whole.

Textual's web driver (8.2.x) writes each packet (a frame, a metadata line, a chunk of a
download) with one bare `os.write` to the pipe the server reads, from two threads: the
app's frames from the main thread, a download's 64 KB chunks from the input thread that
answers the server's chunk requests. A pipe write larger than PIPE_BUF (4 KB) is not
atomic, so a frame could land inside a chunk, and `os.write` may also write only part
of a packet; either way the server's reader loses the packets' framing and the tab
freezes (seen: about 1 run in 12 of tests/test_serve_browser.py's downloads test, the
4th download never arriving and the screen never changing again). The guard sends
every packet whole, one at a time.
"""

from __future__ import annotations

import os
import threading


def whole_packet_writer(fileno: int):
    """A write that sends all of `data`, never interleaved with another thread's."""
    lock = threading.Lock()

    def write_whole(data: bytes) -> None:
        view = memoryview(data)
        with lock:
            while view:
                view = view[os.write(fileno, view):]

    return write_whole


def send_packets_whole(app) -> bool:
    """In a browser tab, make the app's web driver write packets whole; returns whether
    it did (a terminal app, or a driver without Textual 8.2's `_write`, is left alone).
    Called on mount: nothing is written from a second thread before a download."""
    driver = getattr(app, "_driver", None)
    if not getattr(app, "is_web", False) or not hasattr(driver, "_write") or not hasattr(driver, "fileno"):
        return False
    driver._write = whole_packet_writer(driver.fileno)
    return True
