"""Low-level journal files: what kind of file it is, locks, opening with a key, error mapping.

One binding (sqlcipher3) opens both plain and encrypted journals, so they behave the same.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from voicereflect import paths
from voicereflect.i18n import N_, _
from voicereflect.journal.errors import (
    DiskFull,
    JournalCorrupt,
    JournalError,
    JournalLocked,
    JournalReadOnly,
    NoSpace,
    PassphraseRequired,
    WrongPassphrase,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

# Primary result codes (extended codes keep these in the low byte).
_SQLITE_ERROR = 1
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

PAGE = 4096  # SQLCipher's page size; a journal voicereflect made is always more than one page
LOW_SPACE = 256 * 1024  # less free than this and SQLite's next write (WAL, -shm) fails
_NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


class FileKind(Enum):
    """What is at the journal path, judged from its first bytes without opening it."""

    MISSING = "missing"
    PLAIN = "plain"
    ENCRYPTED = "encrypted"
    DAMAGED = "damaged"


def file_kind(path: Path) -> FileKind:
    """Classify the journal file: an empty file counts as missing (SQLite treats it as new)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return FileKind.MISSING
    if size == 0:
        return FileKind.MISSING
    if head == SQLITE_MAGIC:
        return FileKind.PLAIN
    # An SQLCipher file is whole pages of random-looking bytes (the salt comes first); a
    # file that is not a whole number of pages cannot be one, nor can a single page with no
    # WAL beside it (the schema alone takes a dozen pages), such as 4 KB of random bytes.
    if size % 512 == 0 and head.strip(b"\x00"):
        if size > PAGE or Path(f"{path}-wal").exists():
            return FileKind.ENCRYPTED
    return FileKind.DAMAGED


def disk_full(path: Path) -> bool:
    """Whether the filesystem holding ``path`` has (almost) no room left."""
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < LOW_SPACE


def writable_dir(path: Path) -> bool:
    """Whether files can be created beside ``path`` (false on a read-only disk)."""
    return os.access(path.parent, os.W_OK)


def os_error(exc: OSError, path: Path) -> Exception:
    """A journal file the system would not create or write, as the person's error."""
    if exc.errno == errno.ENOSPC:
        return NoSpace(path)
    if exc.errno == errno.EROFS:
        return JournalReadOnly(path, _("on a read-only disk"))
    if exc.errno in _NOT_WRITABLE:
        return JournalReadOnly(path, _("not writable for you (permission denied)"))
    return exc
    return FileKind.DAMAGED


def sidecars(path: Path) -> list[Path]:
    """The files SQLite and voicereflect keep beside the database."""
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal", ".lock", ".readers")]


def conversion_leftovers(path: Path) -> list[Path]:
    """Files an interrupted passphrase change may have left (see ``crypto``)."""
    return sorted(path.parent.glob(f".{path.name}.converting*")) + sorted(
        path.parent.glob(f".{path.name}.old")
    )


