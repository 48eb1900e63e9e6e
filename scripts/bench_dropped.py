"""Dropped audio: a long session with the TUI running, speech played into the mic in real time.

The real app runs headless (``benchapp.run_headless``) with the real parts: ``MicSource`` on
the PulseAudio virtual microphone (our own ``scripts/virtual-audio`` instance), espeak-ng
into the virtual speaker, the Korean Vosk model, the journal. Generated Korean speech is
queued into the microphone to play for the whole run. The pause setting is long, so the
first answer stays open and the recognizer decodes the whole time (the worst case for
keeping up), while the TUI shows the partial transcript.

Also reports this process's peak RSS: the app with the TUI, session and model.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import benchlib

PAUSE = 30.0  # longer than any gap in the speech: one long answer, decoded throughout


def child(seconds: float) -> None:
    """In a process whose env points at the virtual devices: run the app and count drops."""
    import benchapp

    changes: list[tuple[float, int]] = []  # (seconds since start, dropped so far) per change
    started = benchlib.now()

    def tick(watch: benchapp.AppWatch) -> None:
        if watch.session is not None:
            dropped = int(watch.session.dropped_blocks)
            if dropped != (changes[-1][1] if changes else 0):
                changes.append((round(benchlib.now() - started, 1), dropped))

    def report(watch: benchapp.AppWatch) -> None:
        # Printed while the app still runs: a crash while shutting down cannot lose it.
        session = watch.session
        listener = getattr(session, "_listener", None)  # blocks_read is not public API
        partials = sum(1 for _, e in watch.events if type(e).__name__ == "PartialText")
        states = [getattr(e.state, "value", "") for _, e in watch.events if hasattr(e, "state")]
        ready = watch.first("ModelReady")
        benchlib.emit(
            {
                "seconds": benchlib.now() - started,
                "dropped_blocks": int(session.dropped_blocks) if session else math.nan,
                "blocks_read": int(getattr(listener, "blocks_read", -1)),
                "partials_shown": partials,
                "states": states[:12],
                "model_ready_after_s": (ready - started) if ready else math.nan,
                "peak_rss_mb": benchlib.peak_rss_mb(),
                # When drops happened: the first and last few changes of the count.
                "drops_over_time": changes[:5] + changes[-5:] if len(changes) > 10 else changes,
            }
        )

    benchapp.run_headless("open", seconds, tick=tick, before_stop=report)


def measure(seconds: float) -> dict[str, Any]:
    """Start the virtual devices, queue speech for ``seconds``, run the app in a child."""
    speech = benchlib.make_speech("speech", benchlib.KOREAN_ANSWERS[:6], gap=3.0, rate=175)
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as home:
        config = f'[speech]\nlanguage = "ko"\npause_seconds = {PAUSE}\n'
        Path(home, "config.toml").write_text(config)
        with benchlib.virtual_audio() as env:
            env.update(benchlib.bench_env(Path(home)))
            for _ in range(math.ceil(seconds / speech.duration) + 1):
                benchlib.play(env, speech.path)
            args = [*benchlib.python_cmd(), __file__, "--child", "--seconds", str(seconds)]
            result: dict[str, Any] = benchlib.run_json(args, seconds + 180, env, True)
    result["how"] = (
        "real app headless (run_test) with MicSource on the PulseAudio virtual mic, "
        f"speech played in real time, one open answer (pause {PAUSE:g} s)"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--child", action="store_true", help="run the app (internal)")
    args = parser.parse_args(argv)
    if args.child:
        child(args.seconds)
    else:
        benchlib.emit(measure(args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
