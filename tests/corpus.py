"""The labelled answer corpus (tests/data/corpus/<lang>.toml) as typed records."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "data" / "corpus"


@dataclass(frozen=True)
class Labelled:
    """One realistic answer and its hand labels (the fields are described in en.toml)."""

    lang: str
    flow: str
    step: str
    text: str
    clauses: int
    negation: frozenset[str]
    owner: str | None
    person: int
    talk: str


def load(lang: str) -> tuple[Labelled, ...]:
    """Every labelled answer of one language, in file order."""
    with (CORPUS_DIR / f"{lang}.toml").open("rb") as f:
        rows = tomllib.load(f)["answer"]
    return tuple(
        Labelled(
            lang=lang,
            flow=r["flow"],
            step=r["step"],
            text=r["text"],
            clauses=r["clauses"],
            negation=frozenset(r["negation"]),
            owner=r.get("owner"),
            person=r["person"],
            talk=r["talk"],
        )
        for r in rows
    )
