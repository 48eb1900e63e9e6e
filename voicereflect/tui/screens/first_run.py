"""First run: language, speech model (download or add), microphone test, voice, passphrase.

Nothing here can leave the person stuck: each step's message appears right under its own
controls (so it is on screen at 80×24), a failed download stops its bar and offers Retry and
Add a zip, and focus starts on the first control.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, ProgressBar, Select, Static, Switch
from textual.worker import Worker, WorkerState

from voicereflect.config import Config, replace_setting
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _, current_language, use_language
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.languages import LANGUAGES, missing_voice
from voicereflect.tui.messages import DownloadProgress
from voicereflect.tui.services import LevelProbe, Services
from voicereflect.tui.widgets.level_meter import LevelMeter


class FirstRunScreen(Screen[None]):
    """Gets a new person from nothing to a working microphone, model and voice."""

    BINDINGS = [
        Binding("ctrl+s", "finish", N_("Done")),
        Binding("escape", "finish", N_("Skip")),
    ]

    class Done(Message):
        """Setup finished with these settings (already saved)."""

        def __init__(self, config: Config) -> None:
            super().__init__()
            self.config = config

    def __init__(self, config: Config, services: Services) -> None:
        super().__init__()
        translate_bindings(self)
        self._config = config
        self._services = services
        self._mic: LevelProbe | None = None

    def compose(self) -> ComposeResult:
        known = [code for _name, code in LANGUAGES]
        language = self._config.speech.language
        with VerticalScroll(id="first-run"):
            yield Label(_("Welcome to voicereflect"), classes="title")
            yield Static(
                _(
                    "Everything you say stays on this computer. Let's set up listening and "
                    "speaking."
                ),
                markup=False,
            )
            yield Label(_("1. Language"), classes="title")
            yield Select(
                LANGUAGES,
                value=language if language in known else "en",
                allow_blank=False,
                id="language",
            )
            yield Static("", id="language-status", classes="hint", markup=False)
            yield Label(_("2. Speech model"), classes="title")
            yield Static("", id="models", classes="hint", markup=False)
            with Horizontal(classes="row"):
                yield Select([], prompt=_("model to download"), id="download-choice")
                yield Button(_("Download"), id="download")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield Static("", id="download-status", classes="hint", markup=False)
            with Horizontal(classes="row", id="download-failed"):
                yield Button(_("Retry"), id="retry")
                yield Button(_("Add a zip"), id="add-zip")
            with Horizontal(classes="row"):
                yield Input(
                    placeholder=_("or a model folder / zip on this computer"), id="add-path"
                )
                yield Button(_("Add"), id="add")
            yield Label(_("3. Microphone"), classes="title")
            with Horizontal(classes="row"):
                yield Button(_("Test microphone"), id="mic-test")
                yield LevelMeter(id="mic-level")
            yield Static("", id="mic-status", classes="hint", markup=False)
            yield Label(_("4. Voice"), classes="title")
            yield Button(_("Hear a sample"), id="sample")
            yield Static("", id="voice-status", classes="hint", markup=False)
            yield Label(_("5. Passphrase (optional)"), classes="title")
            yield Static(
                _(
                    "It encrypts your journal. There is no recovery: if you forget it, "
                    "nobody can open your journal again. Leave both empty for none."
                ),
                classes="hint",
                markup=False,
            )
            yield Input(
                password=True, placeholder=_("passphrase"), id="passphrase", classes="passphrase"
            )
            yield Input(
                password=True,
                placeholder=_("the same passphrase again"),
                id="passphrase-again",
                classes="passphrase",
            )
            with Horizontal(classes="row"):
                yield Switch(False, id="reveal")
                yield Label(_("Show what I type"), classes="switch-label")
            yield Static("", id="passphrase-status", classes="hint", markup=False)
            yield Button(_("Done"), id="done", variant="primary")
            yield Static("", id="first-run-status", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._prepare()

    def _prepare(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#download-failed").display = False
        self._show_models()
        self.query_one("#language", Select).focus()

    def on_unmount(self) -> None:
        self._stop_mic()

    @property
    def language(self) -> str:
        value = self.query_one("#language", Select).value
        return value if isinstance(value, str) else "en"

    def _say(self, where: str, text: str) -> None:
        """Show ``text`` in the hint line ``where``, scrolled into view."""
        hint = self.query_one(f"#{where}", Static)
        hint.update(text)
        hint.scroll_visible(animate=False)

    def _show_models(self) -> None:
        models = self._services.list_models(self.language)
        installed = [m.name for m in models if m.installed]
        self.query_one("#models", Static).update(
            _("Installed: {models}").format(models=", ".join(installed))
            if installed
            else _("No speech model yet: download one, or add one you already have.")
        )
        choice = self.query_one("#download-choice", Select)
        offered = [(f"{m.name} ({m.size_mb:.0f} MB)", m.name) for m in models if not m.installed]
        choice.set_options(offered)
        if offered:
            choice.value = offered[0][1]  # the smallest first: Download works at once

    @on(Select.Changed, "#language")
    async def _language_changed(self) -> None:
        if not self._config.ui.language and self.language != current_language():
            await self._relabel()
        self._show_models()
        # The model's own line below says what to do about a missing model.
        problem = missing_voice(self._services, self.language)
        self.query_one("#language-status", Static).update(problem or "")

    async def _relabel(self) -> None:
        """Show this screen in the language just picked (unless ``ui.language`` fixes one).

        What was typed so far stays; a running microphone test stops, as leaving would.
        """
        typed = {field.id: field.value for field in self.query(Input).results(Input)}
        self._stop_mic()
        self._config = replace_setting(self._config, "speech", language=self.language)
        use_language(self.language)
        translate_bindings(self)
        translate_bindings(self.app)
        await self.recompose()
        for field in self.query(Input).results(Input):
            field.value = typed.get(field.id, "")
        self._prepare()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        handlers = {
            "download": self._download,
            "retry": self._download,
            "add-zip": lambda: self.query_one("#add-path", Input).focus(),
            "add": self._add,
            "mic-test": self._toggle_mic,
            "sample": self._sample,
            "done": self.action_finish,
        }
        handler = handlers.get(event.button.id or "")
        if handler is not None:
            handler()

    def _download(self) -> None:
        name = self.query_one("#download-choice", Select).value
        if not isinstance(name, str):
            self._say("download-status", _("Choose a model to download first."))
            return
        self.query_one("#download-failed").display = False
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._say("download-status", _("Downloading {model}…").format(model=name))

        def progress(done: int, total: int) -> None:
            # Runs on the download thread: only post a message, never touch the bar.
            self.post_message(DownloadProgress(done, total))

        # A short job: a thread worker is right here (the long-lived loops are the session's).
        self.run_worker(
            lambda: self._services.download_model(name, progress),
            thread=True,
            exit_on_error=False,
            group="download",
            name="download",
        )

    def on_download_progress(self, message: DownloadProgress) -> None:
        self.query_one("#progress", ProgressBar).update(
            total=message.total or None, progress=message.done
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "download" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        # Finished either way: the bar stops (an indeterminate bar would spin on forever).
        self.query_one("#progress", ProgressBar).display = False
        if event.state is WorkerState.SUCCESS:
            self._say("download-status", _("Installed {model}.").format(model=event.worker.result))
            self._show_models()
            return
        error = event.worker.error
        message = (
            error.message
            if isinstance(error, VoicereflectError)
            else _("Download failed ({error}).").format(error=type(error).__name__)
        )
        self._say("download-status", message)
        self.query_one("#download-failed").display = True
        self.query_one("#retry", Button).focus()
        self.notify(message, title=_("Download failed"), severity="error", timeout=15)

    def _add(self) -> None:
        text = self.query_one("#add-path", Input).value.strip()
        if not text:
            self._say("download-status", _("Type the path of a model folder or zip first."))
            return
        try:
            name = self._services.add_model(Path(text).expanduser())
        except VoicereflectError as exc:
            self._say("download-status", exc.message)
            return
        self.query_one("#download-failed").display = False
        self._say("download-status", _("Added {model}.").format(model=name))
        self._show_models()

    def _toggle_mic(self) -> None:
        meter = self.query_one("#mic-level", LevelMeter)
        if self._mic is not None:
            self._stop_mic()
            self._say("mic-status", _("Microphone test stopped."))
            return
        try:
            self._mic = self._services.open_mic(self._config)
        except VoicereflectError as exc:
            self._say("mic-status", exc.message)
            return
        mic = self._mic
        meter.set_source(lambda: mic.level)
        self._say("mic-status", _("Say something: the bar should move. Press again to stop."))

    def _stop_mic(self) -> None:
        if self._mic is not None:
            self._mic.stop()
            self._mic = None
            self.query_one("#mic-level", LevelMeter).set_source(None)

    def _sample(self) -> None:
        config = replace_setting(self._config, "speech", language=self.language)
        try:
            self._services.voice_sampler(config).speak(self._services.sample_text(self.language))
        except VoicereflectError as exc:
            self._say("voice-status", exc.message)

    @on(Switch.Changed, "#reveal")
    def _reveal(self, event: Switch.Changed) -> None:
        for field in self.query(".passphrase").results(Input):
            field.password = not event.value

    def action_finish(self) -> None:
        """Save the language (and passphrase, if given) and go to Home."""
        first = self.query_one("#passphrase", Input)
        again = self.query_one("#passphrase-again", Input)
        if first.value != again.value:
            self._say(
                "passphrase-status",
                _("The two passphrases are not the same: type the same one twice."),
            )
            again.value = ""
            again.focus()
            return
        self._stop_mic()
        config = replace_setting(self._config, "speech", language=self.language)
        try:
            if first.value:
                self._services.set_passphrase(None, first.value)
            self._services.save_config(config)
        except VoicereflectError as exc:
            self._say("first-run-status", exc.message)
            return
        finally:
            # The passphrase must not linger in a widget (or in a crash report's locals).
            first.value = ""
            again.value = ""
        self.post_message(self.Done(config))