def create_private_file(path: Path) -> None:
    """Create an empty 0600 file if none exists, so SQLite's sidecars inherit 0600 too."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.FILE_MODE))


def tighten(files: list[Path]) -> list[str]:
    """Make each existing file 0600; returns a notice per file that was wider."""
    notices = []
    for file in files:
        try:
            st = file.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode):
            continue
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077:
            file.chmod(paths.FILE_MODE)
            notices.append(
                f"{file} was readable by others (mode {mode:o}); it is now private (600)"
            )
    return notices


class FileLock:
    """A ``flock`` on a small 0600 file; released by the kernel if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, *, shared: bool) -> bool:
        """Take the lock without waiting; False if another process holds it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, paths.FILE_MODE)
        except OSError as exc:
            raise os_error(exc, self.path) from None
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        if not shared:
            # The pid only names the holder in messages; a full disk must not stop the lock.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
        return True

    def holder_pid(self) -> int | None:
        """The pid written by the process holding the exclusive lock, if readable."""
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        """Drop the lock (closing the descriptor releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def writer_lock(path: Path) -> FileLock:
    """Take the journal's one-writer lock or raise ``JournalLocked`` naming the holder."""
    lock = FileLock(Path(f"{path}.lock"))
    if not lock.acquire(shared=False):
        raise JournalLocked(lock.holder_pid())
    return lock


def reader_lock(path: Path, *, exclusive: bool = False) -> FileLock:
    """Readers share this lock; a passphrase change takes it exclusively to keep them out."""
    lock = FileLock(Path(f"{path}.readers"))
    try:
        got = lock.acquire(shared=not exclusive)
    except JournalReadOnly:
        if exclusive:
            raise
        # Nobody can write a journal in a folder no one can write to: read without the lock.
        return lock
    if not got:
        if exclusive:
            raise JournalLocked(None, readers=True)
        raise JournalLocked(FileLock(Path(f"{path}.lock")).holder_pid())
    return lock


# Pages kept decrypted in memory (negative: KiB). SQLCipher decrypts every page it reads, so
# a cache large enough for the FTS index of a big journal keeps repeated searches fast.
CACHE_KIB = -16384


def quote_literal(text: str) -> str:
    """An SQL string literal (PRAGMA key cannot take a bound parameter)."""
    return "'" + text.replace("'", "''") + "'"


def connect(path: Path, passphrase: str | None, *, read_only: bool = False) -> Any:
    """Open ``path`` with the key applied and the journal's pragmas set.

    Raises:
        WrongPassphrase: the key does not decrypt the file.
        PassphraseRequired: the file is encrypted and no passphrase was given.
        JournalCorrupt: the file is not a database at all.
    """
    import sqlcipher3

    kind = file_kind(path)
    if kind is FileKind.DAMAGED:
        raise JournalCorrupt(path, _("not a database file"))
    if kind is FileKind.ENCRYPTED and passphrase is None:
        raise PassphraseRequired(path)
    if read_only:
        # In a folder that cannot be written, SQLite cannot make the WAL's -shm file; no writer
        # can change the journal there either, so it is read as immutable.
        flags = "mode=ro" if writable_dir(path) else "mode=ro&immutable=1"
        conn = sqlcipher3.connect(
            f"{path.as_uri()}?{flags}", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # SQLCipher logs a failed HMAC (a wrong passphrase) to stderr; the user gets our
        # message instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute(f"PRAGMA key = {quote_literal(passphrase)}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code == _SQLITE_NOTADB and passphrase is not None:
                raise WrongPassphrase() from None
            if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
                raise JournalCorrupt(path, _("its first page cannot be read")) from None
            # A full disk or a read-only folder fails here too (no room for the -shm file):
            # that is not a damaged journal.
            raise _opening_error(exc, path) from None
        # temp_store=MEMORY: sorts and temp indexes must not spill plaintext to $TMPDIR.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def translate(exc: Exception, path: Path) -> Exception:
    """Turn an SQLite error into the user's error, or return it unchanged if it is a bug."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == _SQLITE_FULL or (code == _SQLITE_IOERR and disk_full(path)):
        return DiskFull()
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return JournalCorrupt(path, _("SQLite reports a damaged page"))
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return JournalLocked(FileLock(Path(f"{path}.lock")).holder_pid())
    if code == _SQLITE_IOERR:
        return JournalError(
            N_(
                "could not read or write {path} (disk I/O error) — check the disk is mounted "
                "and healthy; the journal was not changed by this failed step"
            ),
            path=path,
        )
    if code == _SQLITE_READONLY and not writable_dir(path):
        return JournalReadOnly(path)
    if code == _SQLITE_READONLY:
        return JournalError(
            N_(
                "{path} is read-only here — check its owner and permissions, or close the "
                "other voicereflect and try again"
            ),
            path=path,
        )
    return exc


@contextlib.contextmanager
def translated(path: Path) -> Iterator[None]:
    """Re-raise SQLite errors from the block as user errors (without transcript text)."""
    import sqlcipher3

    try:
        yield
    except sqlcipher3.Error as exc:
        mapped = translate(exc, path)
        if mapped is exc:
            raise
        raise mapped from None


def _opening_error(exc: Exception, path: Path) -> Exception:
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_CANTOPEN) and disk_full(path):
        return NoSpace(path)
    if code in (_SQLITE_READONLY, _SQLITE_CANTOPEN) and not writable_dir(path):
        return JournalReadOnly(path)
    mapped = translate(exc, path)
    if mapped is exc:
        name = getattr(exc, "sqlite_errorname", None) or _("an unknown error")
        return JournalError(
            N_("the journal {path} could not be opened ({reason})"), path=path, reason=name
        )
    return mapped


def is_syntax_error(exc: BaseException) -> bool:
    """True for a plain SQLITE_ERROR (what FTS5 raises for a query it cannot parse)."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == _SQLITE_ERROR


Notify = Callable[[str], None]
