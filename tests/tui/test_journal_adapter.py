"""The screens' view of the real journal: search marks, private exports, reviews, insights."""

from __future__ import annotations

import stat

import pytest

from voicereflect.journal.store import Journal
from voicereflect.reflection.packs import load_pack
from voicereflect.tui.journal_view import JournalAdapter
from voicereflect.tui.screens.journal import highlighted

DAY = 86400.0


@pytest.fixture
def adapter() -> JournalAdapter:
    journal = Journal.open()
    pack = load_pack("en")
    for day, (work, importance) in enumerate(
        [
            ("My boss moved the deadline again.", 4),
            ("Work felt lighter; I want to rest more.", 6),
            ("The project at work is nearly done. I will ask for help.", 8),
        ]
    ):
        at = 1_700_000_000 + day * DAY
        sid = journal.start_session("decision", "en", at)
        journal.add_entry(sid, "options", "What is the choice?", work, at=at + 1)
        journal.add_entry(
            sid,
            "importance",
            "How important?",
            str(importance),
            rating=importance,
            at=at + 2,
            audio=b"\0\1" * 800,
            audio_rate=16000,
        )
        journal.end_session(sid, at + 3, next_step="ask for help" if day == 2 else None)
    return JournalAdapter(journal, lambda: pack)


def test_recent_detail_and_next_step(adapter: JournalAdapter) -> None:
    rows = adapter.recent(10)
    assert [r.id for r in rows] == ["3", "2", "1"]
    assert rows[0].title != "decision"  # the pack's title, not the id
    detail = adapter.detail("1")
    assert [e.answer for e in detail.entries] == ["My boss moved the deadline again.", "4"]
    assert detail.entries[1].rating == 4 and detail.entries[1].has_audio
    assert adapter.last_next_step() == "ask for help"


def test_search_hits_carry_the_journal_markers(adapter: JournalAdapter) -> None:
    hits = adapter.search("deadline")
    assert [h.session_id for h in hits] == ["1"]
    marked = highlighted(hits[0])
    assert [marked.plain[s.start : s.end] for s in marked.spans] == ["deadline"]
    # The person types words, not FTS syntax: quotes and brackets must not be an error.
    assert adapter.search('"unbalanced (') == []


def test_export_is_a_private_file_in_the_data_dir(adapter: JournalAdapter) -> None:
    path = adapter.export(["1"], "md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "My boss moved the deadline again." in path.read_text()
    assert "NOT-ENCRYPTED" not in path.name  # the journal itself is not encrypted either


def test_timestamps_are_formatted_by_one_function_everywhere() -> None:
    from voicereflect.journal import commands, export
    from voicereflect.tui import journal_view

    assert journal_view.when is export.when and commands.when is export.when
    assert not hasattr(commands, "_when") and not hasattr(export, "_when")
    assert export.when(None) == "—"


def test_save_review_corrects_tags_mood_and_drops_audio(adapter: JournalAdapter) -> None:
    detail = adapter.detail("2")
    first = detail.entries[0].id
    adapter.save_review("2", {first: "Work felt lighter."}, ["work", "rest"], "good", False)
    after = adapter.detail("2")
    assert after.entries[0].answer == "Work felt lighter."
    assert set(after.row.tags) == {"work", "rest"} and after.row.mood == "good"
    assert not any(e.has_audio for e in after.entries)
    adapter.save_review("2", {}, ["rest"], "", True)
    again = adapter.detail("2")
    assert again.row.tags == ("rest",) and again.row.mood == ""


def test_insights_use_the_packs_rating_steps_themes_and_change_talk(
    adapter: JournalAdapter,
) -> None:
    assert [p.value for p in adapter.ratings()] == [4, 6, 8]
    assert ("work", 3) in adapter.themes()
    quotes = [q.text.lower() for q in adapter.change_talk()]
    assert any(q.startswith("i want to rest") for q in quotes), quotes
    assert any(q.startswith("i will ask for help") for q in quotes), quotes


def test_delete_removes_sessions(adapter: JournalAdapter) -> None:
    assert adapter.delete(["1", "2"]) == 2
    assert [r.id for r in adapter.recent(10)] == ["3"]


def test_a_corrected_korean_rating_is_reread_and_carried_to_every_view() -> None:
    from voicereflect.protocols import Word

    with Journal.open() as journal:
        sid = journal.start_session("checkin", "ko", 1_700_000_000)
        entry = journal.add_entry(
            sid,
            "mood",
            "오늘의 점수는요?",
            "이",
            2,
            at=1_700_000_001,
            words=(Word("이", 0, 0.3, 0.8),),
        )
        adapter = JournalAdapter(journal, lambda: load_pack("ko"))
        (row,) = adapter.detail(str(sid)).entries
        assert (row.rating, row.scale, row.unsure) == (2, 10, ("이",))
        assert adapter.reread(str(sid), {str(entry): "일곱"}) == {str(entry): 7}
        assert adapter.reread(str(sid), {str(entry): "이 점"}) == {}  # the same number
        adapter.save_review(str(sid), {str(entry): "일곱"}, [], "", True, ratings={str(entry): 7})
        (stored,) = journal.session(sid).entries
        assert (stored.answer, stored.rating) == ("일곱", 7)
        assert "일곱\n  rating: 7" in journal.export([sid], "txt")
        assert [p.rating for p in journal.ratings_over_time("mood")] == [7]
