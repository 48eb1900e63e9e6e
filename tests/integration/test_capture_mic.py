"""MicSource on the real stack: speech played into the virtual mic is captured whole."""

from __future__ import annotations

import subprocess
import time
import wave
from pathlib import Path

import pytest

from tests.virtual_audio import VirtualAudio
from voicereflect.audio.capture import MicSource
from voicereflect.audio.files import FileSource
from voicereflect.audio.levels import rms_level

pytestmark = pytest.mark.audio

LOUD = 0.02


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About two seconds of espeak-ng speech as a 16 kHz mono WAV."""
    folder = tmp_path_factory.mktemp("speech")
    raw = folder / "raw.wav"
    subprocess.run(
        ["espeak-ng", "--stdin", "-v", "en-us", "-w", str(raw)],
        input=b"Today I walked by the river and felt calm.",
        check=True,
        timeout=30,
    )
    wav = folder / "speech16k.wav"
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    return wav


def _loud_seconds(blocks: list[bytes], rate: int) -> float:
    return sum(len(b) / 2 / rate for b in blocks if rms_level(b) > LOUD)


@pytest.mark.parametrize("rate", [16000, 48000])
def test_mic_captures_played_speech_without_drops(
    virtual_audio: VirtualAudio, spoken: Path, rate: int
) -> None:
    with FileSource(spoken, block_seconds=0.05) as source:
        reference = []
        while (block := source.read(0.0)) is not None:
            reference.append(block)
    with wave.open(str(spoken)) as w:
        length = w.getnframes() / w.getframerate()

    mic = MicSource(sample_rate=rate, block_seconds=0.05)
    blocks: list[bytes] = []
    mic.start()
    try:
        assert mic.sample_rate == rate
        first = mic.read(5.0)
        assert first, "the virtual microphone delivered nothing"
        began = time.monotonic()
        virtual_audio.play(spoken, wait=False)
        # Real-time audio: record for the clip's length plus room for queueing and latency.
        while time.monotonic() - began < length + 1.5:
            block = mic.read(1.0)
            assert block is not None
            blocks.append(block)
        elapsed = time.monotonic() - began
    finally:
        mic.stop()

    captured_s = sum(len(b) for b in blocks) / 2 / rate
    print(
        f"\n{rate} Hz: captured {captured_s:.2f} s in {elapsed:.2f} s, loud "
        f"{_loud_seconds(blocks, rate):.2f} s vs file {_loud_seconds(reference, 16000):.2f} s, "
        f"dropped {mic.dropped_blocks}, overflows {mic.overflows}"
    )
    assert mic.dropped_blocks == 0
    captured = sum(len(b) for b in blocks) / 2 / rate
    assert captured == pytest.approx(elapsed, abs=0.3)  # no gaps: the clock's worth of audio
    heard = _loud_seconds(blocks, rate)
    expected = _loud_seconds(reference, 16000)
    assert expected > 0.5
    assert heard == pytest.approx(expected, rel=0.25)  # the whole utterance, not a fragment
    assert max(rms_level(b) for b in blocks) > 0.05
