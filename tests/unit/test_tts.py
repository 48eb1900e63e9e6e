"""EspeakSpeaker's process handling, against a stand-in espeak-ng script on PATH."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from voicereflect.speech.tts import (
    EspeakSpeaker,
    NoAudioOutput,
    SpeechDone,
    SpeechStalled,
    TTSUnavailable,
    UnknownVoice,
    list_voices,
    parse_voices,
    voice_for_language,
)

LISTING = """\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  ko              --/M      Korean             ko
"""

# Records its argv and stdin, then behaves as $FAKE_ESPEAK says.
FAKE = """#!/bin/sh
case "$1" in --voices*) cat "$FAKE_DIR/listing"; exit 0 ;; esac
printf '%s\\n' "$@" > "$FAKE_DIR/argv"
cat > "$FAKE_DIR/stdin"
case "$FAKE_ESPEAK" in
  hold) touch "$FAKE_DIR/ready"; while [ ! -e "$FAKE_DIR/release" ]; do sleep 0.01; done ;;
  stubborn) trap '' TERM; touch "$FAKE_DIR/ready"; while true; do sleep 0.01; done ;;
  noaudio) echo "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default" >&2
           echo "error: No such file or directory" >&2 ;;
  pulse) echo "error: Connection terminated" >&2 ;;
  novoice) echo "Error: The specified espeak-ng voice does not exist." >&2; exit 1 ;;
