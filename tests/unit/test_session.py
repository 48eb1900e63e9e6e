"""The session runner driven by scripted audio, a scripted recognizer and a recording speaker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.fakes import (
    EventLog,
    FakeAudioSource,
    FakeClock,
    MemoryJournal,
    RecordingSpeaker,
    ScriptedDialogue,
    ScriptedRecognizer,
    ScriptedVad,
    silence,
    speech,
)
from voicereflect.audio.errors import DeviceLost
from voicereflect.config import Config, replace_setting
from voicereflect.errors import VoicereflectError
from voicereflect.journal.store import Journal
from voicereflect.protocols import Recognizer
from voicereflect.session import JournalWriter, Session, SessionParts
from voicereflect.session.dialogue import Ask
from voicereflect.session.events import (
    AnswerFinished,
    ModelFailed,
    ModelReady,
    Notice,
    QuestionAsked,
    RatingHeard,
    Saved,
    SessionEnded,
    SessionError,
    SessionState,
    StateChanged,
    TurnClosing,
)
from voicereflect.speech.turns import TurnTaker

QUESTIONS = [
    Ask("situation", "What is the decision you are facing?"),
    Ask("importance", "How important is it, from 0 to 10?", expects="rating"),
    Ask("next", "What is one small next step?"),
]


@dataclass
class Rig:
    session: Session
    log: EventLog
    source: FakeAudioSource
    recognizer: ScriptedRecognizer
    speaker: RecordingSpeaker
    journal: MemoryJournal
    dialogue: ScriptedDialogue
    clock: FakeClock


def make_rig(
    *,
    auto_finish: bool = True,
    mic: bool = True,
    model: bool = True,
    model_gate: threading.Event | None = None,
    barge_in: bool = True,
    config: Config | None = None,
    journal: JournalWriter | None = None,
    vad: bool = False,
    pause: float = 4.0,
) -> Rig:
    log = EventLog()
    source = FakeAudioSource()
    recognizer = ScriptedRecognizer()
    speaker = RecordingSpeaker(auto_finish=auto_finish)
    memory = MemoryJournal()
    writer: JournalWriter = memory if journal is None else journal
    dialogue = ScriptedDialogue(list(QUESTIONS))
    clock = FakeClock()

    def load() -> object:
        if model_gate is not None:
            assert model_gate.wait(10), "test never released the model"

        def factory(rate: int) -> Recognizer:
            assert rate == source.sample_rate
            return recognizer

        return factory

    parts = SessionParts(
        dialogue=dialogue,
        open_journal=lambda: writer,
        turn_taker=lambda phrases: TurnTaker(pause, phrases, clock),
        speaker=speaker,
        open_audio=(lambda: source) if mic else None,
        load_recognizer=load if model else None,  # type: ignore[arg-type]
        open_vad=(lambda rate: ScriptedVad(rate)) if vad else None,
        clock=clock,
    )
    session = Session(config or Config(), parts, log, barge_in=barge_in)
    return Rig(session, log, source, recognizer, speaker, memory, dialogue, clock)


@pytest.fixture
def rigs() -> Iterator[list[Rig]]:
    made: list[Rig] = []
    yield made
    for rig in made:
        assert rig.session.stop(timeout=3.0), "stop() did not finish its threads"


def say_answer(rig: Rig, text: str) -> None:
    rig.source.push(speech(text), level=0.3)
    rig.source.push(silence(), level=0.0)
    assert rig.source.wait_consumed()


def test_spoken_decision_flow_saves_every_answer_in_order(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)

    for n, answer in enumerate(["whether to move city", "seven", "call my sister"], 1):
        rig.log.wait_for(QuestionAsked, n)
        assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
        say_answer(rig, answer)
        rig.session.end_turn()
        rig.log.wait_for(Saved, n)

    rig.log.wait_for(SessionEnded)
    assert [(e.step_id, e.answer) for e in rig.journal.entries] == [
        ("situation", "whether to move city"),
        ("importance", "seven"),
        ("next", "call my sister"),
    ]
    assert rig.speaker.spoken[:3] == [q.text for q in QUESTIONS]
    ended = rig.log.of(SessionEnded)[0]
    assert isinstance(ended, SessionEnded) and ended.summary.answers == 3
    assert rig.journal.sessions[1]["ended_at"] is not None


def test_each_answer_is_saved_before_the_next_question_is_spoken(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.session.type_answer("first")
    rig.log.wait_for(QuestionAsked, 2)
    kinds = [type(e).__name__ for e in rig.log.events]
    assert kinds.index("Saved") < len(kinds) - 1 - kinds[::-1].index("QuestionAsked")


def test_rating_by_digits_is_heard_and_stored(rigs: list[Rig]) -> None:
    rig = make_rig(mic=False, model=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(QuestionAsked)
    rig.session.type_answer("a move")
    rig.log.wait_for(QuestionAsked, 2)
    rig.session.rate(8)
    rig.log.wait_for(Saved, 2)
    heard = rig.log.of(RatingHeard)
    assert len(heard) == 1 and isinstance(heard[0], RatingHeard) and heard[0].value == 8
    assert rig.journal.entries[1].rating == 8


def test_microphone_is_ignored_while_a_question_is_spoken(rigs: list[Rig]) -> None:
    rig = make_rig(auto_finish=False, barge_in=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.speaker.wait_spoken(1)
    # The speaker's own voice (or anything else) reaches the mic during the question.
    rig.source.push(speech("what is the decision you are facing"), level=0.5)
    rig.source.push(speech("echo of the question"), level=0.5)
    assert rig.source.wait_consumed()
    assert rig.recognizer.fed == []
    rig.speaker.finish()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "my real answer")
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "my real answer"
    assert "echo of the question" not in rig.recognizer.heard_text


def test_speaking_over_a_question_cancels_it_and_keeps_the_words(rigs: list[Rig]) -> None:
    rig = make_rig(auto_finish=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.speaker.wait_spoken(1)
    # 0.4 s of the person talking, above the barge-in level.
    for _ in range(3):
        rig.source.push(silence(0.1), level=0.3)
    rig.source.push(speech("actually I know", seconds=0.1), level=0.3)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    assert rig.speaker.cancels == 1
    assert not rig.speaker.is_speaking
    say_answer(rig, "it is about work")
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "actually I know it is about work"


def test_quiet_noise_during_a_question_does_not_barge_in(rigs: list[Rig]) -> None:
    rig = make_rig(auto_finish=False)
    rigs.append(rig)
    rig.session.start()
    assert rig.speaker.wait_spoken(1)
    for _ in range(10):
        rig.source.push(silence(0.1), level=0.01)
    assert rig.source.wait_consumed()
    assert rig.speaker.cancels == 0 and rig.speaker.is_speaking


def test_a_key_interrupts_the_question_and_listens(rigs: list[Rig]) -> None:
    rig = make_rig(auto_finish=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.speaker.wait_spoken(1)
    rig.session.interrupt()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    assert rig.speaker.cancels == 1


def test_first_question_is_spoken_while_the_model_loads(rigs: list[Rig]) -> None:
    gate = threading.Event()
    rig = make_rig(model_gate=gate)
    rigs.append(rig)
    rig.session.start()
    assert rig.speaker.wait_spoken(1)
    assert rig.log.of(ModelReady) == []
    # Words spoken before the model is ready are kept and decoded once it is.
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "early words")
    gate.set()
    rig.log.wait_for(ModelReady)
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "early words"


def test_no_microphone_and_no_model_types_answers_and_says_why(rigs: list[Rig]) -> None:
    rig = make_rig(mic=False, model=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(QuestionAsked)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
    rig.session.type_answer("typed answer")
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "typed answer"
    assert rig.session.level == 0.0


def test_missing_model_says_so_and_falls_back_to_typing(rigs: list[Rig]) -> None:
    rig = make_rig()

    def no_model() -> object:
        raise VoicereflectError("no speech model found — run 'voicereflect models download en-us'")

    rig.session._parts.load_recognizer = no_model  # type: ignore[assignment]
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelFailed)
    notes = [e.message for e in rig.log.wait_for(Notice) if isinstance(e, Notice)]
    assert any("no speech model: type your answers" in n and "download" in n for n in notes)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
    rig.session.type_answer("still saved")
    rig.log.wait_for(Saved)


def test_microphone_that_fails_to_open_means_typing(rigs: list[Rig]) -> None:
    rig = make_rig()

    def no_mic() -> FakeAudioSource:
        raise VoicereflectError("no input device")

    rig.session._listener._open_audio = no_mic  # type: ignore[union-attr]
    rigs.append(rig)
    rig.session.start()
    notes = rig.log.wait_for(Notice)
    assert any("no microphone: type your answers" in e.message for e in notes)  # type: ignore[attr-defined]
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)


def test_voice_commands_skip_and_repeat(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.source.push(speech("repeat"), level=0.3)
    assert rig.speaker.wait_spoken(2)
    assert rig.speaker.spoken[1] == QUESTIONS[0].text
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.source.push(speech("skip"), level=0.3)
    rig.log.wait_for(QuestionAsked, 3)
    assert rig.dialogue.answers == [("situation", "")]
    assert rig.journal.entries == []


def test_end_phrase_ends_the_turn_without_a_key(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.source.push(speech("a new job i'm done"), level=0.3)
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "a new job"
    finished = rig.log.of(AnswerFinished)[0]
    assert isinstance(finished, AnswerFinished) and finished.ended_by == "phrase"


def test_long_silence_ends_the_turn(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "thinking aloud")
    rig.clock.advance(5.0)
    rig.log.wait_for(Saved)
    finished = rig.log.of(AnswerFinished)[0]
    assert isinstance(finished, AnswerFinished) and finished.ended_by == "silence"


def test_a_cue_shows_a_second_before_silence_ends_the_turn_and_speech_cancels_it(
    rigs: list[Rig],
) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "thinking aloud")
    rig.clock.advance(3.2)  # 0.8 s of the 4 s pause left
    assert rig.log.wait_for(TurnClosing) == [TurnClosing(True)]
    say_answer(rig, "and then some more")
    assert rig.log.wait_for(TurnClosing, 2) == [TurnClosing(True), TurnClosing(False)]
    assert rig.log.of(Saved) == []
    rig.clock.advance(5.0)
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "thinking aloud and then some more"


def test_pause_stops_listening_until_resume(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.session.pause()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.PAUSED)
    rig.source.push(speech("private aside"), level=0.3)
    assert rig.source.wait_consumed()
    assert "private aside" not in rig.recognizer.heard_text
    rig.session.resume()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "back again")
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "back again"


def test_end_saves_the_answer_being_spoken(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "half a thought")
    rig.session.end()
    rig.log.wait_for(SessionEnded)
    assert [e.answer for e in rig.journal.entries] == ["half a thought"]
    assert rig.session.state is SessionState.ENDED
    assert not rig.journal.closed, "the opener owns the journal"


def test_stop_never_hangs_mid_question_and_closes_the_session(rigs: list[Rig]) -> None:
    rig = make_rig(auto_finish=False)
    rig.session.start()
    assert rig.speaker.wait_spoken(1)
    assert rig.session.stop(timeout=3.0)
    assert rig.session.ended
    assert rig.journal.sessions == {}  # closed, and with no answer, not kept
    assert rig.source.stopped


def test_state_changes_are_reported_in_order(rigs: list[Rig]) -> None:
    rig = make_rig(mic=False, model=False)
    rigs.append(rig)
    rig.session.start()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
    states = [e.state for e in rig.log.of(StateChanged) if isinstance(e, StateChanged)]
    assert states == [SessionState.SPEAKING, SessionState.TYPING]


def test_event_reprs_never_show_what_was_said() -> None:
    event = AnswerFinished("my secret canary", "s", "key")
    assert "canary" not in repr(event)


def test_end_turn_takes_every_word_already_captured(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    words = ["one", "two", "three", "four", "five"]
    for word in words:
        rig.source.push(speech(word), level=0.3)
    # The key comes before the listener has caught up with the microphone.
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == " ".join(words)


def test_silence_before_the_model_is_ready_is_not_queued_for_decoding(rigs: list[Rig]) -> None:
    gate = threading.Event()
    rig = make_rig(model_gate=gate)
    rigs.append(rig)
    rig.session.start()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    for _ in range(30):  # 3 s of room noise while the model loads
        rig.source.push(silence(0.1), level=0.001)
    rig.source.push(speech("hello"), level=0.3)
    assert rig.source.wait_consumed()
    gate.set()
    rig.log.wait_for(ModelReady)
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    assert rig.journal.entries[0].answer == "hello"
    # Half a second of lead-in at most (5 blocks of 0.1 s), then the words.
    assert len(rig.recognizer.fed) <= 6


def test_keep_audio_stores_the_answer_audio_with_its_rate(rigs: list[Rig]) -> None:
    rig = make_rig(config=replace_setting(Config(), "audio", keep_audio=True))
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "kept")
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    entry = rig.journal.entries[0]
    assert entry.audio is not None and entry.audio.startswith(b"F:kept")
    assert entry.audio_rate == rig.source.sample_rate


def test_a_failure_never_puts_the_answer_in_errors_or_logs(
    rigs: list[Rig], caplog: pytest.LogCaptureFixture
) -> None:
    rig = make_rig(mic=False, model=False)

    def broken_add_entry(*args: object, **kwargs: object) -> int:
        raise RuntimeError(f"disk trouble while saving {args[3]}")

    rig.journal.add_entry = broken_add_entry  # type: ignore[method-assign,assignment]
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(QuestionAsked)
    rig.session.type_answer("canary-secret-words")
    (error,) = rig.log.wait_for(SessionError)
    assert isinstance(error, SessionError)
    assert "canary" not in error.message
    assert "canary" not in caplog.text
    rig.log.wait_for(SessionEnded)


def test_stop_mid_answer_saves_the_words_already_heard(rigs: list[Rig]) -> None:
    # Quitting the app mid-answer: the front end calls stop() with no Space pressed.
    rig = make_rig()
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "words said before quitting")
    assert rig.session.stop(timeout=3.0)
    assert [e.answer for e in rig.journal.entries] == ["words said before quitting"]
    assert rig.session.ended
    assert rig.journal.sessions[1]["ended_at"] is not None


def _lose_mic_mid_answer(rig: Rig, lose: Callable[[], None]) -> None:
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.source.push(speech("my whole first sentence"), level=0.3)
    rig.source.push(speech("and half of a", final=False), level=0.3)
    assert rig.source.wait_consumed()
    lose()
    (saved,) = rig.log.wait_for(Saved)
    assert isinstance(saved, Saved) and saved.step == "situation"
    assert [e.answer for e in rig.journal.entries] == ["my whole first sentence and half of a"]
    (finished,) = rig.log.of(AnswerFinished)
    assert isinstance(finished, AnswerFinished) and finished.ended_by == "mic-lost"
    # Then the session goes on, typing: the next question is answered on the keyboard.
    rig.log.wait_for(QuestionAsked, 2)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
    assert any("microphone" in n.message for n in rig.log.of(Notice) if isinstance(n, Notice))
    rig.session.type_answer("6")
    rig.log.wait_for(Saved, 2)
    assert [e.step_id for e in rig.journal.entries] == ["situation", "importance"]


def test_microphone_stream_ending_mid_answer_saves_what_was_heard(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    _lose_mic_mid_answer(rig, rig.source.end)


def test_microphone_unplugged_mid_answer_saves_what_was_heard(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    _lose_mic_mid_answer(rig, lambda: rig.source.lose(DeviceLost("Test Mic")))
    assert any("Test Mic" in n.message for n in rig.log.of(Notice) if isinstance(n, Notice))


def test_microphone_lost_before_any_word_leaves_the_question_to_type(rigs: list[Rig]) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    rig.source.end()
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
    assert not rig.log.of(AnswerFinished), "nothing was said: the question is still open"
    rig.session.type_answer("typed instead")
    rig.log.wait_for(Saved)
    assert [(e.step_id, e.answer) for e in rig.journal.entries] == [("situation", "typed instead")]


def test_a_full_disk_keeps_the_session_going_and_saves_the_answer_later(
    rigs: list[Rig],
) -> None:
    # The real Journal: PRAGMA max_page_count makes SQLite hit SQLITE_FULL, the same error
    # path as a full filesystem (see test_journal_robustness.py).
    with Journal.open() as journal:
        rig = make_rig(mic=False, model=False, journal=journal)
        rigs.append(rig)
        rig.session.start()
        rig.log.wait_for(QuestionAsked)
        assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
        pages = journal._conn.execute("PRAGMA page_count").fetchone()[0]
        journal._conn.execute(f"PRAGMA max_page_count = {pages}")
        long_answer = "a long first answer " * 2000
        rig.session.type_answer(long_answer)

        def disk_full_notices() -> list[str]:
            notices = [e for e in rig.log.of(Notice) if isinstance(e, Notice)]
            return [n.message for n in notices if "disk is full" in n.message]

        assert rig.log.wait_until(lambda: bool(disk_full_notices()))
        assert "long first answer" not in disk_full_notices()[0]
        rig.log.wait_for(QuestionAsked, 2)
        assert not rig.log.of(SessionError) and not rig.session.ended
        assert not rig.log.of(Saved)
        assert journal.pending_count == 1

        journal._conn.execute("PRAGMA max_page_count = 1000000")  # space is back
        rig.session.type_answer("7")
        rig.log.wait_for(Saved)
        assert journal.pending_count == 0
        (row,) = journal.sessions()
        stored = [e.answer for e in journal.session(row.id).entries]
        assert stored == [long_answer.strip(), "7"]
        assert rig.session.stop(timeout=3.0)


def test_spoken_words_reach_the_dialogue_and_journal_with_times_and_confidences(
    rigs: list[Rig],
) -> None:
    rig = make_rig()
    rigs.append(rig)
    rig.recognizer.confidences["city"] = 0.42
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    say_answer(rig, "whether to move city")
    rig.session.end_turn()
    rig.log.wait_for(Saved)
    (words,) = rig.dialogue.words
    assert [(w.word, w.conf) for w in words] == [
        ("whether", 1.0), ("to", 1.0), ("move", 1.0), ("city", 0.42),
    ]  # fmt: skip
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(w.start < w.end for w in words)
    assert rig.journal.entries[0].words == words


def test_a_typed_answer_carries_no_words(rigs: list[Rig]) -> None:
    rig = make_rig(mic=False, model=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(QuestionAsked)
    rig.session.type_answer("a move")
    rig.log.wait_for(Saved)
    assert rig.dialogue.words == [()]
    assert rig.journal.entries[0].words == ()


def test_a_session_ended_before_any_answer_is_not_kept(rigs: list[Rig]) -> None:
    rig = make_rig(mic=False, model=False)
    rigs.append(rig)
    rig.session.start()
    rig.log.wait_for(QuestionAsked)
    rig.session.end()
    ended = rig.log.wait_for(SessionEnded)[0]
    assert isinstance(ended, SessionEnded) and ended.session_id is None
    assert ended.summary.answers == 0
    assert rig.journal.sessions == {} and rig.journal.entries == []


def test_a_real_journal_keeps_no_empty_session(rigs: list[Rig]) -> None:
    with Journal.open() as journal:
        kept = journal.start_session("checkin", "en", 1.0)
        journal.add_entry(kept, "feeling", "How are you?", "fine", at=2.0)
        rig = make_rig(mic=False, model=False, journal=journal)
        rigs.append(rig)
        rig.session.start()
        rig.log.wait_for(QuestionAsked)
        rig.session.end()
        rig.log.wait_for(SessionEnded)
        assert [s.id for s in journal.sessions()] == [kept]
