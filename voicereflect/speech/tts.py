"""Spoken output: an interruptible ``Speaker`` running one ``espeak-ng`` process per prompt.

Why not pyttsx3 (DESIGN.md's listed TTS library) for playback: its 2.99 espeak driver, the one
used on Linux, speaks only the last of several queued texts (pitfalls P1), turns every later
``say`` into a file write after one ``save_to_file`` (P2), can hang ``runAndWait`` forever
(P3), cannot be interrupted by ``stop()`` (P5), returns from ``runAndWait`` before the audio
has played (P4, so the microphone could not be muted for exactly as long as it speaks),
prints to our terminal and lets ``aplay`` write ALSA noise into it (P9), does not read back
its settings (P10), and leaves the spoken text on disk as a temp WAV if killed mid-playback
(P13). It is the same espeak-ng underneath, so we drive ``espeak-ng`` directly: the text goes
in on stdin (never argv, where ``ps`` would show it), stdout/stderr are captured, the process
lives exactly as long as its audio plays, and killing it silences it. Voices are listed by
parsing ``espeak-ng --voices``, which gives the same ids pyttsx3 would, without loading
libespeak-ng into our process. pyttsx3 stays the route to platforms without
espeak-ng (macOS nsss, Windows sapi5): ``pyttsx3_speaker.Pyttsx3Speaker`` runs it in a child
process per utterance, and ``speakers.make_speaker`` chooses between the two.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_

_log = logging.getLogger(__name__)

# Within the 200 ms the Speaker protocol promises for cancel(): SIGTERM first (espeak-ng
# exits at once and Pulse drops its buffered stream), SIGKILL if it has not gone by then.
_TERM_GRACE = 0.1
_KILL_GRACE = 0.09
# espeak-ng exits 0 even when it could not open any audio device; only stderr tells.
_NO_AUDIO_MARKERS = ("audio open error", "error: No such file or directory", "Connection refused")


def audio_failed(stderr: str) -> bool:
    """Whether espeak-ng's ``stderr`` says its audio was not played.

    espeak-ng prints each error of its audio library (pcaudiolib: PulseAudio, then ALSA) as
    an ``error: REASON`` line and still exits 0, whatever the reason: a refused or broken
    connection, a timeout, an unknown device. Voice errors start with a capital ``Error:``.
    """
    if any(marker in stderr for marker in _NO_AUDIO_MARKERS):
        return True
    return any(line.startswith("error: ") for line in stderr.splitlines())


# A voice for each language pack; others are passed to espeak-ng as they are.
_LANGUAGE_VOICES = {"en": "en-us", "ko": "ko"}
# The backstop for an espeak-ng that stalls (a wedged audio server, a hung process): twice
# the time the text takes at the set rate plus a margin, never under 10 s, then it is killed.
# Generous on purpose: cutting off a slow but healthy voice would be worse than waiting.
_MIN_TIMEOUT = 10.0
_TIMEOUT_MARGIN = 5.0


class TTSUnavailable(VoicereflectError):
    """espeak-ng is not installed, so questions cannot be spoken."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "espeak-ng is not installed, so questions cannot be spoken — install it with "
                "'sudo apt install espeak-ng' (or mute speech with voice.muted = true)"
            )
        )


class UnknownVoice(VoicereflectError):
    """The configured voice does not exist in espeak-ng."""

    def __init__(self, voice: str) -> None:
        super().__init__(
            N_(
                "there is no voice '{voice}' — pick one from 'voicereflect say --list-voices' "
                "and set voice.voice in the config"
            ),
            voice=voice,
        )


class SpeechStalled(VoicereflectError):
    """espeak-ng neither finished nor failed within far more than the text needs."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "the speech engine stopped answering and was stopped — check that sound works "
                "('voicereflect doctor'), or mute speech with voice.muted = true"
            )
        )


class NoAudioOutput(VoicereflectError):
    """Speech was produced but no speaker could be opened to play it."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "no speaker could be opened to play speech — check that sound works "
                "('voicereflect devices'), or mute speech with voice.muted = true"
            )
        )


@dataclass(frozen=True)
class Voice:
    """One espeak-ng voice: ``id`` is what ``voice.voice`` in the config takes."""

    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class SpeechDone:
    """How one utterance ended, given to ``on_done`` and kept as ``last_result``."""

    completed: bool  # played to its end
    cancelled: bool  # silenced by cancel() or a newer speak()
    error: VoicereflectError | None  # why it could not be played, if it could not
    started: float  # time.monotonic() when speak() was called
    ended: float  # time.monotonic() when the process (and so its audio) had finished


