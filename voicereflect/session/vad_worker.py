"""The voice-activity detector on a thread of its own, beside the decoder.

Silero takes about 1 ms a frame (~35 ms of CPU per second of audio, with the resampling).
On the listener thread it ran in series with Vosk: every block waited for both. Here the
listener hands each block over as it reads it, decodes the same block meanwhile (Vosk's
calls release the GIL, so the two use both cores), and collects the probabilities when it
needs them. The detector sees the same blocks in the same order as before, so its
probabilities are the same; only where they are computed changed.
"""

from __future__ import annotations

import logging
import queue
import threading

from voicereflect.protocols import VoiceDetector

log = logging.getLogger(__name__)

_Result = list[float] | BaseException


class VadWorker:
    """Runs ``detector.probabilities`` on its own thread, one block after another.

    ``submit`` each block as it is read; ``collect`` returns the probabilities of the
    latest block submitted (waiting for them). Blocks whose results nobody collected (the
    listener ignores them while the gate is closed) are still fed to the detector, in order,
    so its state follows the stream.

    Attributes:
        frame_seconds: The detector's frame length.
        probability: The highest frame probability of the latest block done ("hearing you").
    """

    def __init__(self, detector: VoiceDetector) -> None:
        self.frame_seconds = detector.frame_seconds
        self.probability = 0.0
        self._detector = detector
        self._jobs: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._results: queue.SimpleQueue[_Result] = queue.SimpleQueue()
        self._waiting = 0  # results submitted and not yet taken from ``_results``
        self._thread = threading.Thread(target=self._run, name="session-vad", daemon=True)
        self._thread.start()

    def submit(self, block: bytes) -> None:
        """Start on ``block``; results of earlier blocks not collected by now are dropped."""
        while self._waiting:
            try:
                self._take(block=False)
            except queue.Empty:
                break
        self._waiting += 1
        self._jobs.put(block)

    def collect(self) -> list[float]:
        """The probabilities of the frames the latest submitted block completed.

        Raises:
            Whatever the detector raised on this block or on one before it.
        """
        probs: list[float] = []
        while self._waiting:
            probs = self._take(block=True)
        return probs

    def close(self, timeout: float = 1.0) -> None:
        """Stop the thread once it has done the blocks submitted (daemon: never hangs exit)."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _take(self, *, block: bool) -> list[float]:
        result = self._results.get(block=block)
        self._waiting -= 1
        if isinstance(result, BaseException):
            raise result
        return result

    def _run(self) -> None:
        while (pcm := self._jobs.get()) is not None:
            try:
                probs = self._detector.probabilities(pcm)
            except BaseException as exc:  # handed to the listener, which reports it
                log.warning("voice-activity detector failed: %s", type(exc).__name__)
                self._results.put(exc)
                continue
            if probs:
                self.probability = max(probs)
            self._results.put(probs)
