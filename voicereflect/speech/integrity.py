"""An installed model's files checked against the SHA-256 manifests voicereflect ships.

A manifest is ``voicereflect/speech/manifests/<model name>.sha256`` in ``sha256sum`` format
(``<hex digest>  <path inside the model folder>``), so it can also be checked by hand:
``cd MODEL && sha256sum -c MANIFEST``. Models without one are reported as unknown, not as bad.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from voicereflect.i18n import N_, _
from voicereflect.speech.models import ModelInvalid

_CHUNK = 1024 * 1024
_SHOWN = 3  # paths named per kind of problem in the one-line error


@dataclass(frozen=True)
class FileReport:
    """How a model folder compares with its manifest: the files that do not match it."""

    checked: int
    missing: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra)


def shipped_manifest(name: str) -> dict[str, str] | None:
    """The SHA-256 of each file of the model called ``name``, or None if none is shipped."""
    if name.startswith(".") or Path(name).name != name:  # a folder name, never a path
        return None
    resource = files("voicereflect.speech").joinpath("manifests", f"{name}.sha256")
    if not resource.is_file():
        return None
    return parse_manifest(resource.read_text(encoding="utf-8"))


def parse_manifest(text: str) -> dict[str, str]:
    """``sha256sum`` output (``<digest>  <path>`` lines) as ``{path: digest}``."""
    manifest = {}
    for line in text.splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            manifest[path.lstrip("*")] = digest.lower()
    return manifest


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks (model files are hundreds of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def compare(folder: Path, manifest: dict[str, str]) -> FileReport:
    """Hash every file in ``folder`` and compare with ``manifest``."""
    present = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    changed = [
        rel
        for rel, digest in manifest.items()
        if rel in present and sha256_of(present[rel]) != digest
    ]
    return FileReport(
        checked=len(manifest),
        missing=tuple(sorted(set(manifest) - set(present))),
        changed=tuple(sorted(changed)),
        extra=tuple(sorted(set(present) - set(manifest))),
    )


def _listed(kind: str, names: tuple[str, ...]) -> str:
    more = ""
    if len(names) > _SHOWN:
        more = _(" and {n} more").format(n=len(names) - _SHOWN)
    return f"{kind} {', '.join(names[:_SHOWN])}{more}"


def verify_files(name: str, folder: Path) -> FileReport | None:
    """Check a model's files against the shipped manifest for ``name``.

    Returns:
        The report when the files match, None when no manifest is shipped for ``name``.

    Raises:
        ModelInvalid: a file is missing, different, or not in the manifest.
    """
    manifest = shipped_manifest(name)
    if manifest is None:
        return None
    report = compare(folder, manifest)
    if not report.ok:
        problems = [
            _listed(kind, names)
            for kind, names in (
                (_("changed:"), report.changed),
                (_("missing:"), report.missing),
                (_("not in the manifest:"), report.extra),
            )
            if names
        ]
        raise ModelInvalid(
            N_(
                "the files of {model} in {folder} do not match the shipped manifest "
                "({problems}) — they were damaged or replaced; reinstall the model"
            ),
            model=name,
            folder=folder,
            problems="; ".join(problems),
        )
    return report
