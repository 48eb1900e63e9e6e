"""The Textual app: wires the screens to the injected parts; ``run_app`` wires the real ones."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _, current_language, ui_language, use_language
from voicereflect.journal.errors import PassphraseRequired, WrongPassphrase
from voicereflect.tui import textual_texts
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.languages import missing_model, missing_voice
from voicereflect.tui.messages import SessionEvent
from voicereflect.tui.screens.home import HomeScreen
from voicereflect.tui.services import Contact, JournalView, PartStatus, Services

if TYPE_CHECKING:
    from voicereflect.tui.screens.first_run import FirstRunScreen
    from voicereflect.tui.screens.journal import JournalScreen
    from voicereflect.tui.screens.review import ReviewScreen
    from voicereflect.tui.screens.session import SessionScreen
    from voicereflect.tui.screens.settings import SettingsScreen

T = TypeVar("T")


class VoiceReflectApp(textual_texts.TranslatedPalette):
    """voicereflect's terminal UI. Every part that touches the world is in ``services``."""

    CSS_PATH = "app.tcss"
    TITLE = "voicereflect"
    BINDINGS = [
        Binding("f1", "help", N_("Help")),
        Binding("f2", "support", N_("Support")),
        # Shown in F1's help, not the footer: at 80 columns the screens' own keys come first.
        Binding("ctrl+q", "quit", N_("Quit"), priority=True, show=False),
    ]

    def __init__(
        self,
        config: Config,
        services: Services,
        *,
        flow: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        end_on_signals: bool = False,
    ) -> None:
        super().__init__()
        self._end_on_signals = end_on_signals
        self.config = config
        self.services = services
        self.journal: JournalView | None = None
        self._flow = flow
        self._monotonic = monotonic
        self._parts: list[PartStatus] = []
        self._asking_passphrase = False
        self._journal_tried = False
        use_language(ui_language(config))
        translate_bindings(self)
        # The language the screens on the stack were built in (first run may switch it).
        self._screens_language = current_language()

    # ---- start-up ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from ()

    def get_default_screen(self) -> HomeScreen:
        # Home is the bottom of the stack, composed with the app: pushing it on Textual's
        # empty default screen from on_mount cost a second layout and render pass before
        # the first frame (~40 ms at 120x40, scripts/bench). Its lists are filled after
        # that frame: the flows (reading the prompt pack), recent sessions, device status.
        return HomeScreen([], self._parts, None, None)

    def on_mount(self) -> None:
        if self._end_on_signals:
            # SIGTERM, or SIGHUP when the terminal closes: quit as Ctrl+Q does, so the session
            # saves and closes and Textual gives the terminal back (alternate screen, mouse,
            # cursor); without a handler Python died on the spot, leaving all of it behind.
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self._signalled, sig)
        self.theme = self.config.ui.theme
        if self.services.is_first_run():
            # Screens other than Home and Session are imported when first shown: importing
            # them all is a good part of the time to the first frame (scripts/bench).
            from voicereflect.tui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(self.config, self.services))
        # Opening the journal, probing the devices and starting a session wait for the first
        # frame: the person sees the app at once, and Home's recent sessions a moment later,
        # not after the journal's database, the session's imports and threads.
        self.call_after_refresh(self._start_up)

    def _start_up(self) -> None:
        self._show_flows()
        self._ensure_journal()
        self.run_worker(self._probe, thread=True, exit_on_error=False, name="probe")
        if self.services.is_first_run():
            return
        if self._flow is not None and not self._asking_passphrase:
            self.start_session(self._flow)
            self._flow = None

    def _signalled(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    def _probe(self) -> list[PartStatus]:
        # Runs on a short-lived worker thread: probing devices imports PortAudio and may
        # take a moment; the result comes back through on_worker_state_changed.
        return self.services.probe_status(self.config)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "probe":
            return
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, list):
            self._parts = event.worker.result
        elif event.state is WorkerState.ERROR:
            self._parts = [PartStatus(_("status"), False, _("could not check the devices"))]
        else:
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_parts(self._parts)

    def _show_flows(self) -> None:
        flows = self._safe(lambda: self.services.flows(self.config.speech.language), [])
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_flows(flows)

    def _safe(self, get: Callable[[], list[T]], default: list[T]) -> list[T]:
        try:
            return get()
        except VoicereflectError as exc:
            self.notify(exc.message, severity="error")
            return default

    def _ensure_journal(self) -> None:
        """Open the journal once: after the first frame, or sooner if a key needs it first."""
        if not self._journal_tried:
            self._journal_tried = True
            self._open_journal(None)

    def _open_journal(self, passphrase: str | None) -> None:
        try:
            self.journal = self.services.open_journal(passphrase)
        except (PassphraseRequired, WrongPassphrase) as exc:
            from voicereflect.tui.screens.unlock import UnlockScreen

            # Ask; a wrong one is asked again with the reason, Esc goes on without the journal.
            self._asking_passphrase = True
            self.push_screen(UnlockScreen(exc.message if passphrase else ""), self._unlocked)
            return
        except VoicereflectError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        for notice in getattr(self.journal, "notices", ()):
            self.notify(notice, severity="warning", timeout=10)
        self.refresh_home()

    def _unlocked(self, passphrase: str | None) -> None:
        self._asking_passphrase = False
        if passphrase:
            self._open_journal(passphrase)
        if self.journal is not None and self._flow is not None:
            # `--flow` waits for the journal, so the session shares the unlocked one.
            self.start_session(self._flow)
            self._flow = None

    def refresh_home(self) -> None:
        """Show the journal's recent sessions and next step on Home."""
        if self.journal is None:
            return
        try:
            recent = self.journal.recent(8)
            step = self.journal.last_next_step()
        except VoicereflectError as exc:
            self.notify(exc.message, severity="error")
            return
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_journal(recent, step)

    # ---- navigation --------------------------------------------------------------------

    def start_session(self, flow: str | None) -> None:
        """Make a session through the factory and show it."""
        from voicereflect.tui.screens.session import SessionScreen

        self._ensure_journal()  # the session shares the app's journal (it holds the lock)
        if self._asking_passphrase:
            return  # the passphrase comes first; then Home again
        screen_ref: list[SessionScreen] = []

        def on_event(event: object) -> None:
            # Called on the session's threads: hand over, never touch a widget here.
            if screen_ref:
                screen_ref[0].post_message(SessionEvent(event))

        try:
            session = self.services.session_factory(self.config, flow, on_event)
        except VoicereflectError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        cue = self.services.play_cue if self.config.audio.sound_cues else None
        screen = SessionScreen(session, self._monotonic, muted=self.config.voice.muted, cue=cue)
        screen_ref.append(screen)
        self.push_screen(screen)

    def on_home_screen_start_requested(self, message: HomeScreen.StartRequested) -> None:
        self.start_session(message.flow)

    def on_home_screen_open_session(self, message: HomeScreen.OpenSession) -> None:
        self.open_session(message.session_id)

    def on_journal_screen_open_session(self, message: JournalScreen.OpenSession) -> None:
        self.open_session(message.session_id)

    def open_session(self, session_id: str, replace: bool = False) -> None:
        """Show one session in Review (to read, correct, tag)."""
        from voicereflect.tui.screens.review import ReviewScreen

        self._ensure_journal()
        if self.journal is None:
            self.notify(_("The journal is not open."), severity="warning")
            return
        try:
            detail = self.journal.detail(session_id)
        except VoicereflectError as exc:
            self.notify(exc.message, severity="error")
            return
        screen = ReviewScreen(self.journal, detail)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def on_session_screen_finished(self, message: SessionScreen.Finished) -> None:
        if message.session_id is not None and self.journal is not None:
            self.open_session(str(message.session_id), replace=True)
        else:
            self.pop_screen()
        self.refresh_home()

    def on_session_screen_support(self, message: SessionScreen.Support) -> None:
        from voicereflect.tui.screens.support import SupportScreen

        contacts = [Contact(line, "") for line in message.contacts]
        if isinstance(self.screen, SupportScreen):
            self.pop_screen()  # a second offer replaces the first card
        self.push_screen(SupportScreen(contacts, intro=message.message, choose=message.choose))

    def on_session_screen_support_done(self, message: SessionScreen.SupportDone) -> None:
        from voicereflect.tui.screens.support import SupportScreen

        if isinstance(self.screen, SupportScreen):
            self.pop_screen()

    def on_review_screen_saved(self, message: ReviewScreen.Saved) -> None:
        self.notify(_("Saved."))
        self.pop_screen()
        self.refresh_home()

    def on_journal_screen_deleted(self, message: JournalScreen.Deleted) -> None:
        self.refresh_home()

    def on_settings_screen_saved(self, message: SettingsScreen.Saved) -> None:
        language = message.config.speech.language
        changed = language != self.config.speech.language
        self._apply_config(message.config)
        if changed:
            # After the switch, so it is said in the new language: what it still lacks.
            for check in (missing_model, missing_voice):
                problem = check(self.services, language)
                if problem:
                    self.notify(problem, severity="warning", timeout=15)

    def on_first_run_screen_done(self, message: FirstRunScreen.Done) -> None:
        self.pop_screen()
        self._apply_config(message.config)
        self.refresh_home()

    def _apply_config(self, config: Config) -> None:
        """New settings: theme, language, the language's flows, and the parts' status again."""
        self.config = config
        self.theme = config.ui.theme
        if ui_language(config) != self._screens_language:
            use_language(ui_language(config))
            translate_bindings(self)
            self._screens_language = current_language()
            # Every screen was built in the old language: back to Home, built again in the
            # new one.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            for screen in self.screen_stack:
                if isinstance(screen, HomeScreen):
                    screen.rebuild()
            self.refresh_home()
        self._show_flows()
        self.run_worker(self._probe, thread=True, exit_on_error=False, name="probe")

    def action_go_back(self) -> None:
        """Esc: one screen back, never past Home (the bottom screen)."""
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from voicereflect.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_support(self) -> None:
        from voicereflect.tui.screens.support import SupportScreen

        if isinstance(self.screen, SupportScreen):
            return
        contacts = self._safe(
            lambda: self.services.support_contacts(self.config.speech.language), []
        )
        self.push_screen(SupportScreen(contacts))

    def action_open_journal(self) -> None:
        from voicereflect.tui.screens.journal import JournalScreen

        self._ensure_journal()
        if self.journal is None:
            self.notify(_("The journal is not open."), severity="warning")
            return
        self.push_screen(JournalScreen(self.journal))

    def action_open_insights(self) -> None:
        from voicereflect.tui.screens.insights import InsightsScreen

        self._ensure_journal()
        if self.journal is None:
            self.notify(_("The journal is not open."), severity="warning")
            return
        self.push_screen(InsightsScreen(self.journal))

    def action_open_settings(self) -> None:
        from voicereflect.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(self.config, self.services))

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    # ---- command palette and crash output ----------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            _("Start a reflection"), _("Talk freely"), lambda: self.start_session(None)
        )
        for flow in self._safe(lambda: self.services.flows(self.config.speech.language), []):
            yield SystemCommand(
                _("Start: {flow}").format(flow=flow.title),
                _("Start this reflection"),
                _starter(self, flow.id),
            )
        yield SystemCommand(
            _("Journal"), _("Your sessions, search, export"), self.action_open_journal
        )
        yield SystemCommand(
            _("Insights"), _("Ratings and themes over time"), self.action_open_insights
        )
        yield SystemCommand(
            _("Settings"), _("Voice, microphone, model, privacy"), self.action_open_settings
        )
        yield SystemCommand(_("Support"), _("People you can reach"), self.action_support)
        yield SystemCommand(_("Help"), _("Keys and privacy"), self.action_help)
        yield SystemCommand(_("Light / dark"), _("Switch theme"), self.action_toggle_dark)
        yield from textual_texts.system_commands(super().get_system_commands(screen))

    def _fatal_error(self) -> None:
        # Textual's default renders the traceback with show_locals=True, which would print
        # transcript text and passphrases held in local variables (pitfall T9). Show only
        # where it happened and the exception type, never its message or any locals.
        self.bell()
        self._exit_renderables.append(crash_report(self._exception))
        self._close_messages_no_wait()


