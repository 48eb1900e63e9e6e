"""Search snippets: the words around the hits, in time linear in the length of the text.

FTS5's ``snippet()`` scores every hit against every other and ``highlight()`` rebuilds its
output string at each match, so both are quadratic: one 100,000-word answer took minutes.
Here a column is marked whole only while it is short; a long one is cut into chunks and
only the first chunk with a hit is marked (``search.mark``).
"""

from __future__ import annotations

SHORT_CHARS = 16_000  # highlight() on this much text costs well under a millisecond
CHUNK_WORDS = 200
CHUNK_OVERLAP = 20  # so a phrase across a chunk boundary is still inside one chunk


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
