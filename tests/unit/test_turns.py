"""Turn-taking: finals join into one answer until a key, an end phrase, or a long silence."""

from __future__ import annotations

from voicereflect.protocols import Final, Partial, Word
from voicereflect.speech.turns import Answer, TurnTaker, end_phrases_for


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.t = 100.0

    def monotonic(self) -> float:
        return self.t

    def now(self) -> float:
        return 1_700_000_000.0 + self.t


def _final(text: str, start: float = 0.0) -> Final:
    words = tuple(Word(w, start + i, start + i + 0.5, 0.9) for i, w in enumerate(text.split()))
    return Final(text, words)


def _taker(pause: float = 4.0) -> tuple[TurnTaker, FakeClock]:
    clock = FakeClock()
    return TurnTaker(pause, end_phrases_for("en"), clock), clock


def test_finals_separated_by_thinking_pauses_join_into_one_answer() -> None:
    taker, clock = _taker()
    assert taker.feed(_final("i went for a walk")) is None
    clock.t += 3.5  # a thinking pause shorter than the setting
    assert taker.poll() is None
    assert taker.feed(_final("and it helped", start=10)) is None
    clock.t += 3.9
    assert taker.poll() is None
    clock.t += 0.2
    answer = taker.poll()
    assert answer == Answer(
        "i went for a walk and it helped",
        _final("i went for a walk").words + _final("and it helped", start=10).words,
        "silence",
        ("i went for a walk", "and it helped"),
    )


def test_silence_before_anyone_speaks_never_ends_the_turn() -> None:
    taker, clock = _taker(pause=1.0)
    clock.t += 60
    assert taker.poll() is None
    assert not taker.started


def test_partials_count_as_speech_so_a_long_sentence_is_not_cut() -> None:
    taker, clock = _taker(pause=4.0)
    taker.feed(_final("first part"))
    clock.t += 3.0
    taker.feed(Partial("still talking"))
    clock.t += 3.0  # 6 s after the final, but only 3 s after the last speech
    assert taker.poll() is None
    taker.feed(_final("still talking here"))
    clock.t += 4.0
    answer = taker.poll()
    assert answer is not None and answer.text == "first part still talking here"


def test_spoken_end_phrase_ends_the_turn_and_is_removed() -> None:
    taker, _ = _taker()
    taker.feed(_final("it was a good day"))
    answer = taker.feed(_final("mostly good i'm done", start=20))
    assert answer is not None
    assert answer.ended_by == "phrase"
    assert answer.text == "it was a good day mostly good"
    assert [w.word for w in answer.words][-2:] == ["mostly", "good"]


def test_end_phrase_inside_a_sentence_does_not_end_the_turn() -> None:
    taker, _ = _taker()
    assert taker.feed(_final("next week i will call her")) is None


def test_longest_end_phrase_wins() -> None:
    taker, _ = _taker()
    answer = taker.feed(_final("that is it i am done"))
    assert answer is not None and answer.text == "that is it"


def test_key_ends_the_turn_with_what_was_said_and_keeps_unfinished_words() -> None:
    taker, _ = _taker()
    taker.feed(_final("one thing"))
    taker.feed(Partial("and another"))
    answer = taker.end_turn()
    assert answer.ended_by == "key"
    assert answer.text == "one thing and another"


def test_after_an_answer_the_next_turn_starts_empty() -> None:
    taker, clock = _taker(pause=2.0)
    taker.feed(_final("first answer"))
    assert taker.end_turn().text == "first answer"
    assert not taker.started
    clock.t += 10
    assert taker.poll() is None
    taker.feed(_final("second"))
    clock.t += 2
    answer = taker.poll()
    assert answer is not None and answer.text == "second"


def test_korean_end_phrase_and_user_extra_phrases() -> None:
    clock = FakeClock()
    taker = TurnTaker(4.0, end_phrases_for("ko", ["그게 다예요"]), clock)
    answer = taker.feed(_final("오늘 은 좋았 어요 다 했어요"))
    assert answer is not None and answer.text == "오늘 은 좋았 어요"
    answer = taker.feed(_final("괜찮 아요 그게 다예요"))
    assert answer is not None and answer.text == "괜찮 아요"


def test_empty_finals_are_not_speech() -> None:
    taker, clock = _taker(pause=1.0)
    taker.feed(Final(""))
    clock.t += 5
    assert taker.poll() is None


def test_the_silence_counts_from_the_last_new_word_not_from_vosks_late_endpoint() -> None:
    # Vosk confirms an utterance (the Final) only after its own trailing silence; that
    # confirmation is not speech, so it must not push the end of the turn further out.
    taker, clock = _taker(pause=2.0)
    taker.feed(Partial("i slept"))
    clock.t += 0.4
    taker.feed(Partial("i slept badly"))  # the last word heard
    clock.t += 0.8
    assert taker.feed(_final("i slept badly")) is None  # the endpoint, 0.8 s later
    clock.t += 1.3  # 2.1 s after the last word, 1.3 s after the endpoint
    answer = taker.poll()
    assert answer is not None
    assert (answer.text, answer.ended_by) == ("i slept badly", "silence")


def test_a_final_with_words_the_partials_never_showed_is_new_speech() -> None:
    taker, clock = _taker(pause=2.0)
    taker.feed(Partial("i slept"))
    clock.t += 1.0
    taker.feed(_final("i slept badly again"))
    clock.t += 1.5  # 2.5 s after the partial, 1.5 s after the final's new words
    assert taker.poll() is None
    clock.t += 0.6
    assert taker.poll() is not None


def test_with_a_vad_its_silence_ends_the_turn_not_the_recognizers_late_final() -> None:
    taker, clock = _taker(pause=1.5)
    taker.feed(Partial("i went for a walk"))
    taker.hear_voice(0.0)
    clock.t += 1.0
    # Vosk's final arrives late, after its own endpoint: it does not restart the pause.
    taker.feed(_final("i went for a walk"))
    taker.hear_voice(1.4)
    assert taker.poll() is None
    taker.hear_voice(1.5)
    answer = taker.poll()
    assert answer is not None and answer.ended_by == "silence"
    assert answer.text == "i went for a walk"


def test_vad_speech_without_words_does_not_end_the_turn() -> None:
    taker, _ = _taker(pause=1.5)
    taker.hear_voice(10.0)  # a cough heard as speech, then a long silence, no words
    assert taker.seconds_left() is None and taker.poll() is None


def test_words_the_recogniser_made_of_noise_the_vad_did_not_hear_end_no_turn() -> None:
    taker, clock = _taker(pause=1.5)
    taker.hear_voice(None)  # the VAD runs and has heard no speech
    taker.feed(_final("uh"))
    clock.t += 60
    assert taker.seconds_left() is None and taker.poll() is None


def test_speech_resuming_before_the_pause_cancels_the_countdown() -> None:
    taker, _ = _taker(pause=4.0)
    taker.feed(_final("i am not sure"))
    taker.hear_voice(3.2)
    left = taker.seconds_left()
    assert left is not None and abs(left - 0.8) < 1e-9  # the cue shows now (< 1 s)
    taker.hear_voice(0.0)  # they go on speaking
    assert taker.seconds_left() == 4.0 and taker.poll() is None


def test_pause_off_ends_turns_only_by_key_or_end_phrase() -> None:
    taker, clock = _taker(pause=0.0)
    taker.feed(_final("i went for a walk"))
    taker.hear_voice(600.0)
    clock.t += 600
    assert taker.seconds_left() is None and taker.poll() is None
    answer = taker.feed(_final("and that's all"))
    assert answer is not None and answer.ended_by == "phrase"
