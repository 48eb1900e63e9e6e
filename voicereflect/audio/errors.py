"""The errors a person can meet with microphones, speakers and audio files.

Messages are marked with ``N_`` and translated when shown (see ``VoicereflectError``).
"""

from __future__ import annotations

from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_


class PortAudioMissing(VoicereflectError):
    """The PortAudio library that sounddevice needs is not installed."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "the PortAudio library is not installed, so no microphone or speaker can be "
                "used — install it with 'sudo apt install libportaudio2'"
            )
        )


class NoInputDevice(VoicereflectError):
    """There is no microphone, or none matching the one asked for."""

    def __init__(self, message: str = "", **fields: object) -> None:
        super().__init__(
            message
            or N_("no microphone found — plug one in or pick one with 'voicereflect devices'"),
            **fields,
        )


class NoOutputDevice(VoicereflectError):
    """There is no speaker or headphone output."""

    def __init__(self, message: str = "", **fields: object) -> None:
        super().__init__(
            message or N_("no speaker found — plug one in or check 'voicereflect devices'"),
            **fields,
        )


class InputSettingsError(VoicereflectError):
    """The microphone cannot record with the settings asked for (usually the sample rate)."""


class DeviceLost(VoicereflectError):
    """The microphone stopped delivering audio mid-stream (unplugged, or the server went)."""

    def __init__(self, device: str) -> None:
        super().__init__(
            N_(
                "the microphone '{device}' stopped working (unplugged?) — plug it back in, "
                "or pick another with 'voicereflect devices'"
            ),
            device=device,
        )


class AudioFileError(VoicereflectError):
    """An audio file cannot be read: missing, unreadable, corrupt or of an unknown format."""
