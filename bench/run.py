#!/usr/bin/env python3
"""nn-tui's benchmarks: a table of ratios, each measured side by side in one run.

    python bench/run.py             # full (a few minutes)
    python bench/run.py --quick     # under a minute
    python bench/run.py --markdown  # the table as Markdown, for the README
    python bench/run.py --only engine,torch --profile

1. the engine against the floor (a minimal hand-written NumPy loop), 2. against
PyTorch on the CPU (also the CNN step of issue 8, section cnn), 3. against scikit-learn's MLPClassifier on the digits,
4. the app in a real terminal (tmux, through shared/tools/tui-meter) and its
session's memory over a long run. Every result is a ratio (or a budget) with
its goal; absolute rates appear only as context.

Threads: NumPy's BLAS and PyTorch both run single-threaded (--threads to
change), so the comparison is of the work each does per step, not of how two
cores are shared; the app and the CLI are measured in subprocesses with the
user's own environment, as a user runs them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` and `nn_tui` without installing

SECTIONS = ("engine", "torch", "cnn", "sklearn", "app", "memory")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer and shorter repetitions: under a minute in all")
    p.add_argument("--markdown", action="store_true", help="print the header and table as Markdown")
    p.add_argument("--only", default=",".join(SECTIONS),
                   help=f"comma-separated sections to run, of: {', '.join(SECTIONS)} (default: all)")
    p.add_argument("--threads", type=int, default=1, help="BLAS / PyTorch threads (default: 1)")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="dtype of the engine/floor/PyTorch races (default: float64, the engine's default)")
    p.add_argument("--profile", action="store_true",
                   help="after the table, profile engine and floor steps of every engine row that failed "
                        "(all engine rows with --profile-all)")
    p.add_argument("--profile-all", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--rounds", type=int, default=None, help="interleaved rounds per race (default: 15, quick 7)")
    p.add_argument("--rep-seconds", type=float, default=None,
                   help="seconds per repetition per side (default: 0.1, quick 0.03)")
    p.add_argument("--strict", action="store_true", help="exit with 1 if any goal fails")
    args = p.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.common import limit_threads

    how = limit_threads(args.threads)  # before NumPy is imported
    import numpy as np

    from bench.common import Row, blas_report, format_table, machine_lines, say

    started = time.perf_counter()
    mode = "quick" if args.quick else "full"
    header = [f"nn-tui benchmarks ({mode}: python bench/run.py{' --quick' if args.quick else ''})", *machine_lines()]
    torch = None
    if "torch" in args.only:
        from bench.vs_torch import torch_or_none

        torch = torch_or_none()
        if torch is not None:
            torch.set_num_threads(args.threads)
    kind = "single-threaded" if args.threads == 1 else f"{args.threads} threads"
    header.append(f"threads  {kind} on both sides: {how}"
                  + (f"; torch.set_num_threads({args.threads})" if torch is not None else ""))
    header += [f"  in use: {line}" for line in blas_report()]
    header.append(f"dtype    {args.dtype} for the engine / floor / PyTorch races")
    if args.markdown:
        say("\n".join(f"- {line}" if i else f"**{line}**" for i, line in enumerate(header)))
    else:
        say("\n".join(header))
    say()

    rows: list[Row] = []
    profiles = []
    dtype = np.dtype(args.dtype)

    # ------------------------------------------------------------ 1 + 2: engine, floor, PyTorch
    if "engine" in args.only or "torch" in args.only:
        if "torch" in args.only and torch is None:
            from bench.vs_torch import INSTALL_HINT

            say(INSTALL_HINT)
        rows += engine_races(args, dtype, torch, profiles)

    # ------------------------------------------------------------ 2: the CNN step against PyTorch
    if "cnn" in args.only:
        from bench.vs_torch_cnn import rows as cnn_rows

        say(f"2. CNN step (Network.cnn, batch 32 and 256, SGD): engine vs PyTorch pinned to 1 thread "
            f"and with its default threads, {args.dtype}")
        rows += cnn_rows(args.quick, args.dtype, log=say)

    # ------------------------------------------------------------ 3: scikit-learn
    if "sklearn" in args.only:
        rows += sklearn_rows(args)

    # ------------------------------------------------------------ 4: the app
    if "app" in args.only:
        rows += app_rows(args)
    if "memory" in args.only:
        rows += memory_rows(args)

    say()
    say(format_table(rows, markdown=args.markdown))
    failed = [row for row in rows if row.status == "FAIL"]
    say()
    say(f"{sum(r.status == 'pass' for r in rows)} passed, {len(failed)} failed, "
        f"{sum(r.status == 'skip' for r in rows)} skipped in {time.perf_counter() - started:.0f} s")

    if args.profile or args.profile_all:
        from bench.profile_step import profile_arch

        for arch, contenders in profiles:
            if args.profile_all or any(r.status == "FAIL" and r.section == "1" and arch.label in r.what
                                       for r in rows):
                say()
                say(profile_arch(arch, dtype, steps=2000 if args.quick else 20000))
    return 1 if args.strict and failed else 0


def engine_races(args, dtype, torch, profiles):
    from bench.common import Contender, Row, race, say
    from bench.engine_vs_floor import ARCHS, engine_step, floor_step, initial_params, make_batches, make_engine

    # Many short repetitions: on a shared machine the best of many short
    # samples is steadier than the best of a few long ones.
    rounds = args.rounds or (7 if args.quick else 15)
    rep_seconds = args.rep_seconds or (0.03 if args.quick else 0.1)
    with_engine_rows = "engine" in args.only
    with_torch = "torch" in args.only
    rows = []
    if not with_engine_rows and torch is None:
        return [Row("2", f"engine ÷ PyTorch, {arch.label}", None, arch.torch_goal, context="PyTorch not installed")
                for arch in ARCHS]
    sides = ["engine"] + (["floor"] if with_engine_rows else []) + (["PyTorch"] if with_torch and torch else [])
    say(f"{'1/2' if with_engine_rows and with_torch else '1' if with_engine_rows else '2'}. {' vs '.join(sides)}: "
        f"{rounds} interleaved rounds of ~{rep_seconds:g} s per side, best per side")
    for arch in ARCHS:
        batches = make_batches(arch, dtype=dtype)
        net, opt = make_engine(arch, dtype=dtype)
        params = initial_params(net)
        contenders = [Contender("engine", engine_step(net, opt), batches, arch.batch)]
        if with_engine_rows:
            contenders.append(Contender("floor", floor_step(arch, [p.copy() for p in params]), batches, arch.batch))
        if with_torch and torch is not None:
            from bench.vs_torch import check_same_numbers, make_torch

            check_same_numbers(arch)  # a race is only fair if both sides compute the same thing
            _, step, tensors = make_torch(arch, params, batches, threads=args.threads)
            contenders.append(Contender("pytorch", step, tensors, arch.batch))
        for c in contenders:
            c.calibrate(rep_seconds)
        race(contenders, rounds)
        by = {c.name: c for c in contenders}
        eng = by["engine"]
        say(f"  {arch.label}: " + ", ".join(
            f"{c.name} {c.best_rate / 1e3:,.1f}k samples/s ({c.best_rate / c.samples_per_step / 1e3:,.1f}k steps/s)"
            for c in contenders))
        if with_engine_rows:
            floor = by["floor"]
            rows.append(Row("1", f"engine ÷ floor, {arch.label}", eng.best_rate / floor.best_rate, arch.floor_goal,
                            context=f"samples/s {eng.best_rate:,.0f} vs {floor.best_rate:,.0f}; "
                                    f"medians {eng.median_rate / floor.median_rate:.2f}×"))
            profiles.append((arch, contenders))
        if with_torch:
            if torch is None:
                rows.append(Row("2", f"engine ÷ PyTorch, {arch.label}", None, arch.torch_goal,
                                context="PyTorch not installed"))
            else:
                pt = by["pytorch"]
                rows.append(Row("2", f"engine ÷ PyTorch, {arch.label}", eng.best_rate / pt.best_rate,
                                arch.torch_goal,
                                context=f"samples/s {eng.best_rate:,.0f} vs {pt.best_rate:,.0f}; "
                                        f"medians {eng.median_rate / pt.median_rate:.2f}×"))
    return rows


def sklearn_rows(args):
    from bench.common import Row, say
    from bench.vs_sklearn import EPOCHS, compare, sklearn_or_none

    what_acc = "nn-tui − scikit-learn test accuracy, digits 64-relu, Adam"
    what_time = "nn-tui ÷ scikit-learn training time, same"
    if sklearn_or_none() is None:
        say("scikit-learn not installed: pip install -e '.[bench]' (scikit-learn rows skipped)")
        return [Row("3", what_acc, None, 0.0, unit="pp", context="scikit-learn not installed"),
                Row("3", what_time, None, 0.5, at_most=True, context="scikit-learn not installed")]
    # A seed is one split and one initialisation; accuracies differ by tenths of
    # a point between seeds, so the full run pairs 30 of them.
    seeds = list(range(3 if args.quick else 30))
    say(f"3. nn-tui ({EPOCHS} epochs) vs scikit-learn MLPClassifier (max_iter=200), seeds 0–{seeds[-1]}, interleaved")
    r = compare(seeds)
    wins, ties, losses = r["wins_ties_losses"]
    say(f"  nn-tui {r['nn_tui_accuracy']:.2%} in {r['nn_tui_seconds']:.2f} s; scikit-learn "
        f"{r['sklearn_accuracy']:.2%} in {r['sklearn_seconds']:.2f} s, n_iter_ {min(r['sklearn_n_iter'])}–"
        f"{max(r['sklearn_n_iter'])}; nn-tui better on {wins} seeds, equal on {ties}, worse on {losses}")
    return [
        Row("3", what_acc, 100 * r["accuracy_difference"], 0.0, unit="pp",
            standard_error=100 * r["accuracy_difference_se"],
            context=f"means {r['nn_tui_accuracy']:.2%} ({r['nn_tui_epochs']} epochs) vs {r['sklearn_accuracy']:.2%} "
                    f"(n_iter_ {min(r['sklearn_n_iter'])}–{max(r['sklearn_n_iter'])}) over {len(seeds)} paired seeds; "
                    f"better/equal/worse on {wins}/{ties}/{losses}"),
        Row("3", what_time, r["nn_tui_seconds"] / r["sklearn_seconds"], 0.5, at_most=True,
            context=f"{r['nn_tui_seconds']:.2f} s vs {r['sklearn_seconds']:.2f} s (medians; nn-tui scores "
                    "train+test every epoch)"),
    ]


APP_WHAT = ("app live ÷ headless epochs/s, spiral 8,8 sgd",
            "terminal output while training, 120×40",
            "launch to first frame (status line), 120×40",
            "key press to screen while training, slowest press",
            "random keys and resizes in tmux: runs the app survived")
# Launch: issue 17's goal (0.5 s to the first frame at 120×40; bench/launch_time.py gives its CPU too).
APP_GOALS = ((0.8, False, "×"), (64.0, True, "KB/s"), (0.5, True, "s"), (0.1, True, "s"), (1.0, False, "×"))


def app_rows(args):
    from bench import app_meter
    from bench.common import Row, say

    why = app_meter.missing()
    if why:
        say(why)
        return [Row("4", what, None, goal, at_most=at_most, unit=unit, context=why)
                for what, (goal, at_most, unit) in zip(APP_WHAT, APP_GOALS)]
    say("4. the app (nn-tui --dataset spiral --layers 8,8 --play) through tui-meter, interleaved with "
        "nn-tui train --json")
    try:
        m = app_meter.measure(args.quick, log=say)
    except Exception as error:  # report, do not lose the other rows
        say(f"  app measurement failed: {error}")
        return [Row("4", what, None, goal, at_most=at_most, unit=unit, context=f"failed: {error}"[:120])
                for what, (goal, at_most, unit) in zip(APP_WHAT, APP_GOALS)]
    launches = ", ".join(f"{t:.2f}" for t in m["launches"])
    keys = m["key_latencies"]
    return [
        Row("4", APP_WHAT[0], m["live_rate"] / m["headless_rate"], 0.8,
            context=f"{m['live_rate']:.0f} vs {m['headless_rate']:.0f} epochs/s (medians; {m['live_method']})"),
        Row("4", APP_WHAT[1], m["bytes_per_s"] / 1024, 64.0, at_most=True, unit="KB/s",
            context=f"tui-meter, median of {m['runs']} × {m['run_seconds']:.0f} s incl. first paint; "
                    f"CPU {m['cpu_percent']:.0f}% of a core (the UI's own process {m['ui_cpu_percent']:.0f}%), peak RSS {m['rss_mb_peak']:.0f} MB"),
        Row("4", APP_WHAT[2], m["launch"], 0.5, at_most=True, unit="s",
            context=f"median of {launches} s (tmux pane polled every ~10 ms; CPU and the bytecode "
                    "cache's share: bench/launch_time.py)"),
        Row("4", APP_WHAT[3], keys[-1], 0.1, at_most=True, unit="s",
            context=f"median {statistics.median(keys) * 1000:.0f} ms, p90 {keys[int(0.9 * (len(keys) - 1))] * 1000:.0f} ms "
                    f"of {len(keys)} presses of +/- (tmux send-keys, pane polled)"),
        Row("4", APP_WHAT[4], sum(r["alive"] for r in m["random_keys"]) / len(m["random_keys"]), 1.0, unit="×",
            context=f"{len(m['random_keys'])} run(s) of {m['random_keys'][0]['presses'] + m['random_keys'][0]['resizes']} "
                    "random keys and resizes while training"
                    + "".join(f"; ended with {r['exit_status']}: {r['tail'][:60]}" for r in m["random_keys"] if not r["alive"])),
    ]


def memory_rows(args):
    from bench import app_meter
    from bench.common import Row, say

    steps = 100_000 if args.quick else 1_000_000
    what = f"RSS growth over {steps:,} steps (Session, no UI)"
    say(f"4. memory: a Session training circle 4-2, batch size 1, for {steps:,} steps"
        + (" (quick: the full run does 1,000,000)" if args.quick else ""))
    try:
        m = app_meter.memory_in_subprocess(steps)
    except Exception as error:
        say(f"  memory run failed: {error}")
        return [Row("4", what, None, 10.0, at_most=True, unit="MB", context=f"failed: {error}"[:120])]
    say(f"  {m['steps']:,} steps ({m['epochs']:,} epochs) in {m['seconds']:.0f} s; RSS {m['rss_warm_mb']:.1f} MB "
        f"after {m['warmup_step']:,} steps, {m['rss_end_mb']:.1f} MB at the end, peak {m['rss_peak_mb']:.1f} MB")
    return [Row("4", what, m["growth_mb"], 10.0, at_most=True, unit="MB",
                context=f"{m['rss_warm_mb']:.1f} → {m['rss_end_mb']:.1f} MB after a {m['warmup_step']:,}-step "
                        f"warm-up; {m['steps_per_s']:,} steps/s" + ("; quick run" if args.quick else ""))]


if __name__ == "__main__":
    sys.exit(main())
