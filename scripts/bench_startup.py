"""Start-up: launch to first paint, and launch to ready-to-listen, of the real program.

``voicereflect --flow open`` (Korean pack and model, the virtual mic and speaker) runs on a
pseudo-terminal, and the screen it draws is read as it arrives:

* first paint: the first frame with the app's own text on it;
* ready to listen: the session screen's "Listening is ready." (the speech model loaded);
* first prompt spoken: the status going from "speaking" to "listening" (espeak-ng finished
  speaking the first question into the virtual speaker).

Each launch of the app is paired with a launch of a minimal Textual app
(``scripts/hello_textual.py``, same interpreter, same pty size): the ratio of their first
frames is what start-up costs beyond Textual's own. All times are from just before the
process is spawned.

Both run from compiled bytecode, as an installed program does: Textual's ``.pyc`` files are
in site-packages (pip compiles them), and the app's are compiled here first, so an
environment with ``PYTHONDONTWRITEBYTECODE`` (or a fresh checkout) does not make the app
compile its ~70 modules from source on every launch (~0.1 s) while Textual does not.
The app's first frame is Home: its flows, recent sessions and device status are filled just
after it (the app does that work after its first refresh).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

import benchlib

COLS, ROWS = 120, 40
# CSI, OSC, DCS/APC strings and two-byte escapes: what is left is the text on screen.
_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_X].*?\x1b\\|\x1b."
)
PAINT = re.compile(r"voicereflect|[^\s\x00-\x1f]{12}")
READY = re.compile(r"Listening\s*is\s*ready")
SPEAKING = re.compile(r"(?<![A-Za-z])speaking")
LISTENING = re.compile(r"(?<![A-Za-z])listening")


def screen_text(raw: bytes) -> str:
    """The printable text in a stream of terminal output."""
    return _ESCAPES.sub("", raw.decode("utf-8", "replace"))


def _controlling_tty() -> None:
    # Runs in the child after its stdio became the pty: make it the controlling terminal,
    # as a terminal emulator would, so Textual sees a real interactive terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def launch_once(
    env: dict[str, str], timeout: float, argv: list[str] | None = None
) -> dict[str, float]:
    """Spawn the app (or ``argv``) once; seconds from spawn to each milestone (missing: absent).

    The screen is read from the pty and, because ``run_app`` currently points fd 2 (where
    Textual draws) at the private log, also from that log file: whichever shows it first.
    """
    log = Path(env["VOICEREFLECT_HOME"]) / "voicereflect.log"
    log.unlink(missing_ok=True)
    log_fd: int | None = None
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    exe = str(benchlib.ROOT / ".venv" / "bin" / "voicereflect")
    started = benchlib.now()
    proc = subprocess.Popen(
        argv or [exe, "--flow", "open"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=benchlib.ROOT,
        start_new_session=True,
        preexec_fn=_controlling_tty,  # noqa: PLW1509 - needed for a controlling terminal
    )
    os.close(slave)
    marks: dict[str, float] = {}
    raw = bytearray()
    try:
        while benchlib.now() - started < timeout:
            if "paint" in marks and argv is not None:
                break  # the baseline: its first frame is all there is to see
            if "paint" in marks and "ready" in marks:
                if "spoken" in marks or benchlib.now() - started > marks["ready"] + 5:
                    break  # done, or "speaking" was never on screen (it passed unseen)
            ready, _, _ = select.select([master], [], [], 0.02)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break  # the child closed the terminal
                if not chunk:
                    break
            if log_fd is None and log.exists():
                log_fd = os.open(log, os.O_RDONLY)
            if log_fd is not None:
                chunk += os.read(log_fd, 1 << 20)
            if not chunk:
                if proc.poll() is not None:
                    break
                continue
            raw += chunk
            at = benchlib.now() - started
            text = screen_text(bytes(raw))
            if "paint" not in marks and PAINT.search(text):
                marks["paint"] = at
            if "ready" not in marks and READY.search(text):
                marks["ready"] = at
            speaking = SPEAKING.search(text)
            if speaking and "speaking" not in marks:
                marks["speaking"] = at
            if speaking and LISTENING.search(text, speaking.end()):
                marks["spoken"] = at
    finally:
        _quit(proc, master)
        if log_fd is not None:
            os.close(log_fd)
    marks["exit_code"] = float(proc.returncode if proc.returncode is not None else -999)
    return marks


def _quit(proc: subprocess.Popen[bytes], master: int) -> None:
    """Ask the app to quit (Ctrl+Q), then end its process group if it does not."""
    try:
        os.write(master, b"\x11")
        proc.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        # Our own child's group (start_new_session): the app and the espeak-ng it started.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=5)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
    finally:
        os.close(master)


def inprocess_once(spawned: float, timeout: float) -> dict[str, float]:
    """In the child: run the app headless; seconds from ``spawned`` to each milestone."""
    import benchapp

    def spoken(watch: benchapp.AppWatch) -> float | None:
        began = watch.first("StateChanged", "speaking")
        if began is None:
            return None
        for at, event in watch.events:
            state = getattr(getattr(event, "state", None), "value", None)
            if at >= began and state in ("listening", "typing"):
                return at
        return None

    def done(watch: benchapp.AppWatch) -> bool:
        loaded = watch.first("ModelReady") or watch.first("ModelFailed")
        return loaded is not None and spoken(watch) is not None

    watch = benchapp.run_headless("open", timeout, until=done)
    marks = {
        "paint": watch.first_paint,
        "ready": watch.first("ModelReady"),
        "speaking": watch.first("StateChanged", "speaking"),
        "spoken": spoken(watch),
    }
    return {k: v - spawned for k, v in marks.items() if v is not None}


def compile_bytecode() -> None:
    """Compile the app's modules to ``__pycache__``, as pip does when it installs a package."""
    subprocess.run(
        [benchlib.python(), "-m", "compileall", "-q", str(benchlib.ROOT / "voicereflect")],
        check=True,
        timeout=120,
    )


