"""A served tab's packets reach the server whole (nn_tui/ui/_web_writes.py): a write that
the pipe takes in parts is finished, and two threads' packets never interleave."""

import os
import threading
from types import SimpleNamespace

from nn_tui.ui import _web_writes
from nn_tui.ui._web_writes import send_packets_whole, whole_packet_writer


def test_a_packet_the_pipe_takes_in_parts_is_written_whole(monkeypatch):
    taken = []

    def takes_at_most_5(fileno, data):
        taken.append(bytes(data[:5]))
        return min(5, len(data))

    monkeypatch.setattr(_web_writes.os, "write", takes_at_most_5)
    whole_packet_writer(1)(b"P\x00\x00\x00\x0cdownload chunk")
    assert b"".join(taken) == b"P\x00\x00\x00\x0cdownload chunk"


def test_two_threads_packets_arrive_one_after_the_other():
    read_end, write_end = os.pipe()
    write = whole_packet_writer(write_end)
    packets = {name: name * 200_000 for name in (b"A", b"B")}  # far over the pipe's buffer
    received = bytearray()
    reader = threading.Thread(target=lambda: _read_all(read_end, received, 400_000))
    reader.start()
    writers = [threading.Thread(target=write, args=(packet,)) for packet in packets.values()]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    reader.join(60)
    os.close(write_end)
    os.close(read_end)
    assert bytes(received) in (packets[b"A"] + packets[b"B"], packets[b"B"] + packets[b"A"])


def _read_all(fileno, into, size):
    while len(into) < size:
        into += os.read(fileno, 65536)


def test_only_a_served_app_is_changed():
    driver = SimpleNamespace(_write=os.write, fileno=1)
    assert not send_packets_whole(SimpleNamespace(is_web=False, _driver=driver))
    assert driver._write is os.write
    assert send_packets_whole(SimpleNamespace(is_web=True, _driver=driver))
    assert driver._write is not os.write
