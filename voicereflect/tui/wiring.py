"""The real parts behind ``Services``: session runner, journal, devices, voice, models.

Imported only by ``run_app``; every heavy library (sounddevice, vosk) is imported lazily by
the modules called here, never at import time, so the TUI package stays light.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from voicereflect import config as config_module
from voicereflect import paths
from voicereflect.config import Config, load_config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _
from voicereflect.tui.services import (
    Contact,
    FlowChoice,
    ModelChoice,
    OnEvent,
    PartStatus,
    Progress,
    Services,
    SessionControl,
)

if TYPE_CHECKING:
    from voicereflect.audio.capture import MicSource
    from voicereflect.reflection.packs import PromptPack
    from voicereflect.tui.journal_view import JournalAdapter

# Offered for download on First run; the catalogue itself is fetched only when the person
# presses Download (the app opens no socket otherwise).
DOWNLOADABLE = {
    "en": [("vosk-model-small-en-us-0.15", 40.0), ("vosk-model-en-us-0.22-lgraph", 128.0)],
    "ko": [("vosk-model-small-ko-0.22", 82.0)],
}


class MicTest:
    """A microphone opened only to show its level; a thread drains it so the level moves."""

    def __init__(self, source: MicSource) -> None:
        self._source = source
        self._stop = threading.Event()
        source.start()
        self._thread = threading.Thread(target=self._drain, name="mic-test", daemon=True)
        self._thread.start()

    @property
    def level(self) -> float:
        return self._source.level

    def _drain(self) -> None:
        while not self._stop.is_set():
            try:
                if self._source.read(timeout=0.2) is None:
                    return
            except VoicereflectError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._source.stop()
        self._thread.join(timeout=2)


class _ProgressOut:
    """A text stream for ``speech.download.download`` that turns its lines into callbacks."""

    _PATTERN = re.compile(r"([\d.]+) / ([\d.]+) MB")

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def isatty(self) -> bool:
        return True  # so the downloader reports every step, not just the last

    def write(self, text: str) -> int:
        match = self._PATTERN.search(text)
        if match:
            self._progress(int(float(match[1]) * 1e6), int(float(match[2]) * 1e6))
        return len(text)

    def flush(self) -> None:
        pass


class RealParts:
    """Holds the one open journal, shared by the screens and the session runner.

    The journal takes a writer lock per open file, so the app opens it once and hands the
    same (thread-safe) ``Journal`` to each session.
    """

    def __init__(self) -> None:
        self.adapter: JournalAdapter | None = None
        self._packs: dict[str, PromptPack] = {}
        self.language = "en"
        self._cues: list[threading.Thread] = []

    def play_cue(self, name: str) -> threading.Thread:
        from voicereflect.audio.playback import play_cue

        self._cues = [t for t in self._cues if t.is_alive()]
        thread = play_cue(name)
        self._cues.append(thread)
        return thread

    def shutdown(self) -> None:
        """Let cues finish: a cue thread still writing when PortAudio's atexit handler
        terminates it crashes the process (measured: SIGSEGV on quit right after "saved")."""
        for thread in self._cues:
            thread.join(timeout=2.0)

    def pack(self, lang: str | None = None) -> PromptPack | None:
        from voicereflect.reflection.packs import load_pack

        lang = self.language if lang is None else lang
        if lang not in self._packs:
            try:
                self._packs[lang] = load_pack(lang)
            except VoicereflectError:
                return None
        return self._packs[lang]

    def open_journal(self, passphrase: str | None) -> JournalAdapter:
        from voicereflect.journal.errors import JournalReadOnly
        from voicereflect.journal.store import Journal
        from voicereflect.tui.journal_view import JournalAdapter  # after the first frame

        try:
            journal = Journal.open(passphrase=passphrase)
        except JournalReadOnly as exc:
            # Reading still works; a session started here says why it cannot save.
            journal = Journal.open(passphrase=passphrase, read_only=True)
            journal.notices.append(exc.message)
        self.adapter = JournalAdapter(journal, self.pack)
        return self.adapter

    def session(self, config: Config, flow: str | None, on_event: OnEvent) -> SessionControl:
        from voicereflect.session import Session
        from voicereflect.session.setup import real_parts

        self.language = config.speech.language
        parts = real_parts(config, flow)
        if self.adapter is not None:
            journal = self.adapter.journal
            parts = dataclasses.replace(parts, open_journal=lambda: journal)
        runner: SessionControl = Session(config, parts, on_event)
        return runner

    def probe(self, config: Config) -> list[PartStatus]:
        self.language = config.speech.language
        return [_probe_mic(config), _probe_voice(config), _probe_model(config)]

    def flows(self, lang: str) -> list[FlowChoice]:
        # From the pack module, not session.setup: that imports the whole session package,
        # and Home lists the flows before its first frame.
        from voicereflect.reflection.packs import DEFAULT_FLOW

        # Home asks for the flows before the journal opens: its recent sessions are then
        # titled from this language's pack, not English's until the device probe ends.
        self.language = lang
        pack = self.pack(lang)
        if pack is None:
            return []
        # "Just talk" already starts the default (open) flow; listing it twice would confuse.
        return [FlowChoice(f.id, f.title) for f in pack.flows if f.id != DEFAULT_FLOW]

    def set_passphrase(self, old: str | None, new: str) -> None:
        from voicereflect.journal.crypto import change_passphrase

        # The conversion needs the writer lock, so close our journal first, then reopen.
        if self.adapter is not None:
            self.adapter.journal.close()
        try:
            change_passphrase(None, old, new or None)
        finally:
            from voicereflect.journal.store import Journal

            if self.adapter is not None:
                try:
                    self.adapter.journal = Journal.open(passphrase=new or None)
                except VoicereflectError:
                    self.adapter.journal = Journal.open(passphrase=old)


def _probe_mic(config: Config) -> PartStatus:
    from voicereflect.audio.devices import find_input

    try:
        device = find_input(config.audio.input_device or None)
    except VoicereflectError as exc:
        return PartStatus(
            _("microphone"),
            False,
            _("{problem} — you can type your answers").format(problem=exc.message),
        )
    return PartStatus(_("microphone"), True, device.name)


def _probe_voice(config: Config) -> PartStatus:
    from voicereflect.speech.tts import espeak_path, voice_for_language

    if config.voice.muted:
        return PartStatus(_("voice"), True, _("muted: questions are shown, not spoken"))
    try:
        espeak_path()
    except VoicereflectError as exc:
        return PartStatus(_("voice"), False, exc.message)
    return PartStatus(
        _("voice"), True, config.voice.voice or voice_for_language(config.speech.language)
    )


def _probe_model(config: Config) -> PartStatus:
    from voicereflect.speech.models import resolve_model

    try:
        info = resolve_model(config)
    except VoicereflectError as exc:
        return PartStatus(
            _("model"),
            False,
            _("{problem} — until then, type your answers").format(problem=exc.message),
        )
    return PartStatus(_("model"), True, info.name)


def _support(lang: str) -> list[Contact]:
    from voicereflect.reflection.safety import load_support_contacts

    return [Contact(c.name, c.how, c.note) for c in load_support_contacts(lang)]


def _open_mic(config: Config) -> MicTest:
    from voicereflect.audio.capture import MicSource

    return MicTest(MicSource(config.audio.input_device or None, config.audio.sample_rate or None))


def _sampler(config: Config) -> object:
    from voicereflect.speech.speakers import make_speaker

    return make_speaker(config)


def _voices(lang: str) -> list[str]:
    from voicereflect.speech.speakers import list_voices

    try:
        return [v.id for v in list_voices(load_config().voice.engine, lang)]
    except VoicereflectError:
        return []


def _inputs() -> list[str]:
    from voicereflect.audio.devices import list_devices

    try:
        return [d.name for d in list_devices() if d.max_inputs > 0]
    except VoicereflectError:
        return []


def _models(lang: str) -> list[ModelChoice]:
    from voicereflect.speech.models import discover_models, language_matches

    installed = [
        ModelChoice(m.name, lang, True)
        for m in discover_models()
        if language_matches(m.language, lang)
    ]
    have = {m.name for m in installed}
    offered = [
        ModelChoice(name, lang, False, size)
        for name, size in DOWNLOADABLE.get(lang, [])
        if name not in have
    ]
    return installed + offered


def _download(name: str, progress: Progress) -> str:
    from voicereflect.speech.download import download

    return download(name, out=_ProgressOut(progress)).name  # type: ignore[arg-type]


def _add(path: Path) -> str:
    from voicereflect.speech.download import install_dir, install_zip

    installed = install_zip(path) if path.suffix == ".zip" else install_dir(path)
    return installed.name


def real_services() -> Services:
    """Every real part, ready for ``VoiceReflectApp``."""
    parts = RealParts()
    sampler: Callable[[Config], object] = _sampler
    return Services(
        session_factory=parts.session,
        open_journal=parts.open_journal,
        probe_status=parts.probe,
        flows=parts.flows,
        support_contacts=_support,
        open_mic=_open_mic,
        voice_sampler=sampler,  # type: ignore[arg-type]
        list_voices=_voices,
        list_inputs=_inputs,
        list_models=_models,
        download_model=_download,
        add_model=_add,
        set_passphrase=parts.set_passphrase,
        save_config=config_module.save_config,
        is_first_run=lambda: not paths.config_path().exists(),
        play_cue=parts.play_cue,
        shutdown=parts.shutdown,
    )
