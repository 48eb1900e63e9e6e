"""Search snippets: a window around the first hit, linear in the answer's length (issue 14)."""

from __future__ import annotations

from voicereflect.journal.export import when
from voicereflect.journal.records import HIGHLIGHT_END, HIGHLIGHT_START
from voicereflect.journal.snippets import chunks, snippet_around
from voicereflect.journal.store import Journal

S, E = "<", ">"


def test_snippet_keeps_a_few_words_before_the_first_hit_and_fills_after_it() -> None:
    text = " ".join(f"w{n}" for n in range(100)) + " <needle> tail"
    assert snippet_around(text, S, E, words=8) == "…w98 w99 <needle> tail"
    assert snippet_around("<a> b c d e f", S, E, words=3) == "<a> b c…"


def test_snippet_closes_a_phrase_match_cut_in_half_and_needs_no_hit() -> None:
    assert snippet_around("x <a b c d> y", S, E, words=3) == "x <a b>…"
    assert snippet_around("no hits at all", S, E, words=2) == "no hits…"
    assert snippet_around("", S, E) == ""


def test_chunks_overlap_so_a_phrase_on_a_boundary_stays_whole() -> None:
    words = [f"w{n}" for n in range(25)]
    parts = chunks(" ".join(words), size=10, overlap=2)
    assert parts[0].split() == words[:10] and parts[1].split() == words[8:18]
    assert parts[-1].split()[-1] == "w24"
    assert chunks("") == [""]


def test_a_300000_word_answer_is_searched_and_cut_around_its_first_hit() -> None:
    # FTS5's snippet() scored every hit against every other: 30,000 words took 5.8 s here and
    # 300,000 would pass the suite's 300 s timeout. The figure is scripts/bench_journal.py's.
    text = "start " + " ".join("needle" for _ in range(300_000))
    with Journal.open() as journal:
        sid = journal.start_session("check-in", "en", 1_750_000_000.0)
        journal.add_entry(sid, "s", "What is on your mind?", text, at=1_750_000_001.0)
        (hit,) = journal.search("needle")
        assert hit.snippet.startswith(f"start {HIGHLIGHT_START}needle{HIGHLIGHT_END}")
        assert hit.snippet.endswith("…") and len(hit.snippet) < 200
        (late,) = journal.search('"start needle"')
        # A phrase's words are marked one by one, as the person's words they are.
        marked = f"{HIGHLIGHT_START}start{HIGHLIGHT_END} {HIGHLIGHT_START}needle{HIGHLIGHT_END}"
        assert late.snippet.startswith(marked)


def test_a_time_no_calendar_can_show_does_not_break_a_listing() -> None:
    assert when(1e300) == "(no valid date)"
    assert when(None) == "—"
