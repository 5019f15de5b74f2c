"""The package works wherever it is installed (issue 12): a wheel built from
this tree, and an editable install of a copy of it, each in a fresh venv,
train on the digits and on a shipped CSV from a directory outside the tree.

Offline: the venv sees the running interpreter's site-packages (numpy,
textual...; through a .pth file, which also works when that interpreter is
itself a venv, as --system-site-packages would not) and pip installs with
--no-index, so nothing is downloaded; setuptools comes from there too
(--no-build-isolation)."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = ("nn_tui", "assets", "pyproject.toml", "setup.py", "README.md")
SHIPPED_CSV = "data/titanic.csv"


def run(command, cwd, timeout=900, check=True):  # hang guards: pip and venv under load take minutes
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def copy_source(target: Path) -> Path:
    """The files a build reads, copied so the build leaves no build/ or egg-info in the tree."""
    target.mkdir()
    for name in SOURCE:
        source = REPO / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=False).create(path)
    python = path / "bin" / "python"
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=path)
    outer = [*site.getsitepackages(), site.getusersitepackages()]
    # After the venv's own site-packages on sys.path: what is installed there wins.
    (Path(purelib.stdout.strip()) / "outer-site-packages.pth").write_text(
        "".join(f"{entry}\n" for entry in outer if Path(entry).is_dir()))
    return python


def pip_install(python: Path, *args, cwd):
    # The system's pip, aimed at the venv: no ensurepip, no download.
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-index",
         "--no-build-isolation", *args], cwd=cwd)


def train(python: Path, cwd: Path, *args) -> dict:
    nn_tui = python.parent / "nn-tui"
    result = run([str(nn_tui), "train", *args, "--epochs", "1", "--json"], cwd=cwd, timeout=600)
    return json.loads(result.stdout)


def check_installed_run(python: Path, outside: Path, package_root: Path) -> None:
    where = run([str(python), "-c", "import nn_tui; from nn_tui.data.digits import asset_path; "
                 f"print(nn_tui.__file__); print(asset_path({SHIPPED_CSV!r}))"], cwd=outside).stdout.split("\n")
    assert Path(where[0]).is_relative_to(package_root), f"imported {where[0]}, not the install under {package_root}"
    csv_path = Path(where[1])
    assert csv_path.is_file() and not csv_path.is_relative_to(REPO)

    digits = train(python, outside, "--dataset", "digits")
    assert digits["dataset"] == "digits" and digits["sizes"][0] == 64 and digits["sizes"][-1] == 10
    titanic = train(python, outside, "--data", str(csv_path), "--target", "survived", "--drop", "alive")
    assert titanic["task"] == "binary" and 0.0 <= titanic["test_accuracy"] <= 1.0


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    return tmp_path_factory.mktemp("elsewhere")  # a working directory with no nn_tui or assets in it


def test_a_wheel_ships_the_assets_and_finds_them_installed(tmp_path, outside):
    source = copy_source(tmp_path / "src")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", str(tmp_path / "dist"), str(source)], cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("nn_tui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"nn_tui/assets/digits.csv.gz", "nn_tui/assets/DIGITS-LICENSE.md",
            "nn_tui/assets/data/titanic.csv", "nn_tui/assets/data/penguins.csv",
            "nn_tui/assets/data/README.md", "nn_tui/ui/app.tcss"} <= names
    assert not any(name.startswith("assets/") for name in names)  # no top-level "assets" package

    python = fresh_venv(tmp_path / "venv")
    pip_install(python, str(wheel), cwd=tmp_path)
    shutil.rmtree(source)  # the installed copy must not need the tree it came from
    check_installed_run(python, outside, tmp_path / "venv")


def test_an_editable_install_finds_the_assets_at_the_top_of_the_tree(tmp_path, outside):
    source = copy_source(tmp_path / "src")
    python = fresh_venv(tmp_path / "venv")
    pip_install(python, "--no-deps", "-e", str(source), cwd=tmp_path)
    check_installed_run(python, outside, source)
