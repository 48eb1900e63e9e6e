"""The check before the app starts: an up-to-date journal is left alone, cheaply (issue 16)."""

from __future__ import annotations

import subprocess
import sys

from tests.unit.test_journal_migrations import old_journal
from voicereflect import paths
from voicereflect.journal import db
from voicereflect.journal.prepare import prepare_for_app, up_to_date
from voicereflect.journal.store import Journal


def test_up_to_date_only_with_this_versions_schema_and_search_index() -> None:
    path = paths.journal_path()
    old_journal(path, 3, [("en", "I walked by the river")])
    assert not up_to_date(path)  # an older schema
    prepare_for_app()
    assert up_to_date(path)
    conn = db.connect(path, None)
    try:
        conn.execute("UPDATE search_state SET analyzer = 0 WHERE id = 1")  # an older analyzer
    finally:
        conn.close()
    assert not up_to_date(path)
    prepare_for_app()
    assert up_to_date(path)
    with Journal.open(path) as journal:
        assert len(journal.search("walk")) == 1


def test_a_file_that_is_not_a_journal_is_never_up_to_date() -> None:
    path = paths.journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # a header, no database
    assert not up_to_date(path)


def test_an_up_to_date_journal_is_checked_without_loading_the_store() -> None:
    Journal.open(paths.journal_path()).close()
    code = (
        "import sys\n"
        "from voicereflect.journal.prepare import prepare_for_app\n"
        "prepare_for_app()\n"
        "print(sorted(m for m in ('voicereflect.journal.store', 'voicereflect.journal.search',"
        " 'sqlcipher3') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"
