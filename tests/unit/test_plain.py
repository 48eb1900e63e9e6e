"""``voicereflect --plain`` driven in-process with typed lines and test doubles."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.fakes import (
    FakeClock,
    FullDiskJournal,
    MemoryJournal,
    RecordingSpeaker,
    ScriptedDialogue,
)
from voicereflect.config import Config
from voicereflect.journal.errors import DiskFull, JournalReadOnly
from voicereflect.plain import run_plain
from voicereflect.session import SessionParts
from voicereflect.session.dialogue import Ask
from voicereflect.speech.turns import TurnTaker

QUESTIONS = [
    Ask("feeling", "How are you feeling?"),
    Ask("mood", "What number fits today?", expects="rating"),
    Ask("carry", "What will you carry forward?"),
]


def parts(journal: MemoryJournal, speaker: RecordingSpeaker | None = None) -> SessionParts:
    clock = FakeClock()
    return SessionParts(
        dialogue=ScriptedDialogue(list(QUESTIONS)),
        open_journal=lambda: journal,
        turn_taker=lambda phrases: TurnTaker(4.0, phrases, clock),
        speaker=speaker,
        clock=clock,
    )


def run(
    text: str, journal: MemoryJournal, speaker: RecordingSpeaker | None = None, code: int = 0
) -> str:
    out = io.StringIO()
    got = run_plain(
        Config(), None, stdin=io.StringIO(text), stdout=out, parts=parts(journal, speaker)
    )
    assert got == code
    return out.getvalue()


def test_typed_lines_answer_each_question_and_are_saved_in_order() -> None:
    journal = MemoryJournal()
    out = run("rested and calm\n7\nwalk more\n", journal)
    assert [(e.step_id, e.answer, e.rating) for e in journal.entries] == [
        ("feeling", "rested and calm", None),
        ("mood", "7", 7),
        ("carry", "walk more", None),
    ]
    for q in QUESTIONS:
        assert q.text in out
    assert "(rating 7)" in out
    assert "Session saved: 3 answers." in out


def test_end_of_input_ends_the_session_with_what_was_typed_saved() -> None:
    journal = MemoryJournal()
    out = run("only this\n", journal)
    assert [e.answer for e in journal.entries] == ["only this"]
    assert journal.sessions[1]["ended_at"] is not None
    assert "Session saved: 1 answer." in out


def test_slash_commands_skip_and_end() -> None:
    journal = MemoryJournal()
    out = run("/skip\nsecond answer 5\n/end\nnever read\n", journal)
    assert [(e.step_id, e.answer) for e in journal.entries] == [("mood", "second answer 5")]
    assert "never read" not in out


def test_unknown_command_is_named_not_saved() -> None:
    journal = MemoryJournal()
    out = run("/bogus\n//slash answer\n", journal)
    assert "unknown command" in out
    assert [e.answer for e in journal.entries] == ["/slash answer"]


def test_questions_are_spoken_and_no_voice_is_said_plainly() -> None:
    speaker = RecordingSpeaker()
    run("a\n", MemoryJournal(), speaker)
    assert speaker.spoken[0] == QUESTIONS[0].text
    out = run("a\n", MemoryJournal(), None)
    assert "no voice: questions are shown, not spoken" in out


def test_a_full_disk_once_says_so_goes_on_and_saves_the_answer_with_the_next() -> None:
    journal = FullDiskJournal(full_writes=1)
    out = run("a first answer\n7\nwalk more\n", journal)
    assert "disk is full" in out and "error:" not in out
    assert [e.answer for e in journal.entries] == ["a first answer", "7", "walk more"]
    assert journal.sessions[1]["ended_at"] is not None
    assert "could not be saved" not in out


def test_answers_still_held_at_close_are_named_plainly_and_the_exit_code_says_so() -> None:
    journal = FullDiskJournal(full_writes=1000)  # the disk never gets space back
    out = run("a first answer\n7\n", journal, code=DiskFull.exit_code)
    assert "error:" not in out
    assert journal.entries == []
    assert "warning: 2 answers of this session could not be saved" in out
    assert "a first answer" not in out.split("warning:")[1]  # never the words themselves


def test_a_journal_that_cannot_be_opened_stops_plain_before_the_first_question() -> None:
    def refuse() -> MemoryJournal:
        raise JournalReadOnly(Path("/data/journal.db"))

    out = io.StringIO()
    session_parts = parts(MemoryJournal())
    session_parts.open_journal = refuse
    with pytest.raises(JournalReadOnly):
        run_plain(Config(), None, stdin=io.StringIO("an answer\n"), stdout=out, parts=session_parts)
    assert out.getvalue() == ""  # no question asked, so nothing typed is thrown away
