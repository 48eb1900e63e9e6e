"""Noticing what the person said: key phrases to quote, themes, change talk and "why" loops.

Every quote returned here is a verbatim stretch of the person's own text (whole words,
original spelling), never a paraphrase, so reflections and summaries stay in their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from voicereflect.reflection.answers import normalize
from voicereflect.reflection.packs import Theme

_CLAUSE_END = re.compile(r"[.!?;,。…]$")
MAX_QUOTE_WORDS = 12
_NOT_CHANGE = frozenset({"have", "not", "never", "barely", "hardly"})
MAX_SCAN_CHARS = 3_000  # about 500 spoken words; longer answers are quoted from their end


@dataclass(frozen=True)
class _Tokens:
    """The person's words with their places in the original text."""

    text: str
    spans: tuple[tuple[int, int], ...]
    norms: tuple[str, ...]
    joined: str  # normalised words joined by single spaces
    starts: tuple[int, ...]  # where each word starts in ``joined``

    @classmethod
    def of(cls, text: str) -> _Tokens:
        spans, norms = [], []
        for m in re.finditer(r"\S+", text):
            norm = normalize(m.group())
            if norm:
                spans.append((m.start(), m.end()))
                norms.append(norm)
        starts, pos = [], 0
        for n in norms:
            starts.append(pos)
            pos += len(n) + 1
        return cls(text, tuple(spans), tuple(norms), " ".join(norms), tuple(starts))

    def word_at(self, char: int) -> int:
        """Index of the word containing position ``char`` of ``joined``."""
        idx = 0
        for i, s in enumerate(self.starts):
            if s <= char:
                idx = i
        return idx

    def quote(self, first: int, last: int) -> str:
        """Original text of words ``first..last``, without trailing punctuation."""
        first, last = max(0, first), min(len(self.spans) - 1, last)
        raw = self.text[self.spans[first][0] : self.spans[last][1]]
        return raw.strip().rstrip(".,;:!?…。").strip("\"'“”‘’ ")

    def ends_clause(self, i: int) -> bool:
        return bool(_CLAUSE_END.search(self.text[self.spans[i][0] : self.spans[i][1]]))


def word_count(text: str) -> int:
    """How many words the person said (punctuation alone does not count)."""
    return len(_Tokens.of(text).norms)


def _find(tokens: _Tokens, phrase: str) -> tuple[int, int] | None:
    """Word indices ``(first, last)`` where ``phrase`` occurs, or ``None``."""
    pattern = _pattern(phrase)
    if pattern is None or not tokens.joined:
        return None
    return next(_find_all(tokens, pattern), None)


def _find_all(tokens: _Tokens, pattern: str) -> Iterator[tuple[int, int]]:
    for m in re.finditer(pattern, tokens.joined):
        yield tokens.word_at(m.start()), tokens.word_at(max(m.start(), m.end() - 1))


def _pattern(phrase: str) -> str | None:
    norm = normalize(phrase)
    if not norm:
        return None
    if norm.isascii():
        return rf"(?<![\w']){re.escape(norm)}(?![\w'])"
    # Korean endings attach to words and speech recognisers space them either way:
    # "하고 싶어요", "하고싶어요".
    return r"\s?".join(re.escape(part) for part in norm.split())


def _window(tokens: _Tokens, first: int, last: int, before: int, after: int) -> str:
    start = first
    while start > 0 and first - start < before and not tokens.ends_clause(start - 1):
        start -= 1
    end = last
    while end < len(tokens.norms) - 1 and end - last < after and not tokens.ends_clause(end):
        end += 1
    return tokens.quote(start, end)


