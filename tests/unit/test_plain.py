"""``voicereflect --plain`` driven in-process with typed lines and test doubles."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.fakes import (
    FakeAudioSource,
    FakeClock,
    FullDiskJournal,
    MemoryJournal,
    RecordingSpeaker,
    ScriptedDialogue,
)
from voicereflect.audio.errors import DeviceLost, NoInputDevice
from voicereflect.config import Config, replace_setting
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


def _korean_session_without_microphone(lost: Exception) -> str:
    def no_mic() -> FakeAudioSource:
        raise lost

    session_parts = parts(MemoryJournal())
    session_parts.dialogue = ScriptedDialogue(
        [Ask("feeling", "오늘 기분이 어떠세요?")], language="ko", closing="고마워요."
    )
    session_parts.open_audio = no_mic
    out = io.StringIO()
    korean = replace_setting(Config(), "speech", language="ko")
    got = run_plain(korean, None, stdin=io.StringIO("괜찮아요\n"), stdout=out, parts=session_parts)
    assert got == 0
    return out.getvalue()


@pytest.mark.parametrize("lost", [NoInputDevice(), DeviceLost("USB Mic")], ids=type)
def test_a_korean_session_without_a_microphone_says_so_in_korean(lost: Exception) -> None:
    out = _korean_session_without_microphone(lost)
    assert "마이크가 없어요: 답을 입력해 주세요(" in out
    # The error itself is in Korean too (translated where it is shown, not where raised).
    assert "마이크를 찾지 못했어요" in out or "마이크 'USB Mic'가 멈췄어요" in out
    # Left in English: the program's name, the typed commands, the Enter key, the device.
    shown = re.sub(r"/[a-z]+|voicereflect devices|Enter|USB Mic", "", out)
    assert not re.findall(r"[A-Za-z]{2,}", shown)
    assert "(듣고 있어요" not in out  # never asked to speak


def test_a_lost_microphone_is_known_by_its_type_not_by_its_words() -> None:
    """Plain mode stops offering speech on ``MicrophoneLost``, whatever the message says."""
    from voicereflect.plain import _Printer
    from voicereflect.session.events import MicrophoneLost, ModelReady, Notice

    out = io.StringIO()
    printer = _Printer(out)
    printer(Notice("a microphone is mentioned in an ordinary notice"))
    printer(ModelReady(0.1))
    assert "speech model ready" in out.getvalue()
    out = io.StringIO()
    printer = _Printer(out)
    printer(MicrophoneLost("마이크가 멈췄어요"))
    printer(ModelReady(0.1))
    assert "speech model ready" not in out.getvalue()
