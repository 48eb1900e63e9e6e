"""Pyttsx3Speaker's child protocol and process-group handling, and choosing the engine.

The process tests run a real stand-in child (a small Python script) that behaves like the
pyttsx3 child on Linux: it leaves a grandchild playing after it exits itself (P4). The
voice-listing tests run the real pyttsx3 child, which needs no audio device.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.config import Config, replace_setting, save_config
from voicereflect.speech import pyttsx3_child as child
from voicereflect.speech.pyttsx3_speaker import (
    Pyttsx3Speaker,
    Pyttsx3Unavailable,
    SpeechFailed,
    list_voices,
    remove_leftovers,
    tts_tmp_root,
)
from voicereflect.speech.speakers import UnknownEngine, make_speaker, resolve_engine
from voicereflect.speech.tts import EspeakSpeaker, NoAudioOutput, SpeechDone, UnknownVoice
from voicereflect.speech.voice_commands import check_voice

ESPEAK_VOICES = [
    {"id": "gmw/en-029", "name": "English (Caribbean)", "languages": ["en-029"]},
    {"id": "gmw/en", "name": "English (Great Britain)", "languages": ["en-gb"]},
    {"id": "gmw/en-us", "name": "English (America)", "languages": ["en-us"]},
    {"id": "inc/kok", "name": "Konkani", "languages": ["kok"]},
    {"id": "ko", "name": "Korean", "languages": ["ko"]},
]
MAC_VOICES = [
    {"id": "com.apple.voice.compact.en-GB.Daniel", "name": "Daniel", "languages": ["en_GB"]},
    {"id": "com.apple.voice.compact.en-US.Samantha", "name": "Samantha", "languages": ["en_US"]},
    {"id": "com.apple.voice.compact.ko-KR.Yuna", "name": "Yuna", "languages": ["ko_KR"]},
]

# A stand-in for ``python -m voicereflect.speech.pyttsx3_child``: records what it was given,
# starts a "player" grandchild that outlives it (as aplay can, P4), then exits with EXIT.
STAND_IN = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    record = os.environ["STAND_IN_RECORD"]
    request = json.loads(sys.stdin.read())
    tmp = os.environ["TMPDIR"]
    with open(os.path.join(tmp, "speech.wav"), "wb") as f:
        f.write(b"RIFF")
    player = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; time.sleep(float(sys.argv[1])); "
         "open(sys.argv[2], 'w').write(repr(time.monotonic()))",
         os.environ["STAND_IN_PLAY"], record + ".end"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    with open(record + ".tmp", "w") as f:
        json.dump({"request": request, "argv": sys.argv, "tmp": tmp,
                   "player": player.pid, "child": os.getpid()}, f)
    os.replace(record + ".tmp", record)
    sys.stderr.write(os.environ.get("STAND_IN_STDERR", ""))
    os._exit(int(os.environ.get("STAND_IN_EXIT", "0")))
    """
)


def _running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes()
    except FileNotFoundError:
        return False
    return state[state.rfind(b")") + 2 :].split()[0] != b"Z"


