"""The support offer is heard: the real session runner, real espeak-ng, the virtual speaker.

After a risk answer the speaker monitor must record speech as long as the offer and its
contacts take espeak-ng to say, and that very text is what the runner gave espeak-ng; a
"no, I'm fine" goes on with the reflection, and ending then says the contacts once more.
"""

from __future__ import annotations

import math
import subprocess
import threading
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes import EventLog, MemoryJournal
from tests.speaker_monitor import LOUD, RATE, WINDOW, MonitorRecording
from tests.speaker_monitor import monitor as monitor  # noqa: F401  (the fixture)
from voicereflect.clock import SystemClock
from voicereflect.config import Config
from voicereflect.reflection import engine as e
from voicereflect.reflection.packs import load_pack
from voicereflect.reflection.safety import load_support_contacts, spoken_contacts
from voicereflect.session import Session, SessionParts
from voicereflect.session.dialogue import EngineDialogue
from voicereflect.session.events import QuestionAsked, SessionEnded, SupportOffered
from voicereflect.speech.tts import EspeakSpeaker, SpeechDone
from voicereflect.speech.turns import TurnTaker

pytestmark = pytest.mark.audio


class SpyingEspeak(EspeakSpeaker):
    """The real espeak-ng speaker, noting each text it is given and how each utterance ended."""

    def __init__(self, language: str) -> None:
        self.texts: list[str] = []
        self.done: list[SpeechDone] = []
        self._changed = threading.Condition()
        super().__init__(language=language, on_done=self._ended)

    def speak(self, text: str) -> None:
        with self._changed:
            self.texts.append(text)
        super().speak(text)

    def _ended(self, result: SpeechDone) -> None:
        with self._changed:
            self.done.append(result)
            self._changed.notify_all()

    def result_of(self, index: int, timeout: float = 120.0) -> SpeechDone:
        """How utterance ``index`` (in the order spoken) ended, once it has."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.done) > index, timeout)
            return self.done[index]


def _speech_seconds(speaker: EspeakSpeaker, text: str, tmp: Path) -> float:
    """How long espeak-ng's own rendering of ``text`` is loud, measured as the monitor does."""
    wav = tmp / "expected.wav"
    command = speaker.command() + ["-w", str(wav)]
    subprocess.run(command, input=text.encode(), check=True, timeout=120)
    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        samples = array("h")
        samples.frombytes(w.readframes(w.getnframes()))
    window = rate // 100  # 10 ms, like the monitor
    loud = 0
    for i in range(0, len(samples) - window + 1, window):
        chunk = samples[i : i + window]
        rms = math.sqrt(math.fsum(x * x for x in chunk) / window) / 32768
        loud += rms > LOUD
    return loud * 0.01


def _heard_seconds(monitor: MonitorRecording, done: SpeechDone) -> float:
    monitor.wait_until(done.ended + 0.3)
    return len(monitor.loud_times(done.started, done.ended + 0.3)) * WINDOW / RATE


def _wait(log: EventLog, predicate: Callable[[], bool], timeout: float = 120.0) -> None:
    assert log.wait_until(predicate, timeout), [type(x).__name__ for x in log.events]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "risk", "fine", "digits"),
    [
        ("en", "I've been thinking about killing myself, like actually how", "no, I'm fine",
         "9 8 8"),
        ("ko", "그냥 다 끝내고 싶어요. 내가 없어지면 다들 더 편해질 것 같아요", "아니요 괜찮아요",
         "1 0 9"),
    ],
)  # fmt: skip
def test_a_risk_answer_is_heard_back_with_the_contacts_and_no_im_fine_goes_on(
    monitor: MonitorRecording, tmp_path: Path, lang: str, risk: str, fine: str, digits: str
) -> None:
    pack = load_pack(lang)
    contacts = load_support_contacts(lang)
    speaker = SpyingEspeak(lang)
    journal = MemoryJournal()
    clock = SystemClock()
    parts = SessionParts(
        dialogue=EngineDialogue(pack, "open", clock=clock, nudge_minutes=0, contacts=contacts),
        open_journal=lambda: journal,
        turn_taker=lambda phrases: TurnTaker(4.0, phrases, clock),
        speaker=speaker,
    )  # fmt: skip
    log = EventLog()
    session = Session(Config(), parts, log)
    session.start()
    try:
        _wait(log, lambda: len(log.of(QuestionAsked)) >= 1)
        session.type_answer(risk)  # cuts the first question short, as a typed answer does
        _wait(log, lambda: bool(log.of(SupportOffered)))
        # The choice is asked only once the offer has been said to its end.
        _wait(log, lambda: len(log.of(QuestionAsked)) >= 2)
        choice = log.of(QuestionAsked)[1]
        assert isinstance(choice, QuestionAsked) and choice.step == e.SUPPORT_STEP
        said = f"{pack.language.support_offer} {spoken_contacts(contacts)}"
        offer_index = speaker.texts.index(said)  # exactly this went to espeak-ng
        assert digits in said
        offer = speaker.result_of(offer_index)
        assert offer.completed, "the offer was cut off"
        heard = _heard_seconds(monitor, offer)
        expected = _speech_seconds(speaker, said, tmp_path)
        print(f"\n{lang}: offer heard {heard:.1f} s, espeak-ng renders {expected:.1f} s")
        assert expected > 8.0, "the contacts make the offer long"
        assert heard == pytest.approx(expected, rel=0.2)

        session.type_answer(fine)  # cuts the choice question; the reflection goes on
        _wait(log, lambda: len(log.of(QuestionAsked)) >= 3)
        after = log.of(QuestionAsked)[2]
        assert isinstance(after, QuestionAsked) and not after.step.startswith("_")
        assert not session.ended

        session.end()  # ending now still says the contacts once more
        _wait(log, lambda: bool(log.of(SessionEnded)))
        farewell_text = f"{pack.language.support_farewell} {spoken_contacts(contacts)}"
        farewell = speaker.result_of(speaker.texts.index(farewell_text))
        assert farewell.completed
        assert _heard_seconds(monitor, farewell) > 0.6 * expected
    finally:
        assert session.stop(timeout=10.0)
    assert [x.step_id for x in journal.entries][-1] == e.SUPPORT_STEP
