"""Issue 21's "half the time of the LSTM" goal: at gap 8 of the fluent stories, the CPU
time each model needs to complete the language on ≥ 0.9 of the held-out stories.

    python3 -m bench.attention_vs_lstm [--seeds 0 1 2] [--gap 8] [--limit 180]

One BLAS thread, one run at a time. Rows:
  attention      the attention kind's defaults (nn_tui/kinds/attention/train.py)
  lstm           the LSTM's own defaults (nn_tui/kinds/sequence/train.py: window 128,
                 1,600 steps with its gap curriculum); at gap 8 a story (≤ 240
                 characters) is longer than its window, so it never trains on an answer
                 with its country in view
  lstm-w256      the same with --window 256, so that every story fits a window (the
                 fairer contest; still the LSTM's steps, lr, curriculum and weights)
Each run trains until its completion accuracy reaches the goal, its steps end, or its
training CPU passes --limit seconds; it is evaluated every --every steps (attention)
or --lstm-every steps (LSTM), both 16 by default: the same resolution for both, fine
enough that neither is charged for steps it did not need (at 64 and 160, up to 1.5 s
of attention's and 2.9 s of the LSTM's CPU fell between two evaluations). "train cpu" counts the training steps only (the
evaluations are excluded, they are the bench's, not the model's); "first ≥ goal" is
the train CPU at the first evaluation at or above the goal. Goal: attention's time ≤
half the LSTM's, or the LSTM does not get there within the limit.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from bench.common import limit_threads

GOAL = 0.9


def race(trainer, every: int, limit: float, say, label: str) -> dict:
    """Train until the goal, the end of the steps or the CPU limit; times in train CPU s."""
    steps, train_cpu, reached, best = trainer.settings.steps, 0.0, None, 0.0
    wall = time.perf_counter()
    while trainer.step < steps and train_cpu < limit:
        start = time.process_time()
        trainer.train_step()
        train_cpu += time.process_time() - start
        if trainer.step % every == 0 or trainer.step == steps:
            accuracy = trainer.evaluate()["completion_accuracy"]
            best = max(best, accuracy)
            say(f"  {label} step {trainer.step:>5}  train cpu {train_cpu:6.1f} s  completion {accuracy:.3f}")
            if accuracy >= GOAL:
                reached = train_cpu
                break
    return {"reached": reached, "train_cpu": train_cpu, "steps": trainer.step, "best": best,
            "wall": time.perf_counter() - wall}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--gap", type=int, default=8)
    parser.add_argument("--limit", type=float, default=180.0, help="training CPU seconds a run may take")
    parser.add_argument("--every", type=int, default=16, help="attention: evaluate every N steps")
    parser.add_argument("--lstm-every", type=int, default=16, help="LSTM: evaluate every N steps")
    parser.add_argument("--rows", nargs="+", default=["attention", "lstm", "lstm-w256"])
    args = parser.parse_args(argv)
    how = limit_threads(1)

    from nn_tui.kinds.attention.train import AttentionSettings, AttentionTrainer
    from nn_tui.kinds.sequence.train import SequenceSettings, SequenceTrainer

    def say(text):
        print(text, flush=True)

    makers = {
        "attention": lambda seed: (AttentionTrainer(AttentionSettings(gap=args.gap, seed=seed)), args.every),
        "lstm": lambda seed: (SequenceTrainer(SequenceSettings(cell="lstm", gap=args.gap, seed=seed)),
                              args.lstm_every),
        "lstm-w256": lambda seed: (SequenceTrainer(dataclasses.replace(
            SequenceSettings(cell="lstm", gap=args.gap, seed=seed), window=256)), args.lstm_every),
    }
    say(f"threads: {how}; gap {args.gap}; goal completion ≥ {GOAL}; limit {args.limit:g} train CPU s")
    table = []
    for seed in args.seeds:
        for row in args.rows:
            trainer, every = makers[row](seed)
            result = race(trainer, every, args.limit, say, f"seed {seed} {row}")
            table.append((seed, row, result))
    say("")
    say(f"{'seed':>4}  {'model':<10} {'first ≥ 0.9 (train cpu s)':>26} {'steps':>6} {'best':>6} "
        f"{'train cpu s':>11} {'wall s':>7}")
    for seed, row, r in table:
        got = f"{r['reached']:.1f}" if r["reached"] is not None else "never"
        say(f"{seed:>4}  {row:<10} {got:>26} {r['steps']:>6} {r['best']:>6.3f} {r['train_cpu']:>11.1f} "
            f"{r['wall']:>7.1f}")
    ok = True
    for seed in args.seeds:
        mine = {row: r for s, row, r in table if s == seed}
        attention = mine.get("attention", {}).get("reached")
        for row in ("lstm", "lstm-w256"):
            if row not in mine or attention is None:
                continue
            lstm = mine[row]["reached"]
            met = lstm is None or attention <= 0.5 * lstm
            ok &= met
            ratio = "LSTM never (within its run)" if lstm is None else f"attention/LSTM {attention / lstm:.2f}"
            say(f"seed {seed} vs {row}: {ratio} -> goal {'met' if met else 'MISSED'}")
        ok &= attention is not None
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
