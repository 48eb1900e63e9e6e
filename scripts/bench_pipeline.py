"""Pipeline overhead, real-time factor and memory: bare Vosk vs the project's pipeline.

Each side runs in its own process (so peak RSS is that side's alone), decoding the same
generated Korean speech as fast as it can, after the model has loaded:

* ``bare``: ``vosk.Model`` + ``KaldiRecognizer`` + ``AcceptWaveform`` over 0.1 s chunks,
  one ``Result()`` per endpoint, ``FinalResult()`` at the end; nothing else.
* ``pipeline``: the session's own listener loop (``voicereflect.session.listener.Listener``)
  over ``FileSource`` → Silero VAD and ``VoskRecognizer`` → ``TurnTaker``, with each finished answer
  committed by ``Journal.add_entry``. Its clock follows the audio (not the wall), so the
  silence that ends a turn is measured in audio time and the file can be read faster than
  real time. The language analyzer the commits use is loaded before the timing starts, as
  the session loads it after the model (``SessionParts.prepare``).

The parent runs the children in A B B A order and reports the median of the paired ratios.
A third child (``sizes``) measures what the VAD and the Korean analyzer (Kiwi and the English
lemmatizer) cost on their own: resident memory of a fresh process before and after each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import benchlib

CHUNK_SECONDS = 0.1


def _pcm(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


def run_bare(wav: Path, model_path: Path, seconds: float = 0.0) -> dict[str, Any]:
    """The reference: the loop every Vosk example shows, timed from first chunk to FinalResult.

    With ``seconds``, the file is fed again and again to one recognizer until that much
    audio went in: the baseline for a long session (Vosk's own memory grows with the
    length of the stream until it resets its feature pipeline every 10 minutes).
    """
    import vosk

    vosk.SetLogLevel(-2)
    started = benchlib.now()
    model = vosk.Model(str(model_path))
    load = benchlib.now() - started
    rss_loaded = benchlib.rss_mb()
    pcm = _pcm(wav)
    if seconds:
        pcm *= max(1, round(seconds / (len(pcm) / 2 / benchlib.RATE)))
    chunk = int(benchlib.RATE * CHUNK_SECONDS) * 2
    finals = 0
    started = benchlib.now()
    rec = vosk.KaldiRecognizer(model, float(benchlib.RATE))
    for i in range(0, len(pcm), chunk):
        if rec.AcceptWaveform(pcm[i : i + chunk]):
            rec.Result()
            finals += 1
    rec.FinalResult()
    decode = benchlib.now() - started
    return {
        "mode": "bare",
        "load_s": load,
        "decode_s": decode,
        "audio_s": len(pcm) / 2 / benchlib.RATE,
        "finals": finals,
        "rss_loaded_mb": rss_loaded,
        "peak_rss_mb": benchlib.peak_rss_mb(),
    }


class AudioClock:
    """Time as far as the audio has got: the listener's silence timer in audio seconds."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> float:
        return time.time()


class ClockedSource(benchlib.SourceWrapper):
    """An ``AudioSource`` that advances an ``AudioClock`` by each block it hands out."""

    def __init__(self, inner: Any, clock: AudioClock) -> None:
        super().__init__(inner)
        self._clock = clock

    def read(self, timeout: float) -> bytes | None:
        block = super().read(timeout)
        if block:
            self._clock.seconds += len(block) / 2 / self.sample_rate
        return block


class JournalReports:
    """Listener reports that commit each answer at once, then open the gate for the next."""

    def __init__(self, journal: Any, session_id: int, gate: Any) -> None:
        self.journal = journal
        self.session_id = session_id
        self.gate = gate
        self.answers: list[tuple[str, int]] = []  # (ended_by, characters)
        self.problems: list[str] = []

    def heard_turn(
        self,
        token: int,
        text: str,
        ended_by: str,
        audio: bytes | None,
        words: tuple[Any, ...] = (),
    ) -> None:
        step = f"q{len(self.answers) + 1}"
        self.journal.add_entry(self.session_id, step, "질문", text)
        self.answers.append((ended_by, len(text)))
        self.gate.listen()

    def heard_command(self, token: int, command: Any) -> None:
        pass  # a whole utterance that is a command word: nothing to save

    def heard_partial(self, token: int, text: str, thinking: bool) -> None:
        pass  # the session would hand this to the UI; the UI is not part of this figure

    def barged_in(self) -> None:
        pass

    def turn_closing(self, token: int, closing: bool) -> None:
        pass  # the cue before silence ends a turn: for the UI, not part of this figure

    def mic_lost(self, message: str) -> None:
        pass  # the end of the file reads as a lost microphone; that is how the loop ends

    def recognizer_failed(self, message: str) -> None:
        self.problems.append(message)


def run_pipeline(wav: Path, model_path: Path, pause: float) -> dict[str, Any]:
    """The project's capture-to-answer path, timed from the first block to the last commit."""
    from voicereflect.audio.files import FileSource
    from voicereflect.journal.store import Journal
    from voicereflect.session.gate import Gate
    from voicereflect.session.listener import Listener
    from voicereflect.session.setup import analyzer_loader, open_vad
    from voicereflect.speech.models import load_model
    from voicereflect.speech.recognizer import VoskRecognizer
    from voicereflect.speech.turns import TurnTaker, end_phrases_for

    loaded = load_model(model_path)
    analyzer_loader("ko")()  # as the session does on its model thread, before any answer
    rss_loaded = benchlib.rss_mb()
    clock = AudioClock()
    gate = Gate()
    gate.listen()
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
        journal = Journal.open(Path(tmp) / "journal.db")
        session_id = journal.start_session("bench", "ko", time.time())
        reports = JournalReports(journal, session_id, gate)
        listener = Listener(
            open_audio=lambda: ClockedSource(FileSource(wav, CHUNK_SECONDS), clock),
            recognizer_factory=lambda: lambda rate: VoskRecognizer(loaded, rate),
            turn_taker=lambda phrases: TurnTaker(pause, phrases, clock),
            end_phrases=end_phrases_for("ko"),
            commands={},
            gate=gate,
            reports=reports,
            clock=clock,
            stop=threading.Event(),
            keep_audio=False,
            barge_in=False,
            barge_in_level=1.0,
            barge_in_seconds=1.0,
            open_vad=open_vad,
        )
        started = benchlib.now()
        listener.run()
        decode = benchlib.now() - started
        journal.close()
    if reports.problems:
        raise RuntimeError(f"recognizer failed: {reports.problems[0]}")
    return {
        "mode": "pipeline",
        "load_s": loaded.load_seconds,
        "decode_s": decode,
        "audio_s": clock.seconds,
        "answers": len(reports.answers),
        "ended_by": [e for e, _ in reports.answers],
        "rss_loaded_mb": rss_loaded,
        "peak_rss_mb": benchlib.peak_rss_mb(),
    }


def run_sizes() -> dict[str, Any]:
    """Resident memory each model adds to a fresh process: Silero VAD, Kiwi, the lemmatizer.

    The session loads the Korean analyzer as ``preload("ko")``: Kiwi and the English
    lemmatizer (for Latin words inside Korean answers); ``analyzer_mb`` is both together.
    """
    from voicereflect.audio.vad import SileroVad
    from voicereflect.reflection.language import korean
    from voicereflect.reflection.language.tokens import preload

    before = benchlib.rss_mb()
    vad = SileroVad(benchlib.RATE)
    vad.probabilities(b"\0\0" * benchlib.RATE)  # a second of audio: buffers allocated
    with_vad = benchlib.rss_mb()
    started = benchlib.now()
    korean.tokens("오늘은 산책을 하고 나니 기분이 나아졌어요")  # loads Kiwi and analyses once
    kiwi_s = benchlib.now() - started
    with_kiwi = benchlib.rss_mb()
    preload("ko")  # Kiwi is loaded: this adds the English lemmatizer
    with_analyzer = benchlib.rss_mb()
    return {
        "vad_mb": with_vad - before,
        "kiwi_mb": with_kiwi - with_vad,
        "kiwi_load_s": kiwi_s,
        "lemmatizer_mb": with_analyzer - with_kiwi,
        "analyzer_mb": with_analyzer - with_vad,
        "analyzer_peak_mb": benchlib.peak_rss_mb() - with_vad,
    }


