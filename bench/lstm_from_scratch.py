"""The attention lesson's first claim, measured over seeds and small numeric nudges: the
LSTM trained from scratch at one gap (nn_tui/lessons/attention: lstm_from_scratch, 800
steps of 32 windows of 256 characters, no warm-up on shorter gaps) learns gap 0 and stays
near chance at gap 8.

    python3 -m bench.lstm_from_scratch [--seeds 0 1 2] [--gaps 0 8] [--variants base weights order]

One BLAS thread, one run at a time. Variants (the claim must not rest on the last bits):
  base     the lesson's run as --verify trains it
  weights  every initial weight times (1 + 1e-7 · a normal draw): a change at the last
           bits, as a new float summation order in the engine makes
  order    the same initial weights, the stories drawn in another order (seed + 1000)
Prints completion accuracy at the run's gap, its CPU seconds, and whether the claim's bars
hold (gap 0 ≥ LEARNS, gap 8 ≤ STAYS). The chart's dim lstm row is the base mean over seeds.
"""

from __future__ import annotations

import argparse
import time

from bench.common import limit_threads


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--gaps", type=int, nargs="+", default=[0, 8])
    parser.add_argument("--variants", nargs="+", default=["base", "weights", "order"],
                        choices=["base", "weights", "order"])
    args = parser.parse_args(argv)
    how = limit_threads(1)

    import numpy as np

    from nn_tui.kinds.sequence.train import SequenceTrainer
    from nn_tui.lessons.attention import FAR, LEARNS, STAYS, lstm_from_scratch

    class Weights(SequenceTrainer):
        def __init__(self, settings, data=None, optimizer=None):
            super().__init__(settings, data, optimizer)
            params = self.model.flat_params
            noise = np.random.default_rng(12345).standard_normal(params.shape)
            params[...] = params * (1 + 1e-7 * noise).astype(params.dtype)

    class Order(SequenceTrainer):
        def __init__(self, settings, data=None, optimizer=None):
            super().__init__(settings, data, optimizer)
            self.rng = np.random.default_rng(settings.seed + 1000)

    trainers = {"base": SequenceTrainer, "weights": Weights, "order": Order}
    print(f"threads: {how}", flush=True)
    print("seed  gap  variant  completion  cpu s  bar", flush=True)
    ok = True
    for seed in args.seeds:
        for gap in args.gaps:
            for variant in args.variants:
                cpu = time.process_time()
                accuracy = lstm_from_scratch(gap, seed, trainer_class=trainers[variant])["completion_accuracy"]
                bar = {0: accuracy >= LEARNS, FAR: accuracy <= STAYS}.get(gap)
                ok = ok and bar is not False
                shown = "" if bar is None else ("holds" if bar else "FAILS")
                spent = time.process_time() - cpu
                print(f"{seed:>4}  {gap:>3}  {variant:<7}  {accuracy:>10.3f}  {spent:5.1f}  {shown}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
