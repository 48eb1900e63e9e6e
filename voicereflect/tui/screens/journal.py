"""Journal: every session, full-text search with highlights, open, export, delete."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _, ngettext
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.screens.confirm import ConfirmScreen
from voicereflect.tui.services import JournalView, SearchRow


def highlighted(hit: SearchRow) -> Text:
    """The snippet with the matched words in reverse video, never parsed as markup."""
    start, end = hit.marks
    text = Text()
    rest = hit.snippet
    while rest:
        before, found, after = rest.partition(start)
        text.append(before)
        if not found:
            break
        word, _, rest = after.partition(end)
        text.append(word, style="bold reverse")
    return text


EVERY_SESSION = 1_000_000  # "export all" asks the journal for at most this many: all of them


class JournalScreen(Screen[None]):
    """The list of sessions, or the hits for a search."""

    BINDINGS = [
        Binding("slash", "focus_search", N_("Search")),
        Binding("o", "open", N_("Open")),
        Binding("x", "export", N_("Export")),
        Binding("X", "export_all", N_("All")),
        Binding("d", "delete", N_("Delete")),
        Binding("escape", "back", N_("Back")),
    ]

    class OpenSession(Message):
        """Open one session for reading and correcting."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class Deleted(Message):
        """Sessions were deleted from the journal."""

        def __init__(self, session_ids: tuple[str, ...]) -> None:
            super().__init__()
            self.session_ids = session_ids

    class Exported(Message):
        """Sessions were exported to ``path``."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, journal: JournalView, limit: int = 200) -> None:
        super().__init__()
        translate_bindings(self)
        self._journal = journal
        self._limit = limit

    def compose(self) -> ComposeResult:
        yield Label(_("Journal"), classes="title")
        yield Input(placeholder=_("/ search your words"), id="search")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="journal-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_sessions()
        self.query_one(DataTable).focus()

    def show_sessions(self) -> None:
        """List every session, newest first."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # The flow shows by its title in the person's language, not by its id ("check-in").
        table.add_columns(_("when"), _("flow"), _("tags"), _("mood"))
        for row in self._journal.recent(self._limit):
            # Text cells: DataTable parses a str cell as markup, and these are stored words.
            table.add_row(
                row.started,
                Text(row.title),
                Text(", ".join(row.tags)),
                Text(_(row.mood) if row.mood else ""),
                key=row.id,
            )
        n = table.row_count
        self._status(
            ngettext("{n} session", "{n} sessions", n).format(n=n) if n else _("No sessions yet.")
        )

    def show_hits(self, query: str) -> None:
        """List the entries matching ``query``, matches highlighted."""
        table = self.query_one(DataTable)
        try:
            hits = self._journal.search(query)
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        table.clear(columns=True)
        table.add_columns(_("when"), _("match"))
        seen: set[str] = set()
        for hit in hits:
            if hit.session_id in seen:
                continue  # one row per session; the first hit is the best ranked
            seen.add(hit.session_id)
            table.add_row(hit.started, highlighted(hit), key=hit.session_id)
        n = len(seen)
        self._status(
            ngettext("{n} session matches", "{n} sessions match", n).format(n=n)
            if n
            else _("Nothing matches.")
        )

    def _reshow(self) -> None:
        query = self.query_one("#search", Input).value.strip()
        if query:
            self.show_hits(query)
        else:
            self.show_sessions()

    def _status(self, text: str) -> None:
        self.query_one("#journal-status", Static).update(text)

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if query:
            self.show_hits(query)
        else:
            self.show_sessions()
        self.query_one(DataTable).focus()

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return None if key.value is None else str(key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenSession(str(event.row_key.value)))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        """Esc: leave the search box, then clear a search, then go back."""
        search = self.query_one("#search", Input)
        if search.has_focus or search.value:
            search.value = ""
            self.show_sessions()
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

    def action_open(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.post_message(self.OpenSession(selected))

    def action_export(self) -> None:
        """x: export the highlighted session as Markdown into the private data dir."""
        selected = self._selected()
        if selected is not None:
            self._export([selected], _("Exported this session to {path}"))

    def action_export_all(self) -> None:
        """X: export every session in the journal, saying how many."""
        every = [row.id for row in self._journal.recent(EVERY_SESSION)]
        if every:
            n = len(every)
            done = ngettext(
                "Exported {n} session to {path}", "Exported all {n} sessions to {path}", n
            )
            self._export(every, done.replace("{n}", str(n)))

    def _export(self, session_ids: list[str], done: str) -> None:
        """Export, then say what the file holds and name it (``done`` has ``{path}``)."""
        try:
            path = self._journal.export(session_ids, "md")
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        self._status(done.format(path=path))
        self.post_message(self.Exported(str(path)))

    def action_delete(self) -> None:
        """Delete the selected session, after asking."""
        selected = self._selected()
        if selected is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self._journal.delete([selected])
            self._reshow()
            self._status(_("Deleted."))
            self.post_message(self.Deleted((selected,)))

        self.app.push_screen(
            ConfirmScreen(
                _("Delete this session for good? This cannot be undone."), yes=_("Delete")
            ),
            answered,
        )
