"""Writes the format-1 model files next to this script, with their expected outputs.

Run once with the code of commit 6009185 (before layers described themselves):
    python3 tests/engine/data/make_v1_models.py
The files are kept as they were written then; test_engine_model_file_v1.py loads
them with today's code and checks the outputs, so old files keep loading.
Do not rerun it with newer code: that would test nothing.
"""

from pathlib import Path

import numpy as np

from nn_tui.engine import Dense, Network, Perceptron, make_optimizer

HERE = Path(__file__).resolve().parent


def trained(net, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((16, n_in))
    Y = np.eye(n_out)[rng.integers(0, n_out, 16)] if n_out > 1 else (rng.random((16, 1)) < 0.5) * 1.0
    opt = make_optimizer("adam", lr=0.05)
    for _ in range(5):
        net.loss_and_grads(X, Y)
        opt.step(net)
    return net


def main():
    probes = {}
    mlp = trained(Network.mlp(3, [5, 4], 2, activation="relu", output="softmax", loss="ce", seed=4), 3, 2, 1)
    mask = np.array([[1, 0, 1], [1, 1, 0]])
    masked = trained(Network([Dense(2, 3, "leaky_relu", rng=2, mask=mask), Dense(3, 1, "sigmoid", rng=3)], "bce"),
                     2, 1, 2)
    small = trained(Network.mlp(4, [6], 1, activation="tanh", output="linear", loss="mse", seed=7,
                                dtype=np.float32), 4, 1, 3)
    perceptron = Perceptron(3, seed=5)
    perceptron.params["W"] = np.array([[0.5], [-1.25], [2.0]])
    perceptron.params["b"] = np.array([0.125])
    models = {"mlp": mlp, "masked": masked, "float32": small, "perceptron": perceptron}
    for name, model in models.items():
        model.save(HERE / f"v1_{name}.npz", metadata={"written_by": "6009185", "name": name})
        X = np.random.default_rng(11).standard_normal((6, model.sizes[0]))
        probes[f"{name}.X"] = X
        probes[f"{name}.Y"] = model.forward(X)
    np.savez(HERE / "v1_expected_outputs.npz", **probes)


if __name__ == "__main__":
    main()
