"""The benchmark harness's own logic: statistics, run order, table and journal folding."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import bench_run  # noqa: E402
import benchlib  # noqa: E402
from benchlib import Figure  # noqa: E402


def test_median_of_odd_and_even_counts_and_nan_for_none() -> None:
    assert benchlib.median([3.0, 1.0, 2.0]) == 2.0
    assert benchlib.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert math.isnan(benchlib.median([]))


def test_percentile_interpolates_between_ranks_like_numpy() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert benchlib.percentile(values, 50) == pytest.approx(50.5)
    assert benchlib.percentile(values, 95) == pytest.approx(95.05)
    assert benchlib.percentile([7.0], 95) == 7.0
    assert benchlib.percentile(values, 100) == 100.0


def test_paired_ratios_divide_pairwise_and_refuse_unequal_lengths() -> None:
    assert benchlib.paired_ratios([2.0, 3.0], [1.0, 2.0]) == [2.0, 1.5]
    with pytest.raises(ValueError):
        benchlib.paired_ratios([1.0], [1.0, 2.0])


def test_abba_order_puts_each_side_first_equally_often() -> None:
    order = benchlib.abba(4)
    assert order == ["A", "B", "B", "A", "A", "B", "B", "A"]
    firsts = [order[i] for i in range(0, len(order), 2)]
    assert firsts.count("A") == firsts.count("B")


def test_table_shows_units_verdicts_and_na_for_unmeasured() -> None:
    figures = [
        Figure("ratio", "Overhead", 1.0234, "x", "<= 1.05x", True, "3 pairs"),
        Figure("rss", "Memory", 91.4, "MB", "<= +80 MB", False, "a|b"),
        Figure("gone", "Start-up", math.nan, "s", "< 1 s", None),
    ]
    table = benchlib.render_table(figures).splitlines()
    assert table[0].startswith("| # | figure |")
    assert "| 1.023x | <= 1.05x | met |" in table[2]
    assert "| 91 MB |" in table[3] and "**missed**" in table[3]
    assert "a/b" in table[3]  # a pipe inside a cell would break the Markdown table
    assert "| n/a |" in table[4]


def test_results_json_turns_nan_into_null() -> None:
    figure = Figure("gone", "Start-up", math.nan, "s", "< 1 s", None, extra={"x": [math.inf]})
    data = json.loads(benchlib.figures_json([figure], {"command": "scripts/bench"}))
    assert data["figures"][0]["value"] is None
    assert data["figures"][0]["extra"] == {"x": [None]}
    assert data["meta"]["command"] == "scripts/bench"


def test_journal_rows_judge_search_p95_against_50_ms_for_each_variant() -> None:
    data = {
        "journal": {"sessions": 10_000, "words": 1_000_000},
        "results": [
            {"encrypted": False, "search_p95_ms": 12.5, "commit_answer_median_ms": 3.0,
             "commit_answer_p95_ms": 4.0, "open_median_ms": 20.0, "db_mb": 90.0},
            {"encrypted": True, "search_p95_ms": 61.0},
        ],
    }  # fmt: skip
    rows = {f.key: f for f in bench_run.journal_rows(data)}
    assert rows["journal_plain_search_p95_ms"].ok is True
    assert rows["journal_encrypted_search_p95_ms"].ok is False
    assert rows["journal_plain_commit_answer_median_ms"].ok is None
    assert "p95 4.0 ms" in rows["journal_plain_commit_answer_median_ms"].detail
    assert "10,000 sessions" in rows["journal_plain_open_median_ms"].detail
