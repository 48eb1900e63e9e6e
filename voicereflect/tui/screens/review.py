"""Review: correct what was written down, add tags and a mood, keep or drop audio, save."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch, TextArea

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings
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
                if entry.rating is not None:
                    yield Static(_("Rating: {value}").format(value=entry.rating), classes="rating")
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
        """Write corrections, tags, mood and the audio choice."""
        corrections: dict[str, str] = {}
        for entry in self._detail.entries:
            text = self.query_one(f"#answer-{entry.id}", TextArea).text
            if text != entry.answer:
                corrections[entry.id] = text
        tags = [t.strip() for t in self.query_one("#tags", Input).value.split(",") if t.strip()]
        mood_value = self.query_one("#mood", Select).value
        mood = mood_value if isinstance(mood_value, str) else ""
        keep = self.query_one("#keep-audio", Switch).value
        try:
            self._journal.save_review(self._detail.row.id, corrections, tags, mood, keep)
        except VoicereflectError as exc:
            self.query_one("#review-status", Static).update(exc.message)
            return
        self.post_message(self.Saved(self._detail.row.id))