def crash_report(error: BaseException | None) -> Text:
    """A crash note naming the exception type and the code locations, nothing else."""
    text = Text(
        _("voicereflect stopped because of a bug. Your saved answers are safe.") + "\n", "bold"
    )
    if error is None:
        return text
    for frame in traceback.extract_tb(error.__traceback__)[-8:]:
        text.append(f"  {frame.filename}:{frame.lineno} in {frame.name}\n")
    note = _("details withheld: they may contain your words")
    text.append(f"{type(error).__name__} ({note})\n")
    return text


def _starter(app: VoiceReflectApp, flow_id: str) -> Callable[[], None]:
    return lambda: app.start_session(flow_id)


def run_app(config: Config, flow: str | None) -> int:
    """Run the terminal app with the real parts; returns the exit code.

    fd 2 goes to the private log while the app runs, so native libraries (Kaldi, ALSA)
    cannot garble the screen.
    """
    from voicereflect.tui.stderr import stderr_to_log
    from voicereflect.tui.wiring import real_services

    services = real_services()
    held = 0
    with stderr_to_log() as log:
        # Built inside: Textual takes the terminal stream (sys.__stderr__) at construction.
        app = VoiceReflectApp(config, services, flow=flow, end_on_signals=True)
        try:
            result = app.run()
        finally:
            # After run(): every screen is unmounted, so any session has saved and stopped.
            services.shutdown()
            if app.journal is not None:
                from voicereflect.session.parts import held_answers

                # Answers a full disk kept in memory: one last try, then count what is left
                # (the adapter wraps the real Journal, which is what holds them).
                held = held_answers(getattr(app.journal, "journal", app.journal))
                app.journal.close()
    if held:
        from voicereflect.session.parts import held_warning

        print(f"voicereflect: {held_warning(held)}", file=sys.stderr)
    if app.return_code == 1 and app._exception is not None:
        print(
            "voicereflect: "
            + _("stopped because of a bug; where it happened is in {log}").format(log=log),
            file=sys.stderr,
        )
    return int(result or app.return_code or 0)
