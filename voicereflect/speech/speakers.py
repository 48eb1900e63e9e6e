"""Choosing the speech engine: ``make_speaker(config)`` and voices from the chosen engine.

On Linux the default is espeak-ng driven directly (``EspeakSpeaker``): it is interruptible,
ends exactly with its audio, and pyttsx3's Linux driver is the same espeak-ng playing through
``aplay`` anyway. On macOS and Windows, where the system voices are reached only through
pyttsx3 (nsss, sapi5), the default is ``Pyttsx3Speaker``. ``voice.engine`` chooses explicitly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_
from voicereflect.speech import pyttsx3_speaker, tts
from voicereflect.speech.pyttsx3_speaker import Pyttsx3Speaker, Pyttsx3Unavailable
from voicereflect.speech.tts import EspeakSpeaker, SpeechDone, Voice

ESPEAK = "espeak-ng"
PYTTSX3 = "pyttsx3"
AUTO = "auto"
ENGINES = (AUTO, ESPEAK, PYTTSX3)

# Both implement the Speaker protocol plus on_done / last_result / SpeechDone.
AnySpeaker = EspeakSpeaker | Pyttsx3Speaker


class UnknownEngine(VoicereflectError):
    """``voice.engine`` (or ``--engine``) names no engine voicereflect has."""

    exit_code = 78  # EX_CONFIG, like ConfigError

    def __init__(self, engine: str) -> None:
        super().__init__(
            N_("there is no speech engine '{engine}' — set voice.engine to one of: {engines}"),
            engine=engine,
            engines=", ".join(ENGINES),
        )


def resolve_engine(requested: str, platform: str | None = None) -> str:
    """The engine to use: ``"espeak-ng"`` or ``"pyttsx3"``.

    Args:
        requested: ``auto``, ``espeak-ng`` or ``pyttsx3`` (case and blanks ignored; an
            empty value means ``auto``).
        platform: ``sys.platform`` (given by tests).

    Raises:
        UnknownEngine: ``requested`` is none of those.
    """
    name = requested.strip().lower() or AUTO
    if name not in ENGINES:
        raise UnknownEngine(requested)
    if name != AUTO:
        return name
    platform = platform or sys.platform
    if platform == "darwin" or platform.startswith("win"):
        return PYTTSX3
    # Linux and the rest: espeak-ng even when it is missing, so the error names the package
    # to install (pyttsx3's Linux driver would need the same libespeak-ng and aplay anyway).
    return ESPEAK


def make_speaker(
    config: Config,
    on_done: Callable[[SpeechDone], None] | None = None,
    engine: str | None = None,
) -> AnySpeaker:
    """The speaker ``config.voice`` describes (voice, rate, volume, engine).

    Args:
        config: The settings; ``config.speech.language`` picks the voice when none is set.
        on_done: Called (from a background thread) when each utterance has ended.
        engine: Overrides ``config.voice.engine`` (e.g. from ``say --engine``).

    Raises:
        UnknownEngine: The engine setting names no engine.
        TTSUnavailable: The chosen engine is not installed (``Pyttsx3Unavailable`` for
            pyttsx3), so callers can fall back to showing questions without speaking them.
    """
    v = config.voice
    chosen = resolve_engine(engine if engine is not None else v.engine)
    if chosen == PYTTSX3:
        return Pyttsx3Speaker(
            voice=v.voice,
            rate=v.rate,
            volume=v.volume,
            language=config.speech.language,
            on_done=on_done,
        )
    return EspeakSpeaker(
        voice=v.voice,
        rate=v.rate,
        volume=v.volume,
        language=config.speech.language,
        on_done=on_done,
    )


def list_voices(engine: str, language: str | None = None) -> list[Voice]:
    """The voices of ``engine`` (``auto`` resolved as ``make_speaker`` would), by language.

    Raises:
        UnknownEngine: ``engine`` names no engine.
        TTSUnavailable: That engine is not installed.
    """
    if resolve_engine(engine) == PYTTSX3:
        return pyttsx3_speaker.list_voices(language)
    return tts.list_voices(language)


__all__ = [
    "AUTO",
    "ENGINES",
    "ESPEAK",
    "PYTTSX3",
    "AnySpeaker",
    "Pyttsx3Unavailable",
    "UnknownEngine",
    "list_voices",
    "make_speaker",
    "resolve_engine",
]
