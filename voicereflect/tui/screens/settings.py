"""Settings: language, voice, rate, volume, microphone, model, pause, passphrase, audio, cues."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from voicereflect import paths
from voicereflect.config import Config, replace_setting
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.tui.keys import translate_bindings
from voicereflect.tui.languages import LANGUAGES
from voicereflect.tui.services import Services

DEFAULT = ""  # the Select value meaning "system default / by language"


def _options(values: list[str], default_label: str) -> list[tuple[str, str]]:
    return [(default_label, DEFAULT)] + [(v, v) for v in values]


class SettingsScreen(Screen[None]):
    """Edits ``config.toml`` through ``replace_setting`` and saves it atomically."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save")), Binding("escape", "app.go_back", N_("Back"))]

    class Saved(Message):
        """New settings were written; the App applies them."""

        def __init__(self, config: Config) -> None:
            super().__init__()
            self.config = config

    def __init__(self, config: Config, services: Services) -> None:
        super().__init__()
        translate_bindings(self)
        self._config = config
        self._services = services

    def compose(self) -> ComposeResult:
        c = self._config
        lang = c.speech.language
        voices = self._services.list_voices(lang)
        inputs = self._services.list_inputs()
        models = self._installed_models(lang)
        with VerticalScroll(id="settings"):
            with Grid(id="settings-grid"):
                yield Label(_("Language"))
                yield Select(LANGUAGES, value=lang, allow_blank=False, id="language")
                yield Label(_("Voice"))
                yield Select(
                    _options(voices, _("by language")),
                    value=_pick(c.voice.voice, voices),
                    allow_blank=False,
                    id="voice",
                )
                yield Label(_("Rate (words/min)"))
                yield Input(str(c.voice.rate), type="integer", id="rate")
                yield Label(_("Volume (0–1)"))
                yield Input(str(c.voice.volume), type="number", id="volume")
                yield Label(_("Microphone"))
                yield Select(
                    _options(inputs, _("system default")),
                    value=_pick(c.audio.input_device, inputs),
                    allow_blank=False,
                    id="mic",
                )
                yield Label(_("Speech model"))
                yield Select(
                    _options(models, _("find automatically")),
                    value=_pick(c.speech.model, models),
                    allow_blank=False,
                    id="model",
                )
                yield Label(_("Pause that ends an answer (s; 0 = off: Space or an end phrase)"))
                yield Input(str(c.speech.pause_seconds), type="number", id="pause")
                yield Label(_("Keep audio of answers"))
                yield Switch(c.audio.keep_audio, id="keep-audio")
                yield Label(_("Sound cues"))
                yield Switch(c.audio.sound_cues, id="cues")
                yield Label(_("Dark theme"))
                yield Switch(c.ui.theme != "textual-light", id="dark")
                yield Label(_("Data location"))
                yield Static(
                    _("{path} (set VOICEREFLECT_HOME to move it)").format(path=paths.data_dir()),
                    markup=False,
                    id="data-dir",
                )
            yield Label(_("Passphrase (no recovery if forgotten)"), classes="title")
            yield Input(
                password=True, placeholder=_("current passphrase (empty if none)"), id="old-pass"
            )
            yield Input(
                password=True, placeholder=_("new passphrase (empty removes it)"), id="new-pass"
            )
            yield Button(_("Change passphrase"), id="passphrase")
            yield Button(_("Save settings"), id="save", variant="primary")
            yield Static("", id="settings-status", markup=False)
        yield Footer()

    def _status(self, text: str) -> None:
        self.query_one("#settings-status", Static).update(text)

    def _installed_models(self, lang: str) -> list[str]:
        return [m.name for m in self._services.list_models(lang) if m.installed]

    @property
    def language(self) -> str:
        value = self.query_one("#language", Select).value
        return value if isinstance(value, str) else self._config.speech.language

    @on(Select.Changed, "#language")
    def _language_changed(self) -> None:
        """Offer the chosen language's own voices and models."""
        lang = self.language
        voices = self._services.list_voices(lang)
        models = self._installed_models(lang)
        voice = self.query_one("#voice", Select)
        voice.set_options(_options(voices, _("by language")))
        voice.value = _pick(self._config.voice.voice, voices)
        model = self.query_one("#model", Select)
        model.set_options(_options(models, _("find automatically")))
        model.value = _pick(self._config.speech.model, models)

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
        self._status(_("Passphrase changed."))

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
            language=self.language,
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
        self._status(_("Saved."))
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
