"""The layering of ../shared/DESIGN.md, checked on every import of every module in nn_tui.

Every import counts: at module level, inside functions (where a cycle likes to hide) and
`importlib.import_module("literal")`. An import only ever points down this list:

    engine, data        numpy + the standard library only
    config (leaf)       plain settings and their errors (nn_tui/settings.py)
    kinds/<kind>        never lessons or ui (a kind's panes.py is the only part that imports ui)
    session, autosave   kind-agnostic; never ui
    lessons             never ui (a lesson's screen.py is the only part that imports ui)
    ui
    commands            cli, serve, export/cli, lessons/cli, command_line: nothing imports them

and no two modules of nn_tui import each other, however indirectly.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "nn_tui"

# The commands layer: what `nn-tui ...` runs. They may import each other (cli dispatches).
COMMANDS = ("nn_tui.cli", "nn_tui.__main__", "nn_tui.command_line", "nn_tui.serve", "nn_tui.export.cli",
            "nn_tui.lessons.cli")
# The training side: runs in the training process, which never loads Textual.
TRAINING_SIDE = ("nn_tui.session", "nn_tui.session_process", "nn_tui.autosave", "nn_tui.training")
LOW_LEVEL = ("nn_tui.engine", "nn_tui.data")
LOW_LEVEL_MAY_IMPORT = ("numpy",)
# Why an import may wait inside a function, in a comment on it or just above it; or it is in a
# `try` that catches ImportError (an optional dependency).
REASONS = ("start-up time", "optional")
# Optional extras the data layer may load, inside the one function that needs them
# (image decoding through Pillow: nn-tui[images]).
DATA_OPTIONAL_EXTRAS = ("PIL",)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str  # a module of nn_tui, or the top-level name of anything else
    line: int
    in_function: bool
    reason: str = ""  # for an import in a function: why it waits ("start-up time", "optional ...")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imports_of(source: str, name: str, path: Path, known: set[str]) -> list[Import]:
    """Every import in one module's source. An nn_tui import is resolved to the module it
    loads (`from nn_tui.kinds import base` -> nn_tui.kinds.base); others to their top name."""
    tree = ast.parse(source)
    lines = source.splitlines()
    found: list[Import] = []

    def reason_for(node: ast.AST, optional: bool) -> str:
        if optional:
            return "optional dependency"
        nearby = " ".join(line.partition("#")[2] for line in lines[max(node.lineno - 4, 0):node.end_lineno])
        return next((why for why in REASONS if why in nearby.lower()), "")

    def add(target: str, node: ast.AST, in_function: bool, optional: bool = False) -> None:
        if target.split(".")[0] != "nn_tui":
            target = target.split(".")[0]
        found.append(Import(name, target, node.lineno, in_function, reason_for(node, optional) if in_function else ""))

    def guards_import_error(node: ast.AST) -> bool:
        return isinstance(node, ast.Try) and any(
            handler.type is not None and {"ImportError", "ModuleNotFoundError"} & {
                ast.unparse(t) for t in (handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type])}
            for handler in node.handlers)

    def visit(node: ast.AST, in_function: bool, optional: bool = False) -> None:
        optional = optional or guards_import_error(node)
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    add(alias.name, child, inside, optional)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = _package_of(name, path).split(".")
                    package = package[: len(package) - (child.level - 1)]
                    base = ".".join(package + ([child.module] if child.module else []))
                for alias in child.names:
                    whole = f"{base}.{alias.name}"
                    add(whole if whole in known else base, child, inside, optional)
            elif (isinstance(child, ast.Call) and isinstance(child.func, (ast.Attribute, ast.Name))
                  and (child.func.attr if isinstance(child.func, ast.Attribute) else child.func.id)
                  == "import_module"
                  and child.args and isinstance(child.args[0], ast.Constant)
                  and isinstance(child.args[0].value, str)):
                add(child.args[0].value, child, inside)
            visit(child, inside, optional and not isinstance(child, ast.ExceptHandler))

    visit(tree, False)
    return found


def import_graph(root: Path = PACKAGE_ROOT) -> dict[str, list[Import]]:
    paths = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    known = set(paths)
    return {name: imports_of(path.read_text(encoding="utf-8"), name, path, known) for name, path in paths.items()}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_violations(graph: dict[str, list[Import]]) -> list[tuple[Import, str]]:
    """(import, the rule it breaks) for every import that points up the layers."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    found = []
    for imports in graph.values():
        for imp in imports:
            who, what = imp.importer, imp.imported
            if any(_within(who, low) for low in LOW_LEVEL):
                if _within(what, "nn_tui"):
                    if not any(_within(what, low) for low in LOW_LEVEL):
                        found.append((imp, "engine and data import only numpy, the standard library and each other"))
                elif what not in stdlib and what not in LOW_LEVEL_MAY_IMPORT and not (
                        _within(who, "nn_tui.data") and imp.in_function and imp.reason.startswith("optional")
                        and any(_within(what, extra) for extra in DATA_OPTIONAL_EXTRAS)):
                    found.append((imp, "engine and data import only numpy and the standard library"))
            if _within(who, "nn_tui.kinds") and who.rpartition(".")[2] != "panes":
                if _within(what, "nn_tui.lessons") or _within(what, "nn_tui.ui") or what == "textual":
                    found.append((imp, "a kind never imports lessons or ui (only its panes.py imports ui)"))
            if _within(who, "nn_tui.lessons") and who.rpartition(".")[2] != "screen" and who not in COMMANDS:
                if _within(what, "nn_tui.ui") or what == "textual":
                    found.append((imp, "a lesson never imports ui (only its screen.py does)"))
            if who in TRAINING_SIDE and (_within(what, "nn_tui.ui") or what == "textual"):
                found.append((imp, "the training side never imports ui"))
            if what in COMMANDS and who not in COMMANDS:
                found.append((imp, "nothing below the commands imports them"))
    return found


