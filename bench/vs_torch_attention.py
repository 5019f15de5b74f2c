"""The engine's attention layers against PyTorch on CPU: forward + backward of a
2-block pre-norm transformer stack (x + attn(LN(x)), then x + MLP(LN(x)) with a
4d ReLU MLP), d 48, 2 heads, causal, T 256, batch 16, float32, from the same
weights (the script first checks both compute the same outputs and input
gradients).

    python3 -m bench.vs_torch_attention [--rounds 9] [--threads both|1|default]

Each thread setting runs in its own process (the BLAS thread count is fixed
when NumPy loads). Times are CPU seconds (process time) and wall seconds per
step, medians of interleaved repetitions, so load from other processes hits
both alike; the ratio is PyTorch's time ÷ the engine's (the engine's speed as
a share of PyTorch's; issue 21's goal ≥ 0.7×). With more than one thread, CPU
time adds up over threads: the wall ratio is the one that says who finishes first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from bench.common import REPO, limit_threads

D, HEADS, BLOCKS, T, BATCH = 48, 2, 2, 256, 16


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--threads", choices=("both", "1", "default"), default="both")
    args = parser.parse_args(argv)
    if args.threads == "both":
        status = 0
        for threads in ("1", "default"):
            command = [sys.executable, "-m", "bench.vs_torch_attention", "--rounds", str(args.rounds),
                       "--threads", threads]
            status |= subprocess.run(command, cwd=REPO, env=os.environ.copy()).returncode
        return status
    how = limit_threads(1) if args.threads == "1" else "default (BLAS and PyTorch choose)"
    return race(args.rounds, args.threads == "1", how)


def engine_stack(dtype):
    import numpy as np

    from nn_tui.engine import Dense, LayerNorm, SelfAttention, adopt_storage

    class Block:
        """x + attn(LN(x)), then x + fc2(relu(fc1(LN(x))))."""

        def __init__(self, seed):
            self.ln1, self.ln2 = LayerNorm(D, dtype=dtype), LayerNorm(D, dtype=dtype)
            self.attn = SelfAttention(D, HEADS, seed=seed, dtype=dtype)
            self.fc1 = Dense(D, 4 * D, "relu", seed=seed + 1, dtype=dtype)
            self.fc2 = Dense(4 * D, D, "linear", seed=seed + 2, dtype=dtype)
            self.layers = (self.ln1, self.attn, self.ln2, self.fc1, self.fc2)

        def forward(self, x):
            n, t, d = x.shape
            h = x + self.attn.forward(self.ln1.forward(x))
            mlp = self.fc2.forward(self.fc1.forward(self.ln2.forward(h).reshape(n * t, d)))
            return h + mlp.reshape(n, t, d)

        def backward(self, dy):
            n, t, d = dy.shape
            through_mlp = self.fc1.backward_(self.fc2.backward_(dy.reshape(n * t, d).copy()))
            dh = dy + self.ln2.backward_(through_mlp.reshape(n, t, d))
            return dh + self.ln1.backward_(self.attn.backward_(dh))

    blocks = [Block(10 * i) for i in range(BLOCKS)]
    storage = adopt_storage([layer for block in blocks for layer in block.layers], dtype)

    def forward(x):
        for block in blocks:
            x = block.forward(x)
        return x

    def backward(dy):
        for block in reversed(blocks):
            dy = block.backward(dy)
        return dy

    return blocks, storage, forward, backward


def torch_stack(blocks, torch):
    class Block(torch.nn.Module):
        def __init__(self, ours):
            super().__init__()
            self.ln1, self.ln2 = torch.nn.LayerNorm(D), torch.nn.LayerNorm(D)
            self.attn = torch.nn.MultiheadAttention(D, HEADS, batch_first=True)
            self.fc1, self.fc2 = torch.nn.Linear(D, 4 * D), torch.nn.Linear(4 * D, D)
            with torch.no_grad():
                for theirs, mine in ((self.ln1, ours.ln1), (self.ln2, ours.ln2)):
                    theirs.weight.copy_(torch.from_numpy(mine.params["gamma"]))
                    theirs.bias.copy_(torch.from_numpy(mine.params["beta"]))
                self.attn.in_proj_weight.copy_(torch.from_numpy(ours.attn.params["W_qkv"].T.copy()))
                self.attn.in_proj_bias.copy_(torch.from_numpy(ours.attn.params["b_qkv"]))
                self.attn.out_proj.weight.copy_(torch.from_numpy(ours.attn.params["W_o"].T.copy()))
                self.attn.out_proj.bias.copy_(torch.from_numpy(ours.attn.params["b_o"]))
                for theirs, mine in ((self.fc1, ours.fc1), (self.fc2, ours.fc2)):
                    theirs.weight.copy_(torch.from_numpy(mine.params["W"].T.copy()))
                    theirs.bias.copy_(torch.from_numpy(mine.params["b"]))
            self.register_buffer("mask", torch.nn.Transformer.generate_square_subsequent_mask(T))

        def forward(self, x):
            a = self.ln1(x)
            h = x + self.attn(a, a, a, attn_mask=self.mask, need_weights=False)[0]
            return h + self.fc2(torch.relu(self.fc1(self.ln2(h))))

    return torch.nn.Sequential(*(Block(block) for block in blocks))


def race(rounds, one_thread, how):
    import numpy as np

    from bench.common import blas_report, machine_lines, say

    try:
        import torch
    except ImportError:
        say("PyTorch not installed: pip install torch==2.13.0")
        return 2
    if one_thread:
        torch.set_num_threads(1)
    dtype = np.dtype(np.float32)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, T, D)).astype(dtype)
    dY = rng.normal(size=(BATCH, T, D)).astype(dtype)
    blocks, _storage, forward, backward = engine_stack(dtype)
    model = torch_stack(blocks, torch)
    x_t = torch.from_numpy(X).requires_grad_()
    dY_t = torch.from_numpy(dY)

    def engine_step():
        forward(X)
        return backward(dY)

    def torch_step():
        model.zero_grad()
        x_t.grad = None
        out = model(x_t)
        out.backward(dY_t)
        return out

    # Same numbers first: a fast wrong transformer would be no result.
    out_gap = float(np.abs(forward(X) - model(x_t).detach().numpy()).max())
    dx = backward(dY)
    torch_step()
    grad_gap = float(np.abs(dx - x_t.grad.numpy()).max())
    say("\n".join(machine_lines()))
    say("threads  " + how)
    for line in blas_report():
        say("blas     " + line)
    say(f"torch    intra-op threads {torch.get_num_threads()}")
    say(f"check    max |y − y_torch| {out_gap:.1e}, |dx − dx_torch| {grad_gap:.1e}")
    if max(out_gap, grad_gap) > 1e-3:
        say("FAIL: the engine and PyTorch disagree; no race")
        return 1

    steps = {"engine": engine_step, "torch": torch_step}
    cpu = {name: [] for name in steps}
    wall = {name: [] for name in steps}
    for step in steps.values():  # warm up caches, allocators and thread pools
        step()
    for r in range(rounds):
        for name in (("engine", "torch") if r % 2 == 0 else ("torch", "engine")):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            for _ in range(3):
                steps[name]()
            cpu[name].append((time.process_time() - start_cpu) / 3)
            wall[name].append((time.perf_counter() - start_wall) / 3)
    median = {name: (statistics.median(cpu[name]), statistics.median(wall[name])) for name in steps}
    cpu_ratio = median["torch"][0] / median["engine"][0]
    wall_ratio = median["torch"][1] / median["engine"][1]
    say(f"\n{BLOCKS}-block pre-norm transformer, d {D}, {HEADS} heads, causal, T {T}, batch {BATCH}, "
        f"float32, forward + backward")
    for name, (cpu_s, wall_s) in median.items():
        say(f"{name:8} {cpu_s * 1000:7.1f} ms CPU  {wall_s * 1000:7.1f} ms wall per step (median of {rounds})")
    goal = cpu_ratio if one_thread else wall_ratio
    say(f"ratio    {cpu_ratio:.2f}× PyTorch's speed by CPU time, {wall_ratio:.2f}× by wall time "
        f"(goal ≥ 0.70×, {'CPU' if one_thread else 'wall'}): {'pass' if goal >= 0.7 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