def _is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def key_phrase(text: str, near: str | None = None) -> str:
    """A short verbatim stretch of ``text`` to quote back: the words around ``near``, or the
    whole answer when short, or its last clause.

    Returns an empty string when there are no words.
    """
    if len(text) > MAX_SCAN_CHARS:
        # Only the end can be quoted (or the words near ``near``); cut at a word boundary so
        # no partial word is ever quoted.
        cut = len(text) - MAX_SCAN_CHARS
        space = re.search(r"\s", text[cut:])
        if space is None:
            return ""
        text = text[cut + space.end() :]
    tokens = _Tokens.of(text)
    n = len(tokens.norms)
    if n == 0:
        return ""
    if near:
        hit = _find(tokens, near)
        if hit is not None:
            return _window(tokens, hit[0], hit[1], 4, 6)
    if n <= MAX_QUOTE_WORDS:
        return tokens.quote(0, n - 1)
    # The last clause is the freshest thought; fall back to the last few words.
    last = n - 1
    start = last
    while start > 0 and last - start < MAX_QUOTE_WORDS - 1 and not tokens.ends_clause(start - 1):
        start -= 1
    return tokens.quote(start, last)


def find_change_talk(text: str, patterns: Iterable[str]) -> str | None:
    """The person's own words of change ("I want to sleep earlier", "운동하고 싶어요").

    English change talk is quoted from the pattern forward; Korean, where the verb comes
    last, from a few words before the pattern up to it.
    """
    tokens = _Tokens.of(text)
    best: tuple[int, int, str] | None = None
    for phrase in patterns:
        regex = _pattern(phrase)
        if regex is None or not tokens.joined:
            continue
        for first, last in _find_all(tokens, regex):
            # "I could have…", "I will not…": a regret or a refusal, not change talk.
            if last + 1 < len(tokens.norms) and tokens.norms[last + 1] in _NOT_CHANGE:
                continue
            if best is None or first < best[0]:
                best = (first, last, phrase)
            break
    if best is None:
        return None
    first, last, phrase = best
    if _is_korean(phrase):
        return _window(tokens, first, last, 6, 0)
    return _window(tokens, first, last, 0, 7)


def find_why(text: str, patterns: Iterable[str]) -> tuple[int, str | None]:
    """How many abstract "why" questions the answer holds, and the first one quoted."""
    tokens = _Tokens.of(text)
    count, first_quote, first_at = 0, None, None
    for pattern in patterns:
        norm = normalize(pattern)
        if not norm:
            continue
        count += len(re.findall(rf"(?<![\w']){re.escape(norm)}", tokens.joined))
        hit = _find(tokens, pattern)
        if hit is not None and (first_at is None or hit[0] < first_at):
            first_at = hit[0]
            # Korean "왜" sits mid-sentence: quote the words around it.
            before = 2 if _is_korean(pattern) else 0
            first_quote = _window(tokens, hit[0], hit[1], before, 6)
    return count, first_quote


def _theme_hit(tokens: _Tokens, word: str) -> bool:
    w = word.lower()
    if w.endswith("*"):
        stem = w[:-1]
        return any(t.startswith(stem) for t in tokens.norms)
    if " " in w.strip():
        return _find(tokens, w) is not None
    if not w.isascii():  # Korean particles follow the noun: "회사에서", "잠이"
        return any(t.startswith(w) for t in tokens.norms)
    return w in tokens.norms


def find_theme(
    text: str, themes: Sequence[Theme], allowed: Iterable[str] = (), used: Iterable[str] = ()
) -> tuple[Theme, str] | None:
    """The first theme whose words occur in ``text``, and the word that matched.

    Args:
        text: the answer.
        themes: the language lexicon.
        allowed: theme names the step accepts; empty means all.
        used: themes already followed up this session (not repeated).
    """
    tokens = _Tokens.of(text)
    allowed_set, used_set = set(allowed), set(used)
    best: tuple[int, Theme, str] | None = None
    for theme in themes:
        if (allowed_set and theme.name not in allowed_set) or theme.name in used_set:
            continue
        for word in theme.words:
            if _theme_hit(tokens, word):
                at = _first_index(tokens, word)
                if best is None or at < best[0]:
                    best = (at, theme, word.rstrip("*"))
                break
    return None if best is None else (best[1], best[2])


def _first_index(tokens: _Tokens, word: str) -> int:
    stem = word.lower().rstrip("*").split()[0]
    for i, t in enumerate(tokens.norms):
        if t.startswith(stem):
            return i
    return len(tokens.norms)