esac
exit 0
"""


@pytest.fixture
def fake_espeak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake ``espeak-ng`` first on PATH; returns the dir where it records what it got."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "espeak-ng"
    exe.write_text(FAKE)
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "listing").write_text(LISTING)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_DIR", str(tmp_path))
    monkeypatch.setenv("FAKE_ESPEAK", "")
    return tmp_path


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 5
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.005)


def test_voices_are_parsed_from_the_espeak_table() -> None:
    voices = parse_voices(LISTING)
    assert [v.id for v in voices] == ["en-gb", "en-us", "ko"]
    assert voices[1].name == "English (America)"
    assert voices[1].languages == ("en-us", "en")
    assert voices[2].languages == ("ko",)


def test_list_voices_asks_espeak_for_the_language(fake_espeak: Path) -> None:
    assert [v.id for v in list_voices("ko")][-1] == "ko"


def test_language_pack_voices(fake_espeak: Path) -> None:
    assert voice_for_language("en") == "en-us"
    assert voice_for_language("ko") == "ko"
    assert voice_for_language("de") == "de"
    assert EspeakSpeaker(language="ko").voice == "ko"
    assert EspeakSpeaker(voice="en-gb", language="ko").voice == "en-gb"


def test_text_goes_on_stdin_never_on_the_command_line(fake_espeak: Path) -> None:
    speaker = EspeakSpeaker(voice="en-gb", rate=140, volume=0.5)
    speaker.speak("my private reflection")
    assert speaker.wait(5)
    argv = (fake_espeak / "argv").read_text().split()
    assert argv == ["--stdin", "-v", "en-gb", "-s", "140", "-a", "50"]
    assert (fake_espeak / "stdin").read_text() == "my private reflection"
    assert speaker.last_result is not None and speaker.last_result.completed


def test_speak_returns_at_once_and_is_speaking_lasts_until_the_process_ends(
    fake_espeak: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_ESPEAK", "hold")
    done: list[SpeechDone] = []
    speaker = EspeakSpeaker(on_done=done.append)
    started = time.monotonic()
    speaker.speak("hello")
    assert time.monotonic() - started < 0.5
    assert speaker.is_speaking
    assert not speaker.wait(0.05)
    (fake_espeak / "release").touch()
    assert speaker.wait(5)
    assert not speaker.is_speaking
    assert len(done) == 1 and done[0].completed and not done[0].cancelled


@pytest.mark.parametrize("mode", ["hold", "stubborn"])
def test_cancel_silences_within_200_ms_even_if_term_is_ignored(
    fake_espeak: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("FAKE_ESPEAK", mode)
    speaker = EspeakSpeaker()
    speaker.speak("a long question")
    _wait_for(fake_espeak / "ready")  # the fake now ignores SIGTERM in "stubborn" mode
    started = time.monotonic()
    speaker.cancel()
    assert time.monotonic() - started < 0.2
    assert not speaker.is_speaking
    result = speaker.last_result
    assert result is not None and result.cancelled and not result.completed


def test_new_speech_cancels_the_old(fake_espeak: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_ESPEAK", "hold")
    done: list[SpeechDone] = []
    speaker = EspeakSpeaker(on_done=done.append)
    speaker.speak("first")
    speaker.speak("second")
    assert done and done[0].cancelled
    (fake_espeak / "release").touch()
    assert speaker.wait(5)
    assert (fake_espeak / "stdin").read_text() == "second"
    assert done[-1].completed


def test_many_prompts_in_a_row_each_run(fake_espeak: Path) -> None:
    finished = threading.Semaphore(0)
    done: list[SpeechDone] = []

    def on_done(result: SpeechDone) -> None:
        done.append(result)
        finished.release()

    speaker = EspeakSpeaker(on_done=on_done)
    for i in range(10):
        speaker.speak(f"prompt {i}")
        assert finished.acquire(timeout=5)
        assert (fake_espeak / "stdin").read_text() == f"prompt {i}"
    assert [r.completed for r in done] == [True] * 10


# ALSA with no device; PulseAudio's errors reach stderr as "error: REASON" (pa_strerror).
@pytest.mark.parametrize("failure", ["noaudio", "pulse"])
def test_no_audio_device_is_reported_although_espeak_exits_0(
    fake_espeak: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    monkeypatch.setenv("FAKE_ESPEAK", failure)
    speaker = EspeakSpeaker()
    speaker.speak("hello")
    assert speaker.wait(5)
    assert speaker.last_result is not None
    assert isinstance(speaker.last_result.error, NoAudioOutput)
    assert not speaker.last_result.completed


def test_unknown_voice_is_reported(fake_espeak: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_ESPEAK", "novoice")
    speaker = EspeakSpeaker(voice="xx-nope")
    speaker.speak("hello")
    assert speaker.wait(5)
    assert speaker.last_result is not None
    assert isinstance(speaker.last_result.error, UnknownVoice)
    assert "xx-nope" in str(speaker.last_result.error)


def test_missing_espeak_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TTSUnavailable, match="apt install espeak-ng"):
        EspeakSpeaker()
    with pytest.raises(TTSUnavailable):
        list_voices()


def test_espeak_removed_while_running_is_reported_on_speak(fake_espeak: Path) -> None:
    speaker = EspeakSpeaker()
    (fake_espeak / "bin" / "espeak-ng").unlink()
    with pytest.raises(TTSUnavailable):
        speaker.speak("hello")
    assert not speaker.is_speaking


def test_a_failing_on_done_does_not_break_the_speaker(fake_espeak: Path) -> None:
    def broken(result: SpeechDone) -> None:
        raise RuntimeError("caller bug")

    speaker = EspeakSpeaker(on_done=broken)
    for _ in range(2):
        speaker.speak("hello")
        assert speaker.wait(5)


def test_a_stalled_espeak_is_killed_and_reported_as_failed(
    fake_espeak: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "stubborn" never exits and ignores SIGTERM: a hung espeak-ng.
    monkeypatch.setenv("FAKE_ESPEAK", "stubborn")
    done: list[SpeechDone] = []
    speaker = EspeakSpeaker(on_done=done.append)
    speaker.min_timeout, speaker.timeout_margin = 0.3, 0.0
    speaker.speak("hello")
    # Ends by itself (no cancel), soon after the 0.3 s allowance.
    ended = speaker.wait(5)
    speaker.cancel()  # so a failing run leaves no stand-in behind
    assert ended, "a stalled espeak-ng kept the speaker busy"
    assert not speaker.is_speaking
    assert len(done) == 1 and done[0] == speaker.last_result
    result = done[0]
    assert not result.completed and not result.cancelled
    assert isinstance(result.error, SpeechStalled)
    assert "mute speech" in str(result.error)
    assert 0.3 <= result.ended - result.started < 3


def test_the_timeout_allows_twice_the_speaking_time_and_never_less_than_10_s(
    fake_espeak: Path,
) -> None:
    speaker = EspeakSpeaker(rate=120)
    assert speaker.timeout_for("hello there") == 10.0
    # 600 words at 120 wpm take 5 minutes to say: allow 10 minutes and 5 seconds.
    assert speaker.timeout_for("word " * 600) == pytest.approx(605.0)
    # Text without spaces (Japanese, Chinese) still gets time for its length.
    assert speaker.timeout_for("語" * 6000) == pytest.approx(1005.0)
