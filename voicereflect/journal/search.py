"""The journal's search index: analyzed terms per answer, rebuilt safely, and snippets.

``search_fts`` is an FTS5 table over each entry's analyzed prompt, answer and note
(``analyzer.index_text``), kept in step by the store's writes and, for deletes, a trigger.
``search_state`` says which analyzer built it; a journal built by another (or before this
index existed) is re-indexed on open in batches, each its own transaction, so a kill part
way loses nothing and the next open carries on from the last batch.
Snippets mark the person's own words whose terms the query asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from voicereflect.journal import snippets
from voicereflect.journal.analyzer import (
    Query,
    Term,
    analyze,
    has_hangul,
    index_text,
)
from voicereflect.journal.schema import ANALYZER_VERSION

Progress = Callable[[int, int], None]
"""``(answers done, answers in all)`` while the index is rebuilt."""

BATCH = 200  # entries per re-index transaction


def index_entry(conn: Any, entry_id: int, prompt: str, answer: str, note: str | None) -> None:
    """(Re)index one entry inside the caller's transaction."""
    conn.execute("DELETE FROM search_fts WHERE rowid = ?", (entry_id,))
    conn.execute(
        "INSERT INTO search_fts(rowid, prompt, answer, note) VALUES (?, ?, ?, ?)",
        (entry_id, index_text(prompt), index_text(answer), index_text(note)),
    )


def index_ready(conn: Any) -> bool:
    """Whether the index was built by this analyzer (so search sees every entry)."""
    row = conn.execute("SELECT analyzer FROM search_state WHERE id = 1").fetchone()
    return row is not None and row[0] == ANALYZER_VERSION


def reindex(conn: Any, on_progress: Progress | None = None) -> None:
    """Bring the index up to this analyzer, ``BATCH`` entries per committed transaction."""
    if index_ready(conn):
        return
    state = conn.execute("SELECT upto FROM search_state WHERE id = 1").fetchone()
    if state is None:
        return  # a damaged file: leave it untouched; reading it reports the damage
    upto = state[0]
    total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    done = conn.execute("SELECT count(*) FROM entries WHERE id <= ?", (upto,)).fetchone()[0]
    while True:
        rows = conn.execute(
            "SELECT id, prompt, answer, note FROM entries WHERE id > ? ORDER BY id LIMIT ?",
            (upto, BATCH),
        ).fetchall()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for entry_id, prompt, answer, note in rows:
                index_entry(conn, entry_id, prompt, answer, note)
            if rows:
                upto = rows[-1][0]
                conn.execute("UPDATE search_state SET upto = ? WHERE id = 1", (upto,))
            else:
                conn.execute(
                    "UPDATE search_state SET analyzer = ?, upto = 0 WHERE id = 1",
                    (ANALYZER_VERSION,),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if not rows:
            return
        done += len(rows)
        if on_progress is not None:
            on_progress(done, total)


def _found(text: str, query: Query) -> list[Term]:
    """Where the query's terms are in ``text``.

    Korean is found without Kiwi (about 2 ms an answer, too slow for 50 snippets): a
    morpheme the index matched is inside the word as spoken ("사과" in "사과하고"), so a
    word holding one of the query's Korean terms is a hit. Other words are lemmatized.
    """
    if not has_hangul(text):
        return [t for t in analyze(text) if query.hits(t.term)]
    korean = [t for t in (*query.exact, *query.prefixes) if has_hangul(t)]
    found = []
    for m in re.finditer(r"\S+", text):
        word = m.group()
        if any(t in word for t in korean) or (
            not has_hangul(word) and any(query.hits(t.term) for t in analyze(word))
        ):
            found.append(Term(word, m.start(), m.end()))
    return found


def _marked(text: str, query: Query, start: str, end: str) -> str:
    """``text`` with each whole word holding a hit between ``start`` and ``end``."""
    spans: list[tuple[int, int]] = []
    for t in _found(text, query):
        # The whole word as spoken ("사과하고", not just its morpheme 사과).
        left = max(text.rfind(" ", 0, t.start), text.rfind("\n", 0, t.start)) + 1
        right = min(i for i in (text.find(" ", t.end), text.find("\n", t.end), len(text)) if i >= 0)
        if spans and left < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(right, spans[-1][1]))
        else:
            spans.append((left, right))
    out, at = [], 0
    for left, right in spans:
        out += [text[at:left], start, text[left:right], end]
        at = right
    out.append(text[at:])
    return "".join(out)


def mark(text: str, query: Query, start: str, end: str) -> str:
    """The stretch of ``text`` with the first hits, marked; long texts read piece by piece."""
    if len(text) <= snippets.SHORT_CHARS:
        return _marked(text, query, start, end)
    pieces = snippets.chunks(text)
    for piece in pieces:
        marked = _marked(piece, query, start, end)
        if start in marked:
            return marked
    return pieces[0]


def snippet(columns: tuple[str | None, ...], query: Query, start: str, end: str) -> str:
    """The words around the hits of the column with the most (the answer on a tie)."""
    prompt, answer, note = (mark(c or "", query, start, end) for c in columns)
    best = max((answer, note, prompt), key=lambda t: t.count(start))
    return snippets.snippet_around(best, start, end)
