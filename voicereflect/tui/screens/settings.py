"""Settings: voice, rate, volume, microphone, model, pause, passphrase, audio and cues."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from voicereflect import paths
from voicereflect.config import Config, replace_setting
from voicereflect.errors import VoicereflectError
from voicereflect.tui.services import Services

DEFAULT = ""  # the Select value meaning "system default / by language"


def _options(values: list[str], default_label: str) -> list[tuple[str, str]]:
    return [(default_label, DEFAULT)] + [(v, v) for v in values]


class SettingsScreen(Screen[None]):
    """Edits ``config.toml`` through ``replace_setting`` and saves it atomically."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "app.go_back", "Back")]

    class Saved(Message):
        """New settings were written; the App applies them."""

        def __init__(self, config: Config) -> None:
            super().__init__()
            self.config = config

    def __init__(self, config: Config, services: Services) -> None:
        super().__init__()
        self._config = config
        self._services = services

    def compose(self) -> ComposeResult:
        c = self._config
        lang = c.speech.language
        voices = self._services.list_voices(lang)
        inputs = self._services.list_inputs()
        models = [m.name for m in self._services.list_models(lang) if m.installed]
        with VerticalScroll(id="settings"):
            with Grid(id="settings-grid"):
                yield Label("Voice")
                yield Select(
                    _options(voices, "by language"),
                    value=_pick(c.voice.voice, voices),
                    allow_blank=False,
                    id="voice",
                )
                yield Label("Rate (words/min)")
                yield Input(str(c.voice.rate), type="integer", id="rate")
                yield Label("Volume (0–1)")
                yield Input(str(c.voice.volume), type="number", id="volume")
                yield Label("Microphone")
                yield Select(
                    _options(inputs, "system default"),
                    value=_pick(c.audio.input_device, inputs),
                    allow_blank=False,
                    id="mic",
                )
                yield Label("Speech model")
                yield Select(
                    _options(models, "find automatically"),
                    value=_pick(c.speech.model, models),
                    allow_blank=False,
                    id="model",
                )
                yield Label("Pause that ends an answer (s; 0 = off: Space or an end phrase)")
                yield Input(str(c.speech.pause_seconds), type="number", id="pause")
                yield Label("Keep audio of answers")
                yield Switch(c.audio.keep_audio, id="keep-audio")
                yield Label("Sound cues")
                yield Switch(c.audio.sound_cues, id="cues")
                yield Label("Dark theme")
                yield Switch(c.ui.theme != "textual-light", id="dark")
                yield Label("Data location")
                yield Static(
                    f"{paths.data_dir()} (set VOICEREFLECT_HOME to move it)",
                    markup=False,
                    id="data-dir",
                )
            yield Label("Passphrase (no recovery if forgotten)", classes="title")
            yield Input(
                password=True, placeholder="current passphrase (empty if none)", id="old-pass"
            )
            yield Input(
                password=True, placeholder="new passphrase (empty removes it)", id="new-pass"
            )
            yield Button("Change passphrase", id="passphrase")
            yield Button("Save settings", id="save", variant="primary")
            yield Static("", id="settings-status", markup=False)
        yield Footer()

    def _status(self, text: str) -> None:
        self.query_one("#settings-status", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "passphrase":
            self._change_passphrase()

    def _change_passphrase(self) -> None:
        old = self.query_one("#old-pass", Input)
        new = self.query_one("#new-pass", Input)
        try:
            self._services.set_passphrase(old.value or None, new.value)
        except VoicereflectError as exc:
            self._status(exc.message)
            return
        finally:
            # The passphrase must not linger in a widget (or in a crash report's locals).
            old.value = ""
            new.value = ""
        self._status("Passphrase changed.")

    def read_config(self) -> Config:
        """The settings as the form shows them."""
        c = self._config
        c = replace_setting(
            c,
            "voice",
            voice=_str(self.query_one("#voice", Select).value),
            rate=min(1000, max(20, _int(self.query_one("#rate", Input).value, c.voice.rate))),
            volume=min(
                1.0, max(0.0, _float(self.query_one("#volume", Input).value, c.voice.volume))
            ),
        )
        c = replace_setting(
            c,
            "audio",
            input_device=_str(self.query_one("#mic", Select).value),
            keep_audio=self.query_one("#keep-audio", Switch).value,
            sound_cues=self.query_one("#cues", Switch).value,
        )
        c = replace_setting(
            c,
            "speech",
            model=_str(self.query_one("#model", Select).value),
            pause_seconds=_pause(
                _float(self.query_one("#pause", Input).value, c.speech.pause_seconds)
            ),
        )
        dark = self.query_one("#dark", Switch).value
        return replace_setting(c, "ui", theme="textual-dark" if dark else "textual-light")

    def action_save(self) -> None:
        """Save to ``config.toml`` and tell the App."""
        config = self.read_config()
        try:
            self._services.save_config(config)
        except (VoicereflectError, OSError) as exc:
            self._status(str(exc))
            return
        self._config = config
        self._status("Saved.")
        self.post_message(self.Saved(config))


def _pick(value: str, known: list[str]) -> str:
    return value if value in known else DEFAULT


def _str(value: object) -> str:
    return value if isinstance(value, str) else DEFAULT


def _int(text: str, fallback: int) -> int:
    try:
        return int(text)
    except ValueError:
        return fallback


def _pause(seconds: float) -> float:
    """0 (or less) turns the pause off; otherwise at least half a second."""
    return 0.0 if seconds <= 0 else min(600.0, max(0.5, seconds))


def _float(text: str, fallback: float) -> float:
    try:
        return float(text)
    except ValueError:
        return fallback
