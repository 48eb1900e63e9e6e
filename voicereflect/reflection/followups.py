"""Choosing follow-ups from what the person said: themes on lemmas, "why" loops, core clauses.

Themes match lemmas (English) or word starts (Korean) in the person's own clauses, so
"worked late" is work but "didn't work out" is not (the pack's ``not_in`` phrases), a theme
word a negation governs ("I'm not worried") raises no question about it, and what someone
else said ("my sister thinks I should retrain") chooses nothing. Every quote is a whole
clause as the person said it, never a window of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from voicereflect.reflection.answers import normalize
from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.language.token import Token
from voicereflect.reflection.packs import Theme

MAX_SCAN_CHARS = 3_000  # about 500 spoken words: enough to choose a follow-up
NEGATION_REACH = 2  # "didn't really sleep": a negation governs the next word or two


def word_count(text: str) -> int:
    """How many words the person said (punctuation alone does not count)."""
    return sum(1 for w in text.split() if normalize(w))


def _korean(lang: str) -> bool:
    return lang.lower().startswith("ko")


def _analysed(text: str, lang: str) -> tuple[Clause, ...]:
    from voicereflect.reflection.language import clauses

    return clauses(text[:MAX_SCAN_CHARS], lang)


CORE_CONTENT_WORDS = 3  # a clause with this many content words can state a topic


def core_clause(text: str, lang: str) -> str:
    """The clause that carries an answer, verbatim: the first of the person's own clauses
    that states something (``CORE_CONTENT_WORDS`` content words; a topic is said first:
    "whether to cut back on drinking"), else the one with the most content words.
    """
    from voicereflect.reflection.reflections import content_words

    found = [c for c in _analysed(text, lang) if not c.question]
    own = [c for c in found if c.own] or found
    if not own:
        return text.strip()
    stating = [c for c in own if content_words(c, lang) >= CORE_CONTENT_WORDS]
    best = stating[0] if stating else max(own, key=lambda c: (content_words(c, lang), -c.start))
    # Whole words as written: a clause never starts or ends inside what was typed as one.
    start, end = best.start, best.end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].rstrip(".,;:!?…。")


def find_why(text: str, patterns: Iterable[str], lang: str) -> tuple[int, str | None]:
    """How many abstract "why" questions the answer holds, and the first one's clause."""
    norm = normalize(text[:MAX_SCAN_CHARS])
    count, first_at = 0, None
    for pattern in patterns:
        p = normalize(pattern)
        if not p:
            continue
        hits = [m.start() for m in re.finditer(rf"(?<![\w']){re.escape(p)}", norm)]
        count += len(hits)
        if hits and (first_at is None or hits[0] < first_at):
            first_at = hits[0]
    if not count:
        return 0, None
    # The clause that asks it, whole: "why do I always end up doing this to myself".
    asking = [c for c in _analysed(text, lang) if c.question] or list(_analysed(text, lang))
    return count, asking[0].text if asking else None


def _lemmas_of(phrase: str) -> tuple[str, ...]:
    from voicereflect.reflection.language import english

    return tuple(t.lemma for t in english.tokens(phrase.lower()) if t.tag != "PUNCT")


def _excluded(toks: Sequence[Token], i: int, phrases: Sequence[tuple[str, ...]]) -> bool:
    lemmas = [t.lemma for t in toks]
    for p in phrases:
        for start in range(max(0, i - len(p) + 1), i + 1):
            if tuple(lemmas[start : start + len(p)]) == p:
                return True
    return False


def _negated(clause: Clause, i: int) -> bool:
    toks = clause.tokens
    return any(t.tag == "NEG" for t in toks[max(0, i - NEGATION_REACH) : i])


def _english_hit(clause: Clause, word: str, not_in: Sequence[tuple[str, ...]]) -> Token | None:
    toks = clause.tokens
    w = word.lower()
    want = _lemmas_of(w.rstrip("*"))
    for i, t in enumerate(toks):
        if w.endswith("*"):
            hit = t.lemma.startswith(want[0]) if want else False
        else:
            hit = tuple(x.lemma for x in toks[i : i + len(want)]) == want
        if hit and not _excluded(toks, i, not_in) and not _negated(clause, i):
            return t
    return None


def _korean_hit(clause: Clause, word: str) -> int | None:
    # Korean particles follow the noun and recognisers space them either way:
    # "회사에서", "못 잤" — a theme word matches the start of a word.
    pattern = r"\s?".join(re.escape(part) for part in word.lower().split())
    m = re.search(rf"(?:^|\s){pattern}", clause.text.lower())
    return None if m is None else clause.start + m.start()


def find_theme(
    text: str,
    themes: Sequence[Theme],
    lang: str,
    allowed: Iterable[str] = (),
    used: Iterable[str] = (),
) -> tuple[Theme, str] | None:
    """The theme the person raised first in their own words, and the word that raised it.

    Args:
        text: the answer.
        themes: the language lexicon.
        lang: the answer's language.
        allowed: theme names the step accepts; empty means all.
        used: themes already followed up this session (not repeated).
    """
    own = [c for c in _analysed(text, lang) if c.own]
    allowed_set, used_set = set(allowed), set(used)
    best: tuple[int, Theme, str] | None = None
    for theme in themes:
        if (allowed_set and theme.name not in allowed_set) or theme.name in used_set:
            continue
        not_in = [_lemmas_of(p) for p in theme.not_in] if not _korean(lang) else []
        for word in theme.words:
            for clause in own:
                if _korean(lang):
                    at = _korean_hit(clause, word)
                    said = word.rstrip("*")
                else:
                    tok = _english_hit(clause, word, not_in)
                    at, said = (tok.start, tok.text) if tok else (None, "")
                if at is not None and (best is None or at < best[0]):
                    best = (at, theme, said)
    return None if best is None else (best[1], best[2])
