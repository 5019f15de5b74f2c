#!/usr/bin/env python3
"""Replay issue 12's hostile inputs and signals against the CLI; print a table.

    python3 bench/hostile.py              # every case (about two minutes)
    python3 bench/hostile.py --only csv   # cases whose name contains "csv"
    python3 bench/hostile.py --list

Each case runs `python3 -m nn_tui train ...` from this tree in a fresh
temporary directory, as a subprocess with a wall-clock timeout and an
address-space limit (RLIMIT_AS, 2 GB by default), and compares what happened
(exit status, stderr, files left behind) with what issue 12 promises: bad
input ends in one line and exit 2, never a traceback, never unbounded memory;
Ctrl-C / SIGTERM / SIGHUP save the last completed epoch and exit 130 / 143 /
129; `--save` never overwrites a file that is not an nn-tui model; a run whose
loss blows up exits 3 with advice, a healthy one exits 0; NumPy's
RuntimeWarnings never reach the terminal. It also times loading a 50 MB CSV.

The columns: case, expected, seen (exit status and the first line of output
that says why), ok. The script exits 0 when every row is as expected, else 1.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 2 * 1024**3
TIMEOUT = 60.0


@dataclass
class Outcome:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float
    workdir: Path

    def first_line(self) -> str:
        """The line that says why: the last non-empty line of stderr, else of
        stdout (stdout first for a run that succeeded: its result)."""
        for text in (self.stdout, self.stderr) if self.returncode == 0 else (self.stderr, self.stdout):
            lines = [line for line in text.splitlines() if line.strip()]
            if lines:
                return lines[-1].strip()
        return ""

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr

    @property
    def warnings(self) -> bool:
        return "RuntimeWarning" in self.stderr or "RuntimeWarning" in self.stdout


@dataclass
class Case:
    name: str
    expected: str
    args: list[str]
    check: Callable[[Outcome], bool]
    prepare: Callable[[Path], None] | None = None
    signal_after: tuple[int, float] | None = None  # (signal, seconds after the first line on stderr)
    timeout: float = TIMEOUT
    note: str | None = None  # the note a --json run must print, shown in "seen"
    files: Callable[[Outcome], str] | None = None  # what it left on disk, shown in "seen"


def limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        os.setsid()  # its own process group: a signal reaches it alone

    return apply


def run_case(case: Case, memory_limit: int) -> Outcome:
    workdir = Path(tempfile.mkdtemp(prefix="nn-tui-hostile-"))
    if case.prepare:
        case.prepare(workdir)
    # The state directory (where an interrupted run without --save goes) inside the case's
    # directory: the bench never writes to the user's home, and what is saved is found.
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", XDG_STATE_HOME=str(workdir / "state"))
    command = [sys.executable, "-m", "nn_tui", "train", *case.args]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=limit_memory(memory_limit))
    first = ""
    try:
        if case.signal_after is not None:
            signum, delay = case.signal_after
            first = first_stderr_line(process, case.timeout)  # the data is loaded: training starts
            time.sleep(delay)
            process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=case.timeout)
        stderr = first + stderr
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        returncode = None
    return Outcome(returncode, stdout, stderr, time.perf_counter() - started, workdir)


def first_stderr_line(process: subprocess.Popen, timeout: float) -> str:
    """Wait (at most ``timeout``) for the first line the process writes to stderr."""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if selector.select(timeout=0.2):
            return process.stderr.readline()
    return ""


# ----------------------------------------------------------- checks --


def one_line_exit_2(phrase: str | None = None) -> Callable[[Outcome], bool]:
    def check(out: Outcome) -> bool:
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        return (out.returncode == 2 and len(lines) == 1 and not out.traceback
                and (phrase is None or phrase in lines[0]))

    return check


def trains_with_note(phrase: str) -> Callable[[Outcome], bool]:
    def check(out: Outcome) -> bool:
        if out.returncode != 0 or out.traceback:
            return False
        try:
            notes = json.loads(out.stdout)["notes"]
        except (ValueError, KeyError):
            return False
        return any(phrase in note for note in notes)

    return check


def diverged(out: Outcome) -> bool:
    return out.returncode == 3 and not out.traceback and not out.warnings and "rate" in out.stderr


def healthy(out: Outcome) -> bool:
    return out.returncode == 0 and not out.traceback and not out.warnings


def saved_on_signal(exit_status: int, name: str | None) -> Callable[[Outcome], bool]:
    def check(out: Outcome) -> bool:
        # 128 + N from the process, or death by signal N (Popen reports -N): a shell shows both as 128 + N.
        if out.returncode not in (exit_status, 128 - exit_status) or out.traceback:
            return False
        text = (out.stderr + out.stdout).strip().splitlines()
        if not text or "save" not in text[-1].lower():
            return False
        candidates = [out.workdir / name] if name else sorted(out.workdir.rglob("*.npz"))
        return any(loads_as_model(path) for path in candidates)

    return check


def loads_as_model(path: Path) -> bool:
    if not path.is_file():
        return False
    code = f"from nn_tui.engine import load_model; load_model({str(path)!r})"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60).returncode == 0


VICTIM_TEXT = "name,score\nada,1\ngrace,2\n"


def victim_untouched(out: Outcome) -> bool:
    victim = out.workdir / "victim.csv"
    return (one_line_exit_2()(out) and victim.is_file()
            and victim.read_text(encoding="utf-8", errors="replace") == VICTIM_TEXT)


def model_left(name: str | None) -> Callable[[Outcome], str]:
    def describe(out: Outcome) -> str:
        paths = [out.workdir / name] if name else sorted(out.workdir.rglob("*.npz"))
        found = [path for path in paths if path.is_file()]
        if not found:
            return f"no {name or '.npz file'}"
        return f"{found[0].name} {'loads' if loads_as_model(found[0]) else 'does not load'}"

    return describe


def victim_state(out: Outcome) -> str:
    victim = out.workdir / "victim.csv"
    if not victim.is_file():
        return "victim.csv gone"
    same = victim.read_text(encoding="utf-8", errors="replace") == VICTIM_TEXT
    return "victim.csv unchanged" if same else "victim.csv overwritten"


def refused_before_training(out: Outcome) -> bool:
    return one_line_exit_2()(out) and '"epochs"' not in out.stdout and out.seconds < 10


# --------------------------------------------------------- hostile files --


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def prepare(workdir: Path) -> None:
        path = workdir / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return prepare


def sparse_file(name: str, size: int) -> Callable[[Path], None]:
    def prepare(workdir: Path) -> None:
        with open(workdir / name, "wb") as handle:
            handle.write(b"x,label\n")
            handle.truncate(size)  # the rest reads as NUL bytes, but the size guard comes first

    return prepare


def model_file(change: Callable[[dict, dict], None]) -> Callable[[Path], None]:
    """A valid model saved by the engine, then ``change(meta, arrays)`` applied."""

    def prepare(workdir: Path) -> None:
        sys.path.insert(0, str(REPO))
        import numpy as np

        from nn_tui.engine import Network

        Network.mlp(2, [4, 2], 1, activation="tanh", output="sigmoid", loss="bce").save(workdir / "good.npz")
        with np.load(workdir / "good.npz", allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        meta = json.loads(arrays["meta"].tobytes())
        text = change(meta, arrays)
        if text is None:
            text = json.dumps(meta)
        arrays["meta"] = np.frombuffer(text.encode(), dtype=np.uint8)
        with open(workdir / "hostile.npz", "wb") as handle:
            np.savez(handle, **arrays)

    return prepare


def deep_json(meta, arrays):
    return "[" * 200_000 + "]" * 200_000


def set_meta(**fields):
    def change(meta, arrays):
        meta.update(fields)

    return change


def nan_weight(meta, arrays):
    arrays["L0.W"] = arrays["L0.W"].copy()
    arrays["L0.W"][0, 0] = float("nan")


def zip_bomb(workdir: Path) -> None:
    """~4 MB on disk: a 2-500000-... network whose weights are 4.7 GB of deflated zeros
    (within the old 100 M parameter bound, over the new one)."""
    import numpy as np

    sizes = [1175, 500_000, 1]
    meta = {"format": "nn-tui-model", "version": 1, "kind": "network", "sizes": sizes,
            "activations": ["tanh", "sigmoid"], "activation": "tanh", "loss": "bce",
            "dtype": "float64", "masked": [False, False], "metadata": {}}
    text = json.dumps(meta).encode()
    with zipfile.ZipFile(workdir / "hostile.npz", "w") as zf:
        zf.writestr("meta.npy", npy_header((len(text),), "|u1") + text)
        for name, shape, dtype in (("L0.W", (1175, 500_000), "<f8"), ("L0.b", (500_000,), "<f8"),
                                   ("L1.W", (500_000, 1), "<f8"), ("L1.b", (1,), "<f8"),
                                   ("L0.mask", (1175, 500_000), "|u1"), ("L1.mask", (500_000, 1), "|u1")):
            info = zipfile.ZipInfo(name + ".npy")
            info.compress_type = zipfile.ZIP_DEFLATED
            n_bytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
            with zf.open(info, "w", force_zip64=True) as member:
                member.write(npy_header(shape, dtype))
                block = bytes(1 << 22)
                for _ in range(n_bytes // len(block)):
                    member.write(block)
                member.write(bytes(n_bytes % len(block)))


def npy_header(shape, dtype) -> bytes:
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def big_csv(workdir: Path, target_bytes: int = 50 * 1024 * 1024) -> None:
    """About 50 MB: eight numeric columns, a text column and a yes/no target."""
    import numpy as np

    rng = np.random.default_rng(0)
    n = target_bytes // 68
    numbers = np.round(rng.normal(size=(n, 8)), 4)
    colours = np.array(["red", "green", "blue", "amber"])[rng.integers(0, 4, n)]
    labels = np.array(["yes", "no"])[rng.integers(0, 2, n)]
    with open(workdir / "big.csv", "w") as handle:
        handle.write(",".join([f"f{i}" for i in range(8)] + ["colour", "label"]) + "\n")
        for row, colour, label in zip(numbers.tolist(), colours, labels):
            handle.write(",".join(map(str, row)) + f",{colour},{label}\n")


# ------------------------------------------------------------- cases --

TRAIN_LONG = ["--dataset", "digits", "--layers", "64", "--epochs", "100000"]
SIGNAL_DELAY = 2.0  # seconds after the first line on stderr (the data's note): some epochs done


def cases() -> list[Case]:
    hundred_classes = "x,label\n" + "".join(f"{i},c{i % 100}\n" for i in range(300))
    return [
        # Option checks (the lead's part of issue 12).
        Case("--reg-rate nan", "exit 2, one line", ["--reg", "l2", "--reg-rate", "nan"], one_line_exit_2()),
        Case("--reg-rate inf", "exit 2, one line", ["--reg", "l2", "--reg-rate", "inf"], one_line_exit_2()),
        Case("--seed -1", "exit 2, one line", ["--seed", "-1"], one_line_exit_2()),
        Case("--layers 100000,100000", "exit 2 before allocating", ["--layers", "100000,100000"], one_line_exit_2()),
        Case("--save victim.csv", "exit 2, victim.csv unchanged",
             ["--dataset", "xor", "--epochs", "1", "--save", "victim.csv", "--json"], victim_untouched,
             prepare=write("victim.csv", VICTIM_TEXT), files=victim_state),
        Case("--save into a missing directory", "exit 2 before training",
             ["--dataset", "digits", "--layers", "64", "--epochs", "200", "--save", "no/such/dir/m.npz", "--json"],
             refused_before_training, files=lambda out: f"after {out.seconds:.1f} s; 200 epochs take 15+ s"),
        # CSV input.
        Case("--data /dev/zero", "exit 2 at once, bounded memory", ["--data", "/dev/zero", "--target", "x"],
             one_line_exit_2("NUL")),
        Case("csv: 1 GB sparse file", "exit 2 before reading it", ["--data", "huge.csv", "--target", "label"],
             one_line_exit_2("up to 100 MB"), prepare=sparse_file("huge.csv", 1024**3)),
        Case("csv: empty", "exit 2, one line", ["--data", "e.csv", "--target", "label"],
             one_line_exit_2("is empty"), prepare=write("e.csv", "")),
        Case("csv: binary", "exit 2, one line", ["--data", "b.csv", "--target", "label"],
             one_line_exit_2("not a text CSV"), prepare=write("b.csv", bytes(range(256)) * 64)),
        Case("csv: NUL bytes", "exit 2, one line", ["--data", "n.csv", "--target", "label"],
             one_line_exit_2("NUL"), prepare=write("n.csv", b"x,label\n1,a\n2,\x00b\n")),
        Case("csv: one column", "exit 2, one line", ["--data", "o.csv", "--target", "label"],
             one_line_exit_2("no feature columns"), prepare=write("o.csv", "label\na\nb\na\nb\na\nb\n")),
        Case("csv: 10^6-column header", "exit 2, one line", ["--data", "w.csv", "--target", "c0"],
             one_line_exit_2("columns"), prepare=write("w.csv", ",".join(f"c{i}" for i in range(10**6)) + "\n")),
        Case("csv: 10^6 columns, 4 rows", "exit 2 at the header", ["--data", "w.csv", "--target", "label"],
             one_line_exit_2("columns"),
             prepare=write("w.csv", ",".join(f"c{i}" for i in range(10**6)) + ",label\n"
                           + "".join(",".join(str(i % 5) for i in range(10**6)) + f",{c}\n" for c in "abab"))),
        Case("csv: 10^4 one-hot columns", "exit 2 (inputs × rows)", ["--data", "h.csv", "--target", "label"],
             one_line_exit_2("inputs × rows"),
             prepare=write("h.csv", ",".join(f"w{i}" for i in range(10_000)) + ",label\n"
                           + "".join(",".join(f"v{(i + r) % 40}" for i in range(10_000)) + f",{'ab'[r % 2]}\n"
                                     for r in range(200)))),
        Case("csv: unclosed quote", "exit 2 naming the quote", ["--data", "q.csv", "--target", "label"],
             one_line_exit_2("never closed"), prepare=write("q.csv", 'x,label\n1,"a\n2,b\n3,a\n4,b\n5,a\n')),
        Case("csv: 100 classes", "exit 2 naming --target", ["--data", "c.csv", "--target", "label"],
             one_line_exit_2("--target"), prepare=write("c.csv", hundred_classes)),
        Case("csv: mixed UTF-8/cp1252", "trains, note", ["--data", "m.csv", "--target", "label", "--epochs", "1", "--json"],
             trains_with_note("mixes encodings"), note="mixes encodings",
             prepare=write("m.csv", "x,label\n1,café\n2,naïve\n".encode() + "3,café\n4,naïve\n".encode("cp1252")
                           + "5,café\n6,naïve\n".encode())),
        Case('csv: "1,037"', "trains, thousands note", ["--data", "t.csv", "--target", "label", "--epochs", "1", "--json"],
             trains_with_note("thousands separator"), note="thousands separator",
             prepare=write("t.csv", 'p,label\n"1,037",a\n"2,500",b\n"3,100",a\n"4,000",b\n"1,200",a\n900,b\n')),
        Case("csv: 1,5 (semicolons)", "trains, decimal note", ["--data", "d.csv", "--target", "label", "--epochs", "1", "--json"],
             trains_with_note("decimal mark"), note="decimal mark", prepare=write("d.csv", "x;label\n1,5;a\n2,5;b\n3,1;a\n4,0;b\n1,2;a\n0,9;b\n")),
        Case("csv: inf", "trains, inf note", ["--data", "i.csv", "--target", "label", "--epochs", "1", "--json"],
             trains_with_note("infinite values"), note="infinite values", prepare=write("i.csv", "x,label\n1,a\ninf,b\n3,a\n-inf,b\n1.5,a\n2,b\n")),
        # Model files.
        Case("model: JSON nested 200,000 deep", "exit 2, one line", ["--load", "hostile.npz"],
             one_line_exit_2("too deeply"), prepare=model_file(deep_json)),
        Case('model: "loss": ["bce"]', "exit 2, one line", ["--load", "hostile.npz"],
             one_line_exit_2("loss"), prepare=model_file(set_meta(loss=["bce"]))),
        Case('model: "activation": {}', "exit 2, one line", ["--load", "hostile.npz"],
             one_line_exit_2("activation"), prepare=model_file(set_meta(activation={}))),
        Case("model: sizes as text", "exit 2, one line", ["--load", "hostile.npz"],
             one_line_exit_2("sizes"), prepare=model_file(set_meta(sizes=["2", "4", "2", "1"]))),
        Case("model: 4 MB of zeros -> 4.7 GB", "exit 2 before inflating", ["--load", "hostile.npz"],
             one_line_exit_2("too large"), prepare=zip_bomb),
        Case("model: NaN weight", "exit 2, says NaN", ["--load", "hostile.npz"],
             one_line_exit_2("NaN"), prepare=model_file(nan_weight)),
        # Divergence (the lead's part), and healthy runs that must stay unflagged.
        Case("--lr 1000 spiral relu", "exit 3, advice, no warnings",
             ["--dataset", "spiral", "--layers", "8,8", "--activation", "relu", "--lr", "1000", "--epochs", "100", "--json"], diverged),
        Case("--lr 1000 digits adam", "exit 3, advice, no warnings",
             ["--dataset", "digits", "--layers", "64", "--optimizer", "adam", "--lr", "1000", "--epochs", "5", "--json"], diverged),
        Case("--lr 1000 xor sigmoid sgd", "exit 3, advice, no warnings",
             ["--dataset", "xor", "--layers", "8", "--activation", "sigmoid", "--lr", "1000", "--epochs", "100", "--json"], diverged),
        Case("healthy: defaults", "exit 0, no warnings", ["--json"], healthy),
        Case("healthy: README xor", "exit 0, no warnings", ["--dataset", "xor", "--layers", "8", "--epochs", "300", "--json"], healthy),
        Case("healthy: README digits", "exit 0, no warnings",
             ["--dataset", "digits", "--layers", "64", "--activation", "relu", "--optimizer", "adam", "--lr", "0.001",
              "--batch-size", "32", "--epochs", "40", "--json"], healthy, timeout=120),
        Case("healthy: README titanic", "exit 0, no warnings",
             ["--data", str(REPO / "assets" / "data" / "titanic.csv"), "--target", "survived", "--drop", "alive",
              "--json"], healthy),
        Case("overflowing run: warnings", "no RuntimeWarning line",
             ["--dataset", "circle", "--activation", "linear", "--lr", "10000", "--epochs", "50", "--json"],
             lambda out: out.returncode is not None and not out.warnings and not out.traceback),
        # Signals (the lead's part).
        Case("SIGINT to train --save", "exit 130, line, m.npz loads", [*TRAIN_LONG, "--save", "m.npz"],
             saved_on_signal(130, "m.npz"), signal_after=(signal.SIGINT, SIGNAL_DELAY), files=model_left("m.npz")),
        Case("SIGTERM to train --save", "exit 143, line, m.npz loads", [*TRAIN_LONG, "--save", "m.npz"],
             saved_on_signal(143, "m.npz"), signal_after=(signal.SIGTERM, SIGNAL_DELAY), files=model_left("m.npz")),
        Case("SIGHUP to train --save", "exit 129, line, m.npz loads", [*TRAIN_LONG, "--save", "m.npz"],
             saved_on_signal(129, "m.npz"), signal_after=(signal.SIGHUP, SIGNAL_DELAY), files=model_left("m.npz")),
        Case("SIGINT to train, no --save", "exit 130, names a saved file", TRAIN_LONG,
             saved_on_signal(130, None), signal_after=(signal.SIGINT, SIGNAL_DELAY), files=model_left(None)),
    ]


def csv_speed_case() -> Case:
    """Not the CLI: load_csv alone on ~50 MB, timed, under the same limits."""
    return Case("csv: 50 MB loads", "exit 0 (time and memory shown)", [], lambda out: out.returncode == 0,
                prepare=big_csv, timeout=180)


def run_csv_speed(case: Case, memory_limit: int) -> tuple[Outcome, str]:
    workdir = Path(tempfile.mkdtemp(prefix="nn-tui-hostile-"))
    case.prepare(workdir)
    size = (workdir / "big.csv").stat().st_size
    code = ("import resource, time; t = time.perf_counter(); from nn_tui.data import load_csv; "
            "ds = load_csv('big.csv', 'label'); "
            "print(f'{time.perf_counter() - t:.1f} s, {ds.X_train.shape[0] + ds.X_test.shape[0]} rows, '"
            "f'peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB')")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    started = time.perf_counter()
    try:
        result = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=env, capture_output=True, text=True,
                                timeout=case.timeout, preexec_fn=limit_memory(memory_limit))
        out = Outcome(result.returncode, result.stdout, result.stderr, time.perf_counter() - started, workdir)
    except subprocess.TimeoutExpired:
        out = Outcome(None, "", "", time.perf_counter() - started, workdir)
    return out, f"{size / 1024**2:.0f} MB file: "


# ------------------------------------------------------------- table --


def seen(out: Outcome, phrase: str | None = None) -> str:
    if out.returncode is None:
        status = "killed at timeout"
    elif out.returncode < 0:
        status = f"killed by {signal.Signals(-out.returncode).name} (shell: {128 - out.returncode})"
    else:
        status = f"exit {out.returncode}"
    extras = []
    if out.traceback:
        extras.append("traceback")
    if out.warnings:
        extras.append("RuntimeWarning")
    line = out.first_line()
    try:  # a --json run: the note that matters, or the accuracy, says more than the JSON
        result = json.loads(out.stdout)
        if phrase:
            line = "trained; " + next((note for note in result["notes"] if phrase in note), "no such note")
        else:
            line = f"trained; test loss {result['test_loss']:.4g}, test accuracy {result['test_accuracy']:.3f}"
    except (ValueError, KeyError, TypeError):
        pass
    if len(line) > 70:
        line = line[:67] + "..."
    return f"{status}{' (' + ', '.join(extras) + ')' if extras else ''}: {line}" if line else status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="run only cases whose name contains this text")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--memory-gb", type=float, default=MEMORY_LIMIT / 1024**3, help="RLIMIT_AS per case (2)")
    args = parser.parse_args(argv)
    memory_limit = int(args.memory_gb * 1024**3)
    selected = [case for case in [*cases(), csv_speed_case()] if args.only in case.name]
    if args.list:
        for case in selected:
            print(f"{case.name}: {case.expected}")
        return 0
    print(f"nn-tui hostile inputs and signals (issue 12); each case a subprocess, "
          f"{memory_limit / 1024**3:g} GB address space, {TIMEOUT:.0f} s timeout unless stated")
    rows = []
    for case in selected:
        if case.name == "csv: 50 MB loads":
            out, prefix = run_csv_speed(case, memory_limit)
            text = prefix + (out.stdout.strip() or seen(out))
        else:
            out = run_case(case, memory_limit)
            text = seen(out, case.note)
            if case.files:
                text += f" [{case.files(out)}]"
        ok = case.check(out)
        shutil.rmtree(out.workdir, ignore_errors=True)  # the 50 MB CSV, the models, the sparse file
        rows.append((case.name, case.expected, text, "ok" if ok else "NOT OK"))
        print(f"  {case.name:<34} {'ok' if ok else 'NOT OK'}  ({out.seconds:.1f} s)", file=sys.stderr, flush=True)
    print_table(rows)
    n_ok = sum(row[3] == "ok" for row in rows)
    print(f"\n{n_ok} of {len(rows)} as expected")
    return 0 if n_ok == len(rows) else 1


def print_table(rows) -> None:
    header = ("case", "expected", "seen", "ok")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
    line = "| " + " | ".join(f"{{:<{width}}}" for width in widths) + " |"
    print(line.format(*header))
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in rows:
        print(line.format(*row))


if __name__ == "__main__":
    sys.exit(main())
