"""Korean speech played into the virtual microphone, captured at 16 and 48 kHz, then recognised."""

from __future__ import annotations

import array
import wave

import pytest

from tests.integration.test_transcribe import KO_TOLERANCE, KO_WAV, edit_distance
from tests.virtual_audio import VirtualAudio
from voicereflect.config import Config, replace_setting
from voicereflect.protocols import Final
from voicereflect.speech.models import LoadedModel, load_model, resolve_model
from voicereflect.speech.recognizer import VoskRecognizer

pytestmark = [pytest.mark.audio, pytest.mark.slow]

SILENCE_AFTER = 1.5  # seconds of silence after the speech that mean the clip has played
# At 16 kHz the path is bit-exact (FIFO → Pulse → PortAudio, no resampling): measured
# distance 0 in 4 runs, so the file's own tolerance applies. At 48 kHz Pulse resamples up and
# Kaldi back down, and Vosk is noisier on that audio: 6 captures each decoded twice gave
# distances 1-8 from the file's transcript, and one capture decoded twice gave 1 and 8 (its
# own run-to-run spread: 7). 10 sits above that; no speech at all would be 27.
TOLERANCE = {16000: KO_TOLERANCE, 48000: 10}
ONSET = 64  # |sample| above this (-54 dBFS) is the speech starting; the feeder's silence is 0


def _from_onset(pcm: bytes) -> bytes:
    """The audio from the first sample of speech on.

    Kaldi's result on this low-confidence audio depends on where the speech falls within its
    10 ms frames and on how much silence its online CMVN/i-vector saw first: decoding the
    file after 0-0.5 s of leading silence gave transcripts up to 15 characters apart
    (measured, 12 random offsets at 16 and 48 kHz). The capture starts at a random moment,
    so both sides are cut at the onset, and what is compared is the audio path itself.
    """
    samples = array.array("h", pcm)
    start = next((i for i, v in enumerate(samples) if abs(v) > ONSET), len(samples))
    return pcm[2 * start :]


@pytest.fixture(scope="module")
def ko_model() -> LoadedModel:
    return load_model(resolve_model(replace_setting(Config(), "speech", language="ko")).path)


def _recognise(model: LoadedModel, pcm: bytes, rate: int) -> str:
    step = 2 * rate // 10  # 0.1 s blocks, as the app feeds them
    blocks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
    recognizer = VoskRecognizer(model, rate)
    finals = [e for e in (recognizer.accept(b) for b in blocks) if isinstance(e, Final)]
    last = recognizer.finish()
    return " ".join(f.text for f in [*finals, last] if f is not None)


@pytest.fixture(scope="module")
def direct(ko_model: LoadedModel) -> str:
    """The transcript of decoding the file itself, in this process, with this model."""
    with wave.open(str(KO_WAV)) as wav:
        pcm = wav.readframes(wav.getnframes())
    return _recognise(ko_model, _from_onset(pcm), 16000)


@pytest.mark.parametrize("rate", [16000, 48000])
def test_speech_through_the_virtual_mic_gives_the_files_transcript(
    virtual_audio: VirtualAudio, ko_model: LoadedModel, direct: str, rate: int
) -> None:
    from voicereflect.audio.capture import MicSource

    with wave.open(str(KO_WAV)) as wav:
        length = wav.getnframes() / wav.getframerate()
    # The default source is the virtual mic (scripts/virtual-audio sets it).
    mic = MicSource(sample_rate=rate)
    blocks: list[bytes] = []
    mic.start()
    try:
        assert mic.read(5.0), "the virtual microphone delivered nothing"
        virtual_audio.play(KO_WAV, wait=False)
        # Capture until the speech has come and gone: the feeder's silence is exact zeros.
        # Bounded by audio captured (never by sleeping): at most the clip plus 10 s.
        heard = quiet = captured = 0.0
        while captured < length + 10:
            block = mic.read(2.0)
            assert block is not None
            seconds = len(block) / 2 / rate
            captured += seconds
            blocks.append(block)
            if mic.level > 0.001:
                heard, quiet = heard + seconds, 0.0
            elif heard:
                quiet += seconds
                if quiet >= SILENCE_AFTER:
                    break
    finally:
        mic.stop()
    assert mic.dropped_blocks == 0
    assert heard > length / 2, f"only {heard:.1f} s of sound captured"
    transcript = _recognise(ko_model, _from_onset(b"".join(blocks)), rate)
    distance = edit_distance(transcript, direct)
    print(f"\n{rate} Hz: mic {transcript!r}\n   file {direct!r}\n   distance {distance}")
    assert distance <= TOLERANCE[rate], (transcript, direct)
