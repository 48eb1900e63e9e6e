"""The real parts of a session from the settings: engine and pack, journal, mic, model, voice.

Both front ends pass ``real_parts`` to ``Session``; tests build ``SessionParts`` from doubles.
Heavy libraries stay behind the ``audio`` and ``speech`` modules, imported lazily there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from voicereflect.clock import SystemClock
from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.protocols import AudioSource, Clock, Recognizer, Speaker, VoiceDetector
from voicereflect.reflection.packs import DEFAULT_FLOW, load_pack
from voicereflect.reflection.safety import load_support_contacts
from voicereflect.session.dialogue import EngineDialogue
from voicereflect.session.listening import RecognizerFactory, TurnTaking
from voicereflect.session.parts import JournalWriter, SessionParts

log = logging.getLogger(__name__)

MIC_QUEUE_SECONDS = 30.0  # about 1 MB at 16 kHz


def open_speaker(config: Config) -> Speaker | None:
    """The configured voice engine, or ``None`` when there is none (questions are only shown)."""
    from voicereflect.speech.speakers import make_speaker

    try:
        return make_speaker(config)
    except VoicereflectError as exc:
        log.warning("no voice: %s", type(exc).__name__)
        return None


def mic_opener(config: Config) -> Callable[[], AudioSource]:
    """Opens the configured microphone when called (on the session's listener thread)."""

    def open_mic() -> AudioSource:
        from voicereflect.audio.capture import MicSource

        a = config.audio
        device: str | int | None = a.input_device or None
        if isinstance(device, str) and device.isdigit():
            device = int(device)
        # Room for the backlog the listener decodes once the model is ready (up to its own
        # buffer, at Kaldi's pace): with MicSource's 5 s default a busy 2-core machine
        # dropped 8-30 blocks right after the model loaded (scripts/bench, dropped audio).
        return MicSource(
            device=device, sample_rate=a.sample_rate or None, queue_seconds=MIC_QUEUE_SECONDS
        )

    return open_mic


def open_vad(sample_rate: int) -> VoiceDetector:
    """Silero VAD for the microphone's rate (called on the session's listener thread)."""
    from voicereflect.audio.vad import SileroVad

    return SileroVad(sample_rate)


def model_loader(config: Config) -> Callable[[], RecognizerFactory]:
    """Loads the configured model when called (on the session's model thread)."""

    def load() -> RecognizerFactory:
        from voicereflect.speech.models import load_model, resolve_model
        from voicereflect.speech.recognizer import VoskRecognizer

        model = load_model(resolve_model(config).path)

        def recognizer(sample_rate: int) -> Recognizer:
            return VoskRecognizer(model, sample_rate)

        return recognizer

    return load


def analyzer_loader(language: str) -> Callable[[], None]:
    """Loads and runs once the language analyzer answers in ``language`` go through."""

    def prepare() -> None:
        from voicereflect.reflection.language import preload

        preload(language)

    return prepare


def turn_taker(config: Config, clock: Clock) -> Callable[[Sequence[str]], TurnTaking]:
    """A fresh turn-taker per answer, with the pack's and the person's end phrases."""
    from voicereflect.speech.turns import TurnTaker

    def make(phrases: Sequence[str]) -> TurnTaking:
        return TurnTaker(config.speech.pause_seconds, [*phrases, *config.speech.end_words], clock)

    return make


def real_parts(
    config: Config,
    flow: str | None,
    *,
    passphrase: str | None = None,
    clock: Clock | None = None,
) -> SessionParts:
    """The real parts of a session (replace ``open_journal`` to share an open journal).

    Args:
        config: The settings.
        flow: The flow id (``None``: "just talk", the open flow).
        passphrase: For an encrypted journal.
        clock: Defaults to the system clock.

    Raises:
        PackError: the language pack or flow does not exist.
    """
    clock = clock or SystemClock()
    lang = config.speech.language
    pack = load_pack(lang)
    dialogue = EngineDialogue(
        pack,
        flow or DEFAULT_FLOW,
        clock=clock,
        nudge_minutes=config.session.nudge_minutes,
        contacts=load_support_contacts(lang),
    )

    def open_journal() -> JournalWriter:
        from voicereflect.journal.store import Journal

        return Journal.open(passphrase=passphrase)

    return SessionParts(
        dialogue=dialogue,
        open_journal=open_journal,
        turn_taker=turn_taker(config, clock),
        speaker=open_speaker(config),
        open_audio=mic_opener(config),
        load_recognizer=model_loader(config),
        open_vad=open_vad,
        clock=clock,
        prepare=analyzer_loader(lang),
        notices=pack.skipped,
    )
