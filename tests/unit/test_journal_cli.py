"""``voicereflect journal …``: what the person sees for each subcommand, and the files written."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from voicereflect import cli, paths
from voicereflect.journal.store import Journal

T0 = 1_750_000_000.0


@pytest.fixture
def ids() -> dict[str, int]:
    with Journal.open() as journal:
        first = journal.start_session("check-in", "en", T0)
        a = journal.add_entry(first, "feel", "How do you feel?", "calm after the walk", 6, at=T0)
        b = journal.add_entry(
            first,
            "step",
            "Next?",
            "phone my brother",
            audio=b"\x10\x00" * 1600,
            audio_rate=16000,
            at=T0 + 1,
        )
        journal.end_session(first, T0 + 9, next_step="phone my brother", mood="calm")
        second = journal.start_session("weekly", "en", T0 + 86400 * 3)
        c = journal.add_entry(second, "feel", "How do you feel?", "restless and calm", at=T0 + 3)
    return {"first": first, "second": second, "a": a, "b": b, "c": c}


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_sessions_newest_first_and_filters(monkeypatch, capsys, ids) -> None:
    code, out, _ = run(monkeypatch, capsys, "journal", "list")
    lines = out.splitlines()
    assert (
        code == 0 and "weekly" in lines[0] and "check-in" in lines[1] and "mood: calm" in lines[1]
    )
    code, out, _ = run(monkeypatch, capsys, "journal", "list", "--until", "2025-06-16")
    assert "weekly" not in out and "check-in" in out
    _, out, _ = run(monkeypatch, capsys, "journal", "list", "--tag", "nothing")
    assert out == "no sessions match\n"
    code, _, err = run(monkeypatch, capsys, "journal", "list", "--since", "yesterday")
    assert code == 1 and "is not a date" in err


def test_list_before_any_session_is_not_an_error(monkeypatch, capsys) -> None:
    assert run(monkeypatch, capsys, "journal", "list") == (0, "no sessions yet\n", "")


def test_show_prints_prompts_answers_and_the_next_step(monkeypatch, capsys, ids) -> None:
    code, out, _ = run(monkeypatch, capsys, "journal", "show", str(ids["first"]))
    assert code == 0
    assert "calm after the walk" in out and "(audio)" in out and "Next small step: phone" in out


def test_show_names_the_question_a_re_asked_number_rates(monkeypatch, capsys) -> None:
    with Journal.open() as journal:
        sid = journal.start_session("decision", "en", T0)
        journal.add_entry(sid, "importance", "How important is it?", "hard to say", at=T0)
        journal.add_entry(
            sid,
            "importance",
            "Which number fits?",
            "seven",
            7,
            at=T0 + 1,
            rates="How important is it?",
        )
    _, out, _ = run(monkeypatch, capsys, "journal", "show", str(sid))
    assert "How important is it?\n    hard to say" in out
    assert "Which number fits?  rating 7 for “How important is it?”\n    seven" in out


def test_search_ranks_and_marks_matches_and_explains_bad_syntax(monkeypatch, capsys, ids) -> None:
    code, out, _ = run(monkeypatch, capsys, "journal", "search", "calm")
    assert code == 0 and out.count("[calm]") == 2
    code, out, err = run(monkeypatch, capsys, "journal", "search", "calm AND (")
    assert code == 1 and out == "" and "not valid search syntax" in err and "--words" in err
    code, out, _ = run(monkeypatch, capsys, "journal", "search", "--words", "calm AND (")
    assert code == 0 and "restless [and] [calm]" in out  # the words, taken literally


def test_export_writes_a_private_file_that_imports_back(monkeypatch, capsys, ids, tmp_path) -> None:
    out_file = tmp_path / "all.json"
    code, _, err = run(
        monkeypatch, capsys, "journal", "export", "--format", "json", "--out", str(out_file)
    )
    assert code == 0 and "readable only by you" in err
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["all.json"]  # no temp file left
    exported = out_file.read_text()
    with Journal.open() as journal:
        journal.delete_sessions(journal.session_ids())
    assert run(monkeypatch, capsys, "journal", "import", str(out_file))[0] == 0
    with Journal.open() as journal:
        assert journal.export(None, "json") == exported
    code, out, _ = run(monkeypatch, capsys, "journal", "export", "--format", "txt", "1")
    assert "calm after the walk" in out and "restless" not in out


def test_import_of_a_file_that_is_not_utf8_or_not_an_export(monkeypatch, capsys, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe{not utf8")
    code, _, err = run(monkeypatch, capsys, "journal", "import", str(bad))
    assert code == 1 and "not UTF-8" in err and "nothing was imported" in err
    bad.write_text(json.dumps({"hello": 1}))
    code, _, err = run(monkeypatch, capsys, "journal", "import", str(bad))
    assert code == 1 and "not a voicereflect JSON export" in err


def test_delete_needs_yes_without_a_terminal(monkeypatch, capsys, ids) -> None:
    code, _, err = run(monkeypatch, capsys, "journal", "delete", str(ids["first"]))
    assert code == 1 and "--yes" in err
    code, out, _ = run(monkeypatch, capsys, "journal", "delete", "--yes", str(ids["first"]))
    assert code == 0 and "deleted 1" in out
    code, _, err = run(monkeypatch, capsys, "journal", "delete", "--yes", str(ids["first"]))
    assert code == 1 and f"no session {ids['first']}" in err


def test_tag_and_untag(monkeypatch, capsys, ids) -> None:
    _, out, _ = run(monkeypatch, capsys, "journal", "tag", str(ids["first"]), "sleep", "work")
    assert out == f"session {ids['first']}: sleep, work\n"
    _, out, _ = run(monkeypatch, capsys, "journal", "tag", "--remove", str(ids["first"]), "work")
    assert out == f"session {ids['first']}: sleep\n"


def test_share_leaves_out_chosen_entries(monkeypatch, capsys, ids, tmp_path) -> None:
    target = tmp_path / "for-therapist.md"
    code, _, _ = run(
        monkeypatch,
        capsys,
        "journal",
        "share",
        str(ids["first"]),
        str(ids["second"]),
        "--leave-out",
        str(ids["a"]),
        "--out",
        str(target),
    )
    packet = target.read_text()
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "phone my brother" in packet and "restless and calm" in packet
    assert "calm after the walk" not in packet


def test_audio_export_writes_a_wav_and_drop_removes_only_audio(
    monkeypatch, capsys, ids, tmp_path
) -> None:
    target = tmp_path / "answer.wav"
    code, _, _ = run(
        monkeypatch, capsys, "journal", "audio", "export", str(ids["b"]), "--out", str(target)
    )
    with wave.open(str(target)) as clip:
        assert (clip.getframerate(), clip.getnframes(), clip.getnchannels()) == (16000, 1600, 1)
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert run(monkeypatch, capsys, "journal", "audio", "drop", str(ids["b"]))[0] == 0
    code, _, err = run(
        monkeypatch, capsys, "journal", "audio", "export", str(ids["b"]), "--out", str(target)
    )
    assert code == 1 and "no stored audio" in err
    with Journal.open() as journal:
        assert journal.session(ids["first"]).entries[1].answer == "phone my brother"


def test_passphrase_is_never_taken_from_argv() -> None:
    parser = cli.build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["passphrase", "set", "--passphrase", "oops"])


def test_doctor_check_reports_an_intact_journal(ids: dict[str, int]) -> None:
    from voicereflect.journal.checks import doctor_checks

    results = [check() for check in doctor_checks()]
    assert [r.ok for r in results] == [True] and "intact" in results[0].detail


def test_export_path_parent_mode_is_left_as_the_person_set_it(
    monkeypatch, capsys, ids, tmp_path: Path
) -> None:
    shared = tmp_path / "Documents"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    run(monkeypatch, capsys, "journal", "export", "--out", str(shared / "j.md"))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "j.md").stat().st_mode) == 0o600


def _one_line_error(code: int, out: str, err: str) -> str:
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("voicereflect: ") and "Traceback" not in err
    return err


def test_export_to_a_missing_dir_or_to_a_directory_is_one_clear_line(
    monkeypatch, capsys, ids, tmp_path: Path
) -> None:
    missing = tmp_path / "nonexistent" / "dir" / "x.md"
    err = _one_line_error(*run(monkeypatch, capsys, "journal", "export", "--out", str(missing)))
    assert str(missing) in err and "No such file or directory" in err
    err = _one_line_error(*run(monkeypatch, capsys, "journal", "export", "--out", str(tmp_path)))
    assert str(tmp_path) in err and "Is a directory" in err
    assert list(tmp_path.iterdir()) == []  # no temp file left behind
    err = _one_line_error(
        *run(
            monkeypatch, capsys, "journal", "audio", "export", str(ids["b"]), "--out", str(missing)
        )
    )
    assert str(missing) in err and "No such file or directory" in err


def test_import_of_a_missing_file_is_one_clear_line_from_the_installed_command(
    tmp_path: Path,
) -> None:
    script = Path(sys.executable).with_name("voicereflect")
    missing = tmp_path / "missing.json"
    done = subprocess.run(
        [str(script), "journal", "import", str(missing)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert str(missing) in done.stderr and "No such file or directory" in done.stderr


def test_exports_go_through_paths_write_private_without_tightening_the_folder(
    monkeypatch, capsys, ids, tmp_path: Path
) -> None:
    from voicereflect import paths

    calls: list[tuple[Path, bool]] = []
    real = paths.write_private

    def spy(path: Path, data: bytes, **kwargs: bool) -> None:
        calls.append((path, kwargs.get("private_dir", True)))
        real(path, data, **kwargs)

    monkeypatch.setattr(paths, "write_private", spy)
    assert run(monkeypatch, capsys, "journal", "export", "--out", str(tmp_path / "j.md"))[0] == 0
    assert calls == [(tmp_path / "j.md", False)]


def test_search_query_from_stdin_keeps_the_words_out_of_argv(monkeypatch, capsys, ids) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("calm\n"))
    assert cli.main(["journal", "search", "--query-stdin"]) == 0
    out, _ = capsys.readouterr()
    assert out.count("[calm]") == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("restless and\n"))
    assert cli.main(["journal", "search", "--words", "--query-stdin"]) == 0
    out, _ = capsys.readouterr()
    assert "[restless] [and] calm" in out and out.count("\n") == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["journal", "search", "--query-stdin"]) == 1
    assert "no query line on stdin" in capsys.readouterr().err
    assert cli.main(["journal", "search", "--query-stdin", "calm"]) == 1  # one source, not both
    assert "not both" in capsys.readouterr().err
    assert cli.main(["journal", "search"]) == 1  # and at least one
    assert "--query-stdin" in capsys.readouterr().err


def test_query_stdin_follows_the_passphrase_line(monkeypatch, capsys) -> None:
    with Journal.open(passphrase="pass word") as journal:
        sid = journal.start_session("check-in", "en", T0)
        journal.add_entry(sid, "feel", "How do you feel?", "calm after the walk", at=T0)
    monkeypatch.setattr(sys, "stdin", io.StringIO("pass word\nwalk\n"))
    assert cli.main(["journal", "search", "--passphrase-stdin", "--query-stdin"]) == 0
    assert "[walk]" in capsys.readouterr().out


def test_search_help_points_to_query_stdin(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["journal", "search", "--help"])
    assert "--query-stdin" in capsys.readouterr().out


def test_list_counts_one_answer_in_the_singular(monkeypatch, capsys) -> None:
    with Journal.open() as journal:
        sid = journal.start_session("check-in", "en", T0)
        journal.add_entry(sid, "feel", "How do you feel?", "fine", at=T0)
    _, out, _ = run(monkeypatch, capsys, "journal", "list")
    assert out.count("\n") == 1 and "check-in  1 answer" in out and "answers" not in out


def test_a_korean_share_packet_and_export_have_korean_headings(
    monkeypatch, capsys, ids, tmp_path
) -> None:
    paths.config_path().write_text('[speech]\nlanguage = "ko"\n')
    target = tmp_path / "share.md"
    code, _, _ = run(
        monkeypatch, capsys, "journal", "share", str(ids["first"]), "--out", str(target)
    )
    packet = target.read_text()
    assert code == 0 and packet.startswith("# 함께 나누려고 고른 돌아보기\n")
    assert "다음 작은 걸음: phone my brother" in packet and "Next small step" not in packet
    code, out, _ = run(monkeypatch, capsys, "journal", "export", "--format", "md")
    assert code == 0 and out.startswith("# 일기장: 세션 2개\n")


def test_journal_commands_answer_in_the_configured_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from voicereflect.cli import main
    from voicereflect.config import Config, replace_setting, save_config
    from voicereflect.journal.checks import check_journal

    save_config(replace_setting(Config(), "speech", language="ko"))
    assert main(["journal", "list"]) == 0
    assert capsys.readouterr().out == "아직 세션이 없어요\n"
    assert main(["journal", "show", "3"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("voicereflect: ") and "아직 일기장이 없어요" in err
    result = check_journal()  # doctor's line, after main chose Korean
    assert (result.name, result.ok) == ("일기장", True) and result.detail.startswith("아직 없어요")
