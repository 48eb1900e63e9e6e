"""The headless session runner: speak a question, listen, take the turn, save, ask the next.

Threads, all owned by one ``Session`` and stopped by one ``threading.Event``::

    front end ──commands──▶ inbox ──▶ controller thread (controller.py)
        ▲                               │ dialogue.py: the engine's next actions
        │                               │ speaks the question (speaker), opens the Gate
        └──── on_event(SessionEvent) ◀──┤ saves each answer (parts.JournalWriter)
                                        ▼
                              listener thread (listener.py)
                              mic → VAD, recognizer → turn-taker, barge-in
    model thread: loads the speech model once, so the first question is spoken meanwhile

One turn: the controller asks the dialogue for its actions, speaks the question with the
Gate closed (the mic is read and thrown away, so the assistant never hears itself), opens
the Gate; the listener feeds the recognizer until the turn ends (key, end phrase, pause)
and hands the answer to the inbox; the controller commits it to the journal, emits
``Saved`` and steps the dialogue again.

Modules: ``runner`` (``Session``), ``controller``, ``listener`` (with ``gate``, what the
controller opens, and ``listening``, what the listener works with), ``dialogue``, ``events``
(what front ends see), ``parts`` (what a session is driven by), ``setup`` (the real parts
from the settings).
"""

from __future__ import annotations

from voicereflect.session.events import (
    AnswerFinished,
    Command,
    MicrophoneLost,
    ModelFailed,
    ModelReady,
    Notice,
    Nudge,
    PartialText,
    QuestionAsked,
    RatingHeard,
    Reflection,
    Saved,
    SessionEnded,
    SessionError,
    SessionEvent,
    SessionState,
    SessionSummary,
    StateChanged,
    SupportOffered,
    TurnClosing,
)
from voicereflect.session.parts import AudioFactory, JournalWriter, RecognizerLoader, SessionParts
from voicereflect.session.runner import Session

__all__ = [
    "AnswerFinished",
    "AudioFactory",
    "Command",
    "JournalWriter",
    "MicrophoneLost",
    "ModelFailed",
    "ModelReady",
    "Notice",
    "Nudge",
    "PartialText",
    "QuestionAsked",
    "RatingHeard",
    "RecognizerLoader",
    "Reflection",
    "Saved",
    "Session",
    "SessionEnded",
    "SessionError",
    "SessionEvent",
    "SessionParts",
    "SessionState",
    "SessionSummary",
    "StateChanged",
    "SupportOffered",
    "TurnClosing",
]
