"""Playing mono int16 audio on the speaker: stored answers and short sound cues."""

from __future__ import annotations

import atexit
import math
import threading
from array import array
from typing import Any

from voicereflect.audio.devices import default_output, sounddevice
from voicereflect.audio.errors import NoOutputDevice
from voicereflect.i18n import N_

CUE_RATE = 22050
# Two short rising notes invite speech; two falling ones confirm a save. Quiet and brief, so
# they are a cue, not an interruption.
CUES: dict[str, tuple[tuple[float, float], ...]] = {
    "listening": ((660.0, 0.08), (880.0, 0.1)),
    "saved": ((880.0, 0.08), (660.0, 0.1)),
}


def tone(frequency: float, seconds: float, rate: int = CUE_RATE, volume: float = 0.25) -> bytes:
    """A sine tone as mono int16 bytes, faded in and out over 10 ms so it does not click."""
    frames = round(seconds * rate)
    fade = max(1, min(frames // 2, round(0.01 * rate)))
    samples = array("h")
    for i in range(frames):
        envelope = min(1.0, i / fade, (frames - 1 - i) / fade)
        samples.append(
            round(32767 * volume * envelope * math.sin(2 * math.pi * frequency * i / rate))
        )
    return samples.tobytes()


def cue_pcm(name: str, rate: int = CUE_RATE) -> bytes:
    """The audio of a named cue (``"listening"`` or ``"saved"``)."""
    return b"".join(tone(f, s, rate) for f, s in CUES[name])


# Streams being played, and an Event that asks them to stop between two 100 ms writes. A cue
# thread still writing when sounddevice's own atexit handler terminates PortAudio wrote into
# freed memory: the heap was corrupted and the process died at exit (SIGSEGV, or SIGABRT in
# Vosk's Model.__del__, where malloc noticed). Our handler runs first and waits for them.
_playing = threading.Condition()
_streams = 0
_exiting = threading.Event()
_registered = threading.Lock()
_EXIT_WAIT = 2.0


def _stop_playing() -> None:
    """At exit, before PortAudio is terminated: stop every stream and wait until it closed."""
    _exiting.set()
    with _playing:
        _playing.wait_for(lambda: _streams == 0, timeout=_EXIT_WAIT)


def _count(change: int) -> None:
    global _streams
    with _playing:
        _streams += change
        _playing.notify_all()


def _stop_at_exit_before_portaudio() -> None:
    # atexit runs handlers last-registered first; registering after sounddevice is imported
    # (it registers its terminate handler on import) puts ours before it.
    if _registered.acquire(blocking=False):
        atexit.register(_stop_playing)


def play_pcm(pcm: bytes, rate: int, device: int | str | None = None) -> None:
    """Play mono int16 ``pcm`` and return when it has been played; Ctrl-C stops it at once.

    Raises:
        NoOutputDevice: There is no speaker, or it cannot be opened.
        PortAudioMissing: ``libportaudio2`` is not installed.
    """
    sd = sounddevice()
    _stop_at_exit_before_portaudio()
    if device is None:
        device = default_output().index
    _count(+1)
    try:
        _play(sd, pcm, rate, device)
    finally:
        _count(-1)


def _play(sd: Any, pcm: bytes, rate: int, device: int | str) -> None:
    try:
        # 100 ms: PortAudio's "low" default stalls writes through the ALSA-Pulse plugin.
        stream = sd.RawOutputStream(
            samplerate=rate, channels=1, dtype="int16", device=device, latency=0.1
        )
        stream.start()
    except sd.PortAudioError as exc:
        raise NoOutputDevice(
            N_("the speaker cannot be opened ({reason}) — check 'voicereflect devices'"),
            reason=exc,
        ) from None
    chunk = max(2, rate // 10 * 2)  # 100 ms writes, so an interrupt is handled quickly
    # stop() does not drain through the ALSA-Pulse plugin: it drops what is still buffered
    # (measured: the last ~latency of a tone was never heard). Trailing silence one buffer
    # long makes what is dropped silence.
    pcm = pcm[: len(pcm) - len(pcm) % 2] + bytes(2 * round(rate * (float(stream.latency) + 0.1)))
    try:
        for start in range(0, len(pcm), chunk):
            if _exiting.is_set():
                stream.abort()
                return
            stream.write(pcm[start : start + chunk])
        stream.stop()  # waits for what is buffered to be heard
    except BaseException:
        stream.abort()
        raise
    finally:
        stream.close()


def play_cue(name: str) -> threading.Thread:
    """Start playing a named cue in the background; a missing speaker is silently skipped.

    Returns:
        The playing thread (join it to wait for the end of the cue).
    """
    pcm = cue_pcm(name)

    def run() -> None:
        try:
            play_pcm(pcm, CUE_RATE)
        except Exception:  # a cue is a nicety: no speaker must not disturb the session
            return

    thread = threading.Thread(target=run, name=f"cue-{name}", daemon=True)
    thread.start()
    return thread
