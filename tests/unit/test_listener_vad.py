"""The listener with a voice-activity detector: the VAD's own thread, and the cue's second.

The session runs with ``ScriptedVad`` (speech in the blocks ``speech()`` makes) and the
scripted recognizer; the VAD worker is also checked against the real Silero VAD.
"""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from tests.fakes import ScriptedVad, silence, speech
from tests.unit.test_session import Rig, make_rig
from voicereflect.audio.vad import SileroVad
from voicereflect.config import Config, replace_setting
from voicereflect.session.events import (
    AnswerFinished,
    ModelReady,
    Saved,
    SessionState,
    TurnClosing,
)
from voicereflect.session.vad_worker import VadWorker

SPEECH = Path(__file__).parent.parent / "data" / "ko-espeak.wav"
BLOCK = len(silence(0.1))


def _listening(config: Config | None = None) -> Rig:
    rig = make_rig(vad=True, pause=1.5, config=config)
    rig.session.start()
    rig.log.wait_for(ModelReady)
    assert rig.log.wait_until(lambda: rig.session.state is SessionState.LISTENING)
    return rig


def _silent_fed(rig: Rig) -> list[int]:
    """Indexes of the silent blocks the recognizer was fed."""
    return [i for i, b in enumerate(rig.recognizer.fed) if b[:2] not in (b"F:", b"P:")]


def _ended_by(rig: Rig) -> str:
    finished = rig.log.of(AnswerFinished)[0]
    assert isinstance(finished, AnswerFinished)
    return finished.ended_by


def test_the_cue_second_is_not_decoded_and_silence_ends_the_turn() -> None:
    rig = _listening()
    try:
        rig.source.push(speech("thinking aloud"), level=0.3)
        for _ in range(25):  # 2.5 s of silence: the pause is 1.5 s
            rig.source.push(silence(), level=0.0)
        rig.log.wait_for(Saved)
        assert _ended_by(rig) == "silence"
        assert rig.journal.entries[0].answer == "thinking aloud"
        assert rig.log.of(TurnClosing) == [TurnClosing(True), TurnClosing(False)]
        # Decoded: the speech and the half second of silence before the cue (0.5 s of
        # 32 ms frames ends inside the 6th block); the second after it never was.
        assert len(_silent_fed(rig)) == 6
    finally:
        assert rig.session.stop(timeout=3.0)


def test_speech_in_the_cue_second_cancels_it_and_nothing_said_is_lost() -> None:
    rig = _listening()
    try:
        rig.source.push(speech("thinking aloud"), level=0.3)
        for _ in range(9):
            rig.source.push(silence(), level=0.0)
        assert rig.log.wait_for(TurnClosing) == [TurnClosing(True)]
        assert rig.source.wait_consumed()
        rig.source.push(speech("and then some more"), level=0.3)
        for _ in range(25):
            rig.source.push(silence(), level=0.0)
        rig.log.wait_for(Saved)
        assert rig.journal.entries[0].answer == "thinking aloud and then some more"
        assert rig.log.of(TurnClosing)[:2] == [TurnClosing(True), TurnClosing(False)]
        # The held blocks went to the decoder after all, in order, before the new words.
        fed = rig.recognizer.fed
        second = next(i for i, b in enumerate(fed) if b.startswith(b"F:and"))
        assert fed[1:second] == [silence()] * 9
    finally:
        assert rig.session.stop(timeout=3.0)


def test_a_key_in_the_cue_second_decodes_what_was_held() -> None:
    rig = _listening()
    try:
        rig.source.push(speech("thinking aloud"), level=0.3)
        for _ in range(9):
            rig.source.push(silence(), level=0.0)
        rig.log.wait_for(TurnClosing)
        assert rig.source.wait_consumed()
        assert len(_silent_fed(rig)) < 9  # some are held
        rig.session.end_turn()
        rig.log.wait_for(Saved)
        assert _ended_by(rig) == "key"
        assert len(_silent_fed(rig)) == 9
    finally:
        assert rig.session.stop(timeout=3.0)


def test_the_recording_keeps_the_cue_second_it_did_not_decode() -> None:
    rig = _listening(replace_setting(Config(), "audio", keep_audio=True))
    try:
        rig.source.push(speech("kept"), level=0.3)
        for _ in range(25):
            rig.source.push(silence(), level=0.0)
        rig.log.wait_for(Saved)
        audio = rig.journal.entries[0].audio
        assert audio is not None and audio.startswith(b"F:kept")
        # The speech and every block up to the end of the pause (1.5 s of 32 ms frames
        # ends in the 15th silent block), though only 6 of those were decoded.
        assert len(audio) == 16 * BLOCK
        assert len(_silent_fed(rig)) == 6
    finally:
        assert rig.session.stop(timeout=3.0)


def _blocks() -> list[bytes]:
    with wave.open(str(SPEECH)) as w:
        pcm = w.readframes(w.getnframes())
    return [pcm[i : i + BLOCK] for i in range(0, len(pcm), BLOCK)]


def test_the_worker_gives_silero_s_probabilities_as_the_listener_thread_did() -> None:
    blocks = _blocks()
    direct = SileroVad(16000)
    expected = [direct.probabilities(b) for b in blocks]
    worker = VadWorker(SileroVad(16000))
    try:
        got = []
        for b in blocks:
            worker.submit(b)
            got.append(worker.collect())
        assert got == expected
        assert any(p > 0.5 for ps in got for p in ps)
        assert worker.probability == max(expected[-1])
    finally:
        worker.close()


def test_blocks_nobody_collected_still_reach_the_detector_in_order() -> None:
    vad = ScriptedVad()
    worker = VadWorker(vad)
    try:
        for _ in range(5):  # the gate closed: results not wanted
            worker.submit(silence())
        worker.submit(speech("hello"))
        assert worker.collect() == [1.0, 1.0, 1.0]  # 3 frames of 32 ms end in this block
        assert vad.blocks == 6
    finally:
        worker.close()


class _Broken(ScriptedVad):
    def probabilities(self, pcm: bytes) -> list[float]:
        raise RuntimeError("model failed")


def test_a_detector_failure_reaches_the_listener() -> None:
    worker = VadWorker(_Broken())
    try:
        worker.submit(silence())
        with pytest.raises(RuntimeError, match="model failed"):
            worker.collect()
    finally:
        worker.close()
