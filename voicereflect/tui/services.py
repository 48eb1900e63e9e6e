"""The parts the app is given (session, journal, speaker, probes), as small Protocols.

The App never builds these itself: ``run_app`` wires the real ones and the Pilot tests pass
doubles, so every screen runs without a microphone, a model or a sound card. Each Protocol
names only what the screens use; the real objects (``voicereflect.session``,
``voicereflect.journal.store``...) have more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from voicereflect.config import Config

OnEvent = Callable[[object], None]
"""Called by the session's threads with each event; the App turns it into a message."""


class SessionControl(Protocol):
    """The running session, as the Session screen drives it (all calls return at once)."""

    @property
    def level(self) -> float:
        """Microphone RMS of the latest block, 0..1; polled by the level meter."""
        ...

    @property
    def voice_probability(self) -> float:
        """Speech probability of the latest VAD frame, 0..1; polled for "hearing you"."""
        ...

    @property
    def dropped_blocks(self) -> int: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 3.0) -> bool: ...

    def end_turn(self) -> None: ...

    def repeat(self) -> None: ...

    def skip(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def type_answer(self, text: str) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def interrupt(self) -> None: ...

    def end(self) -> None: ...


SessionFactory = Callable[[Config, "str | None", OnEvent], SessionControl]
"""``(config, flow or None for "just talk", on_event) -> session`` (not yet started)."""


@dataclass(frozen=True)
class PartStatus:
    """Whether one part (microphone, voice, model) works, and what the person can do."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class FlowChoice:
    """A reflection flow the person can start."""

    id: str
    title: str


@dataclass(frozen=True)
class Contact:
    """One entry of the support list (from the safety contacts)."""

    name: str
    how: str
    note: str = ""


@dataclass(frozen=True)
class SessionRow:
    """One journal session as the lists show it."""

    id: str
    started: str
    flow: str
    title: str
    tags: tuple[str, ...] = ()
    mood: str = ""


@dataclass(frozen=True)
class EntryRow:
    """One question and answer of a session.

    ``scale`` is the top of the rating scale when the entry answers a rating question (0
    otherwise); ``unsure`` the words the recogniser heard with low confidence.
    """

    id: str
    prompt: str
    answer: str
    rating: int | None = None
    has_audio: bool = False
    scale: int = 0
    unsure: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionDetail:
    """A whole session for Review and Open."""

    row: SessionRow
    entries: tuple[EntryRow, ...]


@dataclass(frozen=True)
class SearchRow:
    """One search hit; ``snippet`` marks matches with ``[`` … ``]`` markers (see ``marks``)."""

    session_id: str
    started: str
    snippet: str
    marks: tuple[str, str] = ("[", "]")


@dataclass(frozen=True)
class RatingPoint:
    """One rating the person gave, for the Insights plot."""

    when: str
    label: str
    value: float


@dataclass(frozen=True)
class Quote:
    """The person's own change-talk words, with when they said them."""

    when: str
    text: str


class JournalView(Protocol):
    """What the screens need from the journal; ``journal_adapter`` maps the real store."""

    def recent(self, limit: int) -> list[SessionRow]: ...

    def detail(self, session_id: str) -> SessionDetail: ...

    def search(self, query: str) -> list[SearchRow]: ...

    def export(self, session_ids: Sequence[str], fmt: str) -> Path: ...

    def delete(self, session_ids: Sequence[str]) -> int: ...

    def save_review(
        self,
        session_id: str,
        corrections: dict[str, str],
        tags: Sequence[str],
        mood: str,
        keep_audio: bool,
        ratings: Mapping[str, int | None] | None = None,
    ) -> None:
        """Write a review; ``ratings`` (entry id -> value) replaces those entries' ratings."""
        ...

    def reread(self, session_id: str, corrections: Mapping[str, str]) -> dict[str, int]:
        """The ratings corrected answers now say, where they differ from the stored ones."""
        ...

    def last_next_step(self) -> str | None: ...

    def ratings(self) -> list[RatingPoint]: ...

    def themes(self) -> list[tuple[str, int]]: ...

    def change_talk(self) -> list[Quote]: ...

    def close(self) -> None: ...


JournalOpener = Callable[["str | None"], JournalView]
"""``(passphrase or None) -> journal``; raises a ``VoicereflectError`` the screen shows."""


class LevelProbe(Protocol):
    """A short-lived microphone capture for the First run and Settings mic test."""

    @property
    def level(self) -> float: ...

    def stop(self) -> None: ...


class VoiceSampler(Protocol):
    """Speaks a sample sentence so the person can hear the chosen voice."""

    def speak(self, text: str) -> None: ...

    def cancel(self) -> None: ...


@dataclass(frozen=True)
class ModelChoice:
    """A speech model that is installed or can be downloaded."""

    name: str
    language: str
    installed: bool
    size_mb: float = 0.0


Progress = Callable[[int, int], None]
"""``(bytes done, bytes total)``; called from the download's thread."""


@dataclass
class Services:
    """Everything the app uses that touches the world, injected through the constructor."""

    session_factory: SessionFactory
    open_journal: JournalOpener
    probe_status: Callable[[Config], list[PartStatus]]
    flows: Callable[[str], list[FlowChoice]]
    support_contacts: Callable[[str], list[Contact]]
    open_mic: Callable[[Config], LevelProbe]
    voice_sampler: Callable[[Config], VoiceSampler]
    list_voices: Callable[[str], list[str]]
    list_inputs: Callable[[], list[str]]
    list_models: Callable[[str], list[ModelChoice]]
    download_model: Callable[[str, Progress], str]
    add_model: Callable[[Path], str]
    set_passphrase: Callable[[str | None, str], None]
    save_config: Callable[[Config], Any]
    is_first_run: Callable[[], bool] = field(default=lambda: False)
    play_cue: Callable[[str], object] = field(default=lambda name: None)
    """Plays a short "listening" or "saved" tone without blocking (if sound cues are on)."""
    shutdown: Callable[[], None] = field(default=lambda: None)
    """Called once after the app has stopped: waits for cues still playing, and the like."""
    sample_text: Callable[[str], str] = field(
        default=lambda lang: (
            "안녕하세요. 목소리가 잘 들리나요?" if lang == "ko" else "Hello. Can you hear me?"
        )
    )
