#!/usr/bin/env python3
"""The engine's CNN step against PyTorch's on the CPU: samples/s, side by side.

    python3 bench/vs_torch_cnn.py            # batch 32 and 256, float64
    python3 bench/vs_torch_cnn.py --quick --dtype float32

The net of issue 8, Network.cnn(): (1, 8, 8) → conv 16 (3×3, same, relu) →
pool 2×2 → conv 32 → pool → flatten 128 → dense 64 relu → softmax 10 with
cross-entropy. One step = loss and gradients, then an SGD update, on random
digit-like batches; PyTorch starts from the engine's weights and must compute
the same losses and gradients before the race. The engine's BLAS runs on one thread; PyTorch
runs once pinned to one thread and once with its default thread count, and
both ratios are printed (wall time); the one-thread pair is also timed in CPU
time, which a shared machine's load distorts far less. Goals (issue 8): engine ÷ PyTorch ≥ 1.0× at batch 32
and ≥ 0.5× at batch 256.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOALS = {32: 1.0, 256: 0.5}
LR = 0.01


def make_batches(batch, count=8, seed=1, dtype="float64"):
    import numpy as np

    rng = np.random.default_rng(seed)
    return [(rng.random((batch, 1, 8, 8)).astype(dtype), np.eye(10, dtype=dtype)[rng.integers(0, 10, batch)])
            for _ in range(count)]


def make_engine(dtype="float64", seed=0):
    from nn_tui.engine import Network, make_optimizer

    net = Network.cnn(input_shape=(1, 8, 8), conv=[16, 32], kernel=3, hidden=[64], n_out=10, seed=seed, dtype=dtype)
    opt = make_optimizer("sgd", LR)

    def step(batch):
        loss, _ = net.loss_and_grads(batch[0], batch[1])
        opt.step(net)
        return loss

    return net, step


def make_torch(net, batches, threads):
    """PyTorch's copy of ``net`` (same weights) and its SGD step over the same batches as tensors."""
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    dtype = torch.float64 if net.dtype.name == "float64" else torch.float32
    conv1, _, conv2, _, _, dense1, dense2 = net.layers
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, dtype=dtype), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, dtype=dtype), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 64, dtype=dtype), nn.ReLU(), nn.Linear(64, 10, dtype=dtype))
    with torch.no_grad():
        for module, layer in zip((model[0], model[3]), (conv1, conv2)):
            module.weight.copy_(torch.from_numpy(layer.params["W"].copy()))
            module.bias.copy_(torch.from_numpy(layer.params["b"].copy()))
        for module, layer in zip((model[7], model[9]), (dense1, dense2)):
            module.weight.copy_(torch.from_numpy(layer.params["W"].T.copy()))  # torch keeps (out, in)
            module.bias.copy_(torch.from_numpy(layer.params["b"].copy()))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    tensors = [(torch.from_numpy(X), torch.from_numpy(Y.argmax(axis=1))) for X, Y in batches]

    def step(batch):
        X, y = batch
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    def gradients_only(batch):  # for the cross-check: gradients as the next step would use them
        X, y = batch
        optimizer.zero_grad()
        loss_fn(model(X), y).backward()

    step.model, step.loss_fn_step = model, gradients_only
    return step, tensors


def check_same_numbers(dtype, steps=5):
    """Before racing: both sides train the same network to the same losses."""
    import numpy as np

    batches = make_batches(16, count=3, dtype=dtype)
    net, engine = make_engine(dtype)
    torch_step, tensors = make_torch(net, batches, threads=1)
    rtol = 1e-9 if dtype == "float64" else 2e-4
    for i in range(steps):
        np.testing.assert_allclose(torch_step(tensors[i % 3]), engine(batches[i % 3]), rtol=rtol)
    # and the gradients themselves, layer by layer, after one more step on each side
    engine(batches[0])
    torch_step.loss_fn_step(tensors[0])
    torch_grads = [torch_step.model[i].weight.grad.numpy() for i in (0, 3, 7, 9)]
    ours = [net.layers[i].grads["W"] for i in (0, 2)] + [net.layers[i].grads["W"].T for i in (5, 6)]
    for theirs, mine in zip(torch_grads, ours):
        np.testing.assert_allclose(mine, theirs, rtol=rtol * 100, atol=1e-12 if dtype == "float64" else 1e-6)


