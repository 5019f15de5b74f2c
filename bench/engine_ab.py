#!/usr/bin/env python3
"""The MLP training step of this tree's engine against another commit's, raced side by side.

    python3 bench/engine_ab.py /path/to/old/tree     # a directory holding that commit's nn_tui/

For a change to the engine's internals (e.g. the layer protocol): both engines
train bench/engine_vs_floor.py's architectures from the same weights on the
same batches in one process, interleaved, so the machine's load hits both
alike, and each repetition is timed in CPU time (time.process_time), which
waiting for a core on a shared machine does not count. Prints new ÷ old
samples/s (best and median of the rounds); 1.00× means no change.
"""

from __future__ import annotations

import importlib
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))


def load_engine_from(tree):
    """Import ``nn_tui.engine`` from ``tree`` under another name, leaving ours in place."""
    saved = {name: module for name, module in sys.modules.items() if name == "nn_tui" or name.startswith("nn_tui.")}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        engine = importlib.import_module("nn_tui.engine")
    finally:
        sys.path.remove(str(tree))
        for name in [n for n in sys.modules if n == "nn_tui" or n.startswith("nn_tui.")]:
            del sys.modules[name]
        sys.modules.update(saved)
    return engine


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not (Path(argv[0]) / "nn_tui" / "engine").is_dir():
        print("usage: bench/engine_ab.py OLD_TREE (a directory with the other commit's nn_tui/)", file=sys.stderr)
        return 2
    from bench.common import limit_threads

    limit_threads(1)
    import nn_tui.engine as new

    old = load_engine_from(Path(argv[0]).resolve())
    assert old.Network is not new.Network
    from bench.engine_vs_floor import ARCHS, make_batches

    rounds = 21

    for arch in ARCHS:
        batches = make_batches(arch)
        steps = {}
        for name, engine in (("new", new), ("old", old)):
            net = engine.Network.mlp(arch.n_in, hidden=list(arch.hidden), n_out=arch.n_out, activation=arch.activation,
                                     output=arch.output, loss=arch.loss, seed=0)
            steps[name] = (net.loss_and_grads, engine.make_optimizer("sgd", arch.lr).step, net)
        per_rep = max(20, int(200_000 / (arch.batch * max(1, arch.n_in // 16))))
        times = {"new": [], "old": []}
        for _ in range(rounds):
            for name in ("new", "old"):
                loss_and_grads, update, net = steps[name]
                start = time.process_time()
                for i in range(per_rep):
                    X, Y = batches[i % len(batches)]
                    loss_and_grads(X, Y)
                    update(net)
                times[name].append(time.process_time() - start)
        best = min(times["old"]) / min(times["new"])
        median = statistics.median(times["old"]) / statistics.median(times["new"])
        rate = per_rep * arch.batch / min(times["new"])
        print(f"{arch.label}: new ÷ old {best:.3f}× best, {median:.3f}× median ({rounds} rounds of {per_rep} steps, "
              f"new {rate:,.0f} samples/s of CPU time)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
