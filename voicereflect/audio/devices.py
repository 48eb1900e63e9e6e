"""The sound devices PortAudio sees: listing, defaults, and finding a microphone by name."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from voicereflect.audio.errors import NoInputDevice, NoOutputDevice, PortAudioMissing
from voicereflect.i18n import N_


@dataclass(frozen=True)
class DeviceInfo:
    """One device as PortAudio reports it."""

    index: int
    name: str
    max_inputs: int
    max_outputs: int
    default_rate: int
    is_default_input: bool = False
    is_default_output: bool = False


def sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio library into a clear error.

    Imported lazily so the rest of voicereflect works (typed input, journal) without it.
    Note that PortAudio freezes its device list at import (pitfalls S3).

    Raises:
        PortAudioMissing: ``libportaudio2`` is not installed.
    """
    try:
        import sounddevice as sd
    except OSError:  # "PortAudio library not found"
        raise PortAudioMissing() from None
    module: ModuleType = sd
    return module


def _defaults(sd: ModuleType) -> tuple[int, int]:
    try:
        dev_in, dev_out = sd.default.device
    except (TypeError, ValueError):
        return -1, -1
    return int(dev_in if dev_in is not None else -1), int(dev_out if dev_out is not None else -1)


def _info(raw: Any, default_in: int, default_out: int) -> DeviceInfo:
    index = int(raw["index"])
    return DeviceInfo(
        index=index,
        name=str(raw["name"]),
        max_inputs=int(raw["max_input_channels"]),
        max_outputs=int(raw["max_output_channels"]),
        default_rate=int(raw["default_samplerate"]),
        is_default_input=index == default_in,
        is_default_output=index == default_out,
    )


def list_devices() -> list[DeviceInfo]:
    """Every device, inputs and outputs, with the system defaults marked.

    Raises:
        PortAudioMissing: ``libportaudio2`` is not installed.
    """
    sd = sounddevice()
    default_in, default_out = _defaults(sd)
    try:
        raw = sd.query_devices()
    except sd.PortAudioError:
        return []
    return [_info(d, default_in, default_out) for d in raw]


def default_input() -> DeviceInfo:
    """The system's default microphone.

    Raises:
        NoInputDevice: There is none.
        PortAudioMissing: ``libportaudio2`` is not installed.
    """
    devices = list_devices()
    for d in devices:
        if d.is_default_input and d.max_inputs > 0:
            return d
    inputs = [d for d in devices if d.max_inputs > 0]
    if inputs:  # no default set, but something can record: take the first
        return inputs[0]
    raise NoInputDevice()


def default_output() -> DeviceInfo:
    """The system's default speaker.

    Raises:
        NoOutputDevice: There is none.
        PortAudioMissing: ``libportaudio2`` is not installed.
    """
    devices = list_devices()
    for d in devices:
        if d.is_default_output and d.max_outputs > 0:
            return d
    outputs = [d for d in devices if d.max_outputs > 0]
    if outputs:
        return outputs[0]
    raise NoOutputDevice()


def find_input(device: str | int | None) -> DeviceInfo:
    """The microphone named by config or the command line.

    Args:
        device: ``None`` or ``""`` for the default; an index (``3`` or ``"3"``); or part of a
            device name, matched without case (an exact name wins over a partial one).

    Raises:
        NoInputDevice: No such microphone, or none at all.
        PortAudioMissing: ``libportaudio2`` is not installed.
    """
    if device is None or (isinstance(device, str) and not device.strip()):
        return default_input()
    inputs = [d for d in list_devices() if d.max_inputs > 0]
    if not inputs:
        raise NoInputDevice()
    if isinstance(device, int) or device.strip().isdigit():
        index = int(device)
        for d in inputs:
            if d.index == index:
                return d
        raise NoInputDevice(
            N_("no microphone with number {index} — see the list with 'voicereflect devices'"),
            index=index,
        )
    wanted = device.strip().lower()
    exact = [d for d in inputs if d.name.lower() == wanted]
    partial = [d for d in inputs if wanted in d.name.lower()]
    if exact or partial:
        return (exact or partial)[0]
    raise NoInputDevice(
        N_("no microphone called '{device}' — see the list with 'voicereflect devices'"),
        device=device,
    )
