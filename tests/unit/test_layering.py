"""DESIGN.md's import rules, checked by importing each package in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Which heavy libraries each part may import. Everything else is forbidden to it.
FORBIDDEN = {
    "voicereflect.cli": {"textual", "sounddevice", "vosk", "pyttsx3"},
    "voicereflect.config": {"textual", "sounddevice", "vosk", "pyttsx3"},
    "voicereflect.paths": {"textual", "sounddevice", "vosk", "pyttsx3"},
    "voicereflect.audio": {"textual", "vosk", "pyttsx3"},
    "voicereflect.speech": {"textual", "sounddevice"},
    "voicereflect.reflection": {"textual", "sounddevice", "vosk", "pyttsx3"},
    "voicereflect.journal": {"textual", "sounddevice", "vosk", "pyttsx3"},
    "voicereflect.session": {"textual", "sounddevice", "vosk", "pyttsx3"},
    "voicereflect.tui": {"sounddevice", "vosk", "pyttsx3"},
}


def _submodules(package: str) -> list[str]:
    code = (
        "import importlib, pkgutil, json, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "names = [pkg.__name__]\n"
        "if hasattr(pkg, '__path__'):\n"
        "    names += [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.')]\n"
        "print(json.dumps(names))\n"
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


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_the_libraries_design_allows(package: str) -> None:
    # `cli` pulls in every command module at parse time; it must still stay light.
    for module in _submodules(package):
        leaked = _imported_after(module) & FORBIDDEN[package]
        assert not leaked, f"{module} imports {sorted(leaked)}"


def test_the_guard_notices_a_forbidden_import() -> None:
    assert "json" in _imported_after("json")
