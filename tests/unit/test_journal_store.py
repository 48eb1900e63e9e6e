"""The journal store's behaviour: sessions, answers, tags, search, export round trip, sharing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.journal.errors import ImportFormatError, JournalNewer, NoSuchRecord
from voicereflect.journal.records import HIGHLIGHT_END, HIGHLIGHT_START
from voicereflect.journal.schema import latest_version
from voicereflect.journal.store import Journal
from voicereflect.protocols import Word

T0 = 1_750_000_000.0
SPOKEN = tuple(
    Word(w, 0.5 * i, 0.5 * i + 0.4, c)
    for i, (w, c) in enumerate([("walk", 1.0), ("by", 0.93), ("the", 1.0), ("river", 0.41)])
)


def fill(journal: Journal) -> dict[str, int]:
    """Two sessions with ratings, a note, tags, audio and a next step."""
    first = journal.start_session("check-in", "en", T0)
    a = journal.add_entry(first, "feel", "How are you feeling?", "tired but hopeful", 4, at=T0 + 1)
    b = journal.add_entry(
        first,
        "step",
        "What small step?",
        "walk by the river",
        audio=b"\x01\x02" * 800,
        audio_rate=16000,
        at=T0 + 2,
        words=SPOKEN,
    )
    journal.end_session(first, T0 + 60, next_step="walk by the river", mood="hopeful")
    journal.tag(first, "sleep", "walks")
    second = journal.start_session("weekly", "ko", T0 + 86400)
    c = journal.add_entry(
        second, "feel", "오늘 기분은?", "친구를 만나서 기뻤다", 7.5, at=T0 + 86401
    )
    journal.update_entry(c, note="remember this")
    journal.end_session(second, T0 + 86460, next_step=None, mood="glad")
    return {"first": first, "second": second, "a": a, "b": b, "c": c}


@pytest.fixture
def journal() -> Journal:
    with Journal.open() as j:
        yield j


def test_answers_read_back_in_order_with_their_session(journal: Journal) -> None:
    ids = fill(journal)
    record = journal.session(ids["first"])
    assert [e.answer for e in record.entries] == ["tired but hopeful", "walk by the river"]
    assert record.entries[0].rating == 4.0 and record.entries[1].has_audio
    assert record.tags == ("sleep", "walks") and record.mood == "hopeful"
    assert journal.session(ids["second"]).entries[0].note == "remember this"


def test_sessions_list_newest_first_and_filters_by_tag_and_time(journal: Journal) -> None:
    ids = fill(journal)
    assert [s.id for s in journal.sessions()] == [ids["second"], ids["first"]]
    assert [s.id for s in journal.sessions(tag="walks")] == [ids["first"]]
    assert [s.id for s in journal.sessions(since=T0 + 10)] == [ids["second"]]
    assert [s.id for s in journal.sessions(until=T0 + 10)] == [ids["first"]]
    assert journal.sessions(limit=1)[0].entry_count == 1
    journal.untag(ids["first"], "walks")
    assert journal.sessions(tag="walks") == []


def test_continuity_and_ratings_over_time(journal: Journal) -> None:
    ids = fill(journal)
    assert journal.last_next_step() == "walk by the river"
    points = journal.ratings_over_time("feel")
    assert [(p.entry_id, p.rating) for p in points] == [(ids["a"], 4.0), (ids["c"], 7.5)]


def test_audio_is_stored_and_can_be_dropped_alone(journal: Journal) -> None:
    ids = fill(journal)
    assert journal.entry_audio(ids["b"]) == (b"\x01\x02" * 800, 16000)
    assert journal.drop_audio(ids["b"]) is True
    assert journal.entry_audio(ids["b"]) is None
    assert journal.session(ids["first"]).entries[1].answer == "walk by the river"


def test_search_ranks_and_highlights_korean_and_english(journal: Journal) -> None:
    ids = fill(journal)
    hits = journal.search("river")
    assert [h.entry_id for h in hits] == [ids["b"]]
    assert f"{HIGHLIGHT_START}river{HIGHLIGHT_END}" in hits[0].snippet
    assert [h.entry_id for h in journal.search("친구를")] == [ids["c"]]
    # --words matches prefixes, which is what Korean particles need (친구 → 친구를).
    assert [h.entry_id for h in journal.search("친구", words=True)] == [ids["c"]]
    assert journal.search("   ") == []


def test_json_export_imports_back_into_an_identical_journal(tmp_path: Path) -> None:
    with Journal.open() as source:
        fill(source)
        exported = source.export(None, "json")
    with Journal.open(tmp_path / "copy.db") as copy:
        copy.import_json(exported)
        assert copy.export(None, "json") == exported
        assert copy.search("river")  # the index is rebuilt too
    assert json.loads(exported)["sessions"][0]["entries"][1]["audio"]["rate"] == 16000
    assert json.loads(exported)["sessions"][0]["entries"][1]["words"][3] == [
        "river",
        1.5,
        1.9,
        0.41,
    ]


def test_spoken_words_are_kept_with_their_times_and_confidences(journal: Journal) -> None:
    ids = fill(journal)
    first, second = journal.session(ids["first"]).entries
    assert first.words == ()  # typed
    assert second.words == SPOKEN


def test_import_into_a_busy_journal_gives_new_ids_and_keeps_old_rows(journal: Journal) -> None:
    ids = fill(journal)
    exported = journal.export([ids["first"]], "json")
    new = journal.import_json(exported)
    assert new != [ids["first"]]
    assert len(journal.sessions()) == 3
    assert journal.session(new[0]).entries[0].answer == "tired but hopeful"


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "{}",
        '{"format": "voicereflect-journal", "version": 9, "sessions": []}',
        '{"format": "voicereflect-journal", "version": 1, "sessions": [{"id": 1}]}',
    ],
)
def test_bad_import_names_the_problem_and_imports_nothing(journal: Journal, text: str) -> None:
    with pytest.raises(ImportFormatError, match="nothing was imported"):
        journal.import_json(text)
    assert journal.sessions() == []


def test_markdown_and_text_exports_contain_the_words(journal: Journal) -> None:
    fill(journal)
    md = journal.export(None, "md")
    assert "> walk by the river" in md and "Rating: 7.5" in md and "Tags: sleep, walks" in md
    assert "친구를 만나서 기뻤다" in journal.export(None, "txt")


def test_share_packet_leaves_out_chosen_answers_notes_and_tags(journal: Journal) -> None:
    ids = fill(journal)
    packet = journal.share_packet([ids["first"], ids["second"]], leave_out={ids["a"]})
    assert "tired but hopeful" not in packet
    assert "walk by the river" in packet and "친구를 만나서 기뻤다" in packet
    assert "remember this" not in packet and "sleep" not in packet


def test_unknown_ids_are_clear_errors(journal: Journal) -> None:
    with pytest.raises(NoSuchRecord, match="no session 42"):
        journal.session(42)
    with pytest.raises(NoSuchRecord):
        journal.add_entry(42, "s", "p", "a")
    assert journal.pending_count == 0  # a bad entry never blocks later ones


def test_schema_version_is_recorded_and_a_newer_journal_is_refused() -> None:
    with Journal.open() as j:
        assert j._conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        j._conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    with pytest.raises(JournalNewer, match="upgrade voicereflect"):
        Journal.open()


def test_default_path_is_inside_the_private_data_dir(journal: Journal) -> None:
    assert journal.path == paths.journal_path()


def test_a_re_asked_number_shows_the_question_it_rates_everywhere(journal: Journal) -> None:
    sid = journal.start_session("decision", "ko", T0)
    asked = "얼마나 중요해요? 0부터 10까지요."
    journal.add_entry(sid, "importance", asked, "글쎄요", at=T0 + 1)
    again = "0부터 10 사이에서 어떤 숫자가 가장 가까워요?"
    journal.add_entry(sid, "importance", again, "일곱", 7, at=T0 + 2, rates=asked)
    journal.end_session(sid, T0 + 60)
    words, number = journal.session(sid).entries
    assert (words.rating, words.rates) == (None, None)
    assert (number.rating, number.rates) == (7, asked)
    assert f"Rating: 7 for “{asked}”" in journal.export(None, "md")
    assert f"  rating: 7 for “{asked}”" in journal.export(None, "txt")
    assert f"Rating: 7 for “{asked}”" in journal.share_packet([sid])
    exported = journal.export(None, "json")
    assert json.loads(exported)["sessions"][0]["entries"][1]["rates"] == asked
    (copy,) = journal.import_json(exported)
    assert journal.session(copy).entries[1].rates == asked
