"""Adapts the real ``Journal`` (and the reflection engine's lexicons) to ``JournalView``."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from voicereflect import paths
from voicereflect.journal.export import when
from voicereflect.journal.text import inert
from voicereflect.reflection.answers import LOW_CONFIDENCE, parse_rating
from voicereflect.tui.services import (
    EntryRow,
    Quote,
    RatingPoint,
    SearchRow,
    SessionDetail,
    SessionRow,
)

if TYPE_CHECKING:
    from voicereflect.journal.records import SessionRecord, SessionSummary
    from voicereflect.journal.store import Journal
    from voicereflect.reflection.packs import PromptPack

INSIGHT_SESSIONS = 100  # how far back Insights reads; keeps the screen quick on big journals


def _line(text: str) -> str:
    return inert(text, one_line=True)


class JournalAdapter:
    """The screens' view of one open ``Journal``; ``pack`` supplies flow titles and lexicons."""

    def __init__(self, journal: Journal, pack: Callable[[], PromptPack | None]) -> None:
        self.journal = journal
        self._pack = pack
        self.notices = journal.notices  # permissions repaired, a read-only folder…

    def _title(self, flow: str) -> str:
        pack = self._pack()
        if pack is not None:
            for f in pack.flows:
                if f.id == flow:
                    return f.title
        return flow

    def _row(self, s: SessionSummary | SessionRecord) -> SessionRow:
        # Every stored string reaches the screens inert: escape sequences shown, not obeyed.
        return SessionRow(
            str(s.id),
            when(s.started_at),
            _line(s.flow),
            _line(self._title(s.flow)),
            tuple(_line(t) for t in s.tags),
            _line(s.mood or ""),
        )

    def recent(self, limit: int) -> list[SessionRow]:
        return [self._row(s) for s in self.journal.sessions(limit=limit)]

    def detail(self, session_id: str) -> SessionDetail:
        r = self.journal.session(int(session_id))
        row = self._row(r)
        entries = tuple(
            EntryRow(
                str(e.id),
                _line(e.prompt),
                inert(e.answer),
                None if e.rating is None else round(e.rating),
                e.has_audio,
                self._scale(e.step_id, e.rating),
                tuple(_line(w.word) for w in e.words if w.conf < LOW_CONFIDENCE),
            )
            for e in r.entries
        )
        return SessionDetail(row, entries)

    def _scale(self, step_id: str, rating: float | None) -> int:
        """The top of the scale an entry's rating is on (0: not a rating question)."""
        pack = self._pack()
        for flow in pack.flows if pack is not None else ():
            for step in flow.steps:
                if step.id == step_id and step.kind.startswith("rating"):
                    return 100 if step.kind == "rating0_100" else 10
        if rating is None:
            return 0
        return 10 if rating <= 10 else 100

    def reread(self, session_id: str, corrections: Mapping[str, str]) -> dict[str, int]:
        record = self.journal.session(int(session_id))
        changed: dict[str, int] = {}
        for e in record.entries:
            text = corrections.get(str(e.id))
            scale = self._scale(e.step_id, e.rating)
            if text is None or not scale:
                continue
            value = parse_rating(text, record.language, scale)
            if value is not None and value != e.rating:
                changed[str(e.id)] = value
        return changed

    def search(self, query: str) -> list[SearchRow]:
        from voicereflect.journal.records import HIGHLIGHT_END, HIGHLIGHT_START

        # words=True: the person types words, not FTS syntax, so nothing they type can fail.
        hits = self.journal.search(query, words=True)
        return [
            SearchRow(
                str(h.session_id),
                when(h.started_at),
                _line(h.snippet),
                (HIGHLIGHT_START, HIGHLIGHT_END),
            )
            for h in hits
        ]

    def export(self, session_ids: Sequence[str], fmt: str) -> Path:
        text = self.journal.export(
            [int(i) for i in session_ids], cast(Literal["md", "json", "txt"], fmt)
        )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        # The journal's passphrase does not protect an export: the file is plaintext and
        # outlives deleting the session. The screen's notice shows this path, so the name
        # itself says it plainly (and keeps saying it wherever the file is copied).
        plain = "-NOT-ENCRYPTED" if self.journal.encrypted else ""
        target = paths.data_dir() / "exports" / f"voicereflect-{stamp}{plain}.{fmt}"
        paths.write_private(target, text.encode("utf-8"))
        return target

    def delete(self, session_ids: Sequence[str]) -> int:
        return self.journal.delete_sessions(int(i) for i in session_ids)

    def save_review(
        self,
        session_id: str,
        corrections: dict[str, str],
        tags: Sequence[str],
        mood: str,
        keep_audio: bool,
        ratings: Mapping[str, int | None] | None = None,
    ) -> None:
        sid = int(session_id)
        for entry_id, text in corrections.items():
            self.journal.update_entry(int(entry_id), answer=text)
        for entry_id, value in (ratings or {}).items():
            self.journal.update_entry(int(entry_id), rating=value)
        record = self.journal.session(sid)
        removed = set(record.tags) - set(tags)
        if removed:
            self.journal.untag(sid, *removed)
        if tags:
            self.journal.tag(sid, *tags)
        self.journal.set_mood(sid, mood or None)
        if not keep_audio:
            for entry in record.entries:
                if entry.has_audio:
                    self.journal.drop_audio(entry.id)

    def last_next_step(self) -> str | None:
        step = self.journal.last_next_step()
        return None if step is None else _line(step)

    def _rating_steps(self) -> list[tuple[str, str]]:
        pack = self._pack()
        if pack is None:
            return []
        steps: dict[str, str] = {}
        for flow in pack.flows:
            for step in flow.steps:
                if step.kind.startswith("rating"):
                    steps.setdefault(step.id, step.label or step.id)
        return list(steps.items())

    def ratings(self) -> list[RatingPoint]:
        # Plot the rating the person gives most often; scales differ between steps.
        best: list[RatingPoint] = []
        for step_id, label in self._rating_steps():
            points = [
                RatingPoint(when(p.at), label, p.rating)
                for p in self.journal.ratings_over_time(step_id)
            ]
            if len(points) > len(best):
                best = points
        return best

    def _answers(self) -> list[tuple[float, str]]:
        out: list[tuple[float, str]] = []
        for summary in self.journal.sessions(limit=INSIGHT_SESSIONS):
            for entry in self.journal.session(summary.id).entries:
                if entry.answer:
                    out.append((entry.at, entry.answer))
        return sorted(out)

    def themes(self) -> list[tuple[str, int]]:
        from voicereflect.reflection.followups import find_theme

        pack = self._pack()
        if pack is None:
            return []
        counts: Counter[str] = Counter()
        for _, answer in self._answers():
            hit = find_theme(answer, pack.language.themes, pack.lang)
            if hit is not None:
                counts[hit[0].name] += 1
        return [(name, n) for name, n in counts.most_common(8) if n > 1]

    def change_talk(self) -> list[Quote]:
        from voicereflect.reflection.talk import hear

        pack = self._pack()
        if pack is None:
            return []
        quotes: list[Quote] = []
        for at, answer in self._answers():
            said = [h.clause.text for h in hear(answer, pack.lang) if h.talk == "change"]
            if said:
                quotes.append(Quote(when(at)[:10], _line(said[0])))
        return quotes[-20:]

    def close(self) -> None:
        self.journal.close()