def _until(condition: object, timeout: float = 10.0) -> None:
    """Poll ``condition`` (a callable) until true: these are other processes, not ours."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN)
    record = tmp_path / "record.json"
    monkeypatch.setenv("STAND_IN_RECORD", str(record))
    monkeypatch.setenv("STAND_IN_PLAY", "0.6")
    return script


def _speaker(script: Path, **kwargs: object) -> Pyttsx3Speaker:
    return Pyttsx3Speaker(command=[sys.executable, str(script)], **kwargs)  # type: ignore[arg-type]


def _record(script: Path) -> dict[str, object]:
    path = script.with_name("record.json")
    _until(path.exists)
    loaded: dict[str, object] = json.loads(path.read_text())
    return loaded


# --- matching voices ------------------------------------------------------------------------


def test_speaks_matches_regions_but_not_longer_codes() -> None:
    assert child.speaks(["en-us"], "en")
    assert child.speaks(["en_US"], "en-US")
    assert child.speaks(["ko_KR"], "ko")
    assert not child.speaks(["kok"], "ko")
    assert not child.speaks(["en-us"], "en-gb")


def test_choose_voice_by_language_prefers_the_usual_region() -> None:
    assert child.choose_voice(ESPEAK_VOICES, "", "en") == "gmw/en-us"
    assert child.choose_voice(ESPEAK_VOICES, "", "ko") == "ko"
    assert child.choose_voice(MAC_VOICES, "", "en") == "com.apple.voice.compact.en-US.Samantha"
    assert child.choose_voice(MAC_VOICES, "", "ko") == "com.apple.voice.compact.ko-KR.Yuna"
    assert child.choose_voice(MAC_VOICES, "", "fr") is None  # the driver's default


def test_choose_voice_takes_ids_short_ids_and_names() -> None:
    assert child.choose_voice(ESPEAK_VOICES, "en-us", "ko") == "gmw/en-us"  # as EspeakSpeaker
    assert child.choose_voice(ESPEAK_VOICES, "GMW/EN", "ko") == "gmw/en"
    assert child.choose_voice(ESPEAK_VOICES, "en-gb", "ko") == "gmw/en"  # espeak-ng's own id
    assert child.choose_voice(MAC_VOICES, "en_GB", "ko").endswith("Daniel")  # type: ignore[union-attr]
    assert child.choose_voice(MAC_VOICES, "samantha", "ko").endswith("Samantha")  # type: ignore[union-attr]
    with pytest.raises(LookupError):
        child.choose_voice(ESPEAK_VOICES, "xx-nope", "en")


# --- choosing the engine --------------------------------------------------------------------


def test_auto_is_espeak_on_linux_and_pyttsx3_on_macos_and_windows() -> None:
    assert resolve_engine("auto", platform="linux") == "espeak-ng"
    assert resolve_engine("", platform="linux") == "espeak-ng"
    assert resolve_engine("auto", platform="darwin") == "pyttsx3"
    assert resolve_engine("auto", platform="win32") == "pyttsx3"
    assert resolve_engine(" PyTTSx3 ", platform="linux") == "pyttsx3"
    assert resolve_engine("espeak-ng", platform="darwin") == "espeak-ng"
    with pytest.raises(UnknownEngine, match="auto, espeak-ng, pyttsx3"):
        resolve_engine("festival")


def test_make_speaker_follows_the_config() -> None:
    cfg = replace_setting(Config(), "voice", voice="en-gb", rate=140, volume=0.5)
    default = make_speaker(cfg)
    assert isinstance(default, EspeakSpeaker) and default.voice == "en-gb"
    chosen = make_speaker(replace_setting(cfg, "voice", engine="pyttsx3"))
    assert isinstance(chosen, Pyttsx3Speaker)
    assert (chosen.voice, chosen.rate, chosen.volume) == ("en-gb", 140, 0.5)
    assert isinstance(make_speaker(cfg, engine="pyttsx3"), Pyttsx3Speaker)
    with pytest.raises(UnknownEngine):
        make_speaker(replace_setting(cfg, "voice", engine="nope"))


def test_without_pyttsx3_the_speaker_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "voicereflect.speech.pyttsx3_speaker.importlib.util.find_spec", lambda name: None
    )
    with pytest.raises(Pyttsx3Unavailable, match="pip install pyttsx3"):
        Pyttsx3Speaker()
    with pytest.raises(Pyttsx3Unavailable):
        list_voices()


# --- the child process ----------------------------------------------------------------------


def test_text_and_settings_go_on_stdin_never_argv(stand_in: Path) -> None:
    speaker = _speaker(stand_in, voice="en-gb", rate=140, volume=0.25, language="ko")
    speaker.speak("a private canary sentence")
    record = _record(stand_in)
    assert speaker.wait(10)
    assert record["request"] == {
        "op": "speak",
        "text": "a private canary sentence",
        "voice": "en-gb",
        "rate": 140,
        "volume": 0.25,
        "language": "ko",
        "driver": None,
    }
    assert not any("canary" in arg for arg in record["argv"])  # type: ignore[attr-defined]


def test_speaking_lasts_until_the_grandchild_player_is_gone(stand_in: Path) -> None:
    results: list[SpeechDone] = []
    speaker = _speaker(stand_in, on_done=results.append)
    speaker.speak("hello")
    record = _record(stand_in)
    _until(lambda: not _running(int(record["child"])))  # type: ignore[call-overload]
    # The child has exited, as pyttsx3's runAndWait can while aplay still plays (P4).
    assert _running(int(record["player"]))  # type: ignore[call-overload]
    assert speaker.is_speaking
    assert speaker.wait(10)
    end = float(stand_in.with_name("record.json.end").read_text())
    assert results[-1].completed and results[-1].error is None
    assert results[-1].ended >= end  # done only after the player had finished


def test_cancel_kills_the_whole_group_within_200_ms(
    stand_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAND_IN_PLAY", "30")
    results: list[SpeechDone] = []
    speaker = _speaker(stand_in, on_done=results.append)
    speaker.speak("hello")
    record = _record(stand_in)
    player = int(record["player"])  # type: ignore[call-overload]
    started = time.monotonic()
    speaker.cancel()
    took = time.monotonic() - started
    assert took < 0.2
    assert not speaker.is_speaking
    assert not _running(player)
    assert results[-1].cancelled and not results[-1].completed
    assert not Path(str(record["tmp"])).exists()  # the temp WAV went with it (P13)


def test_each_utterance_gets_a_private_temp_dir_removed_after(stand_in: Path) -> None:
    speaker = _speaker(stand_in)
    speaker.speak("hello")
    record = _record(stand_in)
    tmp = Path(str(record["tmp"]))
    assert tmp.parent == tts_tmp_root()
    assert str(tmp).startswith(str(paths.data_dir()))
    for level in (tmp, tmp.parent, tmp.parent.parent, paths.data_dir()):
        assert stat.S_IMODE(level.stat().st_mode) == 0o700, level
    assert speaker.wait(10)
    assert not tmp.exists()


def test_leftovers_of_dead_processes_are_removed_on_start(stand_in: Path) -> None:
    root = paths.ensure_private_dir(tts_tmp_root())
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = root / f"u-{int(gone.stdout)}-3"  # a process that has exited
    dead.mkdir()
    (dead / "tmpabc.wav").write_bytes(b"RIFF")
    live = root / f"u-{os.getppid()}-0"
    live.mkdir()
    _speaker(stand_in)
    assert not dead.exists()
    assert live.exists()  # a running process's utterance is not ours to remove
    assert remove_leftovers(root) == 0


@pytest.mark.parametrize(
    ("code", "stderr", "error"),
    [
        (child.EXIT_UNKNOWN_VOICE, "", UnknownVoice),
        (child.EXIT_UNAVAILABLE, "", Pyttsx3Unavailable),
        (0, "sh: 1: aplay: not found\n", Pyttsx3Unavailable),
        (0, "aplay: main:831: audio open error: Connection refused\n", NoAudioOutput),
        (3, "", SpeechFailed),
    ],
)
def test_child_failures_become_errors_for_the_person(
    stand_in: Path, monkeypatch: pytest.MonkeyPatch, code: int, stderr: str, error: type
) -> None:
    monkeypatch.setenv("STAND_IN_PLAY", "0")
    monkeypatch.setenv("STAND_IN_EXIT", str(code))
    monkeypatch.setenv("STAND_IN_STDERR", stderr)
    speaker = _speaker(stand_in, voice="xx-nope")
    speaker.speak("private words")
    assert speaker.wait(10)
    result = speaker.last_result
    assert result is not None and not result.completed and not result.cancelled
    assert isinstance(result.error, error)
    assert "private" not in result.error.message


# --- the real pyttsx3 child, no audio needed -------------------------------------------------


def test_real_child_lists_voices_by_language() -> None:
    korean = list_voices("ko")
    assert korean and all(child.speaks(v.languages, "ko") for v in korean)
    assert "inc/kok" not in {v.id for v in korean}
    english = {v.id for v in list_voices("en")}
    assert "gmw/en-us" in english and "ko" not in english


def test_real_child_refuses_an_unknown_voice_without_speaking() -> None:
    speaker = Pyttsx3Speaker(voice="xx-nope")
    speaker.speak("hello")
    assert speaker.wait(20)
    result = speaker.last_result
    assert result is not None and isinstance(result.error, UnknownVoice)


def test_doctor_checks_the_pyttsx3_voice_when_that_engine_is_chosen() -> None:
    save_config(replace_setting(Config(), "voice", engine="pyttsx3", voice="en-gb"))
    result = check_voice()
    assert result.ok and "pyttsx3 voice 'gmw/en'" in result.detail
    save_config(replace_setting(Config(), "voice", engine="pyttsx3", voice="xx-nope"))
    result = check_voice()
    assert not result.ok and "there is no voice 'xx-nope'" in result.detail
    save_config(replace_setting(Config(), "voice", engine="festival"))
    assert "no speech engine 'festival'" in check_voice().detail
