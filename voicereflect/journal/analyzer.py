"""The one analyzer search uses, for the index and for the query: lemmas and morphemes.

Text with Hangul goes through Kiwi (Korean content morphemes: "사과하고" → 사과, "대학원에" →
대학원; Latin words inside it get English lemmas), other text through the English lemmatizer
("walked" → walk). Kiwi may cut a compound noun in one sentence and not in another ("대학원"
alone vs 대 + 학원 mid-sentence), so the index holds both the parts and the joined run, and
a query asks for the joined run: either way they meet.

A query is plain words (``words=True``: every word required, each as a prefix) or FTS5
syntax (AND / OR / NOT, "phrases", parentheses, ``answer:``), whose words are analyzed the
same way before FTS5 sees them; a bare word is a prefix there too, so plain words mean the
same to the CLI and the TUI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from voicereflect.journal.text import clean_text
from voicereflect.reflection.language import english, korean

# Bump schema.ANALYZER_VERSION when the terms change: journals are re-indexed on open.
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_NOUNS = frozenset({"NNG", "NNP"})
_QUERY = re.compile(
    r'(?P<phrase>"[^"]*"\*?)|(?P<op>\b(?:AND|OR|NOT)\b)|(?P<paren>[()])'
    r"|(?P<column>\b(?:prompt|answer|note)\s*:)|(?P<word>[^\s\"()*:]+\*?)"
)


@dataclass(frozen=True, slots=True)
class Term:
    """A term of the index and where it was said: ``text[start:end]``."""

    term: str
    start: int
    end: int


def has_hangul(text: str) -> bool:
    """Whether ``text`` holds Korean letters (and so goes through Kiwi)."""
    return _HANGUL.search(text) is not None


def analyze(text: str, *, query: bool = False) -> tuple[Term, ...]:
    """The search terms of ``text`` in order; ``query`` keeps joined noun runs only."""
    # Questions repeat in every session and snippets re-read answers: short texts are cached.
    if len(text) <= _CACHED_CHARS:
        return _analyze_cached(text, query)
    return _analyze(text, query)


_CACHED_CHARS = 2_000


@lru_cache(maxsize=4096)
def _analyze_cached(text: str, query: bool) -> tuple[Term, ...]:
    return _analyze(text, query)


def _analyze(text: str, query: bool) -> tuple[Term, ...]:
    if not text.strip():
        return ()
    if not has_hangul(text):
        return tuple(
            Term(t.lemma, t.start, t.end) for t in english.tokens(text) if t.tag != "PUNCT"
        )
    out: list[Term] = []
    run: list[Term] = []

    def close_run() -> None:
        if len(run) > 1:
            if query:
                del out[len(out) - len(run) :]
            out.append(Term("".join(t.term for t in run), run[0].start, run[-1].end))
        run.clear()

    for t in korean.tokens(text):
        if t.tag not in korean.CONTENT_TAGS:
            close_run()
            continue
        lemma = english.lemma(t.lemma) if t.tag == "SL" else t.lemma
        term = Term(lemma, t.start, t.end)
        if t.tag in _NOUNS and run and run[-1].end == t.start:
            run.append(term)
        else:
            close_run()
            if t.tag in _NOUNS:
                run.append(term)
        out.append(term)
    close_run()
    return tuple(out)


def index_text(text: str | None) -> str:
    """What the index stores for one column: its terms, space-separated."""
    return " ".join(t.term for t in analyze(text or ""))


@dataclass(frozen=True)
class Query:
    """A query as FTS5 reads it, and the terms to highlight (``prefixes`` match starts)."""

    match: str
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def hits(self, term: str) -> bool:
        """Whether an indexed term is one the query asked for."""
        return term in self.exact or term.startswith(self.prefixes)


def _quoted(terms: list[str], prefix: bool) -> str:
    body = " ".join(t.replace('"', '""') for t in terms)
    return f'"{body}"' + ("*" if prefix else "")


def parse_query(query: str, *, words: bool = False) -> Query:
    """Turn what the person typed into an FTS5 query over the analyzed index.

    Args:
        query: the search as typed.
        words: plain words (each a prefix, all required) instead of FTS5 syntax.
    """
    query = clean_text(query).replace("\x00", " ")
    parts: list[str] = []
    exact: set[str] = set()
    prefixes: list[str] = []

    def add(text: str, prefix: bool) -> None:
        terms = [t.term for t in analyze(text, query=True)]
        if not terms:
            return
        parts.append(_quoted(terms, prefix))
        exact.update(terms)
        if prefix:
            prefixes.append(terms[-1])

    if words:
        for term in analyze(query, query=True):
            add(query[term.start : term.end], True)
        return Query(" ".join(parts), frozenset(exact), tuple(prefixes))
    for m in _QUERY.finditer(query):
        if m.group("phrase"):
            text = m.group("phrase")
            add(text.rstrip("*").strip('"'), text.endswith("*"))
        elif m.group("word"):
            # A bare word is a prefix here too, so a plain search means the same in both.
            add(m.group("word").rstrip("*"), True)
        else:
            parts.append(m.group().replace(" ", ""))
    return Query(" ".join(parts), frozenset(exact), tuple(prefixes))
