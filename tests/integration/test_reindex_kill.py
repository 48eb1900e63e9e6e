"""Re-indexing an old journal survives SIGKILL: nothing is lost, the next open finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_journal_migrations import old_journal
from voicereflect import paths
from voicereflect.journal import db, search
from voicereflect.journal.store import Journal

# The child opens the journal (which re-indexes it) and reports each committed batch.
CHILD = """
import sys
from voicereflect.journal.store import Journal

def progress(done, total):
    print(done, total, flush=True)

Journal.open(on_progress=progress).close()
print("finished", flush=True)
"""

ANSWERS = 6000


def _state(path: Path) -> tuple[int, int]:
    conn = db.connect(path, None, read_only=True)
    try:
        row = conn.execute("SELECT analyzer, upto FROM search_state").fetchone()
        return int(row[0]), int(row[1])
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_during_re_indexing_loses_nothing_and_the_next_open_finishes() -> None:
    path = paths.journal_path()
    answers = [
        (
            "ko" if n % 2 else "en",
            f"{n}번째 날 동생이랑 사과하고 화해했어요" if n % 2 else f"day {n} I walked",
        )
        for n in range(ANSWERS)
    ]
    old_journal(path, 3, answers)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )
    assert child.stdout is not None
    first = child.stdout.readline().split()  # one batch is committed; the next is under way
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert first and int(first[0]) == search.BATCH and int(first[1]) == ANSWERS

    analyzer, upto = _state(path)
    assert analyzer != search.ANALYZER_VERSION and upto >= search.BATCH, "the kill came too late"

    with Journal.open(path) as journal:
        assert journal.integrity_check() == "ok"
        entries = journal._conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        indexed = journal._conn.execute("SELECT count(*) FROM search_fts").fetchone()[0]
        assert entries == indexed == ANSWERS
        assert len(journal.search("사과", words=True, limit=ANSWERS)) == ANSWERS // 2
        assert len(journal.search("walk", limit=ANSWERS)) == ANSWERS // 2
    assert _state(path) == (search.ANALYZER_VERSION, 0)
