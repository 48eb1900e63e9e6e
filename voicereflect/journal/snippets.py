"""Search snippets: the words around the hits, in time linear in the length of the text.

FTS5's ``snippet()`` scores every hit against every other and ``highlight()`` rebuilds its
output string at each match, so both are quadratic: one 100,000-word answer took minutes.
Here a column is highlighted whole only while it is short; a long one is cut into chunks
indexed in a small in-memory FTS5 table (the journal's own tokenizer), and only the first
chunk that matches the query is highlighted.
"""

from __future__ import annotations

import re
from typing import Any

SHORT_CHARS = 16_000  # highlight() on this much text costs well under a millisecond
CHUNK_WORDS = 200
CHUNK_OVERLAP = 20  # so a phrase across a chunk boundary is still inside one chunk
COLUMNS = ("prompt", "answer", "note")  # entries_fts's columns, in its order


def snippet_around(marked: str, start: str, end: str, words: int = 16) -> str:
    """About ``words`` words of ``marked`` around its first hit, matches still marked.

    Linear in the length of ``marked``: only the stretch around the first hit is split.

    Args:
        marked: text with every match between ``start`` and ``end``.
        start: the marker before each match.
        end: the marker after each match.
        words: how many words to keep.

    Returns:
        The stretch, with "…" where text was cut, and a match cut in half closed.
    """
    first = max(marked.find(start), 0)
    lead = max(1, words // 4)
    before = marked[:first].rsplit(None, lead)
    cut_start = len(before) > lead
    kept_before = before[1:] if cut_start else before
    room = words - len(kept_before)
    after = marked[first:].split(None, room)
    cut_end = len(after) > room
    text = " ".join(w for w in kept_before + after[:room] if w)
    if text.count(start) > text.count(end):
        text += end
    return ("…" if cut_start else "") + text + ("…" if cut_end else "")


def chunks(text: str, size: int = CHUNK_WORDS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """``text`` as overlapping runs of ``size`` words (whitespace between words kept as one)."""
    words = text.split()
    step = size - overlap
    return [" ".join(words[i : i + size]) for i in range(0, max(len(words) - overlap, 1), step)]


def _tokenizer(conn: Any) -> str:
    """The ``tokenize=`` option entries_fts was created with, so chunks split the same way."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'entries_fts'").fetchone()
    found = re.search(r"tokenize\s*=\s*('(?:[^']|'')*')", row[0] if row else "")
    return found.group(1) if found else "'unicode61'"


def mark_long(conn: Any, text: str, column: int, match: str, start: str, end: str) -> str:
    """The first chunk of a long column ``text`` that matches ``match``, highlighted.

    Args:
        conn: the journal's connection (a temp table is used, nothing is written to the file).
        text: the column's whole text.
        column: its index in ``COLUMNS`` (a query may name columns: ``answer: word``).
        match: the FTS5 query.
        start: the marker before each match.
        end: the marker after each match.

    Returns:
        The chunk with its matches marked; the opening chunk unmarked when no chunk matches
        on its own (terms of an AND far apart in the text).
    """
    pieces = chunks(text)
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippet_chunks USING fts5("
        f"{', '.join(COLUMNS)}, tokenize={_tokenizer(conn)})"
    )
    try:
        name = COLUMNS[column]
        conn.executemany(
            f"INSERT INTO temp.snippet_chunks(rowid, {name}) VALUES (?, ?)",
            enumerate(pieces),
        )
        row = conn.execute(
            f"SELECT highlight(snippet_chunks, {column}, ?, ?) FROM temp.snippet_chunks"
            " WHERE snippet_chunks MATCH ? ORDER BY rowid LIMIT 1",
            (start, end, match),
        ).fetchone()
    finally:
        conn.execute("DELETE FROM temp.snippet_chunks")
    return pieces[0] if row is None or row[0] is None else str(row[0])