def race_batch(batch, dtype, rounds, rep_seconds, default_threads):
    from bench.common import Contender, race

    batches = make_batches(batch, dtype=dtype)
    net, engine = make_engine(dtype)
    contenders = [Contender("engine", engine, batches, batch)]
    for threads, name in ((1, "torch-1"), (default_threads, f"torch-{default_threads}")):
        step, tensors = make_torch(net, batches, threads)
        contenders.append(Contender(name, step, tensors, batch))
    # torch.set_num_threads is global: each torch contender sets its own before it runs.
    import torch

    for contender, threads in zip(contenders[1:], (1, default_threads)):
        contender.step = _with_threads(torch, contender.step, threads)
    for contender in contenders:
        contender.calibrate(rep_seconds)
    race(contenders, rounds)
    return {contender.name: contender for contender in contenders}


def cpu_time_ratio(batch, dtype, rounds):
    """Engine ÷ one-thread PyTorch samples/s in CPU time (time.process_time), best
    of interleaved rounds: both run on one thread, so CPU time is a fair clock, and
    unlike wall time it does not count waiting for a core on a shared machine."""
    import time

    batches = make_batches(batch, dtype=dtype)
    net, engine = make_engine(dtype)
    torch_step, tensors = make_torch(net, batches, threads=1)
    steps = max(5, 4096 // batch)
    best = {"engine": float("inf"), "torch": float("inf")}
    for _ in range(rounds):
        for name, step, data in (("engine", engine, batches), ("torch", torch_step, tensors)):
            start = time.process_time()
            for i in range(steps):
                step(data[i % len(data)])
            best[name] = min(best[name], time.process_time() - start)
    return best["torch"] / best["engine"], steps * batch / best["engine"], steps * batch / best["torch"]


def _with_threads(torch, step, threads):
    def run(batch):
        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
        return step(batch)

    return run


def default_torch_threads():
    """The thread count PyTorch picks when nobody pins it: the user's OMP_NUM_THREADS,
    else one per CPU (this process's environment is pinned to 1 for NumPy)."""
    import os

    from bench.common import ORIGINAL_ENV

    try:
        return max(1, int(ORIGINAL_ENV.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return len(os.sched_getaffinity(0))


def rows(quick=False, dtype="float64", rounds=None, rep_seconds=None, log=print):
    """The bench rows (bench.common.Row) for batch 32 and 256."""
    from bench.common import Row

    try:
        import torch
    except ImportError:
        return [Row("2", f"engine ÷ PyTorch, CNN step batch {b}", None, goal, context="PyTorch not installed")
                for b, goal in GOALS.items()]
    default_threads = default_torch_threads()
    check_same_numbers(dtype)
    rounds = rounds or (5 if quick else 11)
    rep_seconds = rep_seconds or (0.05 if quick else 0.2)
    out = []
    for batch, goal in GOALS.items():
        by = race_batch(batch, dtype, rounds, rep_seconds, default_threads)
        eng, one, many = by["engine"], by["torch-1"], by[f"torch-{default_threads}"]
        log(f"  batch {batch}: engine {eng.best_rate:,.0f} samples/s, PyTorch {one.best_rate:,.0f} (1 thread), "
            f"{many.best_rate:,.0f} ({default_threads} threads); engine ÷ PyTorch {eng.best_rate / one.best_rate:.2f}× "
            f"(1 thread), {eng.best_rate / many.best_rate:.2f}× ({default_threads} threads)")
        ratio, ours, theirs = cpu_time_ratio(batch, dtype, rounds)
        log(f"  batch {batch} in CPU time: engine {ours:,.0f} samples/s, PyTorch (1 thread) {theirs:,.0f}: "
            f"{ratio:.2f}×")
        out.append(Row("2", f"engine ÷ PyTorch, CNN 16,32/64 SGD step, batch {batch}, torch 1 thread, CPU time",
                       ratio, goal, context=f"samples/s of CPU time {ours:,.0f} vs {theirs:,.0f}; {dtype}"))
        for theirs, label in ((one, "1 thread"), (many, f"{default_threads} threads")):
            out.append(Row("2", f"engine ÷ PyTorch, CNN 16,32/64 SGD step, batch {batch}, torch {label}",
                           eng.best_rate / theirs.best_rate, goal,
                           context=f"samples/s {eng.best_rate:,.0f} vs {theirs.best_rate:,.0f}; "
                                   f"medians {eng.median_rate / theirs.median_rate:.2f}×; {dtype}"))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer, shorter repetitions")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    p.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 11, quick 5)")
    args = p.parse_args(argv)
    from bench.common import limit_threads

    how = limit_threads(1)  # the engine's BLAS: one thread, as the trainer runs it
    from bench.common import format_table, say

    say(f"engine BLAS: {how}")
    say(f"CNN step, engine vs PyTorch CPU, {args.dtype}, best of interleaved rounds")
    table = rows(args.quick, args.dtype, args.rounds, log=say)
    say(format_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
