"""Access to the PulseAudio virtual microphone and speaker that scripts/virtual-audio runs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "virtual-audio"


class VirtualAudio:
    """The running virtual devices: play into the mic ("vmic"), hear the speaker ("spk")."""

    mic = "vmic"
    speaker_monitor = "spk.monitor"

    def play(self, wav: Path, wait: bool = True) -> None:
        """Speak ``wav`` into the virtual microphone at real-time pace."""
        args = [str(SCRIPT), "play"] + ([] if wait else ["--no-wait"]) + [str(wav)]
        subprocess.run(args, check=True, timeout=600)


def running_virtual_audio() -> VirtualAudio:
    """The virtual devices, or a clear failure saying how to start them.

    They must be up before sounddevice is imported (PortAudio freezes its device list at
    import), so the test command starts them; tests never start them half-way.
    """
    if not os.environ.get("PULSE_SERVER"):
        raise RuntimeError(
            "no virtual audio: run the tests with scripts/test, or first "
            'eval "$(scripts/virtual-audio start)"'
        )
    info = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=10)
    if info.returncode != 0:
        raise RuntimeError(f"PulseAudio at {os.environ['PULSE_SERVER']} is not answering")
    return VirtualAudio()
