"""The agents' model files (dqn, selfplay): a run trained N steps, saved, loaded with
`--load` and trained M more gives the numbers of N + M straight, bit for bit (networks,
target, optimizer moments, replay, RNG, counters, the edited world); an earlier
nn-tui's plain network file still loads; the value network exports to ONNX, PyTorch and
JSON with nn-tui's outputs; a damaged file is one line."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.engine import load_model
from nn_tui.engine.network import Network
from nn_tui.export import export, source_from_file
from nn_tui.kinds.dqn.commands import nudge_reward, set_cell
from nn_tui.kinds.selfplay.game import encode
from nn_tui.run_setup import prepare

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = dict(rtol=1e-5, atol=1e-5)
SETTINGS = {
    "dqn": dict(model="dqn", replay=300, batch_size=16, seed=3),
    "selfplay": dict(model="selfplay", games_per_epoch=40, replay_size=500, seed=2),
}
STEPS = {"dqn": ([40, 25, 7], [30, 30, 11]), "selfplay": ([40, 13], [40, 40, 5])}


def _build(config):
    prepared = prepare(config)
    return prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)


def _train(run, steps_each):
    scores = None
    for steps in steps_each:
        run.train_steps(steps)
        scores = run.scores()
    return scores


class _Edits:
    """The screen's world edits, on a bare run (what the session's commands do)."""

    def __init__(self, run):
        self.training_run, self.dataset, self.scores = run, None, None


def _edit_world(run):
    if hasattr(run, "world"):
        set_cell(_Edits(run), 0, 4, "pit")
        nudge_reward(_Edits(run), 9, 0, 0.3)


def _numbers(run) -> dict:
    """Every array and count that decides what the run computes next."""
    state = run.state()
    return {**state.arrays, "info": np.frombuffer(json.dumps(state.info, sort_keys=True).encode(), dtype=np.uint8)}


def _assert_same(a, b):
    na, nb = _numbers(a), _numbers(b)
    assert na.keys() == nb.keys()
    for key in na:
        assert na[key].dtype == nb[key].dtype and np.array_equal(na[key], nb[key]), key


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_n_steps_saved_then_loaded_then_m_steps_is_n_plus_m_straight(kind, tmp_path):
    config = RunConfig.of(**SETTINGS[kind])
    first, then = STEPS[kind]
    straight = _build(config)
    _train(straight, first[:1])
    _edit_world(straight)
    scores = _train(straight, first[1:] + then)

    interrupted = _build(config)
    _train(interrupted, first[:1])
    _edit_world(interrupted)
    _train(interrupted, first[1:])  # the file is written in the middle of an epoch
    path = tmp_path / f"{kind}.npz"
    interrupted.save(path)
    del interrupted
    with np.load(path, allow_pickle=False) as npz:
        assert all(npz[entry].dtype != object for entry in npz.files)

    resumed = _build(config.with_changes(load=str(path)))
    assert _train(resumed, then) == scores
    assert resumed.step == straight.step and resumed.epoch == straight.epoch
    _assert_same(straight, resumed)
    if kind == "dqn":
        assert resumed.world.rewards[9, 0] == pytest.approx(0.3) and resumed.world.cells[0, 4] != 0


CLI = {"dqn": ("--model", "dqn", "--replay", "300", "--batch-size", "16", "--seed", "3"),
       "selfplay": ("--model", "selfplay", "--games-per-epoch", "30", "--replay-size", "400")}


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_train_save_then_train_load_gives_the_file_of_one_longer_run(kind, tmp_path, capsys):
    a, b, whole = (tmp_path / name for name in ("a.npz", "b.npz", "whole.npz"))
    assert main(["train", *CLI[kind], "--epochs", "3", "--save", str(a), "--json"]) == 0
    assert main(["train", *CLI[kind], "--epochs", "2", "--load", str(a), "--save", str(b), "--json"]) == 0
    assert main(["train", *CLI[kind], "--epochs", "5", "--save", str(whole), "--json"]) == 0
    reports = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert reports[1]["epochs"] == reports[2]["epochs"] == 5
    assert {k: v for k, v in reports[1].items() if k not in ("seconds", "saved")} == \
        {k: v for k, v in reports[2].items() if k not in ("seconds", "saved")}
    continued, straight = load_model(b), load_model(whole)
    assert np.array_equal(continued.flat_params, straight.flat_params)
    assert continued.run_state.info == straight.run_state.info
    for name, value in straight.run_state.arrays.items():
        assert np.array_equal(continued.run_state.arrays[name], value), name


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_loading_with_another_optimizer_and_lr_keeps_the_run_and_takes_the_settings(kind, tmp_path):
    config = RunConfig.of(**SETTINGS[kind])
    run = _build(config)
    _train(run, STEPS[kind][0])
    run.save(tmp_path / "m.npz")
    loaded = _build(config.with_changes(load=str(tmp_path / "m.npz"), optimizer="momentum", lr=0.001))
    assert loaded.step == run.step and np.array_equal(loaded.model.flat_params, run.model.flat_params)
    optimizer = loaded.agent.optimizer if kind == "dqn" else loaded.learner.optimizer
    assert optimizer.name == "momentum" and optimizer.lr == 0.001
    _train(loaded, [10])


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_an_earlier_plain_network_file_still_loads_its_weights(kind, tmp_path):
    config = RunConfig.of(**SETTINGS[kind])
    run = _build(config)
    _train(run, STEPS[kind][0])
    path = tmp_path / "old.npz"
    run.model.save(path, metadata=run.metadata())  # what nn-tui wrote before agent files
    assert "run_state" not in vars(Network.load(path))
    loaded = _build(RunConfig.of(model=kind, load=str(path)))
    assert loaded.step == 0 and np.array_equal(loaded.model.flat_params, run.model.flat_params)
    _train(loaded, [5])


def test_the_file_decides_the_network_and_the_replays_size(tmp_path):
    run = _build(RunConfig.of(model="dqn", layers=(12, 8), replay=200, batch_size=8))
    _train(run, [30])
    run.save(tmp_path / "m.npz")
    loaded = _build(RunConfig.of(model="dqn", batch_size=8, load=str(tmp_path / "m.npz")))
    assert loaded.agent.spec.layers == (12, 8) and loaded.agent.replay.capacity == 200
    assert np.array_equal(loaded.agent.target.flat_params, run.agent.target.flat_params)


# --- export of the value network --------------------------------------------------------
def _inputs(kind, model):
    if kind == "dqn":
        return np.eye(model.sizes[0])  # every cell
    rng = np.random.default_rng(0)
    boards = rng.integers(-1, 2, size=(64, 9)).astype(np.float64)
    return encode(boards, np.where(rng.random(64) < 0.5, 1.0, -1.0))


@pytest.fixture(scope="module")
def agent_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agents")
    paths = {}
    for kind, steps in (("dqn", [200, 200]), ("selfplay", [80])):
        run = _build(RunConfig.of(**SETTINGS[kind]))
        _train(run, steps)
        paths[kind] = folder / f"{kind}.npz"
        run.save(paths[kind])
    return paths


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_json_export_holds_the_value_network(agent_files, tmp_path, kind):
    path = tmp_path / "m.json"
    export(source_from_file(agent_files[kind]), "json", path)
    document = json.loads(path.read_text())
    model = load_model(agent_files[kind])
    assert document["kind"] == kind and len(document["input"]["names"]) == model.sizes[0]
    X = _inputs(kind, model)
    a = X
    for layer in document["layers"]:
        a = a @ np.array(layer["weight"]) + np.array(layer["bias"])
        a = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "linear": lambda z: z}[layer["activation"]](a)
    want = model.forward(X)
    np.testing.assert_allclose(a, want, **TOLERANCE)
    assert np.ptp(want) > 0.01  # a trained network that tells its inputs apart


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_onnx_export_gives_nn_tuis_outputs(agent_files, tmp_path, kind):
    onnx = pytest.importorskip("onnx", reason="the ONNX check needs onnx")
    onnxruntime = pytest.importorskip("onnxruntime", reason="running the export needs onnxruntime")
    path = tmp_path / "m.onnx"
    export(source_from_file(agent_files[kind]), "onnx", path)
    onnx.checker.check_model(str(path), full_check=True)
    model = load_model(agent_files[kind])
    X = _inputs(kind, model)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"input": X})
    np.testing.assert_allclose(got, model.forward(X), **TOLERANCE)


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
def test_torch_export_gives_nn_tuis_outputs(agent_files, tmp_path, kind):
    torch = pytest.importorskip("torch", reason="the PyTorch export runs only where torch is installed")
    path = tmp_path / f"{kind}.pt"
    export(source_from_file(agent_files[kind]), "torch", path)
    spec = importlib.util.spec_from_file_location(f"exported_agent_{kind}", tmp_path / f"{kind}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = load_model(agent_files[kind])
    X = _inputs(kind, model)
    with torch.no_grad():
        got = module.load()(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(got, model.forward(X), **TOLERANCE)


def test_the_export_command_takes_an_agent_file(agent_files, tmp_path):
    out = tmp_path / "q.json"
    done = subprocess.run([sys.executable, "-m", "nn_tui", "export", str(agent_files["dqn"]), "--to", "json",
                           "-o", str(out)], capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and out.exists(), done.stderr


# --- a damaged file is one line ----------------------------------------------------------
def _rewrite(source, target, change):
    with np.load(source, allow_pickle=False) as npz:
        arrays = dict(npz)
    meta = json.loads(arrays["meta"].tobytes().decode())
    change(meta, arrays)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(target, **arrays)


def _fractional_cells(meta, arrays):
    arrays["state.replay.cell"] = arrays["state.replay.cell"] + 0.5


def _unknown_dtype(meta, arrays):
    meta["state"]["arrays"]["replay.cell"]["dtype"] = "object"


def _missing_entry(meta, arrays):
    del arrays["state.replay.reward"]


def _lost_info(meta, arrays):
    del meta["state"]["info"]["rng"]


def _spec_of_nonsense(meta, arrays):
    meta["spec"]["replay"] = "many"


@pytest.mark.parametrize("change, message", [
    (_fractional_cells, "fractions"), (_unknown_dtype, "dtypes"), (_missing_entry, "missing state.replay.reward"),
    (_lost_info, "incomplete or damaged"), (_spec_of_nonsense, "--replay must be a whole number")])
def test_a_damaged_agent_file_is_refused_in_one_line(agent_files, tmp_path, change, message):
    path = tmp_path / "bad.npz"
    _rewrite(agent_files["dqn"], path, change)
    done = subprocess.run([sys.executable, "-m", "nn_tui", "train", "--model", "dqn", "--load", str(path),
                           "--epochs", "1"], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr
