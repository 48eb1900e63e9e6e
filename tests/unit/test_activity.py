"""Voice activity from VAD frames: sustained speech, the silence after it, the level rule."""

from __future__ import annotations

from voicereflect.speech.activity import LISTENING, VadSettings, VoiceActivity

FRAME = 0.032


def feed(activity: VoiceActivity, probs: list[float], level: float = 0.1) -> bool:
    return activity.feed(probs, FRAME, level)


def test_speech_counts_only_once_it_lasts_start_seconds() -> None:
    activity = VoiceActivity(VadSettings(threshold=0.5, start_seconds=0.1))
    assert not feed(activity, [0.9, 0.9, 0.9])  # 96 ms
    assert not activity.speaking
    assert feed(activity, [0.9])  # 128 ms
    assert activity.speaking and activity.heard


def test_silence_counts_audio_time_since_the_last_sustained_speech() -> None:
    activity = VoiceActivity(LISTENING)
    feed(activity, [0.9] * 10)
    feed(activity, [0.1] * 25)
    assert abs(activity.silence_seconds - 25 * FRAME) < 1e-9
    assert not activity.speaking and activity.heard


def test_a_blip_shorter_than_start_seconds_does_not_restart_the_silence() -> None:
    activity = VoiceActivity(LISTENING)
    feed(activity, [0.9] * 10 + [0.1] * 10)
    feed(activity, [0.9, 0.1])  # a click: one frame of "speech"
    assert abs(activity.silence_seconds - 12 * FRAME) < 1e-9


def test_once_speaking_a_dip_below_the_threshold_but_within_the_hysteresis_still_counts() -> None:
    activity = VoiceActivity(VadSettings(threshold=0.5, start_seconds=0.064))
    feed(activity, [0.9, 0.9, 0.4, 0.4])
    assert activity.speaking and activity.silence_seconds == 0.0
    feed(activity, [0.3])
    assert not activity.speaking


def test_a_quiet_voice_below_min_level_is_not_speech_a_loud_one_is() -> None:
    settings = VadSettings(threshold=0.85, start_seconds=0.16, min_level=0.05)
    echo = VoiceActivity(settings)
    assert not any(feed(echo, [0.99] * 3, level=0.03) for _ in range(20))
    person = VoiceActivity(settings)
    assert feed(person, [0.99] * 3, level=0.03) is False
    # The window is the last start_seconds: loud speech over the echo starts it quickly.
    assert feed(person, [0.99] * 3, level=0.12)


def test_a_quiet_gap_between_syllables_does_not_restart_a_loud_run() -> None:
    activity = VoiceActivity(VadSettings(threshold=0.85, start_seconds=0.16, min_level=0.05))
    levels = [0.09, 0.02, 0.09]
    started = [feed(activity, [0.99] * 2, level=lv) for lv in levels]
    assert started == [False, False, True]


def test_reset_forgets_speech_and_silence() -> None:
    activity = VoiceActivity(LISTENING)
    feed(activity, [0.9] * 10 + [0.1] * 5)
    activity.reset()
    assert not activity.heard and activity.silence_seconds == 0.0


def test_talk_in_the_background_is_not_speech_but_a_voice_10_db_over_it_is() -> None:
    activity = VoiceActivity(LISTENING)
    for _ in range(50):  # 5 s of babble: speech to the VAD, and steady
        feed(activity, [0.99] * 3, level=0.03)
    activity.reset()
    for _ in range(50):
        feed(activity, [0.99] * 3, level=0.03)
    assert not activity.heard
    assert abs(activity.silence_seconds - 150 * FRAME) < 1e-9
    feed(activity, [0.99] * 3, level=0.08)
    assert not activity.speaking  # 8.5 dB over it: not yet
    feed(activity, [0.99] * 3, level=0.1)
    assert activity.speaking