def compare(reps: int, pause: float, timeout: float = 900) -> dict[str, Any]:
    """Run bare and pipeline children in A B B A order; paired ratios, RTF and memory.

    Returns:
        Raw runs plus medians: ``ratio`` (pipeline / bare decode time), ``rtf`` (bare decode
        seconds per audio second), ``rtf_pipeline``, ``rss_delta_mb`` (pipeline peak minus
        bare peak) and the peaks themselves.
    """
    speech = benchlib.make_speech("speech", benchlib.KOREAN_ANSWERS[:6], gap=3.0, rate=175)
    model = benchlib.korean_model_path()
    runs: dict[str, list[dict[str, Any]]] = {"A": [], "B": []}
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as home:
        env = benchlib.bench_env(Path(home))
        for side in benchlib.abba(reps):
            mode = "bare" if side == "A" else "pipeline"
            args = [*benchlib.python_cmd(), __file__, "--child", mode, "--wav", str(speech.path)]
            args += ["--model", str(model), "--pause", str(pause)]
            runs[side].append(benchlib.run_json(args, timeout, env))
        sizes = benchlib.run_json([*benchlib.python_cmd(), __file__, "--child", "sizes"], 300, env)
    bare, pipe = runs["A"], runs["B"]
    ratios = benchlib.paired_ratios([p["decode_s"] for p in pipe], [b["decode_s"] for b in bare])
    deltas = [p["peak_rss_mb"] - b["peak_rss_mb"] for p, b in zip(pipe, bare, strict=True)]
    return {
        "audio_s": speech.duration,
        "speech_s": benchlib.speech_seconds(speech),
        "answers_expected": len(speech.segments),
        "ratios": ratios,
        "ratio": benchlib.median(ratios),
        "rtf": benchlib.median([b["decode_s"] / b["audio_s"] for b in bare]),
        "rtf_pipeline": benchlib.median([p["decode_s"] / p["audio_s"] for p in pipe]),
        "rss_deltas_mb": deltas,
        "rss_delta_mb": benchlib.median(deltas),
        "bare_peak_mb": benchlib.median([b["peak_rss_mb"] for b in bare]),
        "pipeline_peak_mb": benchlib.median([p["peak_rss_mb"] for p in pipe]),
        "bare_loaded_mb": benchlib.median([b["rss_loaded_mb"] for b in bare]),
        "load_s": benchlib.median([b["load_s"] for b in bare]),
        "bare": bare,
        "pipeline": pipe,
        "sizes": sizes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--child", choices=["bare", "pipeline", "sizes"], help="run one side (internal)"
    )
    parser.add_argument("--wav", type=Path)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--pause", type=float, default=1.5, help="turn-ending silence (s)")
    parser.add_argument("--seconds", type=float, default=0.0, help="bare: loop to this long")
    parser.add_argument("--reps", type=int, default=3, help="A/B pairs")
    parser.add_argument("--profile", type=Path, help="with --child: cProfile stats to this file")
    args = parser.parse_args(argv)
    if args.child and args.profile:
        # Where a missed overhead target goes: the top of the profile, on stderr.
        import cProfile
        import pstats

        run = run_bare if args.child == "bare" else run_pipeline
        extra = () if args.child == "bare" else (args.pause,)
        profiler = cProfile.Profile()
        result = profiler.runcall(run, args.wav, args.model, *extra)
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(15)
        benchlib.emit(result)
    elif args.child == "bare":
        benchlib.emit(run_bare(args.wav, args.model, args.seconds))
    elif args.child == "pipeline":
        benchlib.emit(run_pipeline(args.wav, args.model, args.pause))
    elif args.child == "sizes":
        benchlib.emit(run_sizes())
    else:
        benchlib.emit(compare(args.reps, args.pause))
    return 0


if __name__ == "__main__":
    sys.exit(main())
