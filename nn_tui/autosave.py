"""The app's autosave: a whole session (run state, history, settings, data seed) in one
.npz of plain arrays plus JSON text, written atomically, read with allow_pickle=False.

`nn-tui --resume` rebuilds the run from the saved settings and data seed (the same
data, the same architecture), then puts back the kind's `Run.state()`: weights,
optimizer moments, the trainer's RNG and the epoch under way, so training on gives
the numbers an uninterrupted run would have given, bit for bit.
"""

from __future__ import annotations

import json
import time
import zipfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np

from nn_tui.config import ConfigError, DataConfig, RunConfig, TrainConfig
from nn_tui.kinds import get_kind
from nn_tui.engine.atomic_file import replace_atomically
from nn_tui.kinds.base import RunState

FORMAT = "nn-tui-autosave"
VERSION = 1
MAX_INFO_BYTES = 10_000_000


class AutosaveError(ConfigError):
    """An autosave that is missing, damaged or from another version (one line)."""


@dataclass
class SessionState:
    config: RunConfig
    data_seed: int
    run: RunState
    history: dict  # BoundedHistory.state()
    watch: dict  # DivergenceWatch.state()
    saved_at: float = 0.0

    @property
    def epoch(self) -> int:
        return epoch_of({"run": self.run.info})


def epoch_of(info: dict) -> int:
    """The epoch an autosave's run had reached (kinds keep it in their own place)."""
    run = info["run"]
    return int(run.get("trainer", run).get("epoch", 0))


def config_to_json(config: RunConfig) -> dict:
    return {"data": asdict(config.data), "model": asdict(config.model), "train": asdict(config.train)}


def _fields(cls, values: dict) -> dict:
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise AutosaveError(f"the autosave has settings this nn-tui does not know: {', '.join(unknown)}")
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def config_from_json(data: dict) -> RunConfig:

    model = dict(data["model"])
    kind = get_kind(model.get("kind", ""))
    return RunConfig(data=DataConfig(**_fields(DataConfig, data["data"])),
                     model=kind.spec(**_fields(kind.spec, model)),
                     train=TrainConfig(**_fields(TrainConfig, data["train"])))


def write(path: Path, state: SessionState) -> None:
    info = {"format": FORMAT, "version": VERSION, "saved_at": time.time(),
            "config": config_to_json(state.config), "data_seed": state.data_seed,
            "run": state.run.info, "watch": state.watch,
            "history": {k: v for k, v in state.history.items() if k != "rows"}}
    arrays = {f"run/{name}": value for name, value in state.run.arrays.items()}
    arrays["history/rows"] = np.asarray(state.history["rows"], dtype=np.float64)
    arrays["info"] = np.frombuffer(json.dumps(info).encode("utf-8"), dtype=np.uint8)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Private to its user (0600), like the state directory (0700).
    replace_atomically(path, lambda file: np.savez(file, **arrays), prefix=".autosave-", mode=None)


def read_info(path: Path) -> dict:
    """The JSON part only (what the start notice shows), without the arrays."""
    return _open(path, arrays=False)[0]


def read(path: Path) -> SessionState:
    info, arrays = _open(path, arrays=True)
    try:
        config = config_from_json(info["config"])
        data_seed = int(info["data_seed"])
        if data_seed != config.data_seed:  # written when the data seed was kept apart from the settings
            config = replace(config, data=replace(config.data, data_seed=data_seed))
        run = RunState(arrays={k[4:]: v for k, v in arrays.items() if k.startswith("run/")}, info=info["run"])
        history = {**info["history"], "rows": arrays["history/rows"]}
        return SessionState(config, data_seed, run, history, info["watch"], float(info["saved_at"]))
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ConfigError):
            raise
        raise AutosaveError(f"{path}: the autosave is incomplete ({error})") from None


def _open(path: Path, arrays: bool):
    try:
        with np.load(path, allow_pickle=False) as npz:
            if not isinstance(npz, np.lib.npyio.NpzFile) or "info.npy" not in npz.zip.namelist():
                raise AutosaveError(f"{path} is not an nn-tui autosave")
            if npz.zip.getinfo("info.npy").file_size > MAX_INFO_BYTES:
                raise AutosaveError(f"{path}: its settings are too large")
            info = json.loads(npz["info"].tobytes().decode("utf-8"))
            if not isinstance(info, dict) or info.get("format") != FORMAT:
                raise AutosaveError(f"{path} is not an nn-tui autosave")
            if info.get("version") != VERSION:
                raise AutosaveError(f"{path}: autosave version {info.get('version')!r} is not {VERSION}")
            loaded = {name: npz[name] for name in npz.files if name != "info"} if arrays else {}
            return info, loaded
    except FileNotFoundError:
        raise AutosaveError(f"no autosave at {path} (the app writes one while a run trains)") from None
    except AutosaveError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, UnicodeDecodeError, AttributeError,
            RecursionError) as error:
        raise AutosaveError(f"{path}: the autosave is damaged ({type(error).__name__})") from None
