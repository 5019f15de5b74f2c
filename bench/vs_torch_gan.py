#!/usr/bin/env python3
"""A GAN step, the engine against PyTorch on the CPU: steps per second.

    python bench/vs_torch_gan.py            # about a minute
    python bench/vs_torch_gan.py --quick

A step = one discriminator update (a batch of 150 real points and 150 of G's,
log loss) then one generator update through D (150 of G's points, the
non-saturating loss); G and D are 2-32-32 ReLU MLPs (G: 2-D noise -> 2-D,
D: 2-D -> one logit), both Adam (lr 1e-3, β1 0.5). The engine runs the very
code training runs (nn_tui.kinds.gan.train.d_update / g_update); PyTorch runs
the idiomatic loop (G's points for D under no_grad, BCEWithLogitsLoss,
zero_grad / backward / step, losses read as floats). Both get the same
pre-drawn batches and start from the same weights, and before racing they are
checked to compute the same losses and weights in float64.
Goal: engine ÷ PyTorch ≥ 2×, single-threaded (BLAS and torch pinned to 1 thread).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Contender, Row, format_table, limit_threads, machine_lines, race, say  # noqa: E402

BATCH = 150
HIDDEN = (32, 32)
LR, BETA1 = 1e-3, 0.5
GOAL = 2.0


def make_engine(dtype):
    import numpy as np

    from nn_tui.kinds.gan.model import Gan
    from nn_tui.kinds.gan.spec import GanSpec

    spec = GanSpec(noise_dim=2, noise_type="uniform", g_layers=HIDDEN, d_layers=HIDDEN, g_activation="relu",
                   d_activation="relu", g_optimizer="adam", d_optimizer="adam", g_lr=LR, d_lr=LR, beta1=BETA1,
                   d_steps=1, g_steps=1, gan_loss="log", gan_batch=BATCH, label_smoothing=0.0, instance_noise=0.0,
                   g_average=0.0)
    gan = Gan(spec, "two-gaussians", seed=0, dtype=dtype)
    rng = np.random.default_rng(1)
    batches = [tuple(a.astype(dtype) for a in (gan.distribution.sample(BATCH, rng), gan.noise(BATCH, rng),
                                               gan.noise(BATCH, rng))) for _ in range(8)]
    return gan, batches


def engine_step(gan):
    from nn_tui.kinds.gan.train import d_update, g_update

    def step(batch):
        real, noise_d, noise_g = batch
        return d_update(gan, real, noise_d), g_update(gan, noise_g)

    return step


def _weights(net):
    return [a.copy() for layer in net.layers for a in (layer.params["W"], layer.params["b"])]


def make_torch(gan, batches):
    import torch
    from torch import nn

    torch.set_num_threads(1)
    dtype = torch.float64 if gan.G.dtype.name == "float64" else torch.float32

    def mirror(net):
        sizes = net.sizes
        modules = []
        for i, (n_from, n_to) in enumerate(zip(sizes, sizes[1:])):
            modules.append(nn.Linear(n_from, n_to, dtype=dtype))
            if i < len(sizes) - 2:
                modules.append(nn.ReLU())
        model = nn.Sequential(*modules)
        with torch.no_grad():
            for linear, layer in zip([m for m in model if isinstance(m, nn.Linear)], net.layers):
                linear.weight.copy_(torch.from_numpy(layer.params["W"].T.copy()))  # torch keeps (out, in)
                linear.bias.copy_(torch.from_numpy(layer.params["b"].copy()))
        return model

    G, D = mirror(gan.G), mirror(gan.D)
    g_opt = torch.optim.Adam(G.parameters(), lr=LR, betas=(BETA1, 0.999))
    d_opt = torch.optim.Adam(D.parameters(), lr=LR, betas=(BETA1, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(BATCH, 1, dtype=dtype), torch.zeros(BATCH, 1, dtype=dtype)
    tensors = [tuple(torch.from_numpy(a) for a in batch) for batch in batches]

    def step(batch):
        real, noise_d, noise_g = batch
        with torch.no_grad():
            fake = G(noise_d)
        z = D(torch.cat((real, fake)))
        d_loss = bce(z[:BATCH], ones) + bce(z[BATCH:], zeros)
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        g_loss = bce(D(G(noise_g)), ones)
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        return d_loss.item(), g_loss.item()

    def weights(model):
        return [a for m in model if isinstance(m, nn.Linear)
                for a in (m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy())]

    return step, tensors, lambda: (weights(G), weights(D))


def check_same_numbers(steps=10):
    """Both compute the same losses and weights (float64), or the race means nothing."""
    import numpy as np

    gan, batches = make_engine(np.float64)
    torch_step, tensors, torch_weights = make_torch(gan, batches)
    ours = engine_step(gan)
    for i in range(steps):
        np.testing.assert_allclose(torch_step(tensors[i % len(tensors)]), ours(batches[i % len(batches)]),
                                   rtol=1e-9, err_msg=f"losses at step {i}")
    g_theirs, d_theirs = torch_weights()
    for mine, theirs in zip(_weights(gan.G) + _weights(gan.D), g_theirs + d_theirs):
        np.testing.assert_allclose(theirs, mine, rtol=1e-8, atol=1e-12)


def measure(dtype_name, seconds, rounds):
    import numpy as np

    dtype = np.dtype(dtype_name)
    gan, batches = make_engine(dtype)
    torch_step, tensors, _ = make_torch(gan, batches)  # same starting weights
    contenders = [Contender("engine", engine_step(gan), batches, 1),
                  Contender("torch", torch_step, tensors, 1)]
    for c in contenders:
        c.calibrate(seconds)
    race(contenders, rounds)
    engine, torch_ = contenders
    ratio = engine.best_rate / torch_.best_rate
    context = (f"engine {engine.best_rate:,.0f} steps/s, torch {torch_.best_rate:,.0f} steps/s "
               f"(best of {rounds}; medians {engine.median_rate:,.0f} / {torch_.median_rate:,.0f})")
    return Row("gan", f"GAN step 2×32 ReLU, batch {BATCH}, Adam, {dtype_name}", ratio, GOAL, context=context)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="shorter repetitions")
    p.add_argument("--dtype", default="float64,float32", help="comma-separated dtypes (default both)")
    args = p.parse_args(argv)
    how = limit_threads(1)
    try:
        import torch  # noqa: F401
    except ImportError:
        say("PyTorch not installed: pip install torch (the bench compares against it)")
        return 2
    for line in machine_lines():
        say(line)
    say(f"threads  {how}; torch.set_num_threads(1)")
    check_same_numbers()
    say("check    engine and PyTorch compute the same losses and weights over 10 steps (float64)")
    seconds, rounds = (0.3, 5) if args.quick else (1.0, 9)
    rows = [measure(name, seconds, rounds) for name in args.dtype.split(",")]
    say()
    say(format_table(rows))
    return 0 if all(row.status == "pass" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
