"""MicSource logic without hardware: a stand-in ``sounddevice`` module drives the callback."""

from __future__ import annotations

import sys
import types
from array import array
from collections.abc import Callable
from typing import Any

import pytest

from voicereflect.audio.capture import DeviceLost, InputSettingsError, MicSource, NoInputDevice
from voicereflect.audio.devices import find_input, list_devices


class PortAudioError(Exception):
    pass


class Status:
    def __init__(self, overflow: bool = False) -> None:
        self.input_overflow = overflow


class FakeStream:
    """Records how it was opened; the test calls ``feed`` as PortAudio's thread would."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.callback: Callable[..., None] = kwargs["callback"]
        self.finished: Callable[[], None] = kwargs["finished_callback"]
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")

    def abort(self) -> None:
        self.calls.append("abort")

    def close(self) -> None:
        self.calls.append("close")

    def feed(self, data: Any, overflow: bool = False) -> None:
        self.callback(data, 0, None, Status(overflow))


def _device(index: int, name: str, inputs: int, rate: float = 44100.0) -> dict[str, Any]:
    return {
        "index": index,
        "name": name,
        "max_input_channels": inputs,
        "max_output_channels": 2,
        "default_samplerate": rate,
    }


@pytest.fixture
def fake_sd(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A ``sounddevice`` with a speaker, a USB mic (default) and a 48 kHz-only interface."""
    streams: list[FakeStream] = []
    devices = [
        _device(0, "HDA Intel: Speaker", 0),
        _device(1, "USB Microphone", 1, 16000.0),
        _device(2, "Studio Interface", 2, 48000.0),
    ]

    def check_input_settings(device: int, channels: int, dtype: str, samplerate: int) -> None:
        if device == 2 and samplerate != 48000:
            raise PortAudioError("Invalid sample rate [PaErrorCode -9997]")

    def make_stream(**kwargs: Any) -> FakeStream:
        streams.append(FakeStream(**kwargs))
        return streams[-1]

    module = types.SimpleNamespace(
        PortAudioError=PortAudioError,
        default=types.SimpleNamespace(device=[1, 0]),
        query_devices=lambda: devices,
        check_input_settings=check_input_settings,
        RawInputStream=make_stream,
        streams=streams,
        devices=devices,
    )
    monkeypatch.setitem(sys.modules, "sounddevice", module)
    return module


def _block(value: int, frames: int = 1600) -> bytes:
    return array("h", [value] * frames).tobytes()


def test_default_device_at_its_own_rate(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource()
    mic.start()
    opened = fake_sd.streams[0].kwargs
    assert (opened["device"], opened["samplerate"], opened["channels"]) == (1, 16000, 1)
    assert opened["dtype"] == "int16"
    assert opened["blocksize"] == 1600
    assert mic.sample_rate == 16000
    mic.stop()


def test_device_by_name_part_or_index(fake_sd: types.SimpleNamespace) -> None:
    assert find_input("studio").index == 2
    assert find_input("2").name == "Studio Interface"
    assert find_input(1).name == "USB Microphone"
    with pytest.raises(NoInputDevice, match="no microphone called 'bluetooth'"):
        find_input("bluetooth")
    with pytest.raises(NoInputDevice, match="number 0"):
        find_input(0)  # a speaker, not a microphone


def test_requested_rate_is_checked_against_the_device(fake_sd: types.SimpleNamespace) -> None:
    assert MicSource("studio", sample_rate=48000).sample_rate == 48000
    with pytest.raises(InputSettingsError, match="cannot record mono 16-bit at 16000 Hz"):
        MicSource("studio", sample_rate=16000).start()


def test_no_devices_at_all(fake_sd: types.SimpleNamespace) -> None:
    fake_sd.devices.clear()
    fake_sd.default.device = [-1, -1]
    assert list_devices() == []
    with pytest.raises(NoInputDevice, match="no microphone found"):
        MicSource().start()


def test_blocks_come_out_in_order_with_their_level(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource()
    mic.start()
    stream = fake_sd.streams[0]
    stream.feed(_block(0))
    stream.feed(_block(16384))
    assert mic.read(1.0) == _block(0)
    assert mic.level == 0.0
    assert mic.read(1.0) == _block(16384)
    assert mic.level == pytest.approx(0.5)
    assert mic.read(0.01) == b""  # nothing new yet, still running
    mic.stop()


def test_a_slow_reader_loses_the_newest_blocks_and_they_are_counted(
    fake_sd: types.SimpleNamespace,
) -> None:
    mic = MicSource(block_seconds=0.1, queue_seconds=0.3)  # room for three blocks
    mic.start()
    for value in range(5):
        fake_sd.streams[0].feed(_block(value))
    assert mic.dropped_blocks == 2
    assert [mic.read(1.0) for _ in range(3)] == [_block(0), _block(1), _block(2)]
    mic.stop()


def test_callback_never_raises_whatever_it_is_given(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource()
    mic.start()

    class Broken:
        def __bytes__(self) -> bytes:
            raise RuntimeError("buffer gone")

    fake_sd.streams[0].feed(Broken())  # would silently end capture if it escaped
    fake_sd.streams[0].feed(_block(7), overflow=True)
    assert mic.overflows == 1
    assert mic.read(1.0) == _block(7)
    mic.stop()


def test_stream_ending_by_itself_is_a_lost_device(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource()
    mic.start()
    fake_sd.streams[0].feed(_block(1))
    fake_sd.streams[0].finished()  # PortAudio gave up on the device
    assert mic.read(1.0) == _block(1)  # what was captured is still delivered
    with pytest.raises(DeviceLost, match="'USB Microphone' stopped working"):
        mic.read(0.01)
    mic.stop()


def test_a_stalled_stream_is_a_lost_device(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource(stall_seconds=0.05)
    mic.start()
    assert mic.read(0.01) == b""
    with pytest.raises(DeviceLost):
        mic.read(0.06)
    mic.stop()


def test_stop_aborts_then_closes_and_ends_reads(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource()
    mic.start()
    mic.stop()
    assert fake_sd.streams[0].calls == ["start", "abort", "close"]
    assert mic.read(0.01) is None
    mic.stop()  # twice is harmless


def test_restart_begins_afresh(fake_sd: types.SimpleNamespace) -> None:
    mic = MicSource()
    mic.start()
    fake_sd.streams[0].feed(_block(1))
    fake_sd.streams[0].finished()
    mic.stop()
    mic.start()
    fake_sd.streams[1].feed(_block(2))
    assert mic.read(1.0) == _block(2)
    assert mic.read(0.01) == b""
    mic.stop()


def test_open_failure_is_a_clear_error(fake_sd: types.SimpleNamespace) -> None:
    def refuse(**kwargs: Any) -> None:
        raise PortAudioError("Device unavailable [PaErrorCode -9985]")

    fake_sd.RawInputStream = refuse
    with pytest.raises(NoInputDevice, match="'USB Microphone' cannot be opened.*another program"):
        MicSource().start()
