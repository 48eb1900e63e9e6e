"""``voicereflect say`` (speak text or list voices) and doctor's check for a TTS voice."""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import replace

from voicereflect.config import load_config
from voicereflect.doctor import Check, CheckResult
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _
from voicereflect.speech import speakers
from voicereflect.speech.tts import (
    UnknownVoice,
    espeak_path,
    voice_for_language,
)


class NothingToSay(VoicereflectError):
    """``say`` was given no text."""

    def __init__(self) -> None:
        super().__init__(N_("nothing to say — give the text, or '-' to read it from stdin"))


def _list_voices(language: str, engine: str) -> int:
    voices = speakers.list_voices(engine, language or None)
    if not voices:
        raise VoicereflectError(
            N_("no voice for '{language}' — see them all with 'voicereflect say --list-voices'"),
            language=language,
        )
    width = max(len(v.id) for v in voices)
    for v in voices:
        print(f"{v.id:<{width}}  {v.name}  ({', '.join(v.languages)})")
    return 0


def _say_command(args: argparse.Namespace) -> int:
    cfg = load_config()
    if args.list_voices is not None:
        return _list_voices(args.list_voices, args.engine or cfg.voice.engine)
    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    if not text.strip():
        raise NothingToSay()
    voice = replace(
        cfg.voice,
        voice=args.voice if args.voice is not None else cfg.voice.voice,
        rate=args.rate if args.rate is not None else cfg.voice.rate,
        volume=args.volume if args.volume is not None else cfg.voice.volume,
    )
    speaker = speakers.make_speaker(replace(cfg, voice=voice), engine=args.engine)
    speaker.speak(text)
    try:
        # wait() with a timeout keeps Ctrl-C responsive; speech has no fixed length.
        while not speaker.wait(0.2):
            pass
    except KeyboardInterrupt:
        speaker.cancel()
        raise
    result = speaker.last_result
    if result is not None and result.error is not None:
        raise result.error
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``say`` to the command line."""
    say = sub.add_parser(
        "say",
        help="speak text with the configured voice ('-' reads stdin)",
        description="Speak TEXT aloud with the voice, rate and volume from the config, "
        "or list the voices. The text is passed to espeak-ng (or the pyttsx3 child "
        "process) on stdin, never on a command line.",
    )
    say.add_argument("text", nargs="*", help="what to say; '-' reads it from stdin")
    say.add_argument("--voice", help="voice id (see --list-voices)")
    say.add_argument(
        "--engine",
        choices=speakers.ENGINES,
        help="speech engine (default from config: voice.engine, normally auto)",
    )
    say.add_argument("--rate", type=int, help="words per minute (default from config)")
    say.add_argument("--volume", type=float, help="0.0 to 1.0 (default from config)")
    say.add_argument(
        "--list-voices",
        nargs="?",
        const="",
        metavar="LANG",
        help="list the installed voices, or only those for LANG (e.g. ko)",
    )
    say.set_defaults(func=_say_command)


def check_voice() -> CheckResult:
    """TTS voice."""
    name = _("TTS voice")
    cfg = load_config()
    try:
        if speakers.resolve_engine(cfg.voice.engine) == speakers.PYTTSX3:
            return _check_pyttsx3_voice(cfg.voice.voice, cfg.speech.language, cfg.voice.muted)
    except VoicereflectError as exc:
        return CheckResult(name, False, exc.message)
    voice = cfg.voice.voice or voice_for_language(cfg.speech.language)
    try:
        exe = espeak_path()
    except VoicereflectError as exc:
        return CheckResult(name, False, exc.message)
    # -q synthesises without playing: it only proves the voice loads.
    probe = subprocess.run(
        [exe, "-q", "--stdin", "-v", voice],
        input=".",
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    if probe.returncode != 0:
        return CheckResult(name, False, UnknownVoice(voice).message)
    muted = _(" (muted: voice.muted = true)") if cfg.voice.muted else ""
    return CheckResult(name, True, _("espeak-ng voice '{voice}'").format(voice=voice) + muted)


def _check_pyttsx3_voice(voice: str, language: str, muted: bool) -> CheckResult:
    """The pyttsx3 engine starts (in a child) and has the configured voice."""
    from voicereflect.speech.pyttsx3_child import choose_voice
    from voicereflect.speech.pyttsx3_speaker import list_voices as pyttsx3_voices

    name = _("TTS voice")
    listed = [{"id": v.id, "name": v.name, "languages": v.languages} for v in pyttsx3_voices()]
    try:
        chosen = choose_voice(listed, voice, language)
    except LookupError:
        return CheckResult(name, False, UnknownVoice(voice).message)
    note = _(" (muted: voice.muted = true)") if muted else ""
    voice_name = chosen or _("default")
    return CheckResult(name, True, _("pyttsx3 voice '{voice}'").format(voice=voice_name) + note)


def doctor_checks() -> list[Check]:
    """The text-to-speech voice."""
    return [check_voice]
