"""Exiting while audio plays ends the process cleanly (issue 14, case 9).

A cue thread still writing when sounddevice's atexit handler terminated PortAudio wrote into
freed memory: the bench's start-up harness died at exit in every run after quitting
mid-session (SIGSEGV in the writer, or SIGABRT later in Vosk's Model.__del__ where malloc
found the corrupted heap).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.virtual_audio import VirtualAudio

CHILD = textwrap.dedent(
    """
    import sys, threading
    import sounddevice
    from voicereflect.audio.playback import play_pcm

    writing = threading.Event()
    real_write = sounddevice.RawOutputStream.write

    def write(self, data):
        writing.set()
        return real_write(self, data)

    sounddevice.RawOutputStream.write = write
    # Five seconds of silence on a daemon thread, as a cue plays while the app quits.
    threading.Thread(target=play_pcm, args=(bytes(2 * 16000 * 5), 16000), daemon=True).start()
    assert writing.wait(20), "never started writing"
    sys.exit(0)
    """
)


@pytest.mark.audio
def test_the_interpreter_exits_cleanly_while_a_stream_is_being_written(
    virtual_audio: VirtualAudio,
) -> None:
    for _ in range(5):  # the crash was a race; every run must be clean
        done = subprocess.run(
            [sys.executable, "-X", "faulthandler", "-c", CHILD],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Fatal Python error" not in done.stderr
