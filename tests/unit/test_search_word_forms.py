"""One search for the CLI and the TUI that finds words in any form, Korean and English."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest

from voicereflect import cli
from voicereflect.journal.records import HIGHLIGHT_END, HIGHLIGHT_START
from voicereflect.journal.store import Journal
from voicereflect.tui.journal_view import JournalAdapter

T0 = 1_750_000_000.0
CORPUS = [
    ("ko", "동생이랑 크게 싸우고 나서 먼저 사과하고 싶었어요"),
    ("ko", "대학원에 갈지 말지 아직도 고민이에요"),
    ("ko", "요즘 공부를 하면 마음이 조금 편해져요"),
    ("ko", "동생이 내 말을 잘 들어줬어요"),
    ("ko", "동생한테 전화해서 대학원 얘기를 했어요"),
    ("ko", "동생은 사과를 좋아해요"),
    ("en", "I walked by the river after lunch"),
    ("en", "She walks her dog while I think about the decisions"),
    ("en", "Talking with my brother made me feel calmer"),
]


@pytest.fixture
def corpus() -> Iterator[dict[str, int]]:
    ids: dict[str, int] = {}
    with Journal.open() as journal:
        for n, (lang, answer) in enumerate(CORPUS):
            sid = journal.start_session("checkin", lang, T0 + n * 3600)
            ids[answer] = journal.add_entry(sid, "feeling", "오늘 어땠어요?", answer, at=T0 + n)
            journal.end_session(sid, T0 + n * 3600 + 60)
    yield ids


def cli_search(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], q: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(q + "\n"))
    assert cli.main(["journal", "search", "--query-stdin"]) == 0
    return capsys.readouterr().out


FOUND = [
    ("사과", ["동생이랑 크게 싸우고 나서 먼저 사과하고 싶었어요", "동생은 사과를 좋아해요"]),
    ("대학원", ["대학원에 갈지 말지 아직도 고민이에요", "동생한테 전화해서 대학원 얘기를 했어요"]),
    ("공부", ["요즘 공부를 하면 마음이 조금 편해져요"]),
    ("동생", [a for _, a in CORPUS if "동생" in a]),
    (
        "walk",
        [
            "I walked by the river after lunch",
            "She walks her dog while I think about the decisions",
        ],
    ),
    (
        "walking",
        [
            "I walked by the river after lunch",
            "She walks her dog while I think about the decisions",
        ],
    ),
    ("decision", ["She walks her dog while I think about the decisions"]),
    ("talked", ["Talking with my brother made me feel calmer"]),
]


@pytest.mark.parametrize(("query", "answers"), FOUND)
def test_the_cli_and_the_tui_find_every_form_of_a_word(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    corpus: dict[str, int],
    query: str,
    answers: list[str],
) -> None:
    out = cli_search(monkeypatch, capsys, query)
    found = {int(line.split("/")[1].split()[0]) for line in out.splitlines()}
    assert found == {corpus[a] for a in answers}, out
    with Journal.open(read_only=True) as journal:
        rows = JournalAdapter(journal, lambda: None).search(query)
        by_engine = {h.entry_id for h in journal.search(query, words=True)}
    assert by_engine == found
    assert len(rows) == len(found)


def test_snippets_mark_the_persons_whole_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], corpus: dict[str, int]
) -> None:
    assert "먼저 [사과하고] 싶었어요" in cli_search(monkeypatch, capsys, "사과")
    assert "[대학원에] 갈지" in cli_search(monkeypatch, capsys, "대학원")
    assert "I [walked] by the river" in cli_search(monkeypatch, capsys, "walk")
    with Journal.open(read_only=True) as journal:
        (row,) = JournalAdapter(journal, lambda: None).search("공부")
    start, end = row.marks
    assert f"{start}공부를{end} 하면" in row.snippet


def test_a_word_that_is_not_there_finds_nothing(corpus: dict[str, int]) -> None:
    with Journal.open(read_only=True) as journal:
        assert journal.search("학교", words=True) == []
        assert journal.search("running") == []
        (hit,) = journal.search('"walked by the river"')
        assert f"{HIGHLIGHT_START}walked{HIGHLIGHT_END}" in hit.snippet


def test_a_corrected_answer_is_found_by_its_new_words(corpus: dict[str, int]) -> None:
    with Journal.open() as journal:
        entry = corpus["요즘 공부를 하면 마음이 조금 편해져요"]
        journal.update_entry(entry, answer="요즘 산책을 하면 마음이 조금 편해져요")
        assert journal.search("공부", words=True) == []
        assert [h.entry_id for h in journal.search("산책", words=True)] == [entry]
