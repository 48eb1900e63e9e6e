"""Set, change or remove the journal's passphrase by converting the database in place.

The conversion writes a complete new database beside the old one (``sqlcipher_export``),
fsyncs it and renames it over the journal, so an interruption at any moment leaves either the
old journal or the new one readable, never neither. Leftovers are removed at the next open.
There is no recovery of a lost passphrase: SQLCipher derives the key from it alone.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from voicereflect import paths
from voicereflect.i18n import N_
from voicereflect.journal import db, schema
from voicereflect.journal.errors import (
    JournalError,
    NoJournal,
    NotEncrypted,
    PassphraseRequired,
)


def _scrub(file: Path) -> None:
    """Overwrite a file's bytes with zeros before unlinking it (best effort on SSD/CoW)."""
    with contextlib.suppress(FileNotFoundError):
        fd = os.open(file, os.O_WRONLY)
        try:
            size = os.fstat(fd).st_size
            block = b"\x00" * 65536
            written = 0
            while written < size:
                written += os.pwrite(fd, block[: min(len(block), size - written)], written)
            os.fsync(fd)
        finally:
            os.close(fd)
        file.unlink()


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what an interrupted conversion left beside ``path``; call with the writer lock.

    ``.NAME.old`` is a second name for the pre-conversion file: if the rename never happened
    it is the journal itself (only the extra name goes); otherwise it is the old, replaced
    journal and its bytes are zeroed first, since it may be the plaintext one.
    """
    removed = []
    for leftover in db.conversion_leftovers(path):
        if leftover.name.endswith(".old"):
            try:
                same = path.exists() and os.path.samefile(leftover, path)
            except FileNotFoundError:
                same = False
            if same:
                leftover.unlink()
            else:
                _scrub(leftover)
        else:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        removed.append(leftover)
    if removed:
        paths.fsync_dir(path.parent)
    return removed


def _fsync_file(file: Path) -> None:
    fd = os.open(file, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def change_passphrase(path: Path | None, old: str | None, new: str | None) -> None:
    """Re-encrypt the journal: ``old=None`` means it is plain now, ``new=None`` makes it plain.

    Raises:
        NoJournal: nothing to convert.
        PassphraseRequired / WrongPassphrase / NotEncrypted: the old passphrase is missing,
            wrong, or given for a plain journal; nothing was changed.
        JournalLocked: the app or another command has the journal open.
    """
    from voicereflect.journal.text import validate_passphrase

    path = (paths.journal_path() if path is None else Path(path)).absolute()
    if new is not None:
        validate_passphrase(new)
    kind = db.file_kind(path)
    if kind is db.FileKind.MISSING:
        raise NoJournal(path)
    if kind is db.FileKind.ENCRYPTED and old is None:
        raise PassphraseRequired(path)
    if kind is db.FileKind.PLAIN and old is not None:
        raise NotEncrypted(path)
    if kind is db.FileKind.PLAIN and new is None:
        raise JournalError(
            N_("the journal {path} has no passphrase already; nothing to remove"), path=path
        )

    writer = db.writer_lock(path)
    try:
        readers = db.reader_lock(path, exclusive=True)
        try:
            remove_leftovers(path)
            _convert(path, old, new)
        finally:
            readers.release()
    finally:
        writer.release()


def _convert(path: Path, old: str | None, new: str | None) -> None:
    target = path.with_name(f".{path.name}.converting")
    keep_old = path.with_name(f".{path.name}.old")
    db.create_private_file(target)
    try:
        source = db.connect(path, old)
        try:
            with db.translated(path):
                version = source.execute("PRAGMA user_version").fetchone()[0]
                count = source.execute("SELECT count(*) FROM entries").fetchone()[0]
                source.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), new or ""))
                source.execute("SELECT sqlcipher_export('converted')").fetchone()
                source.execute(f"PRAGMA converted.user_version = {int(version)}")
                source.execute("DETACH DATABASE converted")
        finally:
            source.close()
        _verify(target, new, count, version)
        _fsync_file(target)
        # A WAL beside the journal now would be replayed into the new file: there must be
        # none, since we hold both locks and closed the only connection.
        if Path(f"{path}-wal").exists() and Path(f"{path}-wal").stat().st_size:
            raise JournalError(
                N_(
                    "the journal's write-ahead log is still in use; close every voicereflect "
                    "and try again (nothing was changed)"
                )
            )
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        # A second name for the old file lets us zero its bytes after the swap.
        with contextlib.suppress(FileNotFoundError):
            keep_old.unlink()
        os.link(path, keep_old)
        os.replace(target, path)
        paths.fsync_dir(path.parent)
    except BaseException:
        # Before the swap the old journal is the journal and the copy goes; after it, the
        # copy's name is already gone.
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        raise
    _scrub(keep_old)
    for extra in db.conversion_leftovers(path):
        with contextlib.suppress(FileNotFoundError):
            extra.unlink()
    paths.fsync_dir(path.parent)


def _verify(target: Path, new: str | None, count: int, version: int) -> None:
    """Open the converted copy with the new key, switch it to WAL, and check it is whole."""
    conn = db.connect(target, new)
    try:
        with db.translated(target):
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            copied = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            got_version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    if ok != "ok" or copied != count or got_version != version or version > schema.latest_version():
        raise JournalError(
            N_(
                "the converted copy did not check out, so it was discarded; the journal was "
                "not changed"
            )
        )
