"""Recording the virtual speaker's monitor (spk.monitor), to hear what was played and when."""

from __future__ import annotations

import math
import subprocess
import threading
import time
from array import array
from collections.abc import Iterator
from typing import Protocol

import pytest

from tests.virtual_audio import VirtualAudio
from voicereflect.speech.tts import SpeechDone

RATE = 16000
WINDOW = 160  # 10 ms
LOUD = 0.01  # RMS; the null sink's monitor is exact zeros when nothing plays


class MonitorRecording:
    """Records the virtual speaker's monitor, timestamping each sample on arrival.

    A sample's time is when its chunk reached us minus how far before the chunk's end it
    lies, so times are slightly late (the monitor's own latency): measured silences after a
    cancel are upper bounds.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [
                "parecord",
                "--device=spk.monitor",
                "--raw",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=20",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._windows: list[tuple[float, float]] = []  # (time of last sample, RMS)
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        pending = b""
        while chunk := self._process.stdout.read1(1280):
            now = time.monotonic()
            pending += chunk
            samples = array("h")
            samples.frombytes(pending[: len(pending) // 2 * 2])
            whole = len(samples) // WINDOW * WINDOW
            # The last sample arrived now; earlier ones were played 1/RATE apart before it.
            windows = []
            for i in range(0, whole, WINDOW):
                window = samples[i : i + WINDOW]
                rms = math.sqrt(math.fsum(x * x for x in window) / WINDOW) / 32768
                windows.append((now - (len(samples) - (i + WINDOW)) / RATE, rms))
            pending = pending[whole * 2 :]
            with self._changed:
                self._windows.extend(windows)
                self._changed.notify_all()

    def wait_until(self, moment: float, timeout: float = 10.0) -> None:
        """Block until audio played at ``moment`` (monotonic) has been recorded."""
        with self._changed:
            ok = self._changed.wait_for(
                lambda: bool(self._windows) and self._windows[-1][0] >= moment, timeout
            )
        assert ok, "the speaker monitor stopped delivering audio"

    def wait_ready(self) -> None:
        self.wait_until(0.0, timeout=15.0)

    def wait_loud(self, after: float, timeout: float = 10.0) -> float:
        """Block until sound played after ``after`` is heard; return when it started."""
        with self._changed:
            ok = self._changed.wait_for(
                lambda: any(t >= after and rms > LOUD for t, rms in self._windows[-50:]),
                timeout,
            )
        assert ok, "nothing was heard on the speaker"
        return self.loud_times(after, math.inf)[0]

    def loud_times(self, start: float, end: float) -> list[float]:
        """Times of the 10 ms windows between ``start`` and ``end`` louder than ``LOUD``."""
        with self._changed:
            return [t for t, rms in self._windows if start <= t <= end and rms > LOUD]

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=5)
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def monitor(virtual_audio: VirtualAudio) -> Iterator[MonitorRecording]:
    recording = MonitorRecording()
    recording.wait_ready()
    yield recording
    recording.stop()


class _ReportingSpeaker(Protocol):
    def speak(self, text: str) -> None: ...

    def wait(self, timeout: float) -> bool: ...

    def cancel(self) -> None: ...

    @property
    def is_speaking(self) -> bool: ...


def cancel_mid_sentence(
    speaker: _ReportingSpeaker, monitor: MonitorRecording, text: str
) -> tuple[float, float, float]:
    """Cancel ``text`` well into its first sentence, as heard on the monitor.

    Returns (speak() to first sound, time cancel() took, last sound after the cancel), in
    seconds; asserts it really was speaking at the cancel and is silent afterwards.
    """
    begun = time.monotonic()
    speaker.speak(text)
    first = monitor.wait_loud(begun)
    monitor.wait_until(first + 0.8)  # well into the sentence
    cancelled_at = time.monotonic()
    speaker.cancel()
    returned = time.monotonic() - cancelled_at
    monitor.wait_until(cancelled_at + 0.8)
    assert not speaker.is_speaking
    assert monitor.loud_times(cancelled_at - 0.3, cancelled_at), "was not speaking at cancel"
    after = monitor.loud_times(cancelled_at, cancelled_at + 0.8)
    silent_after = (after[-1] - cancelled_at) if after else 0.0
    return first - begun, returned, silent_after


def speak_prompts_in_a_row(
    speaker: _ReportingSpeaker,
    results: list[SpeechDone],
    monitor: MonitorRecording,
    count: int = 5,
    timeout: float = 20.0,
) -> list[float]:
    """Speak ``count`` prompts one after another; each must be heard and end when it says.

    ``results`` is the list the speaker's ``on_done`` appends to. Returns the delay from
    ``speak()`` to the first sound of each prompt.
    """
    starts = []
    for i in range(count):
        speaker.speak(f"Question {i + 1}.")
        assert speaker.wait(timeout)
        result = results[-1]
        assert result.completed and result.error is None
        monitor.wait_until(result.ended)
        heard = monitor.loud_times(result.started, result.ended)
        assert len(heard) * WINDOW / RATE > 0.3, f"prompt {i + 1} was not heard"
        assert heard[-1] <= result.ended + 0.05  # done means the sound has finished
        starts.append(heard[0] - result.started)
    return starts
