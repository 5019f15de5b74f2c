"""The engine's LSTM against PyTorch's nn.LSTM on CPU: forward + backward
throughput (sequences per second), hidden 64, T 64, batch 32, input 64,
float32, one BLAS/intra-op thread each. Both start from the same weights; the
script first checks they compute the same outputs and input gradients.

    python3 -m bench.vs_torch_lstm [--seconds 0.5] [--rounds 7] [--dtype float32]
                                   [--baseline OLD_recurrent.py]

Prints the ratio engine ÷ PyTorch (goal ≥ 1.0×). Times are the process's CPU
time (time.process_time), so a loaded machine's waiting is not counted; ratios
are medians of interleaved repetitions, with the range over rounds. --baseline
races another version of nn_tui/engine/recurrent.py too (e.g. one written out
by `git show OLD:nn_tui/engine/recurrent.py > /tmp/old.py`).
"""

from __future__ import annotations

import argparse
import importlib.util
import time

from bench.common import Contender, limit_threads

HIDDEN, STEPS, BATCH, N_IN = 64, 64, 32, 64


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="length of one repetition")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    parser.add_argument("--baseline", metavar="FILE", help="another recurrent.py to race as well")
    args = parser.parse_args(argv)
    how = limit_threads(1)

    import numpy as np

    from bench.common import blas_report, machine_lines, race, say
    from nn_tui.engine import LSTM

    try:
        import torch
    except ImportError:
        say("PyTorch not installed: pip install torch==2.13.0")
        return 2
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
    say(f"torch    intra-op threads {torch.get_num_threads()}")
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
    race(contenders, args.rounds)
    engine, torch_c = contenders[:2]
    ratio = engine.median_rate / torch_c.median_rate
    spread = _round_ratios(engine, torch_c)
    say(f"\nLSTM hidden {HIDDEN}, T {STEPS}, batch {BATCH}, input {N_IN}, {dtype.name}, forward + backward, CPU time")
    say(f"engine   {engine.median_rate:8.0f} sequences/s (median of {args.rounds})")
    say(f"torch    {torch_c.median_rate:8.0f} sequences/s")
    if args.baseline:
        baseline = contenders[2]
        old_spread = _round_ratios(baseline, torch_c)
        say(f"baseline {baseline.median_rate:8.0f} sequences/s: {baseline.median_rate / torch_c.median_rate:.2f}× "
            f"PyTorch's (rounds {min(old_spread):.2f}–{max(old_spread):.2f}); "
            f"the engine is {engine.median_rate / baseline.median_rate:.2f}× the baseline "
            f"(rounds {min(_round_ratios(engine, baseline)):.2f}–{max(_round_ratios(engine, baseline)):.2f})")
    say(f"ratio    {ratio:.2f}× PyTorch's throughput (rounds {min(spread):.2f}–{max(spread):.2f}; goal ≥ 1.00×): "
        f"{'pass' if ratio >= 1.0 else 'FAIL'}")
    return 0


class CpuContender(Contender):
    """A contender timed in CPU time of this process (steps × samples are the
    same as the wall-clock one's): other processes' load does not count."""

    def run(self, steps: int) -> float:
        step, batches, n = self.step, self.batches, len(self.batches)
        start = time.process_time()
        for i in range(steps):
            step(batches[i % n])
        return time.process_time() - start


def _round_ratios(contender, reference):
    """Per round: the contender's throughput ÷ the reference's (their step counts differ)."""
    return [(contender.steps / mine) / (reference.steps / theirs)
            for mine, theirs in zip(contender.times, reference.times)]


def _load_lstm(path):
    spec = importlib.util.spec_from_file_location("baseline_recurrent", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LSTM


if __name__ == "__main__":
    raise SystemExit(main())
