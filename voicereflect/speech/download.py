"""Model downloads: the official Vosk catalogue, verified downloads, and safe atomic unzipping.

Everything is unpacked into a temp dir *inside* the models dir and renamed into place only
once its size, md5 and layout check out, so a failure or Ctrl-C never leaves half a model.
A process killed outright (``kill -9``, a power cut) cannot clean up after itself, so each
install first removes the temp dirs of installs whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.speech.models import missing_parts

CATALOGUE_URL = "https://alphacephei.com/vosk/models/model-list.json"
CATALOGUE_ENV = "VOICEREFLECT_MODEL_CATALOGUE"
_CHUNK = 64 * 1024
# Staging dirs are ".incoming-<pid>-<random>": the pid says whether their install still runs.
_STAGING_PREFIX = ".incoming-"
# Staging dirs without a pid (made before names carried one) are removed once this old.
_STALE_SECONDS = 24 * 3600


class DownloadError(VoicereflectError):
    """A model could not be fetched, verified or installed; nothing was left behind."""

    exit_code = 4


class CatalogueUnreachable(DownloadError):
    """The catalogue could not be fetched (usually: no network)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "cannot reach the Vosk model catalogue (offline?) — download the zip elsewhere "
                "and run 'voicereflect models add FILE.zip'"
            )
        )


@dataclass(frozen=True)
class CatalogueEntry:
    """One model in the official catalogue (``model-list.json``)."""

    name: str
    lang: str
    url: str
    size: int
    md5: str
    type: str
    obsolete: bool
    version: str = ""
    size_text: str = ""


def catalogue_url(url: str | None = None) -> str:
    """The catalogue address: ``url``, else ``$VOICEREFLECT_MODEL_CATALOGUE``, else Vosk's."""
    return url or os.environ.get(CATALOGUE_ENV) or CATALOGUE_URL


