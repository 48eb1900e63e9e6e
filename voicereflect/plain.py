"""``voicereflect --plain``: a session as plain lines on stdin/stdout, for screen readers and SSH.

Questions are printed (and spoken unless muted or there is no voice). A typed line is an
answer; an empty line ends a spoken answer; lines starting with ``/`` are commands. Status
is one short line each. End of input (Ctrl-D), Ctrl-C, SIGTERM or SIGHUP (the terminal
closed) ends the session with everything saved.
"""

from __future__ import annotations

import getpass
import io
import queue
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _, ngettext, ui_language, use_language
from voicereflect.journal.errors import DiskFull
from voicereflect.journal.text import inert
from voicereflect.session import Session, SessionParts
from voicereflect.session.events import (
    AnswerFinished,
    MicrophoneLost,
    ModelReady,
    Notice,
    Nudge,
    QuestionAsked,
    RatingHeard,
    Reflection,
    Saved,
    SessionEnded,
    SessionError,
    SessionEvent,
    SessionState,
    StateChanged,
    SupportOffered,
)
from voicereflect.session.parts import held_answers, held_warning
from voicereflect.session.setup import real_parts

HELP = N_(
    "Type an answer and press Enter. If you speak, press Enter on an empty line when done.\n"
    "Commands: /skip  /repeat  /pause  /resume  /mute  /unmute  /end  /help"
)
# Seconds to let the last answer be decoded and saved after end(), and the support
# contacts be read once more when risk came up (about 20 s of speech).
_END_WAIT = 60.0
_STOP_WAIT = 5.0


class PassphraseNeeded(VoicereflectError):
    """The journal is encrypted and there is no terminal to ask for the passphrase on."""

    exit_code = 2


class _Printer:
    """Turns session events into short lines (called from the session's threads)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._listening_hint_for: str | None = None
        self._step: str | None = None
        self._typing_hint = False
        self._can_listen = False  # a model is ready and the microphone did not fail
        self._mic_failed = False
        self._state_now = SessionState.STARTING
        self.ended = threading.Event()
        self.saved = 0
        self.failed = False

    def line(self, text: str) -> None:
        # inert: what the person typed comes back in reflections and the summary; escape
        # sequences in it are shown, not obeyed.
        with self._lock:
            self._out.write(inert(text) + "\n")
            self._out.flush()

    def __call__(self, event: SessionEvent) -> None:
        if isinstance(event, QuestionAsked):
            self._step = event.step
            options = ", ".join(f"{i}: {c}" for i, c in enumerate(event.choices, 1))
            hint = {
                "rating": " " + _("({low} to {high})").format(low=event.low, high=event.high),
                "yesno": " " + _("(yes or no)"),
                "choice": f" ({options})" if options else "",
            }.get(event.expects, "")
            self.line(f"\n{event.text}{hint}")
        elif isinstance(event, Reflection):
            self.line(event.text)
        elif isinstance(event, StateChanged):
            self._state(event.state)
        elif isinstance(event, AnswerFinished):
            if not event.text:
                self.line(_("(skipped)"))
            elif event.ended_by != "typed":
                self.line(_("you said: {text}").format(text=event.text))
        elif isinstance(event, RatingHeard):
            self.line(_("(rating {value})").format(value=event.value))
        elif isinstance(event, Saved):
            self.saved += 1
            self.line(_("(saved)"))
        elif isinstance(event, SupportOffered):
            self.line(event.message)
            for contact in event.contacts:
                self.line(f"  {contact}")
        elif isinstance(event, Nudge):
            self.line(event.text)
        elif isinstance(event, Notice):
            self._mic_failed = self._mic_failed or isinstance(event, MicrophoneLost)
            self._can_listen = self._can_listen and not self._mic_failed
            self.line(event.message)
        elif isinstance(event, ModelReady):
            self._can_listen = not self._mic_failed
            if self._can_listen:
                self.line(_("(speech model ready: you can speak your answers)"))
                self._state(self._state_now)
        elif isinstance(event, SessionError):
            self.failed = True
            self.line(_("error: {message}").format(message=event.message))
        elif isinstance(event, SessionEnded):
            n = event.summary.answers
            saved = ngettext("Session saved: {n} answer.", "Session saved: {n} answers.", n)
            self.line("\n" + saved.format(n=n))
            self.ended.set()

    def _state(self, state: SessionState) -> None:
        self._state_now = state
        listening = state in (SessionState.LISTENING, SessionState.THINKING)
        if listening and self._can_listen and self._listening_hint_for != self._step:
            # Once per question: a screen reader reading it every pause would be noise.
            self._listening_hint_for = self._step
            self.line(_("(listening: speak, then press Enter on an empty line; or type)"))
        elif state is SessionState.TYPING and not self._typing_hint:
            self._typing_hint = True
            self.line(_("(type your answer and press Enter)"))
        elif state is SessionState.PAUSED:
            self.line(_("(paused: /resume to go on)"))


def _commands(session: Session, printer: _Printer) -> dict[str, Callable[[], None]]:
    return {
        "/skip": session.skip,
        "/repeat": session.repeat,
        "/pause": session.pause,
        "/resume": session.resume,
        "/mute": lambda: session.set_muted(True),
        "/unmute": lambda: session.set_muted(False),
        "/end": session.end,
        "/help": lambda: printer.line(_(HELP)),
    }


def _read_lines(stream: TextIO, lines: queue.Queue[str | None]) -> None:
    try:
        for line in stream:
            lines.put(line.rstrip("\r\n"))
    except (OSError, ValueError):
        pass  # stdin closed under us: same as end of input
    finally:
        lines.put(None)


class Signalled(BaseException):
    """SIGTERM or SIGHUP arrived: end the session as Ctrl-C does."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_ENDING = (signal.SIGTERM, signal.SIGHUP)
