"""Doctor's journal check: the journal opens and SQLite finds it intact."""

from __future__ import annotations

from voicereflect import paths
from voicereflect.doctor import Check, CheckResult
from voicereflect.i18n import _
from voicereflect.journal import db
from voicereflect.journal.errors import JournalError
from voicereflect.journal.store import Journal


def check_journal() -> CheckResult:
    """The journal opens and SQLite finds it intact (skipped while encrypted or in use)."""
    path = paths.journal_path()
    kind = db.file_kind(path)
    if kind is db.FileKind.MISSING:
        return CheckResult(_("journal"), True, _("none yet ({path})").format(path=path))
    if kind is db.FileKind.ENCRYPTED:
        return CheckResult(
            _("journal"), True, _("encrypted with a passphrase ({path})").format(path=path)
        )
    try:
        with Journal.open(path, read_only=True) as journal:
            result = journal.integrity_check()
    except JournalError as exc:
        return CheckResult(_("journal"), False, exc.message)
    if result != "ok":
        return CheckResult(
            _("journal"), False, _("{path} failed SQLite's integrity check").format(path=path)
        )
    return CheckResult(_("journal"), True, _("intact ({path})").format(path=path))


def doctor_checks() -> list[Check]:
    """This area's checks for voicereflect doctor."""
    return [check_journal]
