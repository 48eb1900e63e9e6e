"""Before the app takes the terminal: bring a plain journal up to date, showing progress.

Apart from ``journal.commands`` and light on purpose: it runs before the app's first frame.
In the usual case, a journal this version already brought up to date, it reads two numbers
with the standard ``sqlite3`` module and imports nothing heavier (the store, the search
analyzer and SQLCipher load after the first frame, when the app opens the journal).
"""

from __future__ import annotations

import sys
from pathlib import Path

from voicereflect import paths
from voicereflect.i18n import _
from voicereflect.journal import db, schema


def prepare_for_app() -> None:
    """Migrate and re-index a plain journal an older version wrote, with progress on stderr.

    A journal an older version wrote is re-indexed for search once; doing it here lets the
    person see how far it has got. An encrypted journal is done when the app unlocks it.
    """
    path = paths.journal_path()
    if db.file_kind(path) is not db.FileKind.PLAIN or up_to_date(path):
        return
    from voicereflect.journal.errors import JournalError
    from voicereflect.journal.store import Journal

    try:
        Journal.open(path, on_progress=show_reindexing).close()
    except JournalError:
        pass  # the app opens it again and says what is wrong there


def up_to_date(path: Path) -> bool:
    """Whether a plain journal has this version's schema and search index (False if unsure).

    Read-only, through the standard library's SQLite: the same file format as SQLCipher's
    for a journal without a passphrase.
    """
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        row = conn.execute("SELECT analyzer FROM search_state WHERE id = 1").fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return bool(
        version == schema.latest_version() and row is not None and row[0] == schema.ANALYZER_VERSION
    )


def show_reindexing(done: int, total: int) -> None:
    """Show how far the one-off rebuild of the search index has got (on stderr)."""
    from voicereflect.journal.search import BATCH

    line = _("re-indexing your journal for search: {done:,} of {total:,} answers")
    line = "voicereflect: " + line.format(done=done, total=total)
    if sys.stderr.isatty():
        print(f"\r{line}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
    elif done >= total or done == min(BATCH, total):
        print(line, file=sys.stderr)
