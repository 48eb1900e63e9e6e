"""The journal's errors, each a message for the person that names the problem and the fix."""

from __future__ import annotations

from pathlib import Path

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _


class JournalError(VoicereflectError):
    """Something about the journal the person has to act on."""


class WrongPassphrase(JournalError):
    """The passphrase given does not decrypt the journal."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__(
            N_(
                "the passphrase does not open this journal; nothing was changed. "
                "There is no recovery without it."
            )
        )


class PassphraseRequired(JournalError):
    """The journal is encrypted and no passphrase was given."""

    exit_code = 2

    def __init__(self, path: Path) -> None:
        super().__init__(
            N_(
                "the journal {path} is protected by a passphrase — run this from a terminal "
                "to be asked for it, or pipe it in with --passphrase-stdin"
            ),
            path=path,
        )


class NotEncrypted(JournalError):
    """A passphrase was given for a journal that has none."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            N_(
                "the journal {path} has no passphrase, so none is needed to open it — "
                "set one with 'voicereflect passphrase set'"
            ),
            path=path,
        )


class JournalLocked(JournalError):
    """Another process holds the journal's writer lock."""

    exit_code = 3

    def __init__(self, pid: int | None, *, readers: bool = False) -> None:
        if readers:
            super().__init__(
                N_(
                    "another voicereflect command is reading this journal — "
                    "wait for it to finish, then try again"
                )
            )
        elif pid:
            super().__init__(
                N_("another voicereflect is writing to this journal (pid {pid}) — close it first"),
                pid=pid,
            )
        else:
            super().__init__(
                N_("another voicereflect is writing to this journal (pid unknown) — close it first")
            )
        self.pid = pid


class JournalCorrupt(JournalError):
    """The database file is damaged; it has not been touched."""

    exit_code = 4

    def __init__(self, path: Path, reason: str = "") -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(
            N_(
                "the journal file {path} is damaged{why}; it was not modified. Restore it "
                "from a backup, or move it aside (e.g. 'mv {path} {path}.damaged') to start a "
                "new journal and keep the old file for recovery"
            ),
            path=path,
            why=why,
        )


class DiskFull(JournalError):
    """The disk filled up during a write; the answer is still held in memory."""

    exit_code = 5

    def __init__(self) -> None:
        super().__init__(
            N_(
                "the disk is full; your last answer is kept in memory and nothing already "
                "saved was lost or overwritten — free some space and it will be saved with the "
                "next one (or when you finish the session)"
            )
        )


class NoSpace(DiskFull):
    """The disk is full, so the journal cannot even be opened; the file itself is fine."""

    def __init__(self, path: Path) -> None:
        JournalError.__init__(
            self,
            N_(
                "the disk is full: the journal {path} cannot be opened until some space is "
                "free (it is not damaged and nothing was lost) — delete or move some files, "
                "then try again"
            ),
            path=path,
        )


class JournalReadOnly(JournalError):
    """The journal's folder cannot be written (a read-only disk, or its permissions)."""

    exit_code = 6

    def __init__(self, path: Path, reason: str = "") -> None:
        super().__init__(
            N_(
                "the journal cannot be changed: its folder {folder} is {reason} — reading "
                "still works ('voicereflect journal list', 'show', 'search', 'export'); to "
                "save, make the folder writable or set VOICEREFLECT_HOME to a writable folder"
            ),
            folder=path.parent,
            reason=reason or _("read-only"),
        )


class JournalNewer(JournalError):
    """The journal was written by a newer voicereflect."""

    def __init__(self, path: Path, version: int, known: int) -> None:
        super().__init__(
            N_(
                "the journal {path} has schema version {version}, newer than this "
                "voicereflect knows ({known}) — upgrade voicereflect; the file was not modified"
            ),
            path=path,
            version=version,
            known=known,
        )


class NoJournal(JournalError):
    """There is no journal file yet."""

    def __init__(self, path: Path) -> None:
        super().__init__(N_("no journal yet at {path} — your first session creates it"), path=path)


class NoSuchRecord(JournalError):
    """A session or entry id that does not exist."""

    def __init__(self, kind: str, ident: int) -> None:
        message = (
            N_("there is no session {ident} — 'voicereflect journal list' shows ids")
            if kind == "session"
            else N_("there is no entry {ident} — 'voicereflect journal list' shows ids")
        )
        super().__init__(message, ident=ident)


class SearchSyntaxError(JournalError):
    """A search query that FTS5 cannot parse (the query itself is never echoed)."""

    def __init__(self, detail: str = "") -> None:
        hint = f" ({detail})" if detail else ""
        super().__init__(
            N_(
                "that search is not valid search syntax{hint}. Put words with punctuation in "
                'double quotes ("don\'t"), use AND / OR / NOT between words, or search for '
                "the words literally with --words"
            ),
            hint=hint,
        )


class ImportFormatError(JournalError):
    """An import file that is not a voicereflect JSON export."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            N_(
                "this file is not a voicereflect JSON export ({detail}); nothing was imported "
                "— make one with 'voicereflect journal export --format json'"
            ),
            detail=detail,
        )
