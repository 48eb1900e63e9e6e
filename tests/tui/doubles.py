"""Test doubles for the TUI's injected parts: a scripted session, an in-memory journal."""

from __future__ import annotations

import contextvars
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voicereflect.config import Config
from voicereflect.session.events import SessionEvent, SessionState, StateChanged
from voicereflect.tui.services import (
    Contact,
    EntryRow,
    FlowChoice,
    ModelChoice,
    PartStatus,
    Progress,
    Quote,
    RatingPoint,
    SearchRow,
    Services,
    SessionDetail,
    SessionRow,
)


class FakeSession:
    """Records every command; the test plays the runner by calling ``emit``."""

    def __init__(self, on_event: Callable[[object], None], level: float = 0.0) -> None:
        self.on_event = on_event
        self.level = level
        self.voice_probability = 0.0
        self.dropped_blocks = 0
        self.commands: list[tuple[str, object]] = []
        self.started = False
        self.stopped = False
        self.flow: str | None = None

    def emit(self, *events: SessionEvent) -> None:
        for event in events:
            self.on_event(event)

    def emit_from_thread(self, *events: SessionEvent) -> None:
        """Emit as the real runner does: from another thread.

        The thread runs in a copy of the test's context so Pilot's ``message_hook`` (a
        context variable) still sees the messages it posts.
        """
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(self.emit, *events))
        thread.start()
        thread.join(timeout=5)

    def _record(self, name: str, arg: object = None) -> None:
        self.commands.append((name, arg))

    def start(self) -> None:
        self.started = True
        self.on_event(StateChanged(SessionState.STARTING))

    def stop(self, timeout: float = 3.0) -> bool:
        self.stopped = True
        return True

    def end_turn(self) -> None:
        self._record("end_turn")

    def repeat(self) -> None:
        self._record("repeat")

    def skip(self) -> None:
        self._record("skip")

    def pause(self) -> None:
        self._record("pause")

    def resume(self) -> None:
        self._record("resume")

    def type_answer(self, text: str) -> None:
        self._record("type_answer", text)

    def set_muted(self, muted: bool) -> None:
        self._record("set_muted", muted)

    def interrupt(self) -> None:
        self._record("interrupt")

    def end(self) -> None:
        self._record("end")

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.commands]