_previous: dict[int, Any] = {}


def _end_on_signals() -> None:
    """Raise ``Signalled`` in the main loop on SIGTERM/SIGHUP (ignored once it is ending)."""
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers (an embedding test, say)

    def raise_signalled(signum: int, frame: object) -> None:
        raise Signalled(signum)

    for sig in _ENDING:
        _previous[sig] = signal.signal(sig, raise_signalled)


def _restore_signals() -> None:
    while _previous:
        sig, handler = _previous.popitem()
        signal.signal(sig, handler)


def _passphrase() -> str | None:
    from voicereflect.journal.store import is_encrypted

    if not is_encrypted():
        return None
    if not sys.stdin.isatty():
        raise PassphraseNeeded(
            _(
                "the journal is encrypted: run 'voicereflect --plain' in a terminal to type "
                "the passphrase"
            )
        )
    return getpass.getpass(_("journal passphrase: "))


def run_plain(
    config: Config,
    flow: str | None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    parts: SessionParts | None = None,
) -> int:
    """Run one session as plain lines; returns the exit code.

    Args:
        config: The settings.
        flow: The flow id (``None``: the open "just talk" flow).
        stdin: Where answers and commands are read (default ``sys.stdin``).
        stdout: Where questions and status go (default ``sys.stdout``).
        parts: Injected parts (tests); default the real ones.
    """
    use_language(ui_language(config))
    if stdin is None and isinstance(sys.stdin, io.TextIOWrapper):
        # Bytes that are not UTF-8 become U+FFFD, so they are neither saved nor echoed raw.
        sys.stdin.reconfigure(errors="replace")
    inp = stdin if stdin is not None else sys.stdin
    printer = _Printer(stdout if stdout is not None else sys.stdout)
    if parts is None:
        parts = real_parts(config, flow, passphrase=_passphrase())
    # Opened before the first question: a journal that cannot be written (damaged, locked,
    # read-only, a full disk) is one line and an exit code, not answers typed into nothing.
    journal = parts.open_journal()
    parts.open_journal = lambda: journal
    session = Session(config, parts, printer)
    printer.line(_(HELP))
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(inp, lines), daemon=True)
    session.start()
    reader.start()
    commands = _commands(session, printer)
    code = 0
    try:
        _end_on_signals()
        while not printer.ended.is_set():
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            if not line.strip():
                session.end_turn()
            elif line.startswith("//"):
                session.type_answer(line[1:])
            elif line.startswith("/"):
                action = commands.get(line.split()[0].lower())
                if action is None:
                    printer.line(_("(unknown command: /help lists them)"))
                else:
                    action()
            else:
                session.type_answer(line)
    except KeyboardInterrupt:
        code = 130
    except Signalled as signalled:
        # Closed terminal or a kill: saved and closed like Ctrl-C, but not waiting for a
        # spoken summary (muting also stops a question being spoken).
        code = 128 + signalled.signum
        session.set_muted(True)
    finally:
        for sig in _previous:  # a signal now must not cut the saving short
            signal.signal(sig, signal.SIG_IGN)
        if not session.ended:
            session.end()
            session.wait_ended(_END_WAIT)
        session.stop(_STOP_WAIT)
        _restore_signals()
        held = held_answers(journal)
        if held:
            printer.line(held_warning(held))
        close = getattr(journal, "close", None)
        if callable(close):
            close()
    if held:
        return DiskFull.exit_code
    return 1 if code == 0 and printer.failed else code
