"""The hashed locks in requirements/ agree with pyproject.toml (scripts/lock refreshes them)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
FROM_PYPROJECT = "voicereflect (pyproject.toml)"


@dataclass(frozen=True)
class Pin:
    """One entry of a lock: `name==version ; marker`, its hashes and its `# via` annotation."""

    name: str
    version: Version
    hashes: tuple[str, ...]
    via: tuple[str, ...]


def read_lock(text: str) -> dict[str, list[Pin]]:
    """The pins of a `uv pip compile --generate-hashes` file, by canonical name.

    A universal lock may pin one name twice, for different Python versions.
    """
    entries: list[tuple[str, list[str], list[str]]] = []
    for line in text.splitlines():
        stripped = line.strip().rstrip("\\").strip()
        if not stripped:
            continue
        if not line[0].isspace():
            if not stripped.startswith("#"):
                entries.append((stripped, [], []))
        elif stripped.startswith("--hash="):
            entries[-1][1].append(stripped.removeprefix("--hash="))
        elif stripped.startswith("#") and entries:
            note = stripped.lstrip("#").strip().removeprefix("via").strip()
            if note:
                entries[-1][2].append(note)
    pins: dict[str, list[Pin]] = {}
    for spec, hashes, via in entries:
        requirement = Requirement(spec)
        (clause,) = requirement.specifier
        assert clause.operator == "==", f"{spec!r} is not an exact pin"
        name = canonicalize_name(requirement.name)
        pins.setdefault(name, []).append(
            Pin(name, Version(clause.version), tuple(hashes), tuple(via))
        )
    return pins


def wanted(pyproject: dict[str, Any], lock: str) -> list[Requirement]:
    """What pyproject.toml asks of one lock: run, test or build."""
    if lock == "build":
        return [Requirement(r) for r in pyproject["build-system"]["requires"]]
    extras = pyproject["project"]["optional-dependencies"]
    groups = ["ko", "test"] if lock == "test" else ["ko"]
    specs = pyproject["project"]["dependencies"] + [r for g in groups for r in extras[g]]
    return [Requirement(r) for r in specs]


def disagreements(pyproject: dict[str, Any], lock: str, pins: dict[str, list[Pin]]) -> list[str]:
    """Why the lock does not match pyproject.toml, one line each; empty when it does."""
    problems = []
    asked = {canonicalize_name(r.name): r for r in wanted(pyproject, lock)}
    for name, requirement in asked.items():
        if name not in pins:
            problems.append(f"{requirement} is not in requirements/{lock}.txt")
        for pin in pins.get(name, []):
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{requirement} but requirements/{lock}.txt pins {pin.version}")
    for name, entries in pins.items():
        if name not in asked and any(FROM_PYPROJECT in p.via for p in entries):
            problems.append(f"requirements/{lock}.txt still has {name}, gone from pyproject.toml")
    return problems


def load_pyproject() -> dict[str, Any]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def load_lock(lock: str) -> dict[str, list[Pin]]:
    return read_lock((ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lock", ["run", "test", "build"])
def test_lock_agrees_with_pyproject(lock: str) -> None:
    problems = disagreements(load_pyproject(), lock, load_lock(lock))
    assert problems == [], "run scripts/lock and commit requirements/:\n" + "\n".join(problems)


@pytest.mark.parametrize("lock", ["run", "test", "build"])
def test_every_pin_carries_a_sha256(lock: str) -> None:
    unhashed = [
        name
        for name, entries in load_lock(lock).items()
        for pin in entries
        if not pin.hashes or not all(h.startswith("sha256:") for h in pin.hashes)
    ]
    assert unhashed == []


def test_the_locks_pin_the_same_versions() -> None:
    versions = {
        lock: {name: {p.version for p in entries} for name, entries in load_lock(lock).items()}
        for lock in ("run", "test", "build")
    }
    names = {name for pins in versions.values() for name in pins}
    differ = [n for n in names if len({frozenset(v[n]) for v in versions.values() if n in v}) > 1]
    assert differ == []


def test_a_dependency_added_without_relocking_is_reported() -> None:
    pyproject = load_pyproject()
    pyproject["project"]["dependencies"].append("a-new-dependency>=1.0")
    assert disagreements(pyproject, "run", load_lock("run")) == [
        "a-new-dependency>=1.0 is not in requirements/run.txt"
    ]


def test_a_narrowed_range_the_pin_falls_outside_is_reported() -> None:
    pyproject = load_pyproject()
    deps = pyproject["project"]["dependencies"]
    pinned = load_lock("test")["platformdirs"][0].version
    deps[:] = [d for d in deps if not d.startswith("platformdirs")] + [f"platformdirs>{pinned}"]
    assert disagreements(pyproject, "test", load_lock("test")) == [
        f"platformdirs>{pinned} but requirements/test.txt pins {pinned}"
    ]


def test_a_dependency_removed_without_relocking_is_reported() -> None:
    pyproject = load_pyproject()
    extras = pyproject["project"]["optional-dependencies"]
    extras["test"] = [r for r in extras["test"] if not r.startswith("hypothesis")]
    assert disagreements(pyproject, "test", load_lock("test")) == [
        "requirements/test.txt still has hypothesis, gone from pyproject.toml"
    ]
