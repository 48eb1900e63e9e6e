"""End-of-turn latency: from the end of a person's turn to their answer committed.

The real session runner (``voicereflect.session.Session``) runs with the real recognizer,
turn-taker and journal; the microphone is a ``FileSource`` delivering generated Korean
answers at real-time pace; the dialogue is a benchmark double asking N free-text questions.
Turns alternate between ending by silence (nothing is done: the pause setting ends it) and
ending by a key (``Session.end_turn()`` half a second after the speech ends).

* silence end: ``Saved`` time minus the moment the block holding the last audible sample
  of the answer was delivered (``benchlib.speech_ends``: espeak-ng's trailing silence does
  not count as speech), minus the pause setting: what the person waits beyond the pause
  they chose.
* key end: ``Saved`` time minus the key press (half a second after the generated segment).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import benchlib

KEY_AFTER = 0.5  # seconds after the speech ends that the benchmark "presses" the key
GAP = 3.5  # silence after each answer: longer than the pause plus Vosk's endpoint delay


class BenchDialogue:
    """A ``Dialogue`` asking ``count`` free-text questions and saving every answer."""

    def __init__(self, count: int) -> None:
        self.count = count

    @property
    def flow_id(self) -> str:
        return "bench"

    @property
    def language(self) -> str:
        return "ko"

    def _ask(self, n: int) -> list[Any]:
        from voicereflect.session.dialogue import Ask, Finish

        if n > self.count:
            return [Finish()]
        return [Ask(f"q{n}", f"질문 {n}")]

    def begin(self, previous_next_step: str | None) -> list[Any]:
        return self._ask(1)

    def answer(self, step: str, text: str, words: tuple[Any, ...] = ()) -> list[Any]:
        from voicereflect.session.dialogue import Save

        n = int(step[1:])
        return [Save(step, f"질문 {n}", text), *self._ask(n + 1)]

    def skip(self, step: str) -> list[Any]:
        return self._ask(int(step[1:]) + 1)

    def tick(self, elapsed_seconds: float) -> list[Any]:
        return []

    def end(self) -> list[Any]:
        from voicereflect.session.dialogue import Finish

        return [Finish()]

    def voice_commands(self) -> Mapping[str, Any]:
        return {}

    def end_phrases(self) -> Sequence[str]:
        from voicereflect.speech.turns import end_phrases_for

        return end_phrases_for("ko")


class GatedSource(benchlib.SourceWrapper):
    """A real-time ``FileSource`` that plays only once ``go`` is set (the model is ready).

    It records when each block was handed out, so a position in the file maps to the
    moment the session could first have known about it.
    """

    def __init__(self, inner: Any, go: threading.Event) -> None:
        super().__init__(inner)
        self._go = go
        self._started = False
        self.delivered: list[float] = []

    def start(self) -> None:
        pass  # the real start is deferred until go: real-time pacing counts from there

    def read(self, timeout: float) -> bytes | None:
        if not self._started:
            if not self._go.wait(timeout):
                return b""
            self._inner.start()
            self._started = True
        block = super().read(timeout)
        if block:
            self.delivered.append(benchlib.now())
        return block

    def time_of(self, seconds: float, block_seconds: float) -> float:
        """When the block holding audio position ``seconds`` was handed out."""
        return self.delivered[min(int(seconds / block_seconds), len(self.delivered) - 1)]


def measure(turns: int, pause: float, model_path: Path, verbose: bool = False) -> dict[str, Any]:
    """Run one real-time session of ``turns`` answers; latencies per way of ending."""
    from voicereflect.audio.files import FileSource
    from voicereflect.clock import SystemClock
    from voicereflect.config import Config, replace_setting
    from voicereflect.journal.store import Journal
    from voicereflect.session import Session, SessionParts
    from voicereflect.session.events import (
        AnswerFinished,
        ModelReady,
        QuestionAsked,
        Saved,
        SessionEvent,
    )
    from voicereflect.session.setup import analyzer_loader, open_vad
    from voicereflect.speech.models import load_model
    from voicereflect.speech.recognizer import VoskRecognizer
    from voicereflect.speech.turns import TurnTaker

    sentences = [a.split(". ")[0] + "." for a in benchlib.KOREAN_ANSWERS]
    texts = [sentences[i % len(sentences)] for i in range(turns)]
    speech = benchlib.make_speech("turns", texts, gap=GAP, lead=0.3, rate=175)
    block = 0.1
    go = threading.Event()
    sources: list[GatedSource] = []
    saved: list[tuple[str, float]] = []
    finished: dict[str, str] = {}
    asked: dict[str, float] = {}
    done = threading.Event()
    clock = SystemClock()

    def open_audio() -> GatedSource:
        source = GatedSource(FileSource(speech.path, block, realtime=True), go)
        sources.append(source)
        return source

    def load() -> Any:
        loaded = load_model(model_path)
        return lambda rate: VoskRecognizer(loaded, rate)

    t0 = benchlib.now()

    def on_event(event: SessionEvent) -> None:
        if verbose:
            print(
                f"{benchlib.now() - t0:7.2f} {type(event).__name__} {event!r:.80}", file=sys.stderr
            )
        if isinstance(event, Saved):
            saved.append((event.step, benchlib.now()))
            if len(saved) == turns:
                done.set()
        elif isinstance(event, AnswerFinished):
            finished[event.step] = event.ended_by
        elif isinstance(event, ModelReady):
            go.set()
        elif isinstance(event, QuestionAsked):
            asked[event.step] = benchlib.now()

    config = replace_setting(Config(), "speech", language="ko", pause_seconds=pause)
    config = replace_setting(config, "voice", muted=True)
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as tmp:
        parts = SessionParts(
            dialogue=BenchDialogue(turns),
            open_journal=lambda: Journal.open(Path(tmp) / "journal.db"),
            turn_taker=lambda phrases: TurnTaker(pause, phrases, clock),
            speaker=None,
            open_audio=open_audio,
            load_recognizer=load,
            open_vad=open_vad,
            clock=clock,
            prepare=analyzer_loader("ko"),  # as real_parts does
        )
        session = Session(config, parts, on_event, barge_in=False)
        session.start()
        if not go.wait(120):
            raise RuntimeError("the speech model did not load within 120 s")
        key_times: dict[str, float] = {}
        for i, (_, end) in enumerate(speech.segments):
            step = f"q{i + 1}"
            if i % 2 == 1:  # every other turn ends by a key press
                # Press only once this answer's question is current: if decoding lags
                # (a busy machine), a key would otherwise end an earlier turn.
                while step not in asked or len(sources[0].delivered) * block < end:
                    if done.wait(0.01) or session.ended:
                        break
                press = sources[0].time_of(end, block) + KEY_AFTER
                time.sleep(max(0.0, press - benchlib.now()))
                key_times[step] = benchlib.now()
                session.end_turn()
        done.wait(speech.duration + 30)
        session.end()
        session.wait_ended(10)
        session.stop()
    source = sources[0]
    ends = [e / benchlib.RATE for e in benchlib.speech_ends(speech)]
    silence: list[float] = []
    key: list[float] = []
    for step, at in saved:
        i = int(step[1:]) - 1
        if i >= len(speech.segments):
            continue
        if step in key_times:
            key.append((at - key_times[step]) * 1000)
        elif finished.get(step) == "silence":
            end_at = source.time_of(ends[i], block)
            silence.append((at - end_at - pause) * 1000)

    def summary(values: list[float]) -> dict[str, Any]:
        return {
            "n": len(values),
            "median_ms": benchlib.median(values),
            "p95_ms": benchlib.percentile(values, 95),
            "max_ms": max(values) if values else float("nan"),
            "values_ms": [round(v, 1) for v in values],
        }

    return {
        "silence": summary(silence),
        "key": summary(key),
        "turns": turns,
        "saved": len(saved),
        "ended_by": finished,
        "how": "real Session with Silero VAD, real-time FileSource, muted (no TTS)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=40, help="half end by silence, half by key")
    parser.add_argument("--pause", type=float, default=1.5)
    parser.add_argument("--verbose", action="store_true", help="print every session event")
    args = parser.parse_args(argv)
    benchlib.emit(measure(args.turns, args.pause, benchlib.korean_model_path(), args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