@dataclass
class FakeJournal:
    """An in-memory journal implementing ``JournalView``; records what the screens did."""

    sessions: dict[str, SessionDetail] = field(default_factory=dict)
    next_step: str | None = None
    rating_points: list[RatingPoint] = field(default_factory=list)
    theme_counts: list[tuple[str, int]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    reviews: list[tuple[str, dict[str, str], list[str], str, bool]] = field(default_factory=list)
    rated: list[dict[str, int | None]] = field(default_factory=list)
    exported: list[tuple[list[str], str]] = field(default_factory=list)
    closed: bool = False

    def recent(self, limit: int) -> list[SessionRow]:
        rows = [d.row for d in self.sessions.values()]
        return sorted(rows, key=lambda r: r.started, reverse=True)[:limit]

    def detail(self, session_id: str) -> SessionDetail:
        return self.sessions[session_id]

    def search(self, query: str) -> list[SearchRow]:
        hits = []
        for d in self.sessions.values():
            for e in d.entries:
                if query.lower() in e.answer.lower():
                    i = e.answer.lower().index(query.lower())
                    snippet = (
                        e.answer[:i]
                        + "["
                        + e.answer[i : i + len(query)]
                        + "]"
                        + e.answer[i + len(query) :]
                    )
                    hits.append(SearchRow(d.row.id, d.row.started, snippet))
        return hits

    def export(self, session_ids: Sequence[str], fmt: str) -> Path:
        self.exported.append((list(session_ids), fmt))
        return Path("/private/export.md")

    def delete(self, session_ids: Sequence[str]) -> int:
        for sid in session_ids:
            self.sessions.pop(sid, None)
        return len(session_ids)

    def save_review(
        self,
        session_id: str,
        corrections: dict[str, str],
        tags: Sequence[str],
        mood: str,
        keep_audio: bool,
        ratings: Mapping[str, int | None] | None = None,
    ) -> None:
        self.reviews.append((session_id, dict(corrections), list(tags), mood, keep_audio))
        self.rated.append(dict(ratings or {}))

    def reread(self, session_id: str, corrections: Mapping[str, str]) -> dict[str, int]:
        # The first digits only: enough for the screens (the adapter reads spoken numbers).
        entries = {e.id: e for e in self.sessions[session_id].entries}
        changed = {}
        for entry_id, text in corrections.items():
            digits = re.search(r"\d+", text)
            entry = entries[entry_id]
            if digits and entry.scale and entry.rating != int(digits.group()):
                changed[entry_id] = int(digits.group())
        return changed

    def last_next_step(self) -> str | None:
        return self.next_step

    def ratings(self) -> list[RatingPoint]:
        return self.rating_points

    def themes(self) -> list[tuple[str, int]]:
        return self.theme_counts

    def change_talk(self) -> list[Quote]:
        return self.quotes

    def close(self) -> None:
        self.closed = True


def sample_journal() -> FakeJournal:
    """Synthetic fixture sessions (never real text)."""
    journal = FakeJournal(next_step="Walk to the park on Saturday morning.")
    journal.sessions["1"] = SessionDetail(
        SessionRow("1", "2026-11-20 08:10", "checkin", "Daily check-in", ("work",), "okay"),
        (
            EntryRow("11", "How are you feeling today?", "Tired but hopeful about the garden."),
            EntryRow("12", "What stood out?", "The tomatoes finally came up.", None, True),
        ),
    )
    journal.sessions["2"] = SessionDetail(
        SessionRow("2", "2026-11-22 19:30", "decision", "A decision", (), ""),
        (
            EntryRow("21", "What is the choice in front of you?", "Whether to learn the cello."),
            EntryRow("22", "How important is it, 0 to 10?", "7", 7, scale=10),
        ),
    )
    journal.rating_points = [
        RatingPoint("2026-11-01", "importance", 4),
        RatingPoint("2026-11-08", "importance", 5),
        RatingPoint("2026-11-15", "importance", 7),
        RatingPoint("2026-11-22", "importance", 7),
    ]
    journal.theme_counts = [("work", 5), ("sleep", 3), ("family", 2)]
    journal.quotes = [Quote("2026-11-15", "I want to practise every evening")]
    return journal


@dataclass
class FakeMic:
    level: float = 0.5
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True


@dataclass
class FakeSampler:
    spoken: list[str] = field(default_factory=list)

    def speak(self, text: str) -> None:
        self.spoken.append(text)

    def cancel(self) -> None:
        pass


@dataclass
class Harness:
    """The services plus handles on the doubles behind them."""

    services: Services
    journal: FakeJournal
    sessions: list[FakeSession]
    saved_configs: list[Config]
    sampler: FakeSampler
    mics: list[FakeMic]
    passphrases: list[tuple[str | None, str]]
    downloads: list[str]
    cues: list[str]


def make_harness(
    journal: FakeJournal | None = None,
    parts: list[PartStatus] | None = None,
    first_run: bool = False,
    level: float = 0.0,
) -> Harness:
    """Services wired to doubles, for ``VoiceReflectApp(config, harness.services)``."""
    journal = sample_journal() if journal is None else journal
    sessions: list[FakeSession] = []
    saved: list[Config] = []
    sampler = FakeSampler()
    mics: list[FakeMic] = []
    passphrases: list[tuple[str | None, str]] = []
    downloads: list[str] = []
    cues: list[str] = []
    models = [
        ModelChoice("vosk-model-small-en-us-0.15", "en", False, 39.3),
        ModelChoice("vosk-model-small-ko-0.22", "ko", True, 82.0),
    ]

    def session_factory(config: Config, flow: str | None, on_event: Callable[[object], None]):
        session = FakeSession(on_event, level)
        session.flow = flow
        sessions.append(session)
        return session

    def open_mic(config: Config) -> FakeMic:
        mic = FakeMic()
        mics.append(mic)
        return mic

    def download(name: str, progress: Progress) -> str:
        downloads.append(name)
        for done in (0, 50, 100):
            progress(done, 100)
        return name

    services = Services(
        session_factory=session_factory,
        open_journal=lambda passphrase: journal,
        probe_status=lambda config: (
            parts
            if parts is not None
            else [
                PartStatus("microphone", True, "VirtualMicrophone"),
                PartStatus("voice", True, "espeak-ng en"),
                PartStatus("model", True, "vosk-model-small-en-us-0.15"),
            ]
        ),
        flows=lambda lang: [
            FlowChoice("checkin", "오늘의 체크인" if lang == "ko" else "Daily check-in"),
            FlowChoice("decision", "결정 고민하기" if lang == "ko" else "A decision"),
        ],
        support_contacts=lambda lang: [Contact("Crisis line", "call 000-000", "any time")],
        open_mic=open_mic,
        voice_sampler=lambda config: sampler,
        list_voices=lambda lang: ["en-us", "en-gb"],
        list_inputs=lambda: ["VirtualMicrophone"],
        list_models=lambda lang: [m for m in models if m.language == lang],
        download_model=download,
        add_model=lambda path: path.name,
        set_passphrase=lambda old, new: passphrases.append((old, new)),
        save_config=saved.append,
        is_first_run=lambda: first_run,
        play_cue=cues.append,
    )
    return Harness(services, journal, sessions, saved, sampler, mics, passphrases, downloads, cues)


def posted(seen: list[object], kind: type[object]) -> list[object]:
    """Messages of ``kind`` from a ``message_hook`` list, once each (bubbling repeats them)."""
    unique: dict[int, object] = {}
    for message in seen:
        if isinstance(message, kind):
            unique.setdefault(id(message), message)
    return list(unique.values())
