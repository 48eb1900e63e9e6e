"""DESIGN.md's import rules, checked by importing every module in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = {"textual", "sounddevice", "vosk", "pyttsx3"}
# The only part of the package allowed to import each heavy library.
ALLOWED = {
    "voicereflect.tui": {"textual"},
    "voicereflect.audio": {"sounddevice"},
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
    assert _forbidden_for("voicereflect.audio.capture") == HEAVY - {"sounddevice"}
    assert _forbidden_for("voicereflect.session") == HEAVY
