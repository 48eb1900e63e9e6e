"""An audio source over a file: WAV read directly, other formats converted by sox."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import time
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from voicereflect.audio.errors import AudioFileError
from voicereflect.audio.levels import rms_level
from voicereflect.i18n import N_, _

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE
# A length field this large (or larger than the file) means "until the end": espeak-ng
# --stdout and sox writing to a pipe cannot know the length when they write the header.
_STREAMING_SIZES = (0, 0xFFFFFFFF, 0x7FFFF000, 0x7FFFFFFF)
# 8-bit WAV is unsigned: flipping the top bit turns it into signed, the high byte of int16.
_U8_TO_S8 = bytes((b ^ 0x80) for b in range(256))


class NotWav(AudioFileError):
    """The file does not start with a RIFF/WAVE header (it may be another format)."""


@dataclass(frozen=True)
class WavFormat:
    """What a WAV header says about the samples that follow."""

    sample_rate: int
    channels: int
    bits: int
    is_float: bool
    data_size: int | None  # None: read to the end of the stream

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.bits // 8


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    return data if data is not None else b""


def read_wav_header(stream: IO[bytes], name: str) -> WavFormat:
    """Parse a RIFF/WAVE header up to the start of the sample data.

    Args:
        stream: Positioned at the start of the file (a pipe is fine: it only reads forward).
        name: How to name the file in an error.

    Raises:
        AudioFileError: Not a WAV file, or one this reader cannot decode.
    """
    riff = _read_exact(stream, 12)
    if len(riff) < 12 or riff[:4] not in (b"RIFF", b"RIFX") or riff[8:12] != b"WAVE":
        raise NotWav(N_("{name} is not a WAV file"), name=name)
    if riff[:4] == b"RIFX":
        raise AudioFileError(
            N_("{name} is a big-endian WAV (RIFX); convert it with sox first"), name=name
        )
    fmt: tuple[int, int, int, int] | None = None
    while True:
        head = _read_exact(stream, 8)
        if len(head) < 8:
            raise AudioFileError(N_("{name} is corrupt: no audio data in the WAV file"), name=name)
        chunk_id, size = head[:4], struct.unpack("<I", head[4:])[0]
        if chunk_id == b"fmt ":
            body = _read_exact(stream, size + (size & 1))
            if len(body) < 16:
                raise AudioFileError(
                    N_("{name} is corrupt: its WAV format block is truncated"), name=name
                )
            tag, channels, rate, _rate, _align, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]  # first two bytes of the GUID
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFileError(
                    N_("{name} is corrupt: audio data before its format"), name=name
                )
            tag, channels, rate, bits = fmt
            if channels < 1 or rate < 1:
                raise AudioFileError(
                    N_("{name} is corrupt: {channels} channels at {rate} Hz"),
                    name=name,
                    channels=channels,
                    rate=rate,
                )
            if not (tag == _PCM and bits in (8, 16, 24, 32)) and not (tag == _FLOAT and bits == 32):
                kind = "float" if tag == _FLOAT else f"format {tag}"
                raise AudioFileError(
                    N_(
                        "{name} uses {bits}-bit {kind} samples, which cannot be read directly "
                        "— convert it: sox FILE -b 16 OUT.wav"
                    ),
                    name=name,
                    bits=bits,
                    kind=kind,
                )
            data_size = None if size in _STREAMING_SIZES else size
            return WavFormat(rate, channels, bits, tag == _FLOAT, data_size)
        else:
            skipped = _read_exact(stream, size + (size & 1))
            if len(skipped) < size:
                raise AudioFileError(N_("{name} is corrupt: it ends inside a WAV chunk"), name=name)


def to_mono16(data: bytes, fmt: WavFormat) -> bytes:
    """Convert whole frames of ``fmt`` samples to mono int16 little-endian bytes."""
    width = fmt.bits // 8
    if fmt.is_float:
        floats = array("f")
        floats.frombytes(data)
        if sys.byteorder == "big":
            floats.byteswap()
        ints = array("h", (int(max(-1.0, min(1.0, f)) * 32767) for f in floats))
        if sys.byteorder == "big":
            ints.byteswap()
        data, width = ints.tobytes(), 2
    elif width != 2:
        # Keep the top two bytes of each (little-endian) sample: byte slicing is fast and
        # needs no numpy.
        out = bytearray(len(data) // width * 2)
        if width == 1:
            out[1::2] = data.translate(_U8_TO_S8)
        else:
            out[0::2] = data[width - 2 :: width]
            out[1::2] = data[width - 1 :: width]
        data, width = bytes(out), 2
    if fmt.channels == 1:
        return data
    samples = array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()
    n = fmt.channels
    channels = [samples[i::n] for i in range(n)]
    mixed = array("h", (sum(frame) // n for frame in zip(*channels, strict=True)))
    if sys.byteorder == "big":
        mixed.byteswap()
    return mixed.tobytes()


class FileSource:
    """Mono int16 blocks from an audio file, implementing ``AudioSource``.

    WAV is read directly: any rate, any number of channels (mixed down to mono), 8/16/24/32-bit
    integer or 32-bit float samples. Other formats (FLAC, MP3, OGG...) are converted by a
    ``sox`` child process writing to a pipe, so no decoded copy lands on disk. The file's own
    sample rate is kept: Vosk accepts any rate.
    """

    def __init__(self, path: str | Path, block_seconds: float = 0.1, realtime: bool = False):
        """Open ``path`` and read its header, so ``sample_rate`` is known before ``start``.

        Args:
            path: The audio file.
            block_seconds: Length of each block ``read`` returns.
            realtime: Deliver blocks at the pace of playback, like a microphone.

        Raises:
            AudioFileError: The file is missing, unreadable, corrupt or of an unknown format.
        """
        self._path = Path(path)
        self._name = str(path)
        self._realtime = realtime
        self._process: subprocess.Popen[bytes] | None = None
        self._stream = self._open()
        try:
            self._format = read_wav_header(self._stream, self._name)
        except NotWav:
            self._stream.close()
            # Not WAV: let sox decode it, if it is installed.
            self._stream = self._open_with_sox()
            try:
                self._format = read_wav_header(self._stream, self._name)
            except AudioFileError:
                raise self._sox_failure() from None
        except AudioFileError:
            self._stream.close()
            raise
        frames = max(1, round(self._format.sample_rate * block_seconds))
        self._block_bytes = frames * self._format.frame_bytes
        self._block_seconds = frames / self._format.sample_rate
        self._remaining = self._format.data_size
        self._level = 0.0
        self._started_at: float | None = None
        self._blocks = 0
        self._ended = False

    def _open(self) -> IO[bytes]:
        try:
            return self._path.open("rb")
        except FileNotFoundError:
            raise AudioFileError(N_("{name}: no such file"), name=self._name) from None
        except IsADirectoryError:
            raise AudioFileError(
                N_("{name} is a directory, not an audio file"), name=self._name
            ) from None
        except OSError as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: OSError) -> AudioFileError:
        return AudioFileError(
            N_("{name} cannot be read: {reason}"), name=self._name, reason=exc.strerror
        )

    def _open_with_sox(self) -> IO[bytes]:
        sox = shutil.which("sox")
        if sox is None:
            raise AudioFileError(
                N_(
                    "{name} is not a WAV file; to read other formats install sox "
                    "('sudo apt install sox'), or convert it to WAV"
                ),
                name=self._name,
            )
        self._process = subprocess.Popen(
            [sox, "-V1", str(self._path), "-t", "wav", "-e", "signed-integer", "-b", "16", "-"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        return self._process.stdout

    def _sox_failure(self) -> AudioFileError:
        err = b""
        if self._process is not None:
            try:
                _out, err = self._process.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None
        lines = [ln for ln in err.decode(errors="replace").splitlines() if ln.strip()]
        reason = lines[-1].removeprefix("sox FAIL formats: ") if lines else _("unknown format")
        return AudioFileError(
            N_("{name} cannot be decoded: {reason}"), name=self._name, reason=reason
        )

    def _close_process(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)
            self._process = None

    @property
    def sample_rate(self) -> int:
        return self._format.sample_rate

    @property
    def level(self) -> float:
        return self._level

    @property
    def dropped_blocks(self) -> int:
        return 0  # a file never runs ahead of its reader

    @property
    def duration(self) -> float | None:
        """Length in seconds when the header says (not for files piped through sox)."""
        if self._format.data_size is None:
            return None
        return self._format.data_size / self._format.frame_bytes / self._format.sample_rate

    def start(self) -> None:
        self._started_at = time.monotonic()

    def read(self, timeout: float = 0.0) -> bytes | None:
        """The next block of mono int16 samples, or ``None`` at the end of the file.

        Raises:
            AudioFileError: The file could not be read to its end.
        """
        if self._ended:
            return None
        if self._realtime:
            if self._started_at is None:
                self._started_at = time.monotonic()
            due = self._started_at + self._blocks * self._block_seconds
            wait = due - time.monotonic()
            if wait > timeout:
                time.sleep(max(0.0, timeout))
                return b""
            if wait > 0:
                time.sleep(wait)
        size = self._block_bytes
        if self._remaining is not None:
            size = min(size, self._remaining)
        try:
            data = _read_exact(self._stream, size) if size else b""
        except OSError as exc:
            raise self._unreadable(exc) from None
        whole = len(data) - len(data) % self._format.frame_bytes
        if whole == 0:
            self._finish()
            return None
        if self._remaining is not None:
            self._remaining -= len(data)
        self._blocks += 1
        pcm = to_mono16(data[:whole], self._format)
        self._level = rms_level(pcm)
        return pcm

    def _finish(self) -> None:
        self._ended = True
        if self._process is not None:
            err = b""
            try:
                _out, err = self._process.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            failed = self._process.returncode not in (0, None)
            self._process = None
            if failed:
                lines = [ln for ln in err.decode(errors="replace").splitlines() if ln.strip()]
                reason = lines[-1] if lines else _("sox failed")
                raise AudioFileError(
                    N_("{name} cannot be decoded: {reason}"), name=self._name, reason=reason
                )

    def stop(self) -> None:
        """Close the file (and stop sox); never hangs."""
        self._ended = True
        try:
            self._stream.close()
        finally:
            self._close_process()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
