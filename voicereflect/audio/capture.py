"""A microphone as an ``AudioSource``: sounddevice callback into a bounded queue."""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from voicereflect.audio.devices import DeviceInfo, find_input, sounddevice
from voicereflect.audio.errors import (
    AudioFileError,
    DeviceLost,
    InputSettingsError,
    NoInputDevice,
    PortAudioMissing,
)
from voicereflect.audio.levels import rms_level
from voicereflect.i18n import N_

__all__ = [
    "AudioFileError",
    "DeviceLost",
    "InputSettingsError",
    "MicSource",
    "NoInputDevice",
    "PortAudioMissing",
]

# How long stop() waits for PortAudio before giving up on it: abort() normally returns at
# once, but a stalled source can make even that slow (pitfalls S8), and a hang at exit is
# worse than a leaked stream.
_STOP_TIMEOUT = 2.0


class MicSource:
    """Mono int16 blocks from a microphone, implementing ``AudioSource``.

    The PortAudio callback runs at real-time priority and silently ends capture if it raises
    (pitfalls S4), so it does the least possible: copy the block into a bounded queue, and
    count the block as dropped when the reader has fallen ``queue_seconds`` behind. Levels and
    everything else happen on the reader's thread.
    """

    def __init__(
        self,
        device: str | int | None = None,
        sample_rate: int | None = None,
        block_seconds: float = 0.1,
        queue_seconds: float = 5.0,
        stall_seconds: float = 3.0,
    ) -> None:
        """Describe the capture; nothing is opened until ``start``.

        Args:
            device: Index, part of a name, or ``None``/``""`` for the system default.
            sample_rate: Rate to record at; ``None`` or 0 for the device's own rate.
            block_seconds: Length of each block.
            queue_seconds: Audio kept for a slow reader before blocks are dropped.
            stall_seconds: A running stream that delivers nothing for this long has lost
                its device (a vanished source often stalls rather than reporting an error).
        """
        self._device = device
        self._requested_rate = sample_rate or None
        self._block_seconds = block_seconds
        self._queue: queue.Queue[bytes] = queue.Queue(
            maxsize=max(1, round(queue_seconds / block_seconds))
        )
        self._rate: int | None = None
        self._info: DeviceInfo | None = None
        self._stream: Any = None
        self._level = 0.0
        self._dropped = 0
        self._overflows = 0
        self._callback_errors = 0
        self._finished = threading.Event()
        self._stopping = False
        self._stall_seconds = stall_seconds
        self._last_block_at = 0.0
        self._lock = threading.Lock()

    @property
    def sample_rate(self) -> int:
        """The rate being recorded at (the device is looked up if not started yet).

        Raises:
            NoInputDevice: No such microphone.
        """
        if self._rate is None:
            self._rate = self._choose_rate(self._resolve())
        return self._rate

    @property
    def level(self) -> float:
        return self._level

    @property
    def dropped_blocks(self) -> int:
        return self._dropped

    @property
    def overflows(self) -> int:
        """Times PortAudio itself reported lost input (the system fell behind, not us)."""
        return self._overflows

    @property
    def device_name(self) -> str:
        """The name of the microphone in use, or the one that will be."""
        return self._resolve().name

    def _resolve(self) -> DeviceInfo:
        if self._info is None:
            self._info = find_input(self._device)
        return self._info

    def _choose_rate(self, info: DeviceInfo) -> int:
        sd = sounddevice()
        rate = self._requested_rate or info.default_rate
        try:
            sd.check_input_settings(info.index, channels=1, dtype="int16", samplerate=rate)
        except sd.PortAudioError as exc:
            raise InputSettingsError(
                N_(
                    "the microphone '{device}' cannot record mono 16-bit at {rate} Hz "
                    "({reason}) — check it is plugged in; set audio.sample_rate = 0 in the "
                    "config to use its own rate"
                ),
                device=info.name,
                rate=rate,
                reason=exc,
            ) from None
        except ValueError as exc:
            raise InputSettingsError(
                N_("the microphone '{device}' cannot be used: {reason}"),
                device=info.name,
                reason=exc,
            ) from None
        return rate

    def _callback(self, indata: Any, frames: int, time: Any, status: Any) -> None:
        # Everything is caught: an exception here would end capture without a word.
        try:
            if status.input_overflow:
                self._overflows += 1
            self._queue.put_nowait(bytes(indata))
        except queue.Full:
            self._dropped += 1
        except Exception:
            self._callback_errors += 1

    def _on_finished(self) -> None:
        self._finished.set()

    def start(self) -> None:
        """Open the microphone and start recording.

        Raises:
            NoInputDevice: No microphone (or none matching the one asked for).
            InputSettingsError: It cannot record mono 16-bit at the rate asked for.
            PortAudioMissing: ``libportaudio2`` is not installed.
        """
        sd = sounddevice()
        info = self._resolve()
        rate = self.sample_rate
        # A restart must not hand out blocks, or a "lost" state, left from the last run.
        self._queue = queue.Queue(maxsize=self._queue.maxsize)
        self._finished.clear()
        try:
            stream = sd.RawInputStream(
                device=info.index,
                samplerate=rate,
                channels=1,
                dtype="int16",
                blocksize=max(1, round(rate * self._block_seconds)),
                # Headroom against scheduling jitter on a busy machine; we are not latency
                # bound (speech recognition), dropouts cost more than 100 ms of delay.
                latency="high",
                callback=self._callback,
                finished_callback=self._on_finished,
            )
            stream.start()
        except sd.PortAudioError as exc:
            raise NoInputDevice(
                N_(
                    "the microphone '{device}' cannot be opened ({reason}) — check it is "
                    "plugged in and not used by another program, or pick one with "
                    "'voicereflect devices'"
                ),
                device=info.name,
                reason=exc,
            ) from None
        with self._lock:
            self._stream = stream
            self._stopping = False
            self._last_block_at = time.monotonic()

    def read(self, timeout: float) -> bytes | None:
        """The next block, ``b""`` if none came within ``timeout``, ``None`` after ``stop``.

        Raises:
            DeviceLost: The microphone stopped delivering audio (unplugged, server gone).
        """
        try:
            block = self._queue.get(timeout=timeout)
        except queue.Empty:
            if self._stopping:
                return None
            if self._stream is not None and (
                self._finished.is_set()
                or time.monotonic() - self._last_block_at > self._stall_seconds
            ):
                raise DeviceLost(self._resolve().name) from None
            return b""
        self._last_block_at = time.monotonic()
        self._level = rms_level(block)
        return block

    def stop(self) -> None:
        """Stop recording: ``abort`` then ``close``, each given at most a few seconds."""
        with self._lock:
            stream, self._stream = self._stream, None
            self._stopping = True
        if stream is None:
            return

        def shut() -> None:
            try:
                stream.abort()
            finally:
                stream.close()

        # abort() may block on a wedged device; never let that hang the app's exit.
        closer = threading.Thread(target=shut, name="mic-close", daemon=True)
        closer.start()
        closer.join(_STOP_TIMEOUT)

    def __enter__(self) -> MicSource:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
