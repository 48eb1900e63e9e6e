"""``Pyttsx3Speaker``: a ``Speaker`` running pyttsx3 in one child process per utterance.

pyttsx3 is the only route to the macOS (nsss) and Windows (sapi5) voices, but a long-lived
pyttsx3 engine is unreliable (pitfalls P1–P13: dropped prompts, sticky state, hangs, no
interruption, an early "done"). So each utterance gets a fresh ``pyttsx3_child`` process in its
own session (process group): the text and settings go in on stdin as JSON (never argv), the
child's stdout/stderr (pyttsx3's prints, aplay's ALSA noise) are captured, and

* finished = every process of that group is gone. The espeak driver plays through
  ``os.system("aplay …")``, a grandchild, and ``runAndWait`` may return before it has played
  (P4), so neither the child's exit nor pyttsx3's callbacks alone can be trusted;
* cancel = SIGTERM to the group, SIGKILL after 100 ms: silence within 200 ms;
* the driver's temp WAV (P13) is written in a private 0700 directory per utterance inside the
  data dir (``TMPDIR`` for the child), removed when the utterance ends however it ended;
  directories left by a crashed run are removed when a speaker is created.

Voices are listed by a child too, with a timeout, so pyttsx3 never loads into our process.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.speech import pyttsx3_child as child
from voicereflect.speech.tts import (
    ChildSpeaker,
    NoAudioOutput,
    SpeechDone,
    TTSUnavailable,
    UnknownVoice,
    Voice,
)

_log = logging.getLogger(__name__)

CHILD_MODULE = "voicereflect.speech.pyttsx3_child"
_TERM_GRACE = 0.1  # SIGTERM, then SIGKILL after this: the 200 ms cancel budget
_KILL_GRACE = 0.08
_POLL = 0.005  # how often the group is checked once the child itself has gone
_KILLED = (-signal.SIGTERM, -getattr(signal, "SIGKILL", 9))  # return codes of a killed child
_ZOMBIE_CHECK = 0.5  # after this, members that are only zombies no longer count
# The same stderr signs EspeakSpeaker looks for: aplay exits 0 without a device too.
_NO_AUDIO_MARKERS = ("audio open error", "error: No such file or directory", "Connection refused")
_SECONDS_PER_CHAR = 0.5  # the backstop for a hung child (P3): far slower than any voice
_MIN_TIMEOUT = 30.0
_VOICES_TIMEOUT = 15.0
_seq = itertools.count()


class Pyttsx3Unavailable(TTSUnavailable):
    """pyttsx3 (or the speech library under it) cannot be used here."""

    def __init__(self) -> None:
        VoicereflectError.__init__(
            self,
            N_(
                "pyttsx3 cannot speak on this machine — install it ('pip install pyttsx3'; on "
                "Linux also 'sudo apt install espeak-ng alsa-utils'), choose voice.engine = "
                '"espeak-ng", or mute speech with voice.muted = true'
            ),
        )


class SpeechFailed(VoicereflectError):
    """The pyttsx3 child ended without speaking, for a reason it could not name."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            N_(
                "speech could not be played ({reason}) — check 'voicereflect doctor', try "
                'voice.engine = "espeak-ng", or mute speech with voice.muted = true'
            ),
            reason=reason,
        )


def tts_tmp_root() -> Path:
    """Where the children's temp WAVs go: a private directory inside the data dir."""
    return paths.data_dir() / "tmp" / "pyttsx3"


def _private_tmp_root() -> Path:
    # Level by level: mkdir(parents=True) would create the parents with the umask's mode.
    root = tts_tmp_root()
    for level in (root.parent.parent, root.parent, root):
        paths.ensure_private_dir(level)
    return root


def remove_leftovers(root: Path | None = None) -> int:
    """Remove utterance directories whose speaker process is gone (a crash or a kill).

    Directories are named ``u-<speaker pid>-<n>``; a live process's are left alone (each
    utterance removes its own when it ends).

    Returns:
        How many directories were removed.
    """
    root = root or tts_tmp_root()
    removed = 0
    if not root.is_dir():
        return 0
    for entry in root.iterdir():
        parts = entry.name.split("-")
        owner = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
        if owner is not None and _alive(owner):  # ours too: another speaker may be busy
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process reusing the number
        return True
    return True


