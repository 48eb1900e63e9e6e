"""Journal (list, search with highlights, open, export, delete), Review and Insights."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from rich.text import Text
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Select, Static, Switch, TextArea

from tests.tui.doubles import FakeJournal, make_harness, posted
from voicereflect.config import Config, replace_setting
from voicereflect.tui.app import VoiceReflectApp
from voicereflect.tui.screens.confirm import ConfirmScreen
from voicereflect.tui.screens.home import HomeScreen
from voicereflect.tui.screens.insights import InsightsScreen, RatingsChart
from voicereflect.tui.screens.journal import JournalScreen, highlighted
from voicereflect.tui.screens.review import ReviewScreen
from voicereflect.tui.services import EntryRow, SearchRow, SessionDetail, SessionRow


def test_highlighted_marks_matches_and_never_parses_markup() -> None:
    text = highlighted(SearchRow("1", "x", "a [bold] \ue000cello\ue001 b", ("\ue000", "\ue001")))
    assert text.plain == "a [bold] cello b"
    styled = [text.plain[s.start : s.end] for s in text.spans]
    assert styled == ["cello"]


def test_journal_lists_searches_opens_exports_and_deletes() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(message_hook=seen.append) as pilot:
            await pilot.press("j")
            screen = app.screen
            assert isinstance(screen, JournalScreen)
            table = screen.query_one(DataTable)
            assert table.row_count == 2

            await pilot.press("slash", *"cello", "enter")
            await pilot.pause()
            assert table.row_count == 1
            match = table.get_cell_at((0, 1))
            assert isinstance(match, Text) and "cello" in match.plain
            assert any(match.plain[s.start : s.end] == "cello" for s in match.spans)
            assert "1 session matches" in str(screen.query_one("#journal-status", Static).content)

            await pilot.press("x")
            assert harness.journal.exported == [(["2"], "md")]
            assert posted(seen, JournalScreen.Exported)
            status = str(screen.query_one("#journal-status", Static).content)
            assert status.startswith("Exported this session to ") and status.endswith(".md")
            await pilot.press("X")
            ids, fmt = harness.journal.exported[-1]
            assert sorted(ids) == ["1", "2"] and fmt == "md"
            status = str(screen.query_one("#journal-status", Static).content)
            assert status.startswith("Exported all 2 sessions to ")

            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert "2" in harness.journal.sessions
            await pilot.press("d", "y")
            await pilot.pause()
            assert "2" not in harness.journal.sessions
            assert [m.session_ids for m in posted(seen, JournalScreen.Deleted)] == [("2",)]  # type: ignore[attr-defined]
            assert table.row_count == 0  # the search is still shown, and matches nothing now
            await pilot.press("escape")  # Esc first clears the search
            assert table.row_count == 1

            await pilot.press("enter")
            await pilot.pause()
            assert [m.session_id for m in posted(seen, JournalScreen.OpenSession)] == ["1"]  # type: ignore[attr-defined]
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, JournalScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("escape")  # never past Home
            assert isinstance(app.screen, HomeScreen)

    asyncio.run(scenario())


def test_review_saves_corrections_tags_mood_and_audio_choice() -> None:
    async def scenario() -> None:
        harness = make_harness()
        app = VoiceReflectApp(Config(), harness.services)
        seen: list[Message] = []
        async with app.run_test(size=(100, 40), message_hook=seen.append) as pilot:
            app.open_session("1")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            area = screen.query_one("#answer-11", TextArea)
            assert area.text.startswith("Tired but hopeful")
            area.text = "Tired, but hopeful about the garden."
            screen.query_one("#tags", Input).value = "work, garden"
            screen.query_one("#mood", Select).value = "good"
            keep = screen.query_one("#keep-audio", Switch)
            assert keep.value and not keep.disabled  # entry 12 has audio
            keep.value = False
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert harness.journal.reviews == [
                (
                    "1",
                    {"11": "Tired, but hopeful about the garden."},
                    ["work", "garden"],
                    "good",
                    False,
                )
            ]
            assert [m.session_id for m in posted(seen, ReviewScreen.Saved)] == ["1"]  # type: ignore[attr-defined]
            assert isinstance(app.screen, HomeScreen)

    asyncio.run(scenario())


async def _insights(config: Config, check: Callable[[InsightsScreen, str], None]) -> None:
    """Open Insights and hand ``check`` the screen and the chart's text."""
    app = VoiceReflectApp(config, make_harness().services)
    async with app.run_test() as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        chart = screen.query_one(RatingsChart)
        check(screen, Text.from_ansi(chart.plt.build()).plain)


def test_insights_chart_ratings_by_date_on_the_0_to_10_scale_with_themes_and_change_talk() -> None:
    def check(screen: InsightsScreen, chart: str) -> None:
        for label in ("2026-11-01", "2026-11-22", "10", "0", "date", "rating (0–10)"):
            assert label in chart
        assert "from 2026-11-01 (4) to 2026-11-22 (7)" in str(
            screen.query_one("#ratings-range", Static).content
        )
        assert "work ×5" in str(screen.query_one("#themes", Static).content)
        quotes = [str(s.content) for s in screen.query(".quote").results(Static)]
        assert quotes == ["2026-11-15  “I want to practise every evening”"]

    asyncio.run(_insights(Config(), check))


def test_insights_in_korean_names_axes_and_themes_in_korean() -> None:
    def check(screen: InsightsScreen, chart: str) -> None:
        assert "날짜" in chart and "점수 (0–10)" in chart
        assert "일 5번" in str(screen.query_one("#themes", Static).content)
        assert "시간에 따른 점수" in str(screen.query_one(".title", Label).content)

    asyncio.run(_insights(replace_setting(Config(), "speech", language="ko"), check))


async def _rated_review(
    check: Callable[[Pilot[None], ReviewScreen, FakeJournal], Awaitable[None]],
) -> None:
    """Open Review on a session with one rating heard with doubt, and hand it to ``check``."""
    harness = make_harness()
    harness.journal.sessions["3"] = SessionDetail(
        SessionRow("3", "2026-11-24 09:00", "checkin", "Daily check-in", (), ""),
        (EntryRow("31", "Your score today, 0 to 10?", "2 today", 2, scale=10, unsure=("2",)),),
    )
    app = VoiceReflectApp(Config(), harness.services)
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_session("3")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await check(pilot, app.screen, harness.journal)


def test_review_rereads_a_corrected_rating_and_asks_before_changing_it() -> None:
    async def check(pilot: Pilot[None], screen: ReviewScreen, journal: FakeJournal) -> None:
        unsure = screen.query_one(".unsure", Static)
        assert "Not sure I heard" in str(unsure.render())
        assert screen.query_one("#rating-31", Input).value == "2"
        screen.query_one("#answer-31", TextArea).text = "7 today"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert journal.reviews[-1][1] == {"31": "7 today"}
        assert journal.rated == [{"31": 7}]

    asyncio.run(_rated_review(check))


def test_review_takes_a_rating_typed_directly_and_refuses_one_off_the_scale() -> None:
    async def check(pilot: Pilot[None], screen: ReviewScreen, journal: FakeJournal) -> None:
        rating = screen.query_one("#rating-31", Input)
        rating.value = "12"
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(screen.query_one("#review-status", Static).render())
        assert "from 0 to 10" in status and journal.rated == []
        rating.value = "8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert journal.rated == [{"31": 8}]

    asyncio.run(_rated_review(check))
