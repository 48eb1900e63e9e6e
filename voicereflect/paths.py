"""Where voicereflect keeps its private data, and the helpers that keep it private.

Every location derives from one data directory: ``$VOICEREFLECT_HOME`` when set (tests
always set it), otherwise the platform's user data dir. Directories are 0700 and files
0600; the process umask is 077 so nothing created later can be wider.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "voicereflect"
HOME_ENV = "VOICEREFLECT_HOME"
DIR_MODE = 0o700
FILE_MODE = 0o600


def set_private_umask() -> None:
    """Make every file and directory this process creates private to its user."""
    os.umask(0o077)


def data_dir() -> Path:
    """The root of all private data (journal, config, models, user prompt packs)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser().absolute()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The user's ``config.toml``. It lives in the data dir so one override moves everything."""
    return data_dir() / "config.toml"


def models_dir() -> Path:
    """Speech models downloaded or added by the user."""
    return data_dir() / "models"


def user_prompts_dir() -> Path:
    """Prompt packs that add to or override the shipped ones (``<lang>/<flow>.toml``)."""
    return data_dir() / "prompts"


def journal_path() -> Path:
    """The journal database."""
    return data_dir() / "journal.db"


def log_path() -> Path:
    """Diagnostics only: never transcript text. Native libraries' stderr is routed here."""
    return data_dir() / "voicereflect.log"


def checkout_dir() -> Path:
    """The source checkout this package runs from (meaningful only for a checkout)."""
    return Path(__file__).resolve().parent.parent


def shipped_prompts_dir() -> Path:
    """The prompt packs shipped with voicereflect, in a wheel or in a checkout."""
    packaged = Path(__file__).resolve().parent / "_prompts"
    if packaged.is_dir():
        return packaged
    return checkout_dir() / "prompts"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) as 0700 and tighten it if it already exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def write_private(path: Path, data: bytes, *, private_dir: bool = True) -> None:
    """Atomically replace ``path`` with ``data``: same-dir temp file, fsync, rename, dir fsync.

    The temp file is created 0600 inside the target directory, so plaintext never lands in
    a shared temp dir, and a crash leaves either the old file or the new one.

    Args:
        path: the file to write (0600).
        data: its new contents.
        private_dir: create the parent directory 0700 (and tighten it) as for the data dir.
            False for a place the person chose, such as an export into ~/Documents: the
            parent must already exist (else ``FileNotFoundError``) and its mode is left alone.
    """
    if private_dir:
        ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink inside ``path`` durable."""
    dfd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


@dataclass(frozen=True)
class Repair:
    """One permission that was wider than private and has been tightened."""

    path: Path
    old_mode: int
    new_mode: int


def repair_private_tree(root: Path | None = None) -> list[Repair]:
    """Tighten every directory to 0700 and file to 0600 under the data dir.

    Returns what was changed so the caller can tell the person (a notice, not an error).
    Symlinks are left alone: following them could chmod files outside the data dir.
    """
    root = data_dir() if root is None else root
    repairs: list[Repair] = []
    if not root.exists():
        return repairs
    for current, dirs, files in os.walk(root):
        here = Path(current)
        for name, wanted in [(here, DIR_MODE)] + [(here / f, FILE_MODE) for f in files]:
            if name.is_symlink():
                continue
            mode = stat.S_IMODE(name.lstat().st_mode)
            if mode & 0o077:
                name.chmod(wanted)
                repairs.append(Repair(name, mode, wanted))
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return repairs