def import_cycles(graph: dict[str, list[Import]]) -> list[frozenset[str]]:
    """The strongly connected groups of two or more nn_tui modules (Tarjan), imports inside
    functions counted like the others."""
    edges = {name: sorted({imp.imported for imp in imports if imp.imported in graph and imp.imported != name})
             for name, imports in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    counter = 0

    def connect(node: str) -> None:  # recursive; the package is a few hundred modules deep at most
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(frozenset(group))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return groups


def _describe(group: frozenset[str], graph: dict[str, list[Import]]) -> str:
    lines = dict.fromkeys(f"  {imp.importer}:{imp.line} imports {imp.imported}"
                          f"{' (in a function)' if imp.in_function else ''}"
                          for member in sorted(group) for imp in graph[member] if imp.imported in group)
    return "cycle among " + ", ".join(sorted(group)) + ":\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_every_import_points_down_the_layers(graph):
    broken = layer_violations(graph)
    assert not broken, "\n".join(f"{imp.importer}:{imp.line} imports {imp.imported}: {rule}" for imp, rule in broken)


def test_no_import_cycles(graph):
    cycles = import_cycles(graph)
    assert not cycles, "\n".join(_describe(group, graph) for group in cycles)


def unexplained_imports_in_functions(graph: dict[str, list[Import]]) -> list[Import]:
    """Imports inside functions that say neither start-up time nor optional dependency."""
    return [imp for imports in graph.values() for imp in imports if imp.in_function and not imp.reason]


def test_an_import_inside_a_function_says_why_it_waits(graph):
    """A cycle hides behind an import inside a function; one that is there for start-up time
    or an optional dependency says so."""
    unexplained = unexplained_imports_in_functions(graph)
    assert not unexplained, "\n".join(f"{imp.importer}:{imp.line} imports {imp.imported} in a function with no "
                                      f"comment saying start-up time or optional" for imp in unexplained)


# ---------------------------------------------------------------- the checker, on a made-up package
def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, list[Import]]:
    root = tmp_path / "nn_tui"
    for relative, text in {"__init__.py": "", **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
    return import_graph(root)


def test_the_checker_sees_an_import_hidden_in_a_function(tmp_path):
    graph = _package(tmp_path, {
        "engine/network.py": "import numpy\n\ndef later():\n    from nn_tui.ui import app\n",
        "ui/app.py": "",
    })
    [(imp, rule)] = layer_violations(graph)
    assert (imp.importer, imp.imported, imp.in_function) == ("nn_tui.engine.network", "nn_tui.ui.app", True)


@pytest.mark.parametrize("importer, text, rule", [
    ("engine/network.py", "import torch\n", "numpy and the standard library"),
    ("data/toy.py", "from nn_tui import settings\n", "each other"),
    ("kinds/mlp/commands.py", "from nn_tui.lessons.importance import measure\n", "a kind never"),
    ("kinds/mlp/build.py", "import importlib\nimportlib.import_module('nn_tui.ui.app')\n", "a kind never"),
    ("session.py", "def f():\n    import textual\n", "training side"),
    ("ui/app.py", "from nn_tui.cli import main\n", "commands"),
    ("lessons/xor.py", "from nn_tui.lessons import cli\n", "commands"),
    ("lessons/xor/__init__.py", "from nn_tui.ui.app import App\n", "a lesson never"),
    ("data/images.py", "def load():\n    import PIL  # optional: nn-tui[images]\n    import torch  # optional\n",
     "numpy and the standard library"),
])
def test_the_checker_names_each_rule(tmp_path, importer, text, rule):
    graph = _package(tmp_path, {importer: text, "ui/app.py" if importer != "ui/app.py" else "ui/other.py": "",
                                "lessons/importance.py": "", "lessons/cli.py": "", "cli.py": "", "settings.py": ""})
    assert [r for _, r in layer_violations(graph)] and all(rule in r for _, r in layer_violations(graph))


def test_a_kinds_panes_may_import_ui_and_engine_may_import_numpy(tmp_path):
    graph = _package(tmp_path, {
        "kinds/mlp/panes.py": "from nn_tui.ui.app import App\n",
        "lessons/xor/screen.py": "from nn_tui.ui.app import App\n",
        "data/images.py": "def load():\n    import PIL  # optional: nn-tui[images]\n",
        "engine/network.py": "import math\nimport numpy as np\nfrom nn_tui.data import toy\n",
        "data/toy.py": "", "ui/app.py": "",
    })
    assert layer_violations(graph) == []


def test_the_checker_finds_a_cycle_through_a_function_level_import(tmp_path):
    graph = _package(tmp_path, {
        "config.py": "def kinds():\n    from nn_tui.kinds import base\n",
        "kinds/base.py": "from nn_tui import datasets\n",
        "datasets.py": "from nn_tui.config import X\n",
        "leaf.py": "import nn_tui.config\n",
    })
    assert import_cycles(graph) == [frozenset({"nn_tui.config", "nn_tui.kinds.base", "nn_tui.datasets"})]


def test_an_import_in_a_function_needs_a_reason(tmp_path):
    graph = _package(tmp_path, {"ui/app.py": (
        "def a():\n    from nn_tui import settings\n"
        "def b():\n    from nn_tui import settings  # start-up time: tomllib\n"
        "def c():\n    # Start-up time: only the app needs it.\n    import textual\n"
        "def d():\n    try:\n        import torch\n    except ImportError:\n        import json\n"), "settings.py": ""})
    assert [(imp.line, imp.imported) for imp in unexplained_imports_in_functions(graph)] == [(2, "nn_tui.settings"),
                                                                                            (12, "json")]


def test_relative_imports_are_resolved(tmp_path):
    graph = _package(tmp_path, {"kinds/mlp/build.py": "from ..base import Run\nfrom . import spec\n",
                                "kinds/base.py": "", "kinds/mlp/spec.py": ""})
    assert {imp.imported for imp in graph["nn_tui.kinds.mlp.build"]} == {"nn_tui.kinds.base", "nn_tui.kinds.mlp.spec"}