def _entry(item: Any) -> CatalogueEntry | None:
    if not isinstance(item, dict):
        return None
    try:
        return CatalogueEntry(
            name=str(item["name"]),
            lang=str(item.get("lang", "")),
            url=str(item["url"]),
            size=int(item.get("size", 0)),
            md5=str(item.get("md5", "")).lower(),
            type=str(item.get("type", "")),
            # The catalogue spells booleans as strings: "true" / "false".
            obsolete=str(item.get("obsolete", "false")).lower() == "true",
            version=str(item.get("version", "")),
            size_text=str(item.get("size_text", "")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def fetch_catalogue(url: str | None = None, timeout: float = 10.0) -> list[CatalogueEntry]:
    """The models the catalogue lists.

    Raises:
        CatalogueUnreachable: no connection, or the server did not answer in time.
        DownloadError: the answer is not a catalogue.
    """
    address = catalogue_url(url)
    try:
        with urllib.request.urlopen(address, timeout=timeout) as response:
            raw = response.read()
    except (urllib.error.URLError, OSError, ValueError):
        raise CatalogueUnreachable() from None
    try:
        items = json.loads(raw)
    except ValueError:
        raise DownloadError(
            N_("the model catalogue at {address} is not valid JSON"), address=address
        ) from None
    if not isinstance(items, list):
        raise DownloadError(
            N_("the model catalogue at {address} is not a list of models"), address=address
        )
    return [e for e in (_entry(i) for i in items) if e is not None]


def pick(entries: list[CatalogueEntry], wanted: str) -> CatalogueEntry:
    """The entry named ``wanted``, or the small, current model for language ``wanted``.

    Raises:
        DownloadError: nothing matches; the message lists the languages on offer.
    """
    for entry in entries:
        if entry.name == wanted:
            return entry
    query = wanted.lower()
    candidates = [
        e
        for e in entries
        if e.type == "small"
        and not e.obsolete
        and (e.lang.lower() == query or e.lang.lower().split("-")[0] == query)
    ]
    if candidates:
        # An exact language ("en-us") beats a family match ("en" → "en-in"); for "en" the
        # catalogue's "en-us" is what people mean; then the newest version.
        exact = [e for e in candidates if e.lang.lower() in (query, f"{query}-us")]
        return max(exact or candidates, key=lambda e: _version_key(e.version))
    languages = ", ".join(sorted({e.lang for e in entries if not e.obsolete}))
    raise DownloadError(
        N_("no model named or for language '{wanted}' in the catalogue — languages: {languages}"),
        wanted=wanted,
        languages=languages,
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _progress(out: IO[str], done: int, total: int, started: float, final: bool) -> None:
    rate = done / max(time.monotonic() - started, 1e-6)
    percent = f"{100 * done / total:3.0f}%  " if total else ""
    line = f"  {done / 1e6:6.1f} / {total / 1e6:.1f} MB  {percent}{rate / 1e6:5.1f} MB/s"
    if out.isatty():
        out.write("\r" + line + ("\n" if final else ""))
    elif final:
        out.write(line + "\n")
    out.flush()


def _fetch(entry: CatalogueEntry, target: Path, out: IO[str], timeout: float) -> None:
    """Download ``entry`` to ``target``, checking its size and md5 on the way."""
    digest = hashlib.md5(usedforsecurity=False)
    done, started, shown = 0, time.monotonic(), 0.0
    try:
        with (
            urllib.request.urlopen(entry.url, timeout=timeout) as response,
            open(target, "wb") as handle,
        ):
            while chunk := response.read(_CHUNK):
                handle.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if done > entry.size > 0:
                    break
                if time.monotonic() - shown > 0.2:
                    shown = time.monotonic()
                    _progress(out, done, entry.size, started, final=False)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DownloadError(
            _(
                "download of {model} failed ({reason}) — try again, or download the zip "
                "elsewhere and run 'voicereflect models add FILE.zip'"
            ).format(model=entry.name, reason=reason)
        ) from None
    _progress(out, done, entry.size, started, final=True)
    if entry.size and done != entry.size:
        raise DownloadError(
            _(
                "download of {model} is {done} bytes, the catalogue says {size} "
                "(interrupted or truncated) — nothing was installed; try again"
            ).format(model=entry.name, done=done, size=entry.size)
        )
    if entry.md5 and digest.hexdigest() != entry.md5:
        raise DownloadError(
            _(
                "download of {model} does not match the catalogue's md5 (corrupted or "
                "tampered with) — nothing was installed; try again"
            ).format(model=entry.name)
        )


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("an absolute path")
    if ".." in parts:
        return _("a '..' path")
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("a symbolic link")
    return None


def safe_extract(archive: Path, target: Path) -> None:
    """Unpack ``archive`` into ``target``, refusing any entry that could land outside it.

    Raises:
        DownloadError: the file is not a zip, or an entry is absolute, has ``..``, or is a
            symlink (checked for every entry before anything is written).
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            entries = zf.infolist()
            for info in entries:
                reason = _unsafe_reason(info)
                if reason:
                    raise DownloadError(
                        N_(
                            "{file} contains {reason} ({entry}) that would escape the models "
                            "folder — refused, nothing was installed"
                        ),
                        file=archive.name,
                        reason=reason,
                        entry=repr(info.filename),
                    )
            root = target.resolve()
            for info in entries:
                dest = (target / info.filename).resolve()
                if dest != root and root not in dest.parents:
                    raise DownloadError(
                        N_("{file}: {entry} escapes the target"),
                        file=archive.name,
                        entry=repr(info.filename),
                    )
                if info.is_dir():
                    paths.ensure_private_dir(dest)
                    continue
                paths.ensure_private_dir(dest.parent)
                with zf.open(info) as src, open(dest, "wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
    except zipfile.BadZipFile:
        raise DownloadError(
            _("{file} is not a valid zip file — refused").format(file=archive.name)
        ) from None


def _model_root(unpacked: Path) -> Path:
    """The model folder in an unpacked zip: the zip's one top folder, or the zip itself."""
    if not missing_parts(unpacked):
        return unpacked
    children = [c for c in unpacked.iterdir() if not c.name.startswith("__MACOSX")]
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return unpacked


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process has that number now
        return True
    return True


def _is_stale(entry: Path) -> bool:
    owner, sep, _ = entry.name.removeprefix(_STAGING_PREFIX).partition("-")
    # os.kill(pid, 0) would send Ctrl-C on Windows, so there only the age counts.
    if sep and owner.isdigit() and sys.platform != "win32":
        return not _process_alive(int(owner))
    try:
        return time.time() - entry.lstat().st_mtime > _STALE_SECONDS
    except OSError:
        return False


def remove_stale_staging(models: Path) -> int:
    """Remove the temp dirs of installs that were killed before they could clean up.

    A dir named for a live process is left alone: another install may be using it right
    now (ours included, from another thread). A dir of a dead process goes at once; one
    whose name holds no pid goes once it is a day old.

    Returns:
        How many were removed.
    """
    try:
        entries = list(models.iterdir())
    except OSError:  # no models dir yet: nothing to clean
        return 0
    removed = 0
    for entry in entries:
        if not entry.name.startswith(_STAGING_PREFIX) or entry.is_symlink():
            continue
        if entry.is_dir() and _is_stale(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


@contextlib.contextmanager
def _staging(models: Path) -> Iterator[Path]:
    """A temp dir inside ``models`` (so the final rename is atomic), removed whatever happens.

    Stale ones left by killed installs are removed first.
    """
    try:
        paths.ensure_private_dir(models)
        remove_stale_staging(models)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=models))
    except OSError as exc:
        raise _write_error(exc, models) from None
    try:
        yield staging
    except OSError as exc:
        raise _write_error(exc, models) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_error(exc: OSError, models: Path) -> Exception:
    """A full or read-only disk as one line (``copytree`` reports a list, without errno)."""
    try:
        st = os.statvfs(models)
        low = st.f_bavail * st.f_frsize < 1024 * 1024
    except OSError:
        low = False
    if exc.errno == errno.ENOSPC or low:
        return DownloadError(
            N_(
                "the disk is full: there is no room for the model in {folder} — free some "
                "space and try again; nothing was installed (the partial copy was removed)"
            ),
            folder=models,
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DownloadError(
            N_("cannot write to {folder} ({reason}); nothing was installed"),
            folder=models,
            reason=exc.strerror,
        )
    return exc


def _install(candidate: Path, name: str, models: Path, origin: str) -> Path:
    missing = missing_parts(candidate)
    if missing:
        raise DownloadError(
            _(
                "{origin} holds no Vosk model (missing {parts}) — refused, nothing was installed"
            ).format(origin=origin, parts=", ".join(missing))
        )
    final = models / name
    if final.exists():
        raise DownloadError(
            _(
                "a model named {model} is already installed in {folder} — remove it first "
                "or pick another name"
            ).format(model=name, folder=models)
        )
    os.rename(candidate, final)
    paths.fsync_dir(models)
    return final


def install_zip(archive: Path, models: Path | None = None, name: str | None = None) -> Path:
    """Safely unpack a model zip into the models dir and return the installed folder.

    Raises:
        DownloadError: not a zip, unsafe entries, no model inside, or the name is taken.
    """
    models = paths.models_dir() if models is None else models
    with _staging(models) as staging:
        unpacked = staging / "unpacked"
        paths.ensure_private_dir(unpacked)
        safe_extract(archive, unpacked)
        root = _model_root(unpacked)
        default = root.name if root != unpacked else archive.name.removesuffix(".zip")
        return _install(root, name or default, models, archive.name)


def install_dir(source: Path, models: Path | None = None, name: str | None = None) -> Path:
    """Copy a model folder into the models dir (layout checked first; symlinks not followed)."""
    models = paths.models_dir() if models is None else models
    missing = missing_parts(source)
    if missing:
        raise DownloadError(
            _("{origin} holds no Vosk model (missing {parts}) — nothing was copied").format(
                origin=source, parts=", ".join(missing)
            )
        )
    with _staging(models) as staging:
        copy = staging / "copy"
        shutil.copytree(source, copy, symlinks=True)
        return _install(copy, name or source.name, models, str(source))


def download(
    wanted: str,
    models: Path | None = None,
    url: str | None = None,
    out: IO[str] | None = None,
    timeout: float = 30.0,
) -> Path:
    """Fetch a model by name or language from the catalogue, verify it, and install it.

    Args:
        wanted: a catalogue name (``vosk-model-small-en-us-0.15``) or language (``en-us``).
        models: where to install (default: the data dir's ``models/``).
        url: the catalogue address (default: ``catalogue_url()``).
        out: where progress goes (default: stderr).
        timeout: seconds to wait for the server at each step.

    Returns:
        The installed model folder.

    Raises:
        CatalogueUnreachable: offline.
        DownloadError: not in the catalogue, bad size or md5, unsafe or empty zip.
    """
    models = paths.models_dir() if models is None else models
    out = sys.stderr if out is None else out
    entry = pick(fetch_catalogue(url, timeout=timeout), wanted)
    if (models / entry.name).exists():
        raise DownloadError(
            N_("{model} is already installed in {folder}"), model=entry.name, folder=models
        )
    size = entry.size_text or f"{entry.size / 1e6:.0f} MB"
    print(
        _("downloading {model} ({size}) from {url}").format(
            model=entry.name, size=size, url=entry.url
        ),
        file=out,
    )
    with _staging(models) as staging:
        archive = staging / "model.zip"
        _fetch(entry, archive, out, timeout)
        unpacked = staging / "unpacked"
        paths.ensure_private_dir(unpacked)
        safe_extract(archive, unpacked)
        root = _model_root(unpacked)
        return _install(root, entry.name, models, f"{entry.name}.zip")