def unplayed(speaker: object) -> VoicereflectError | None:
    """Why the utterance that has just ended was not heard, when ``speaker`` knows.

    The speakers here keep how each utterance ended (``last_result``): a speech process that
    exited is not yet speech that was played (espeak-ng exits 0 without any speaker).
    """
    result = getattr(speaker, "last_result", None)
    if isinstance(result, SpeechDone) and not result.cancelled:
        return result.error
    return None


def espeak_path() -> str:
    """The ``espeak-ng`` executable.

    Raises:
        TTSUnavailable: It is not on ``PATH``.
    """
    path = shutil.which("espeak-ng")
    if path is None:
        raise TTSUnavailable()
    return path


def voice_for_language(language: str) -> str:
    """The espeak-ng voice for a language pack code, e.g. ``"en"`` → ``"en-us"``."""
    lang = language.strip().lower().replace("_", "-")
    return _LANGUAGE_VOICES.get(lang, lang or "en-us")


def parse_voices(listing: str) -> list[Voice]:
    """Parse the table ``espeak-ng --voices[=LANG]`` prints.

    Rows look like ``5  ko  --/M  Korean  ko`` or
    ``2  en-us  --/M  English_(America)  gmw/en-US  (en 3)``; names never contain spaces.
    """
    voices: list[Voice] = []
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 5 or not fields[0].isdigit():
            continue
        language, name, rest = fields[1], fields[3], " ".join(fields[5:])
        others = tuple(
            part.strip("() ").split()[0] for part in rest.split(")") if part.strip("() ")
        )
        languages = (language, *(o for o in others if o != language))
        voices.append(Voice(id=language, name=name.replace("_", " "), languages=languages))
    return voices


def list_voices(language: str | None = None) -> list[Voice]:
    """The installed voices, optionally only those for ``language`` (e.g. ``"ko"``).

    Raises:
        TTSUnavailable: espeak-ng is not installed.
    """
    arg = "--voices" if not language else f"--voices={language}"
    out = subprocess.run(
        [espeak_path(), arg], capture_output=True, text=True, timeout=10, check=False
    )
    return parse_voices(out.stdout)


class ChildSpeaker:
    """What the speakers share: one child process per utterance, waited on by a thread.

    Subclasses start the process in ``speak``, hand it to ``_begin``, and from their waiter
    thread call ``_release`` once it is gone, then ``_report`` with how it ended.
    """

    def __init__(self, on_done: Callable[[SpeechDone], None] | None) -> None:
        self.on_done = on_done
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._done = threading.Event()
        self._done.set()
        self._cancelled = False
        self._last: SpeechDone | None = None

    @property
    def is_speaking(self) -> bool:
        return not self._done.is_set()

    @property
    def last_result(self) -> SpeechDone | None:
        """How the most recent utterance ended (``None`` before the first ends)."""
        return self._last

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)

    def _begin(self, process: subprocess.Popen[bytes]) -> threading.Event:
        """Make ``process`` the current utterance; returns the event that marks its end."""
        done = threading.Event()
        with self._lock:
            self._process = process
            self._done = done
            self._cancelled = False
        return done

    def _release(self, process: subprocess.Popen[bytes]) -> bool:
        """Forget ``process`` (if still current); True if ``cancel`` silenced it."""
        with self._lock:
            cancelled = self._cancelled and self._process is process
            if self._process is process:
                self._process = None
        return cancelled

    def _report(self, result: SpeechDone, done: threading.Event) -> None:
        """Record how the utterance ended, mark it done, and tell ``on_done``."""
        self._last = result
        done.set()
        if self.on_done is not None:
            try:
                self.on_done(result)
            except Exception:  # the caller's bug must not kill this thread with a traceback
                _log.exception("speech on_done callback failed")


