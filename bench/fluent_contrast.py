"""The story's claim, measured: on "I live in <country>. <K fillers> I speak
fluent ___", LSTM and GRU remember the country across two filler sentences and
the plain RNN does not; with no filler all three do.

    python3 -m bench.fluent_contrast [--seeds 0 1 2] [--gaps 0 2] [--cells rnn lstm gru]

Every run uses the data set's default settings (SequenceSettings) but for the
cell, gap and seed, with one BLAS thread, one run at a time. Prints one row per
run: completion accuracy on the held-out stories, test bits per character,
wall seconds and this process's CPU seconds for the run, and whether it meets
the goal (gap 2: LSTM/GRU ≥ 0.9, RNN ≤ 0.5; gap 0: all ≥ 0.9; each ≤ 180 s).
"""

from __future__ import annotations

import argparse

from bench.common import limit_threads

TIME_LIMIT = 180.0


def goal(cell, gap, accuracy):
    if gap >= 2 and cell == "rnn":
        return accuracy <= 0.5
    if gap in (0, 2):
        return accuracy >= 0.9
    return True  # other gaps: no goal, reported only


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--gaps", type=int, nargs="+", default=[2, 0])
    parser.add_argument("--cells", nargs="+", default=["lstm", "gru", "rnn"])
    parser.add_argument("--steps", type=int, default=None, help="override the default number of steps")
    args = parser.parse_args(argv)
    how = limit_threads(1)

    import dataclasses

    from bench.common import machine_lines, say
    from nn_tui.kinds.sequence.train import SequenceSettings, train

    say("\n".join(machine_lines()))
    say("threads  " + how)
    defaults = SequenceSettings()
    say("defaults " + ", ".join(f"{k}={v}" for k, v in dataclasses.asdict(defaults).items()
                                if k not in ("cell", "gap", "seed")))
    say(f"\n{'seed':>4}  {'gap':>3}  {'cell':<4}  {'accuracy':>8}  {'bits/char':>9}  {'wall s':>6}  {'cpu s':>6}  goal")
    failures = 0
    for seed in args.seeds:
        for gap in args.gaps:
            for cell in args.cells:
                changes = {"cell": cell, "gap": gap, "seed": seed}
                if args.steps:
                    changes["steps"] = args.steps
                result = train(dataclasses.replace(defaults, **changes))
                ok = goal(cell, gap, result["completion_accuracy"]) and result["seconds"] <= TIME_LIMIT
                failures += not ok
                say(f"{seed:>4}  {gap:>3}  {cell:<4}  {result['completion_accuracy']:>8.3f}  "
                    f"{result['bits_per_char']:>9.3f}  {result['seconds']:>6.1f}  {result['cpu_seconds']:>6.1f}  "
                    f"{'pass' if ok else 'FAIL'}")
    say(f"\n{failures} run(s) missed the goal")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