def measure(reps: int, timeout: float = 60) -> dict[str, Any]:
    """Median milestones over ``reps`` launches (NaN where a milestone never showed).

    Each rep launches the real program on a pty and, interleaved, the same app headless
    in a fresh process (``--child``): the pty sees what a person sees, the headless run
    sees the session's own events.
    """
    runs: list[dict[str, float]] = []
    hello: list[dict[str, float]] = []
    inproc: list[dict[str, float]] = []
    baseline = [benchlib.python(), str(benchlib.SCRIPTS / "hello_textual.py")]
    compile_bytecode()
    with tempfile.TemporaryDirectory(dir=benchlib.BENCH_DIR) as home:
        # A config file means no first-run screen; Korean is the language with a model.
        Path(home, "config.toml").write_text('[speech]\nlanguage = "ko"\n')
        with benchlib.virtual_audio() as env:
            env.update(benchlib.bench_env(Path(home)))
            env.update({"TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)})
            env.pop("PYTHONPATH", None)  # the installed program, as a user runs it
            child_env = dict(env, PYTHONPATH=f"{benchlib.SCRIPTS}:{benchlib.ROOT}")
            for _ in range(reps):
                hello.append(launch_once(env, timeout, baseline))
                runs.append(launch_once(env, timeout))
                args = [*benchlib.python_cmd(), __file__, "--child", "--timeout", str(timeout)]
                inproc.append(
                    benchlib.run_json(
                        [*args, "--spawned", repr(time.monotonic())], timeout + 60, child_env, True
                    )
                )

    def med(source: list[dict[str, float]], key: str) -> float:
        return benchlib.median([r[key] for r in source if key in r])

    return {
        "first_paint_s": med(inproc, "paint"),
        "ready_s": med(inproc, "ready"),
        "speaking_s": med(inproc, "speaking"),
        "prompt_spoken_s": med(inproc, "spoken"),
        "pty_first_paint_s": med(runs, "paint"),
        "hello_first_paint_s": med(hello, "paint"),
        "first_paint_ratio": benchlib.median(
            [
                r["paint"] / h["paint"]
                for r, h in zip(runs, hello, strict=True)
                if "paint" in r and "paint" in h
            ]
        ),
        "hello_runs": hello,
        "pty_ready_s": med(runs, "ready"),
        "pty_prompt_spoken_s": med(runs, "spoken"),
        "inprocess_runs": inproc,
        "pty_runs": runs,
        "paint_how": "app headless (run_test) in a fresh process: spawn to the app's first "
        "refresh; real program on a pty: first frame with text (Home; its flows, recent "
        "sessions and device status filled just after); both from compiled bytecode",
        "ready_how": "ModelReady event vs the state leaving 'speaking' (first question "
        "spoken by espeak-ng into the virtual speaker)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--child", action="store_true", help="one headless run (internal)")
    parser.add_argument("--spawned", type=float, help="parent's time.monotonic() at spawn")
    args = parser.parse_args(argv)
    if args.child:
        benchlib.emit(inprocess_once(args.spawned, args.timeout))
    else:
        benchlib.emit(measure(args.reps, args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