class EspeakSpeaker(ChildSpeaker):
    """A ``Speaker`` that runs one ``espeak-ng --stdin`` process per utterance.

    ``speak`` returns at once; a thread per utterance feeds the text and waits for the
    process, whose lifetime is the audio's: espeak-ng exits only once playback has drained,
    so ``is_speaking`` turning False (and ``on_done``) marks the end of the sound itself.
    """

    def __init__(
        self,
        voice: str = "",
        rate: int = 165,
        volume: float = 1.0,
        language: str = "en",
        on_done: Callable[[SpeechDone], None] | None = None,
    ) -> None:
        """Choose the voice and how it speaks.

        Args:
            voice: An espeak-ng voice id (see ``list_voices``); empty for the language's.
            rate: Words per minute.
            volume: 0.0 (silent) to 1.0 (espeak-ng's normal amplitude).
            language: Language pack code, used when ``voice`` is empty.
            on_done: Called from a background thread when each utterance has ended, however
                it ended. Keep it short and thread-safe (e.g. post a message).

        Raises:
            TTSUnavailable: espeak-ng is not installed (so callers can fall back to showing
                questions without speaking them).
        """
        self._exe = espeak_path()
        super().__init__(on_done)
        self.voice = voice or voice_for_language(language)
        self.rate = rate
        self.volume = min(1.0, max(0.0, volume))
        # The stall timeout's floor and margin in seconds (see timeout_for); tests shrink them.
        self.min_timeout = _MIN_TIMEOUT
        self.timeout_margin = _TIMEOUT_MARGIN

    def timeout_for(self, text: str) -> float:
        """Seconds an utterance of ``text`` may take before espeak-ng counts as stalled.

        Twice its speaking time at ``rate`` words per minute plus ``timeout_margin``, and
        never less than ``min_timeout``.
        """
        # Six characters a word as well, for scripts written without spaces between words.
        words = max(len(text.split()), len(text) / 6)
        speaking = words / max(self.rate, 1) * 60
        return max(self.min_timeout, speaking * 2 + self.timeout_margin)

    def command(self) -> list[str]:
        """The espeak-ng command line: settings only, the text goes on stdin."""
        return [
            self._exe,
            "--stdin",
            "-v",
            self.voice,
            "-s",
            str(self.rate),
            "-a",
            str(round(self.volume * 100)),
        ]

    def speak(self, text: str) -> None:
        """Start speaking ``text`` after silencing anything still playing; returns at once.

        Raises:
            TTSUnavailable: espeak-ng is not installed.
        """
        self.cancel()
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                self.command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                # Its own process group: a Ctrl-C in the terminal is ours to handle, and
                # espeak-ng must not die half-way through on its own.
                start_new_session=True,
            )
        except FileNotFoundError:
            raise TTSUnavailable() from None
        done = self._begin(process)
        threading.Thread(
            target=self._run, args=(process, text, done, started), name="tts", daemon=True
        ).start()

    def _run(
        self, process: subprocess.Popen[bytes], text: str, done: threading.Event, started: float
    ) -> None:
        err = b""
        stalled = False
        try:
            # communicate() writes stdin, closes it and drains stderr without deadlocking.
            _, err = process.communicate(text.encode("utf-8"), timeout=self.timeout_for(text))
        except subprocess.TimeoutExpired:
            # Stalled: kill its group outright (it has had far longer than it needed) so the
            # session stops "speaking" and listens again.
            stalled = True
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for pipe in (process.stdin, process.stderr):  # left open by the timed-out call
                with contextlib.suppress(OSError):
                    if pipe is not None:
                        pipe.close()
        except (BrokenPipeError, OSError, ValueError):
            process.wait()
        ended = time.monotonic()
        cancelled = self._release(process)
        stderr = err.decode(errors="replace")
        error: VoicereflectError | None = None
        if stalled:
            _log.info("espeak-ng stalled and was killed")
            error = SpeechStalled()
        elif "voice does not exist" in stderr:
            error = UnknownVoice(self.voice)
        elif audio_failed(stderr):
            error = NoAudioOutput()
        # Killed by anyone but our stall timeout (cancel, the OS) counts as silenced, not failed.
        killed = process.returncode in (-signal.SIGTERM, -signal.SIGKILL) and not stalled
        cancelled = cancelled or killed
        completed = process.returncode == 0 and error is None and not cancelled
        self._report(SpeechDone(completed, cancelled, error, started, ended), done)

    def cancel(self) -> None:
        """Silence speech now: SIGTERM, then SIGKILL; returns within about 200 ms."""
        with self._lock:
            process, done = self._process, self._done
            if process is None:
                return
            self._cancelled = True
        try:
            process.terminate()
            try:
                process.wait(_TERM_GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(_KILL_GRACE)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        # The waiter thread sets done right after the process is reaped.
        done.wait(0.05)
