"""The installed ``voicereflect`` under hostile input (issue 14): escapes, poisoned imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from voicereflect.journal.store import Journal

EXE = Path(sys.executable).parent / "voicereflect"
ESC = "\x1b"
HOSTILE = f"{ESC}[2J{ESC}]0;PWNED\x07 \x9b31m"
# Bytes a terminal obeys: C0 controls other than newline and tab, DEL, and C1 controls.
OBEYED = {*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F} | {c for c in range(0x80, 0xA0)}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(EXE), *args], input=stdin.encode(), capture_output=True, timeout=60)


def obeyed(output: bytes) -> list[str]:
    """Control characters a terminal would act on (decoded, so C1 is a character)."""
    return [c for c in output.decode("utf-8", "replace") if ord(c) in OBEYED]


def test_plain_typed_escape_sequences_are_shown_inert_by_every_journal_command(
    voicereflect_home: Path, tmp_path: Path
) -> None:
    (voicereflect_home / "config.toml").write_text(
        '[audio]\ninput_device = "no-such-device"\n[voice]\nmuted = true\n'
    )
    typed = run("--plain", "--flow", "checkin", stdin=f"ESC {HOSTILE}\n/end\n")
    assert typed.returncode == 0, typed.stderr
    with Journal.open() as journal:
        (summary,) = journal.sessions()
        entry_id = journal.session(summary.id).entries[0].id
        journal.update_entry(entry_id, note=f"note {HOSTILE}")
        journal.tag(summary.id, f"tag{HOSTILE}")
        journal.set_mood(summary.id, f"mood{HOSTILE}")
        journal.end_session(summary.id, summary.started_at + 9, next_step=f"step {HOSTILE}")
    sid = str(summary.id)
    for args in [
        ("journal", "list"),
        ("journal", "show", sid),
        ("journal", "search", "PWNED"),
        ("journal", "export", "--format", "md"),
        ("journal", "export", "--format", "txt"),
        ("journal", "export", "--format", "json"),
        ("journal", "share", sid),
    ]:
        done = run(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert obeyed(done.stdout) == [], args
        assert "PWNED" in done.stdout.decode(), args  # shown, not hidden
    shown = run("journal", "show", sid).stdout.decode()
    assert "␛[2J␛]0;PWNED␇" in shown and "tag␛[2J" in shown and "mood␛[2J" in shown

    # The JSON export escapes what it must and still restores the exact text.
    export = tmp_path / "journal.json"
    assert run("journal", "export", "--format", "json", "--out", str(export)).returncode == 0
    doc = json.loads(export.read_text())
    assert doc["sessions"][0]["entries"][0]["answer"] == f"ESC {HOSTILE}"


def export_with(session: dict[str, object]) -> str:
    base: dict[str, object] = {
        "id": 1,
        "flow": "checkin",
        "language": "en",
        "started_at": 1_750_000_000.0,
        "ended_at": None,
        "next_step": None,
        "mood": None,
        "tags": [],
        "entries": [],
    }
    base.update(session)
    return json.dumps({"format": "voicereflect-journal", "version": 1, "sessions": [base]})


@pytest.mark.parametrize(
    ("doc", "named"),
    [
        (export_with({"started_at": 1e300}), "'started_at'"),
        (export_with({"ended_at": -5}), "'ended_at'"),
        (export_with({"id": 2**70}), "'id'"),
        (export_with({"tags": ["x" * 20_000]}), "'tags'"),
        (
            export_with(
                {
                    "entries": [
                        {
                            "id": 1,
                            "step_id": "s",
                            "prompt": "p",
                            "answer": "a",
                            "rating": 1e9,
                            "note": None,
                            "at": 1_750_000_000.0,
                        }
                    ]
                }
            ),
            "entry #1: 'rating'",
        ),
        (
            export_with(
                {
                    "entries": [
                        {
                            "id": 1,
                            "step_id": "s",
                            "prompt": "p",
                            "answer": "a",
                            "rating": None,
                            "note": None,
                            "at": 1_750_000_000.0,
                            "words": [["a", 0.0, 0.5, 0.9], ["b", 0.5, 1e300, 0.9]],
                        }
                    ]
                }
            ),
            "word #2: 'end'",
        ),
        ('{"format": "voicereflect-journal", "sessions": ' + "[" * 100_000, "nested"),
        ('{"sessions": [' + "9" * 5000 + "]}", "number"),
    ],
    ids=[
        "time-1e300",
        "negative-time",
        "id-2**70",
        "huge-tag",
        "rating",
        "words",
        "deep",
        "long-int",
    ],
)
def test_a_poisoned_import_is_refused_whole_with_one_line_naming_the_field(
    tmp_path: Path, doc: str, named: str
) -> None:
    with Journal.open() as journal:
        journal.start_session("kept", "en", 1_700_000_000.0)
    source = tmp_path / "poisoned.json"
    source.write_text(doc)
    done = run("journal", "import", str(source))
    err = done.stderr.decode()
    assert done.returncode == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert named in err and "nothing was imported" in err
    listed = run("journal", "list")
    assert listed.returncode == 0 and listed.stdout.decode().count("kept") == 1
