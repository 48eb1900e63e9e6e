#!/usr/bin/env python3
"""Benchmark the journal: commit per answer, search, export and open, plain and encrypted.

Builds a synthetic journal (default 10,000 sessions × 5 answers × 20 words ≈ 1M words) in a
temporary directory, so no real journal is touched, then prints a table and optionally JSON.
Also times a search in one very long answer (default 100,000 words, all the word searched),
which must grow linearly with the answer's length.
Usage: scripts/bench_journal.py [--sessions N] [--long-words N] [--korean] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voicereflect.journal.store import Journal  # noqa: E402

PASSPHRASE = "bench passphrase"
T0 = 1_700_000_000.0


KO_SYLLABLES = ["가", "나", "도", "리", "마", "보", "서", "요", "지", "친", "학", "공", "생", "원"]
KO_PARTICLES = ["", "", "을", "를", "이", "가", "에서", "에", "이랑", "하고", "은", "는"]


def vocabulary(rng: random.Random, size: int = 6000, korean: bool = False) -> list[str]:
    """Pronounceable fake words, so the index sees a realistic spread of terms."""
    syllables = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "dru", "po", "nim", "che", "ta"]
    if korean:
        syllables = KO_SYLLABLES
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def export_doc(
    sessions: int, entries: int, words: int, seed: int = 1, korean: bool = False
) -> tuple[str, list[str]]:
    """A JSON export of a synthetic journal (Zipf-distributed words) and its vocabulary.

    With ``korean`` the words are Hangul with particles after them ("가나를", "도리에서"), so
    every answer goes through Kiwi, at index and at snippet time.
    """
    rng = random.Random(seed)
    vocab = vocabulary(rng, korean=korean)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    out = []
    entry_id = 0
    for s in range(1, sessions + 1):
        items = []
        started = T0 + s * 3600.0
        for e in range(entries):
            entry_id += 1
            chosen = rng.choices(vocab, weights, k=words)
            if korean:
                chosen = [w + rng.choice(KO_PARTICLES) for w in chosen]
            text = " ".join(chosen)
            items.append(
                {
                    "id": entry_id,
                    "step_id": f"step{e}",
                    "prompt": "What stands out for you today?",
                    "answer": text,
                    "rating": float(rng.randint(0, 10)) if e == 0 else None,
                    "note": None,
                    "at": started + e * 30,
                }
            )
        out.append(
            {
                "id": s,
                "flow": "check-in",
                "language": "ko" if korean else "en",
                "started_at": started,
                "ended_at": started + 600,
                "next_step": "take a short walk",
                "mood": "steady",
                "tags": ["bench"] if s % 10 == 0 else [],
                "entries": items,
            }
        )
    doc = {"format": "voicereflect-journal", "version": 1, "sessions": out}
    return json.dumps(doc), vocab


def queries(vocab: list[str], rng: random.Random, count: int = 100) -> list[str]:
    """Common words, rare words, two-word ANDs, ORs, prefixes and phrases."""
    common, rare = vocab[:50], vocab[-2000:]
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(common),
        lambda: rng.choice(rare),
        lambda: f"{rng.choice(common)} {rng.choice(rare)}",
        lambda: f"{rng.choice(rare)} OR {rng.choice(rare)}",
        lambda: rng.choice(rare)[:3] + "*",
        lambda: f'"{rng.choice(common)} {rng.choice(common)}"',
    ]
    return [makers[n % len(makers)]() for n in range(count)]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def bench(directory: Path, doc: str, vocab: list[str], passphrase: str | None) -> dict[str, Any]:
    path = directory / ("encrypted.db" if passphrase else "plain.db")
    rng = random.Random(2)
    with Journal.open(path, passphrase) as journal:
        import_s, _ = timed(lambda: journal.import_json(doc))
        session = journal.start_session("bench", "en", time.time())
        commits = []
        for n in range(200):
            text = " ".join(rng.choices(vocab, k=20))
            seconds, _ = timed(lambda t=text, n=n: journal.add_entry(session, "s", "p", t, at=n))
            commits.append(seconds)
        searches, hits = [], []
        for query in queries(vocab, rng):
            seconds, found = timed(lambda q=query: journal.search(q, limit=50))
            searches.append(seconds)
            hits.append(len(found))
        export_md_s, md = timed(lambda: journal.export(None, "md"))
        export_json_s, _ = timed(lambda: journal.export(None, "json"))
        entries = journal._conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    opens = []
    for _ in range(5):
        seconds, journal = timed(lambda: Journal.open(path, passphrase))
        journal.close()
        opens.append(seconds)
    return {
        "encrypted": passphrase is not None,
        "entries": entries,
        "db_mb": round(path.stat().st_size / 1e6, 1),
        "import_all_s": round(import_s, 2),
        "commit_answer_median_ms": round(statistics.median(commits) * 1000, 2),
        "commit_answer_p95_ms": round(pct(commits, 95) * 1000, 2),
        "search_p50_ms": round(pct(searches, 50) * 1000, 2),
        "search_p95_ms": round(pct(searches, 95) * 1000, 2),
        "search_mean_hits": round(statistics.mean(hits), 1),
        "export_md_all_s": round(export_md_s, 2),
        "export_json_all_s": round(export_json_s, 2),
        "export_md_mb": round(len(md.encode()) / 1e6, 1),
        "open_median_ms": round(statistics.median(opens) * 1000, 1),
    }


def long_answer_search(directory: Path, words: int) -> dict[str, Any]:
    """Seconds to search one answer of ``words`` words, every one of them the word searched.

    The worst case for snippets: FTS5's own snippet() took 107 s on 100,000 such words.
    """
    text = " ".join(["needle"] * words)
    with Journal.open(directory / f"long-{words}.db") as journal:
        session = journal.start_session("bench", "en", T0)
        journal.add_entry(session, "s", "p", text, at=T0)
        seconds, hits = timed(lambda: journal.search("needle"))
    return {"words": words, "search_s": round(seconds, 3), "snippet_chars": len(hits[0].snippet)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=5, help="answers per session")
    parser.add_argument("--words", type=int, default=20, help="words per answer")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--long-words", type=int, default=100_000, help="words in the one long answer searched"
    )
    parser.add_argument("--plain-only", action="store_true", help="skip the encrypted run")
    parser.add_argument(
        "--korean", action="store_true", help="Korean answers (words with particles, via Kiwi)"
    )
    args = parser.parse_args(argv)

    doc, vocab = export_doc(args.sessions, args.entries, args.words, korean=args.korean)
    total_words = args.sessions * args.entries * args.words
    print(
        f"journal: {args.sessions} sessions, {args.sessions * args.entries} answers, "
        f"{total_words:,} words",
        file=sys.stderr,
    )
    directory = Path(tempfile.mkdtemp(prefix="voicereflect-bench-"))
    try:
        modes = [None] if args.plain_only else [None, PASSPHRASE]
        results = [bench(directory, doc, vocab, mode) for mode in modes]
        long = long_answer_search(directory, args.long_words)
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    keys = [k for k in results[0] if k != "encrypted"]
    print(
        f"{'measure':<26}"
        + "".join(f"{'encrypted' if r['encrypted'] else 'plain':>12}" for r in results)
    )
    for key in keys:
        print(f"{key:<26}" + "".join(f"{r[key]!s:>12}" for r in results))
    print(
        f"search in one {long['words']:,}-word answer (every word matches): "
        f"{long['search_s']} s, snippet {long['snippet_chars']} characters"
    )
    if args.json:
        meta = {
            "sessions": args.sessions,
            "answers": args.sessions * args.entries,
            "words": total_words,
        }
        args.json.write_text(
            json.dumps({"journal": meta, "results": results, "long_answer": long}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
