"""``voicereflect devices`` and doctor's checks for PortAudio, microphone and speaker."""

from __future__ import annotations

import argparse

from voicereflect.audio.devices import (
    DeviceInfo,
    default_output,
    find_input,
    list_devices,
    sounddevice,
)
from voicereflect.audio.errors import NoInputDevice
from voicereflect.config import load_config
from voicereflect.doctor import Check, CheckResult
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _


def _row(d: DeviceInfo, default: bool, channels: int) -> str:
    mark = "*" if default else " "
    line = _("  {mark} {index:>3}  {name}  ({channels} ch, {rate} Hz)")
    return line.format(
        mark=mark, index=d.index, name=d.name, channels=channels, rate=d.default_rate
    )


def _devices_command(args: argparse.Namespace) -> int:
    devices = list_devices()
    inputs = [d for d in devices if d.max_inputs > 0]
    outputs = [d for d in devices if d.max_outputs > 0]
    if not devices:
        raise NoInputDevice(
            N_(
                "no sound devices found (no microphone, no speaker) — plug one in, or check "
                "that the sound server (PulseAudio/PipeWire) is running"
            )
        )
    if inputs:
        print(_("Microphones (input):"))
        for d in inputs:
            print(_row(d, d.is_default_input, d.max_inputs))
    if outputs:
        print(_("Speakers (output):"))
        for d in outputs:
            print(_row(d, d.is_default_output, d.max_outputs))
    if not inputs:
        raise NoInputDevice()
    print(
        _("* = default. Choose a microphone with audio.input_device (a number or part of a name).")
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``devices`` to the command line."""
    devices = sub.add_parser(
        "devices", help="list microphones and speakers (the defaults are marked *)"
    )
    devices.set_defaults(func=_devices_command)


def check_portaudio() -> CheckResult:
    """PortAudio present."""
    name = _("PortAudio present")
    try:
        sd = sounddevice()
    except VoicereflectError as exc:
        return CheckResult(name, False, exc.message)
    return CheckResult(name, True, str(sd.get_portaudio_version()[1]))


def check_input() -> CheckResult:
    """Input device."""
    name = _("input device")
    wanted = load_config().audio.input_device
    try:
        d = find_input(wanted)
    except VoicereflectError as exc:
        return CheckResult(name, False, exc.message)
    how = (
        _("as set in audio.input_device='{wanted}'").format(wanted=wanted)
        if wanted
        else _("the system default")
    )
    return CheckResult(name, True, f"{d.name} (#{d.index}, {d.default_rate} Hz), {how}")


def check_output() -> CheckResult:
    """Output device."""
    name = _("output device")
    try:
        d = default_output()
    except VoicereflectError as exc:
        return CheckResult(name, False, exc.message)
    return CheckResult(name, True, f"{d.name} (#{d.index}, {d.default_rate} Hz)")


def doctor_checks() -> list[Check]:
    """PortAudio, the microphone and the speaker."""
    return [check_portaudio, check_input, check_output]
