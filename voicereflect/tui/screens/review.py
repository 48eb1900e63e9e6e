"""Review: correct what was written down and its rating, add tags and a mood, keep audio, save.

Words the recogniser was unsure of are shown marked above the answer, to fix or say again. A
corrected answer to a rating question is read again: when its number now differs from the
stored rating, the person is asked whether the rating should follow.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch, TextArea

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.screens.confirm import ConfirmScreen
from voicereflect.tui.services import JournalView, SessionDetail

# Stored in English (the journal's own values); shown in the person's language.
MOODS = [N_("very low"), N_("low"), N_("okay"), N_("good"), N_("very good")]


class ReviewScreen(Screen[None]):
    """One session's answers as editable text, with tags, mood and audio choice."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "app.go_back", N_("Back")),
    ]

    class Saved(Message):
        """The review was written to the journal."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, journal: JournalView, detail: SessionDetail) -> None:
        super().__init__()
        translate_bindings(self)
        self._journal = journal
        self._detail = detail

    def compose(self) -> ComposeResult:
        row = self._detail.row
        title = _("Review — {when}  {title}").format(when=row.started, title=row.title or row.flow)
        yield Label(title, classes="title", markup=False)
        with VerticalScroll(id="entries"):
            for entry in self._detail.entries:
                yield Static(entry.prompt, classes="question", markup=False)
                if entry.scale:
                    with Horizontal(classes="rating"):
                        yield Label(_("Rating (0–{top}):").format(top=entry.scale))
                        yield Input(
                            "" if entry.rating is None else str(entry.rating),
                            type="integer",
                            id=f"rating-{entry.id}",
                            classes="rating-edit",
                        )
                if entry.unsure:
                    yield Static(_unsure_line(entry.answer, entry.unsure), classes="unsure")
                area = TextArea(entry.answer, id=f"answer-{entry.id}", classes="answer-edit")
                area.soft_wrap = True
                yield area
        with Horizontal(id="review-meta"):
            yield Input(", ".join(row.tags), placeholder=_("tags, comma separated"), id="tags")
            yield Select(
                [(_(m), m) for m in MOODS],
                prompt=_("mood"),
                value=row.mood if row.mood in MOODS else Select.NULL,
                id="mood",
            )
            yield Label(_("keep audio"))
            has_audio = any(e.has_audio for e in self._detail.entries)
            yield Switch(value=has_audio, id="keep-audio", disabled=not has_audio)
            yield Button(_("Save"), id="save", variant="primary")
        yield Static("", id="review-status", markup=False)
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    def action_save(self) -> None:
        """Write corrections, ratings, tags, mood and the audio choice (asking first if a
        corrected answer now says another rating)."""
        corrections: dict[str, str] = {}
        ratings: dict[str, int | None] = {}
        for entry in self._detail.entries:
            text = self.query_one(f"#answer-{entry.id}", TextArea).text
            if text != entry.answer:
                corrections[entry.id] = text
            if entry.scale:
                typed = self.query_one(f"#rating-{entry.id}", Input).value.strip()
                value = int(typed) if typed.lstrip("-").isdigit() else None
                if typed and (value is None or not 0 <= value <= entry.scale):
                    self._status(_("A rating is a number from 0 to {top}.").format(top=entry.scale))
                    return
                if value != entry.rating:
                    ratings[entry.id] = value
        try:
            reread = self._journal.reread(self._detail.row.id, corrections)
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        changes = {k: v for k, v in reread.items() if k not in ratings}
        if not changes:
            self._save(corrections, ratings)
            return
        old = {e.id: e.rating for e in self._detail.entries}
        said = ", ".join(
            _("{old} → {new}").format(old="—" if old[k] is None else old[k], new=v)
            for k, v in changes.items()
        )

        def answered(yes: bool | None) -> None:
            self._save(corrections, {**ratings, **changes} if yes else ratings)

        question = _("Your corrected words give another rating ({changes}). Change it?")
        self.app.push_screen(ConfirmScreen(question.format(changes=said)), answered)

    def _status(self, message: str) -> None:
        self.query_one("#review-status", Static).update(message)

    def _save(self, corrections: dict[str, str], ratings: dict[str, int | None]) -> None:
        tags = [t.strip() for t in self.query_one("#tags", Input).value.split(",") if t.strip()]
        mood_value = self.query_one("#mood", Select).value
        mood = mood_value if isinstance(mood_value, str) else ""
        keep = self.query_one("#keep-audio", Switch).value
        try:
            self._journal.save_review(
                self._detail.row.id, corrections, tags, mood, keep, ratings=ratings
            )
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        self.post_message(self.Saved(self._detail.row.id))


def _unsure_line(answer: str, unsure: tuple[str, ...]) -> Text:
    """The answer with the words heard with low confidence marked, after a short note."""
    line = Text(_("Not sure I heard: "), style="italic")
    marked = Text(answer)
    marked.highlight_words(unsure, style="reverse")
    return line + marked