def _group_alive(pgid: int, thorough: bool = False) -> bool:
    """Whether any process of group ``pgid`` still runs.

    ``thorough`` also looks in /proc (Linux), where zombies do not count: an orphaned member
    that died is a zombie until PID 1 reaps it, and some container init processes never do.
    """
    if sys.platform == "win32":
        return False  # no groups; the child's own exit is the end there
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    if not thorough or not os.path.isdir("/proc/self"):
        return True
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after the last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != b"Z":
            return True
    return False


def _stop(process: subprocess.Popen[bytes], hard: bool) -> None:
    """SIGTERM (or SIGKILL when ``hard``) to the child's whole process group."""
    if sys.platform == "win32":
        # No process groups there; sapi5 plays inside the child itself.
        with contextlib.suppress(OSError):
            process.kill() if hard else process.terminate()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)


def pyttsx3_available() -> bool:
    """Whether pyttsx3 is installed for this Python (cheap: does not import it)."""
    return importlib.util.find_spec("pyttsx3") is not None


def child_command(python: str | None = None) -> list[str]:
    """How a child is started: settings and text travel on stdin, never here."""
    return [python or sys.executable, "-m", CHILD_MODULE]


def list_voices(
    language: str | None = None,
    command: Sequence[str] | None = None,
    timeout: float = _VOICES_TIMEOUT,
) -> list[Voice]:
    """pyttsx3's voices, optionally only those for ``language`` (e.g. ``"ko"``).

    Raises:
        Pyttsx3Unavailable: pyttsx3 or its driver cannot start.
        SpeechFailed: The child did not answer within ``timeout`` seconds.
    """
    if command is None and not pyttsx3_available():
        raise Pyttsx3Unavailable()
    try:
        out = subprocess.run(
            list(command or child_command()),
            input=json.dumps({"op": "voices"}).encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SpeechFailed(_("listing the voices timed out")) from None
    if out.returncode == child.EXIT_UNAVAILABLE:
        raise Pyttsx3Unavailable()
    try:
        listed = json.loads(out.stdout.decode("utf-8"))
    except ValueError:
        raise SpeechFailed(
            _("the voice list could not be read, exit {code}").format(code=out.returncode)
        ) from None
    voices = [
        Voice(id=str(v["id"]), name=str(v["name"]), languages=tuple(v["languages"])) for v in listed
    ]
    if language:
        voices = [v for v in voices if child.speaks(v.languages, language)]
    return voices


class Pyttsx3Speaker(ChildSpeaker):
    """A ``Speaker`` that runs pyttsx3 in a fresh child process (group) per utterance.

    ``speak`` returns at once; a thread per utterance sends the request and waits until the
    whole process group (child, and aplay under it on Linux) is gone, so ``is_speaking``
    turning False (and ``on_done``) marks the end of the sound itself.
    """

    def __init__(
        self,
        voice: str = "",
        rate: int = 165,
        volume: float = 1.0,
        language: str = "en",
        on_done: Callable[[SpeechDone], None] | None = None,
        command: Sequence[str] | None = None,
        driver: str | None = None,
    ) -> None:
        """Choose the voice and how it speaks.

        Args:
            voice: A pyttsx3 voice id, espeak-ng short id (``en-us``) or name (see
                ``list_voices``); empty for the language's.
            rate: Words per minute.
            volume: 0.0 (silent) to 1.0.
            language: Language pack code, used when ``voice`` is empty.
            on_done: Called from a background thread when each utterance has ended, however
                it ended. Keep it short and thread-safe (e.g. post a message).
            command: The child's command line (tests use a stand-in); default
                ``python -m voicereflect.speech.pyttsx3_child``.
            driver: A pyttsx3 driver name (``espeak``, ``nsss``, ``sapi5``); default the
                platform's.

        Raises:
            Pyttsx3Unavailable: pyttsx3 is not installed (so callers can fall back).
        """
        if command is None and not pyttsx3_available():
            raise Pyttsx3Unavailable()
        super().__init__(on_done)
        self._command = list(command or child_command())
        self.voice = voice
        self.rate = rate
        self.volume = min(1.0, max(0.0, volume))
        self.language = language
        self.driver = driver
        self._tmp_root = _private_tmp_root()
        remove_leftovers(self._tmp_root)

    @property
    def pid(self) -> int | None:
        """The current child's pid (and process group id), ``None`` when silent."""
        process = self._process
        return process.pid if process is not None else None

    def request(self, text: str) -> bytes:
        """The JSON the child reads on stdin."""
        body = {
            "op": "speak",
            "text": text,
            "voice": self.voice,
            "rate": self.rate,
            "volume": self.volume,
            "language": self.language,
            "driver": self.driver,
        }
        return json.dumps(body).encode("utf-8")

    def speak(self, text: str) -> None:
        """Start speaking ``text`` after silencing anything still playing; returns at once.

        Raises:
            Pyttsx3Unavailable: The child could not be started at all.
        """
        self.cancel()
        started = time.monotonic()
        tmp = paths.ensure_private_dir(self._tmp_root / f"u-{os.getpid()}-{next(_seq)}")
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        try:
            process = subprocess.Popen(
                self._command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                # Its own process group: cancel kills aplay with it, "done" waits for aplay
                # too, and a Ctrl-C in the terminal is ours to handle.
                start_new_session=True,
            )
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise Pyttsx3Unavailable() from None
        done = self._begin(process)
        threading.Thread(
            target=self._run,
            args=(process, self.request(text), len(text), tmp, done, started),
            name="tts-pyttsx3",
            daemon=True,
        ).start()

    def _run(
        self,
        process: subprocess.Popen[bytes],
        request: bytes,
        length: int,
        tmp: Path,
        done: threading.Event,
        started: float,
    ) -> None:
        err = b""
        timed_out = False
        try:
            # Returns once the child has exited and every holder of its pipes (aplay too)
            # has closed them; the group check below catches anything that closed them early.
            _, err = process.communicate(
                request, timeout=max(_MIN_TIMEOUT, length * _SECONDS_PER_CHAR)
            )
        except subprocess.TimeoutExpired:
            timed_out = True
            _stop(process, hard=True)
            process.wait()
        except (BrokenPipeError, OSError, ValueError):
            process.wait()
        exited = time.monotonic()
        # After a kill, sh and aplay are orphans whose zombies only PID 1 reaps (here more
        # than a second later), so then only live members count.
        while _group_alive(
            process.pid,
            thorough=self._cancelled or time.monotonic() - exited > _ZOMBIE_CHECK,
        ):
            time.sleep(_POLL)
        ended = time.monotonic()
        shutil.rmtree(tmp, ignore_errors=True)
        cancelled = self._release(process)
        outcome = self._outcome(process.returncode, err, cancelled, timed_out)
        self._report(SpeechDone(*outcome, started, ended), done)

    def _outcome(
        self, code: int, err: bytes, cancelled: bool, timed_out: bool
    ) -> tuple[bool, bool, VoicereflectError | None]:
        """(completed, cancelled, error) from how the child ended."""
        if cancelled or (code in _KILLED and not timed_out):
            return False, True, None
        stderr = err.decode(errors="replace")
        error: VoicereflectError | None = None
        if timed_out or code == child.EXIT_TIMEOUT:
            error = SpeechFailed(_("the speech engine stopped answering"))
        elif code == child.EXIT_UNKNOWN_VOICE:
            error = UnknownVoice(self.voice)
        elif code == child.EXIT_UNAVAILABLE or "aplay: not found" in stderr:
            error = Pyttsx3Unavailable()
        elif any(marker in stderr for marker in _NO_AUDIO_MARKERS) or "Playback error" in stderr:
            error = NoAudioOutput()
        elif code != 0:
            error = SpeechFailed(_("the speech engine exited with code {code}").format(code=code))
        if error is not None:
            # The type and exit code only: stderr could echo a path or, in theory, text.
            _log.info("pyttsx3 child failed: %s (exit %s)", type(error).__name__, code)
        return error is None, False, error

    def cancel(self) -> None:
        """Silence speech now: SIGTERM to the group, SIGKILL after 100 ms; within 200 ms."""
        with self._lock:
            process, done = self._process, self._done
            if process is None:
                return
            self._cancelled = True
        _stop(process, hard=False)
        if not done.wait(_TERM_GRACE):
            _stop(process, hard=True)
            done.wait(_KILL_GRACE)
