"""First run: language, speech model (download or add), microphone test, voice, passphrase."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState

from voicereflect.config import Config, replace_setting
from voicereflect.errors import VoicereflectError
from voicereflect.tui.messages import DownloadProgress
from voicereflect.tui.services import LevelProbe, Services
from voicereflect.tui.widgets.level_meter import LevelMeter

LANGUAGES = [("English", "en"), ("한국어 (Korean)", "ko")]


class FirstRunScreen(Screen[None]):
    """Gets a new person from nothing to a working microphone, model and voice."""

    BINDINGS = [Binding("ctrl+s", "finish", "Done"), Binding("escape", "finish", "Skip")]

    class Done(Message):
        """Setup finished with these settings (already saved)."""

        def __init__(self, config: Config) -> None:
            super().__init__()
            self.config = config

    def __init__(self, config: Config, services: Services) -> None:
        super().__init__()
        self._config = config
        self._services = services
        self._mic: LevelProbe | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="first-run"):
            yield Label("Welcome to voicereflect", classes="title")
            yield Static(
                "Everything you say stays on this computer. Let's set up listening and speaking.",
                markup=False,
            )
            yield Label("1. Language", classes="title")
            yield Select(
                LANGUAGES,
                value=self._config.speech.language
                if self._config.speech.language in ("en", "ko")
                else "en",
                allow_blank=False,
                id="language",
            )
            yield Label("2. Speech model", classes="title")
            yield Static("", id="models", markup=False)
            with Horizontal(classes="row"):
                yield Select([], prompt="model to download", id="download-choice")
                yield Button("Download", id="download")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            with Horizontal(classes="row"):
                yield Input(placeholder="or a model folder / zip on this computer", id="add-path")
                yield Button("Add", id="add")
            yield Label("3. Microphone", classes="title")
            with Horizontal(classes="row"):
                yield Button("Test microphone", id="mic-test")
                yield LevelMeter(id="mic-level")
            yield Label("4. Voice", classes="title")
            yield Button("Hear a sample", id="sample")
            yield Label(
                "5. Passphrase (optional; there is no recovery if you forget it)", classes="title"
            )
            yield Input(password=True, placeholder="leave empty for none", id="passphrase")
            yield Button("Done", id="done", variant="primary")
            yield Static("", id="first-run-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self._show_models()

    def on_unmount(self) -> None:
        self._stop_mic()

    @property
    def language(self) -> str:
        value = self.query_one("#language", Select).value
        return value if isinstance(value, str) else "en"

    def _status(self, text: str) -> None:
        self.query_one("#first-run-status", Static).update(text)

    def _show_models(self) -> None:
        models = self._services.list_models(self.language)
        installed = [m.name for m in models if m.installed]
        self.query_one("#models", Static).update(
            "Installed: " + ", ".join(installed)
            if installed
            else "No speech model yet: download one, or add one you already have."
        )
        choice = self.query_one("#download-choice", Select)
        choice.set_options(
            [(f"{m.name} ({m.size_mb:.0f} MB)", m.name) for m in models if not m.installed]
        )

    @on(Select.Changed, "#language")
    def _language_changed(self) -> None:
        self._show_models()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        handlers = {
            "download": self._download,
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
            self._status("Choose a model to download first.")
            return
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status(f"Downloading {name}…")

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
        if event.worker.name != "download":
            return
        if event.state is WorkerState.SUCCESS:
            self._status(f"Installed {event.worker.result}.")
            self._show_models()
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            message = (
                error.message
                if isinstance(error, VoicereflectError)
                else (f"Download failed ({type(error).__name__}).")
            )
            self._status(message)

    def _add(self) -> None:
        text = self.query_one("#add-path", Input).value.strip()
        if not text:
            self._status("Type the path of a model folder or zip first.")
            return
        try:
            name = self._services.add_model(Path(text).expanduser())
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        self._status(f"Added {name}.")
        self._show_models()

    def _toggle_mic(self) -> None:
        meter = self.query_one("#mic-level", LevelMeter)
        if self._mic is not None:
            self._stop_mic()
            self._status("Microphone test stopped.")
            return
        try:
            self._mic = self._services.open_mic(self._config)
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        mic = self._mic
        meter.set_source(lambda: mic.level)
        self._status("Say something: the bar should move.")

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
            self._status(exc.message)

    def action_finish(self) -> None:
        """Save the language (and passphrase, if given) and go to Home."""
        self._stop_mic()
        config = replace_setting(self._config, "speech", language=self.language)
        passphrase = self.query_one("#passphrase", Input)
        try:
            if passphrase.value:
                self._services.set_passphrase(None, passphrase.value)
            self._services.save_config(config)
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        finally:
            passphrase.value = ""
        self.post_message(self.Done(config))
