"""The Vosk recognizer on the real Korean model: last words kept, grammars switched safely.

The grammars are the ones the app really sends: the engine's ``Ask.grammar_hint`` for each
Korean step that has one (built by ``reflection.answers``), collected by walking the flows.
"""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_transcribe import KO_EXPECTED, KO_TOLERANCE, KO_WAV, edit_distance
from voicereflect.config import Config, replace_setting
from voicereflect.protocols import Final, Partial
from voicereflect.reflection import engine as e
from voicereflect.reflection.answers import is_skip, parse_rating, parse_yes_no, yes_no_words
from voicereflect.reflection.packs import load_pack
from voicereflect.speech.models import LoadedModel, load_model, resolve_model
from voicereflect.speech.recognizer import VoskRecognizer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ko_model() -> LoadedModel:
    info = resolve_model(replace_setting(Config(), "speech", language="ko"))
    return load_model(info.path)


@pytest.fixture(scope="module")
def ko_grammars() -> dict[str, tuple[str, ...]]:
    """``{"step (kind)": phrases}`` for every Korean question the engine asks with a grammar."""
    pack = load_pack("ko")
    found: dict[str, tuple[str, ...]] = {}

    def collect(actions: tuple[e.Action, ...]) -> None:
        for a in actions:
            if isinstance(a, e.Ask) and a.grammar_hint:
                found.setdefault(f"{a.step_id} ({a.kind})", a.grammar_hint)

    for flow in pack.flows:  # skipping walks every step; rating clarifications reuse theirs
        state, actions = e.start(pack, flow.id, at=0.0)
        collect(actions)
        for turn in range(100):
            if state.finished:
                break
            state, actions = e.step(state, e.Skipped(at=float(turn)))
            collect(actions)
        assert state.finished, flow.id
    # No shipped Korean step asks yes or no (the question after risk language is a choice
    # in free speech, so "아니요, 괜찮아요" is heard whole); a person's own pack can have one,
    # and for it the engine sends this grammar.
    found.setdefault("own_step (yesno)", yes_no_words("ko"))
    kinds = {key.split(" ")[1] for key in found}
    assert {"(rating0_10)", "(yesno)"} <= kinds, found.keys()
    return found


def _grammar(grammars: dict[str, tuple[str, ...]], kind: str) -> list[str]:
    return list(next(p for key, p in grammars.items() if key.endswith(f"({kind})")))


def _blocks(path: Path, seconds: float = 0.1) -> Iterator[bytes]:
    with wave.open(str(path)) as wav:
        frames = int(wav.getframerate() * seconds)
        while block := wav.readframes(frames):
            yield block


def _decode(recognizer: VoskRecognizer, blocks: list[bytes]) -> list[Final]:
    finals = []
    for block in blocks:
        event = recognizer.accept(block)
        if isinstance(event, Final):
            finals.append(event)
    return finals


def test_last_words_survive_stop(ko_model: LoadedModel) -> None:
    recognizer = VoskRecognizer(ko_model, 16000)
    finals = _decode(recognizer, list(_blocks(KO_WAV)))
    last = recognizer.finish()
    # The file ends mid-speech (no trailing silence, so no endpoint): only finish() has them.
    assert last is not None
    assert last.words and last.words[-1].end > 4.5
    text = " ".join(f.text for f in [*finals, last])
    assert edit_distance(text, KO_EXPECTED) <= KO_TOLERANCE, text
    assert recognizer.finish() is None  # nothing left twice


def test_partials_stream_while_speaking(ko_model: LoadedModel) -> None:
    recognizer = VoskRecognizer(ko_model, 16000)
    events = [recognizer.accept(b) for b in list(_blocks(KO_WAV))[:15]]
    partials = [e for e in events if isinstance(e, Partial)]
    assert partials and partials[-1].text
    # Only changes are reported, so two partials in a row never repeat the same text.
    assert all(a.text != b.text for a, b in zip(partials, partials[1:], strict=False))


def test_grammar_switching_mid_utterance_does_not_abort(
    ko_model: LoadedModel, ko_grammars: dict[str, tuple[str, ...]]
) -> None:
    blocks = list(_blocks(KO_WAV))
    recognizer = VoskRecognizer(ko_model, 16000)
    _decode(recognizer, blocks[:8])  # mid-word: Kaldi's recognizer is RUNNING here
    recognizer.set_grammar(_grammar(ko_grammars, "rating0_10"))
    _decode(recognizer, blocks[8:20])
    recognizer.set_grammar(_grammar(ko_grammars, "yesno"))
    _decode(recognizer, blocks[20:30])
    recognizer.set_grammar(None)
    finals = _decode(recognizer, blocks[30:])
    last = recognizer.finish()
    words = [w for f in [*finals, last] if f is not None for w in f.words]
    # Still alive, back to free speech, and word times stay on the stream's clock.
    assert recognizer.grammar is None
    assert words and all(w.start >= 3.0 for w in words)


def test_oov_phrases_are_dropped_from_a_grammar(ko_model: LoadedModel) -> None:
    recognizer = VoskRecognizer(ko_model, 16000, grammar=["건너뛰기", "다음", "다 했어요"])
    assert recognizer.grammar == ["다음", "다 했어요"]


def test_korean_grammars_the_app_sends_are_in_the_models_vocabulary(
    ko_model: LoadedModel, ko_grammars: dict[str, tuple[str, ...]]
) -> None:
    for key, phrases in ko_grammars.items():
        words = {w for p in phrases for w in p.split()}
        missing = {w for w in words if not ko_model.has_word(w)}
        # Vosk would drop these silently (pitfall V9): nobody could be heard saying them.
        assert not missing, f"{key}: not in the model's vocabulary: {missing}"
        kept = VoskRecognizer(ko_model, 16000, grammar=phrases).grammar or []
        # What survives the drop still carries every answer the question can take.
        assert any(is_skip(p, "ko") for p in kept), key
        if "(rating" in key:
            assert {parse_rating(p, "ko", 10) for p in kept} >= set(range(11)), key
        if "(yesno)" in key:
            assert {parse_yes_no(p, "ko") for p in kept} >= {True, False}, key


# With a broad 36-word Korean yes/no grammar, espeak-ng's "아니요" (no) was heard as "할게요"
# (yes); the grammar is now the narrow set in reflection/answers.py.
@pytest.mark.parametrize(("spoken", "expected"), [("네", True), ("아니요", False)])
def test_yes_no_grammar_hears_only_its_words(
    ko_model: LoadedModel,
    ko_grammars: dict[str, tuple[str, ...]],
    tmp_path: Path,
    spoken: str,
    expected: bool,
) -> None:
    raw, wav = tmp_path / "raw.wav", tmp_path / "answer.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ko", "--stdin", "-w", str(raw)],
        input=spoken.encode(), check=True, timeout=30,
    )  # fmt: skip
    subprocess.run(["sox", str(raw), "-r", "16000", str(wav), "pad", "0.3", "0.5"], check=True)
    phrases = _grammar(ko_grammars, "yesno")
    recognizer = VoskRecognizer(ko_model, 16000, grammar=phrases)
    finals = _decode(recognizer, list(_blocks(wav)))
    last = recognizer.finish()
    heard = " ".join(f.text for f in [*finals, last] if f is not None)
    assert all(any(word in p.split() for p in phrases) for word in heard.split()), heard
    assert parse_yes_no(heard, "ko") is expected
