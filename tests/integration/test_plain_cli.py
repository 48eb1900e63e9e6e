"""The installed ``voicereflect --plain`` with typed answers, no microphone and no model."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from voicereflect.journal.store import Journal

EXE = Path(sys.executable).parent / "voicereflect"
ANSWERS = [
    "a bit tired but glad the week is nearly over",
    "6",
    "the long talk with my neighbour over the fence",
    "ask my sister to go for a walk on sunday",
]


def _lines(stream: object, out: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line.rstrip("\n"))
    out.put(None)


def _next_question(lines: queue.Queue[str | None], seen: list[str]) -> str | None:
    while True:
        line = lines.get(timeout=30)
        if line is None:
            return None
        seen.append(line)
        if line.rstrip().endswith(("?", ")")) and not line.startswith("("):
            return line


def test_plain_check_in_typed_without_mic_or_model_lands_in_the_journal(
    voicereflect_home: Path,
) -> None:
    # Deterministic: a microphone that cannot exist, no English model, no sound out.
    (voicereflect_home / "config.toml").write_text(
        '[audio]\ninput_device = "no-such-device"\n[voice]\nmuted = true\n'
    )
    proc = subprocess.Popen(
        [str(EXE), "--plain", "--flow", "check-in"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        for answer in ANSWERS:
            question = _next_question(lines, seen)
            assert question is not None, seen
            proc.stdin.write(("6" if "0 to 10" in question else answer) + "\n")
            proc.stdin.flush()
        proc.stdin.close()  # end of input ends the session
        assert proc.wait(timeout=30) == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    while (line := lines.get(timeout=10)) is not None:
        seen.append(line)
    output = "\n".join(seen)
    assert "no speech model: type your answers" in output
    assert "no microphone: type your answers" in output
    assert "Session saved" in output

    with Journal.open() as journal:
        (summary,) = journal.sessions()
        record = journal.session(summary.id)
    assert record.flow == "checkin" and record.ended_at is not None
    stored = [e.answer for e in record.entries]
    sent = [a for a in ANSWERS if a != "6"]
    assert [a for a in stored if a in sent] == [a for a in sent if a in stored]
    assert len(stored) >= 3 and stored[0] == ANSWERS[0]


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["INT", "TERM", "HUP"]
)
def test_ctrl_c_sigterm_and_sighup_end_cleanly_with_the_answers_saved(
    voicereflect_home: Path, signum: int
) -> None:
    # SIGTERM (a kill) and SIGHUP (the terminal closed) end the session as Ctrl-C does.
    (voicereflect_home / "config.toml").write_text(
        '[audio]\ninput_device = "no-such-device"\n[voice]\nmuted = true\n'
    )
    proc = subprocess.Popen(
        [str(EXE), "--plain", "--flow", "checkin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        assert _next_question(lines, seen) is not None
        proc.stdin.write(ANSWERS[0] + "\n")
        proc.stdin.flush()
        while (line := lines.get(timeout=30)) != "(saved)":
            assert line is not None, seen
            seen.append(line)
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == 128 + signum
        stderr = proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert "Traceback" not in stderr
    with Journal.open() as journal:
        (summary,) = journal.sessions()
    assert summary.entry_count == 1 and summary.ended_at is not None
