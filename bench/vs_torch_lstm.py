"""The engine's LSTM against PyTorch's nn.LSTM on CPU: forward + backward
throughput (sequences per second), hidden 64, T 64, batch 32, input 64,
float32. Both start from the same weights; the script first checks they
compute the same outputs and input gradients.

    python3 -m bench.vs_torch_lstm [--seconds 0.5] [--rounds 7] [--dtype float32]
                                   [--threads both|1|default] [--baseline OLD_recurrent.py]

Prints the ratio engine ÷ PyTorch (goal ≥ 1.0×, issue 21). Each thread setting
runs in its own process (the BLAS thread count is fixed when NumPy loads): one
BLAS/intra-op thread each, then both libraries' defaults. Times are the
process's CPU time (time.process_time), so a loaded machine's waiting is not
counted, and wall time; ratios are medians of interleaved repetitions, with the
range over rounds. With one thread the CPU ratio is the goal's; with more, CPU
time adds up over threads and the wall ratio says who finishes first. --baseline
races another version of nn_tui/engine/recurrent.py too (e.g. one written out
by `git show OLD:nn_tui/engine/recurrent.py > /tmp/old.py`).

What PyTorch runs (printed on the "torch" line; PyTorch is left as a user gets it,
oneDNN on): torch 2.13.0+cpu sends nn.LSTM training on CPU through oneDNN's fused
RNN (MKL-DNN 3.12): the profiler sees aten::mkldnn_rnn_layer (forward, ~1.5 ms a
batch) and aten::mkldnn_rnn_layer_backward (~3.0 ms), no aten::lstm_cell or addmm.
Its GEMMs are MKL 2024.2's, 140–160 GFLOP/s on these shapes against OpenBLAS
0.3.31's (SkylakeX kernel) 120–125; the elementwise work is fused into them.

Measured on 2026-12-07 (Intel Xeon, 2 cores, AVX-512, 2 MB L2 a core; load 1.6–2.5;
the machine's speed itself drifts: the same GEMM took 8.4 µs and 12.8 µs an hour
apart, so only interleaved ratios mean much): engine 0.84–0.86× (rounds 0.76–0.89),
main's code before 0.82–0.83× in the same runs. A batch, in ms of CPU: PyTorch ~4.5;
the engine ~5.8 = GEMMs ~3.4 (402 MFLOP at ~120 GFLOP/s: recurrent Uᵀ·h₋ 0.54,
x·W 0.52, dh 0.54, dW/dU/db 1.26, dx 0.58), elementwise ~1.6 (forward ~9 µs a step,
backward ~15 µs), layout copies ~0.55, weight reorders ~0.2. With OpenBLAS's GEMMs
alone at 3.4 ms, 1.0× needs everything else in ~1.1 ms.
Tried and not kept (placement-balanced A/B, resolution ~1%): np.dot for the
per-step GEMMs (0.99×); cblas_sgemm through ctypes with beta=1 to drop the add
after Uᵀ·h₋ (10.5 µs against numpy's matmul + add 10.4); tanh(c) stored in the gate
block so backward's F takes 6 calls instead of 8 (0.98–0.99×: the strided and
reversed views cost more per element than the calls saved); weights reordered by
column blocks into kept buffers (1.00×); chunks of 4, 16, 32 steps (0.98, 1.00,
0.98×); batch-major (N, 5H) steps (1.85× slower per forward step); per-step dh and
dx merged into one [U; Wᵀ] GEMM (M 128: 22–24 µs against 8.4 + 8.5); two half
batches of 16 (27–28 µs a step pair against 21–23). float64 (dgemm) runs the
recurrent GEMM at half float32's speed (16.4 µs against 8.6).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time

from bench.common import REPO, Contender, limit_threads

HIDDEN, STEPS, BATCH, N_IN = 64, 64, 32, 64


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one repetition")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    parser.add_argument("--baseline", metavar="FILE", help="another recurrent.py to race as well")
    parser.add_argument("--threads", choices=("both", "1", "default"), default="both")
    args = parser.parse_args(argv)
    if args.threads == "both":
        status = 0
        for threads in ("1", "default"):
            command = [sys.executable, "-m", "bench.vs_torch_lstm", "--threads", threads,
                       "--seconds", str(args.seconds), "--rounds", str(args.rounds), "--dtype", args.dtype]
            if args.baseline:
                command += ["--baseline", args.baseline]
            status |= subprocess.run(command, cwd=REPO, env=os.environ.copy()).returncode
        return status
    one_thread = args.threads == "1"
    how = limit_threads(1) if one_thread else "default (BLAS and PyTorch choose)"
    load_before = _load()

    import numpy as np

    from bench.common import blas_report, machine_lines, race, say
    from nn_tui.engine import LSTM

    try:
        import torch
    except ImportError:
        say("PyTorch not installed: pip install torch==2.13.0")
        return 2
    if one_thread:
        torch.set_num_threads(1)
    dtype = np.dtype(args.dtype)
    torch_dtype = torch.float32 if dtype == np.float32 else torch.float64

    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, STEPS, N_IN)).astype(dtype)
    dY = rng.normal(size=(BATCH, STEPS, HIDDEN)).astype(dtype)
    cell = LSTM(N_IN, HIDDEN, seed=0, dtype=dtype)
    model = torch.nn.LSTM(N_IN, HIDDEN, batch_first=True, dtype=torch_dtype)
    with torch.no_grad():
        model.weight_ih_l0.copy_(torch.from_numpy(cell.params["W"].T.copy()))
        model.weight_hh_l0.copy_(torch.from_numpy(cell.params["U"].T.copy()))
        model.bias_ih_l0.copy_(torch.from_numpy(cell.params["b"]))
        model.bias_hh_l0.zero_()
    x_t = torch.from_numpy(X).requires_grad_()
    dY_t = torch.from_numpy(dY)

    def engine_step(_):
        cell.forward(X)
        cell.backward(dY)

    def torch_step(_):
        model.zero_grad()
        x_t.grad = None
        out, _state = model(x_t)
        out.backward(dY_t)

    # Same numbers first: a fast wrong LSTM would be no result.
    engine_step(None)
    torch_step(None)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    out_gap = float(np.abs(cell.output - model(x_t)[0].detach().numpy()).max())
    grad_gap = float(np.abs(cell.backward(dY) - x_t.grad.numpy()).max())
    u_gap = float(np.abs(cell.grads["U"] - model.weight_hh_l0.grad.numpy().T).max())
    say("\n".join(machine_lines()))
    say("threads  " + how)
    for line in blas_report():
        say("blas     " + line)
    say(f"torch    intra-op threads {torch.get_num_threads()}; oneDNN (mkldnn) "
        f"{'available' if torch.backends.mkldnn.is_available() else 'absent'}, "
        f"{'enabled' if torch.backends.mkldnn.enabled else 'disabled'}; runs {_torch_lstm_ops(torch, torch_step)}")
    say(f"check    max |h − h_torch| {out_gap:.1e}, |dx − dx_torch| {grad_gap:.1e}, |dU − dU_torch| {u_gap:.1e}")
    if max(out_gap, grad_gap, u_gap) > tol:
        say("FAIL: the engine and PyTorch disagree; no race")
        return 1

    contenders = [CpuContender("engine", engine_step, [None], BATCH), CpuContender("torch", torch_step, [None], BATCH)]
    if args.baseline:
        old = _load_lstm(args.baseline)(N_IN, HIDDEN, seed=0, dtype=dtype)
        old.forward(X)
        old_gap = float(np.abs(old.backward(dY) - cell.backward(dY)).max())
        say(f"baseline {args.baseline}: max |dx − dx_engine| {old_gap:.1e}")

        def old_step(_):
            old.forward(X)
            old.backward(dY)

        contenders.append(CpuContender("baseline", old_step, [None], BATCH))
    for contender in contenders:
        contender.calibrate(args.seconds)
        contender.wall_times = []  # calibration's runs are not repetitions
    race(contenders, args.rounds)
    engine, torch_c = contenders[:2]
    ratio = engine.median_rate / torch_c.median_rate
    spread = _round_ratios(engine, torch_c)
    wall_ratio = statistics.median(torch_c.wall_times) / torch_c.steps / (statistics.median(engine.wall_times) / engine.steps)
    wall_spread = _round_ratios(engine, torch_c, wall=True)
    say(f"\nLSTM hidden {HIDDEN}, T {STEPS}, batch {BATCH}, input {N_IN}, {dtype.name}, forward + backward, "
        f"threads {args.threads}, load {load_before} → {_load()} (1-minute averages)")
    say(f"engine   {engine.median_rate:8.0f} sequences/s of CPU, "
        f"{engine.steps * BATCH / statistics.median(engine.wall_times):8.0f} of wall (medians of {args.rounds})")
    say(f"torch    {torch_c.median_rate:8.0f} sequences/s of CPU, "
        f"{torch_c.steps * BATCH / statistics.median(torch_c.wall_times):8.0f} of wall")
    if args.baseline:
        baseline = contenders[2]
        old_spread = _round_ratios(baseline, torch_c)
        say(f"baseline {baseline.median_rate:8.0f} sequences/s: {baseline.median_rate / torch_c.median_rate:.2f}× "
            f"PyTorch's (rounds {min(old_spread):.2f}–{max(old_spread):.2f}); "
            f"the engine is {engine.median_rate / baseline.median_rate:.2f}× the baseline "
            f"(rounds {min(_round_ratios(engine, baseline)):.2f}–{max(_round_ratios(engine, baseline)):.2f})")
    goal = ratio if one_thread else wall_ratio
    say(f"ratio    CPU {ratio:.2f}× PyTorch's throughput (rounds {min(spread):.2f}–{max(spread):.2f}), "
        f"wall {wall_ratio:.2f}× (rounds {min(wall_spread):.2f}–{max(wall_spread):.2f}); "
        f"goal ≥ 1.00× ({'CPU' if one_thread else 'wall'}): {'pass' if goal >= 1.0 else 'FAIL'}")
    return 0


def _torch_lstm_ops(torch, torch_step):
    """The recurrent ops PyTorch's profiler sees in one training step (e.g.
    aten::mkldnn_rnn_layer: oneDNN's fused LSTM, not aten::lstm_cell + addmm)."""
    saved_stderr = os.dup(2)  # the profiler logs its start and stop on fd 2
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profile:
                    torch_step(None)
            finally:
                os.dup2(saved_stderr, 2)
        names = sorted({event.key for event in profile.key_averages()
                        if event.key.startswith("aten::") and ("rnn" in event.key or "lstm" in event.key)})
    except Exception as error:  # the profiler is a diagnostic: never the bench's failure
        return f"? (profiler: {type(error).__name__})"
    finally:
        os.close(saved_stderr)
    return ", ".join(names) or "?"


def _load():
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "?"


class CpuContender(Contender):
    """A contender timed in CPU time of this process (steps × samples are the
    same as the wall-clock one's): other processes' load does not count. The
    wall time of each repetition is kept as well, in ``wall_times``."""

    def run(self, steps: int) -> float:
        step, batches, n = self.step, self.batches, len(self.batches)
        start, wall_start = time.process_time(), time.perf_counter()
        for i in range(steps):
            step(batches[i % n])
        self.__dict__.setdefault("wall_times", []).append(time.perf_counter() - wall_start)
        return time.process_time() - start


def _round_ratios(contender, reference, wall=False):
    """Per round: the contender's throughput ÷ the reference's (their step counts differ)."""
    mine_times = contender.wall_times if wall else contender.times
    their_times = reference.wall_times if wall else reference.times
    return [(contender.steps / mine) / (reference.steps / theirs)
            for mine, theirs in zip(mine_times, their_times)]


def _load_lstm(path):
    spec = importlib.util.spec_from_file_location("baseline_recurrent", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LSTM


if __name__ == "__main__":
    raise SystemExit(main())
