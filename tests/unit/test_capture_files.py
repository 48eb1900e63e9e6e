"""FileSource: WAV at any rate, width and channel count, other formats via sox, clear errors."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import time
import wave
from array import array
from pathlib import Path

import pytest

from voicereflect.audio.errors import AudioFileError
from voicereflect.audio.files import FileSource


def _write_wav(
    path: Path, frames: bytes, rate: int, channels: int, width: int, tag: int = 1
) -> Path:
    """A RIFF/WAVE file written by hand, so 24-bit, float and EXTENSIBLE headers are possible."""
    block = channels * width
    if tag == 0xFFFE:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, width * 8)
        # cbSize, valid bits, channel mask, then the sub-format GUID starting with PCM (1)
        fmt += struct.pack("<HHI", 22, width * 8, 0) + struct.pack("<H", 1) + b"\0" * 14
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, width * 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"LIST" + struct.pack("<I", 4) + b"INFO"  # a chunk readers must skip
    body += b"data" + struct.pack("<I", len(frames)) + frames
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def _read_all(source: FileSource) -> array[int]:
    out = array("h")
    source.start()
    while (block := source.read(0.0)) is not None:
        out.frombytes(block)
    source.stop()
    return out


def _int16(values: list[int]) -> bytes:
    return array("h", values).tobytes()


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_mono_16bit_wav_keeps_its_rate_and_samples(tmp_path: Path, rate: int) -> None:
    samples = [int(8000 * math.sin(i / 5)) for i in range(rate // 2)]
    path = tmp_path / "a.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(_int16(samples))
    source = FileSource(path)
    assert source.sample_rate == rate
    assert source.duration == pytest.approx(0.5, abs=1 / rate)
    assert list(_read_all(source)) == samples


def test_blocks_are_block_seconds_long(tmp_path: Path) -> None:
    path = _write_wav(tmp_path / "a.wav", _int16([1] * 16000), 16000, 1, 2)
    source = FileSource(path, block_seconds=0.25)
    sizes = []
    while (block := source.read(0.0)) is not None:
        sizes.append(len(block))
    assert sizes == [8000, 8000, 8000, 8000]
    assert source.read(0.0) is None  # stays at the end


def test_stereo_is_mixed_down_to_mono(tmp_path: Path) -> None:
    frames = _int16([1000, 3000, -2000, -4000, 32767, 32767])
    source = FileSource(_write_wav(tmp_path / "s.wav", frames, 44100, 2, 2))
    assert list(_read_all(source)) == [2000, -3000, 32767]


def test_8bit_unsigned_becomes_signed_16bit(tmp_path: Path) -> None:
    source = FileSource(_write_wav(tmp_path / "u8.wav", bytes([128, 192, 0, 255]), 8000, 1, 1))
    assert list(_read_all(source)) == [0, 16384, -32768, 32512]


def test_24bit_extensible_keeps_the_top_16_bits(tmp_path: Path) -> None:
    def s24(v: int) -> bytes:
        return (v & 0xFFFFFF).to_bytes(3, "little")

    frames = s24(0x123456) + s24(-0x123456) + s24(0x7FFFFF)
    path = _write_wav(tmp_path / "24.wav", frames, 96000, 1, 3, tag=0xFFFE)
    source = FileSource(path)
    assert source.sample_rate == 96000
    assert list(_read_all(source)) == [0x1234, -0x1235, 0x7FFF]


def test_32bit_int_and_float(tmp_path: Path) -> None:
    ints = array("i", [0x40000000, -0x40000000]).tobytes()
    assert list(_read_all(FileSource(_write_wav(tmp_path / "i.wav", ints, 16000, 1, 4)))) == [
        0x4000,
        -0x4000,
    ]
    floats = array("f", [0.5, -1.0, 2.0]).tobytes()
    path = _write_wav(tmp_path / "f.wav", floats, 16000, 1, 4, tag=3)
    assert list(_read_all(FileSource(path))) == [16383, -32767, 32767]


def test_level_follows_the_last_block(tmp_path: Path) -> None:
    frames = _int16([0] * 1600 + [16384, -16384] * 800)
    source = FileSource(_write_wav(tmp_path / "l.wav", frames, 16000, 1, 2))
    source.read(0.0)
    assert source.level == 0.0
    source.read(0.0)
    assert source.level == pytest.approx(0.5)


def test_header_claiming_endless_data_reads_to_end_of_file(tmp_path: Path) -> None:
    # espeak-ng --stdout writes 0x7ffff000 as the data length (pitfalls §1).
    path = _write_wav(tmp_path / "s.wav", _int16([5] * 100), 16000, 1, 2)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"data") + 4
    raw[at : at + 4] = struct.pack("<I", 0x7FFFF000)
    path.write_bytes(bytes(raw))
    assert list(_read_all(FileSource(path))) == [5] * 100


def test_realtime_delivers_at_playback_pace(tmp_path: Path) -> None:
    path = _write_wav(tmp_path / "r.wav", _int16([0] * 4800), 16000, 1, 2)  # 0.3 s
    source = FileSource(path, block_seconds=0.1, realtime=True)
    started = time.monotonic()
    source.start()
    while source.read(1.0) is not None:
        pass
    assert time.monotonic() - started >= 0.19  # the third block is due at 0.2 s


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match=r"nope\.wav: no such file"):
        FileSource(tmp_path / "nope.wav")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="is a directory"):
        FileSource(tmp_path)


def test_truncated_wav_header_is_corrupt(tmp_path: Path) -> None:
    path = _write_wav(tmp_path / "t.wav", _int16([1] * 100), 16000, 1, 2)
    path.write_bytes(path.read_bytes()[:30])  # cut inside the fmt chunk
    with pytest.raises(AudioFileError, match=r"t\.wav is corrupt"):
        FileSource(path)


def test_unsupported_wav_encoding_says_how_to_convert(tmp_path: Path) -> None:
    path = _write_wav(tmp_path / "alaw.wav", b"\0" * 100, 8000, 1, 1, tag=6)
    with pytest.raises(AudioFileError, match=r"alaw\.wav .*cannot be read directly.*sox"):
        FileSource(path)


def test_garbage_is_refused_by_sox_with_the_file_named(tmp_path: Path) -> None:
    path = tmp_path / "noise.mp3"
    path.write_bytes(b"this is not audio at all" * 10)
    with pytest.raises(AudioFileError, match=r"noise\.mp3 cannot be decoded"):
        FileSource(path)


def test_without_sox_other_formats_say_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "song.flac"
    path.write_bytes(b"fLaC" + b"\0" * 100)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(AudioFileError, match=r"song\.flac is not a WAV file.*install sox"):
        FileSource(path)


def test_flac_is_decoded_through_sox(tmp_path: Path) -> None:
    sox = shutil.which("sox")
    assert sox, "sox is a test dependency (scripts/setup installs it)"
    wav = _write_wav(tmp_path / "a.wav", _int16([0, 1000, -1000, 2000] * 2000), 22050, 1, 2)
    flac = tmp_path / "a.flac"
    subprocess.run([sox, str(wav), str(flac)], check=True)
    source = FileSource(flac)
    assert source.sample_rate == 22050
    assert list(_read_all(source)) == [0, 1000, -1000, 2000] * 2000
