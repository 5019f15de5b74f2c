"""Which runs does the divergence watcher flag? The 20 hidden activation x optimizer runs at
--lr 1000 (all must be flagged) and healthy settings (none may be). Prints one row per run:
settings, epoch flagged (or '-'), final train loss.

    python3 -m bench.divergence_grid [--epochs 100] [--healthy]
"""
import argparse
import warnings

import numpy as np

from nn_tui.config import RunConfig
from nn_tui.divergence import Diverged, DivergenceWatch
from nn_tui.engine import OPTIMIZERS
from nn_tui.kinds.mlp.spec import HIDDEN_ACTIVATIONS
from nn_tui.run_setup import prepare
from nn_tui.training import TrainingDiverged


def flagged_at(settings: dict, epochs: int):
    prepared = prepare(RunConfig.of(**settings))
    run = prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)
    watch = DivergenceWatch()
    scores = run.scores()
    try:
        watch.observe(0, scores, run.model, run.health_inputs())
        for _ in range(epochs):
            run.run_epoch()
            scores = run.scores()
            watch.observe(run.epoch, scores, run.model, run.health_inputs())
    except (Diverged, TrainingDiverged) as error:
        return run.epoch, str(error)
    return None, f"loss {scores['train_loss']:.4g}"


def main():
    np.seterr(all="ignore")
    warnings.simplefilter("ignore", RuntimeWarning)
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--dataset", default="spiral")
    args = parser.parse_args()
    for activation in HIDDEN_ACTIVATIONS:
        for optimizer in OPTIMIZERS:
            epoch, why = flagged_at(dict(dataset=args.dataset, layers=(8, 8), activation=activation,
                                         optimizer=optimizer, lr=1000.0), args.epochs)
            print(f"{activation:10} {optimizer:8} flagged at {epoch if epoch is not None else '-':>4}  {why}")


if __name__ == "__main__":
    main()
