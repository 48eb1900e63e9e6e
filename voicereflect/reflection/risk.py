"""Reading risk language out of an answer: what was said, about whom, and whether it was denied.

API::

    assess("i've been self-harming again", "en")
        -> Finding(reading="risk", family="self_harm")          # the support card
    assess("my uncle took his own life last year", "en")
        -> Finding(reading="third_party", family="active_thoughts")   # a gentle check-in
    assess("I'm not suicidal, just tired", "en")
        -> Finding(reading="negated", family="active_thoughts")       # asked about gently
    assess("we had a suicide prevention training at work", "en") -> None
    assess("배고파 죽겠어요", "ko") -> None                          # an intensifier

The phrase families (``risk_lexicon``) are matched over the language layer's units: English
lemmas, so "self-harming" is "self harm", and Korean morphemes, so "끝내고 싶" is found
under any ending. Everyday idioms are masked first ("killing time", "더워 죽겠어요"). A
match is then read in its clause (``language.clauses``): reported words are someone else's
(the clause's owner: "my brother keeps saying…", "…대요"), a reflexive or the nearest
subject says whose it is otherwise ("himself", "my friend", "친구가"), one of the clause's
negation cues just before it (English) or after it (Korean) denies it, and an education
or prevention context makes a bare mention ("suicide", "자해") no risk. Pure functions, no
I/O; the lexicon stays in code so an edited prompt pack cannot switch it off.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from voicereflect.reflection import risk_lexicon as lex
from voicereflect.reflection.language import Clause, Token, clauses, tokens

Reading = Literal["risk", "third_party", "negated"]
_RANK: dict[str, int] = {"risk": 3, "third_party": 2, "negated": 1}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_CLAUSE_MARKS = frozenset(".,!?;:…")
_MASK = "_"


@dataclass(frozen=True)
class Finding:
    """What an answer says about risk.

    Attributes:
        reading: ``"risk"`` (the person's own: offer the support card), ``"third_party"``
            (about someone else: a gentle check-in) or ``"negated"`` (denied: asked about
            gently).
        family: The C-SSRS-style family that matched (``"wish_dead"``, ``"method"``…).
    """

    reading: Reading
    family: str


@dataclass(frozen=True)
class _Units:
    """An answer as matchable units, joined with spaces, and where each unit starts."""

    units: tuple[str, ...]
    surface: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # each unit's characters in the answer
    text: str
    starts: tuple[int, ...]

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        first = bisect_right(self.starts, match.start()) - 1
        last = bisect_right(self.starts, match.end() - 1) - 1
        return first, last + 1


def _en_unit(token: Token) -> str | None:
    if token.tag == "PUNCT":
        return "." if token.text in _CLAUSE_MARKS else None  # "-" and quotes join words
    return token.lemma


def _ko_unit(token: Token) -> str:
    if token.tag in ("SF", "SP", "SE"):
        return "./SF"
    return f"{token.lemma}/{token.tag}"


def _units(text: str, key: str) -> _Units:
    units: list[str] = []
    surface: list[str] = []
    spans: list[tuple[int, int]] = []
    for token in tokens(text, key):
        unit = _ko_unit(token) if key == "ko" else _en_unit(token)
        if unit is not None:
            units.append(unit)
            surface.append(token.text.lower())
            spans.append((token.start, token.end))
    return _joined(tuple(units), tuple(surface), tuple(spans))


def _joined(
    units: tuple[str, ...], surface: tuple[str, ...], spans: tuple[tuple[int, int], ...]
) -> _Units:
    starts, at = [], 0
    for unit in units:
        starts.append(at)
        at += len(unit) + 1
    text = "".join(f" {u}" for u in units) + " "
    return _Units(units, surface, spans, text, tuple(starts))


def _word(word: str, key: str) -> str:
    if word == "SELF":
        return "(?:" + "|".join(map(re.escape, lex.EN_SELF + lex.EN_OTHER_SELF)) + ")"
    if word == "POSS":
        return "(?:" + "|".join(map(re.escape, lex.EN_POSS + lex.EN_OTHER_POSS)) + ")"
    if key != "ko":
        return re.escape(word)
    form, _, tag = word.partition("/")
    form_re = re.escape(form) if form else r"[^\s/]+"
    return f"{form_re}/{re.escape(tag) if tag else '[A-Z]+'}"


def _alternatives(element: str, key: str) -> str:
    return "|".join(" ".join(_word(w, key) for w in alt.split("_")) for alt in element.split("|"))


_CLAUSE_END = r"(?= (?:\.|and|but|so|because|cause|again|anymore|lately|now|tonight)(?= )| $)"


@lru_cache(maxsize=1024)
def _compile(pattern: str, key: str) -> re.Pattern[str]:
    parts = []
    for element in pattern.split():
        if element.startswith("~"):
            parts.append(rf"(?: \S+){{0,{int(element[1:])}}}")
        elif element == "$":
            parts.append(_CLAUSE_END)
        elif element.startswith("!"):
            parts.append(rf"(?! (?:{_alternatives(element[1:], key)})(?= ))")
        elif element.endswith("?") and len(element) > 1:
            parts.append(rf"(?: (?:{_alternatives(element[:-1], key)})(?= ))?")
        else:
            parts.append(rf" (?:{_alternatives(element, key)})(?= )")
    return re.compile("".join(parts))


def _mask_idioms(found: _Units, key: str) -> _Units:
    units = list(found.units)
    for idiom in lex.KO_IDIOMS if key == "ko" else lex.EN_IDIOMS:
        for m in _compile(idiom, key).finditer(found.text):
            first, end = found.span(m)
            units[first:end] = [_MASK] * (end - first)
    return _joined(tuple(units), found.surface, found.spans)


# --- reading one match in its clause ---------------------------------------------------


def _is_break(unit: str, key: str) -> bool:
    if key == "ko":
        return unit == "./SF" or unit.endswith("/EF")
    return unit == "." or unit in lex.EN_CLAUSE_BREAKS


def _en_owner(found: _Units, first: int, end: int, mention: bool) -> str:
    inside = found.units[first:end]
    # "kill himself", "took her own life": the reflexive or possessive says whose it is.
    if any(u in lex.EN_OTHER_SELF or u in lex.EN_OTHER_POSS for u in inside):
        return "other"
    if any(u in lex.EN_SELF or u in lex.EN_POSS or u == "me" for u in inside):
        return "self"
    if mention and first > 0 and found.units[first - 1] in ("a", "the", "this", "another"):
        return "other"  # "there was a suicide at my school": an event, not the person's
    # "she's been low and wants to die": a subject carries over "and"/"but", not a full stop.
    for unit in reversed(found.units[max(0, first - 10) : first]):
        if unit == ".":
            break
        if unit in lex.EN_ME:
            return "self"
        if unit in lex.EN_PEOPLE:
            return "other"
        if unit in lex.EN_ANIMALS:
            return "animal"
    return "self"


def _ko_owner(found: _Units, first: int) -> str:
    for unit in reversed(found.units[max(0, first - 10) : first]):
        form, _, tag = unit.partition("/")
        if unit == "./SF" or tag == "EF" or (tag == "EC" and form not in lex.KO_NEG_PASS_EC):
            break
        if form in lex.KO_ME and tag in ("NP", "MM"):
            return "self"
        if form in lex.KO_PEOPLE and tag in ("NNG", "NP"):
            return "other"
        if form in lex.KO_ANIMALS:
            return "animal"
    return "self"


def _en_negated(found: _Units, first: int, clause: Clause) -> bool:
    """A negation cue of the clause just before the match, with only light words between.

    The clause's cues reach to its end, but "I can't stop thinking about killing myself"
    denies the stopping, not the thought: a cue counts only when nothing but words like
    "really", "going to", "think" stands between it and what matched.
    """
    cues = {t.start for t in clause.negations}
    i = first - 1
    while i >= 0 and first - i <= 5:
        if found.spans[i][0] in cues:
            return True
        if found.units[i] not in lex.EN_NEG_FILLERS:
            return False
        i -= 1
    return False


def _ko_negated(found: _Units, end: int, clause: Clause) -> bool:
    """A negation cue of the clause after the match ("죽고 싶지는 않아요", "자해는 안 해요")."""
    after = found.spans[end - 1][1]
    return any(t.start >= after for t in clause.negations)


def _clause_at(parts: tuple[Clause, ...], at: int) -> Clause | None:
    return next((c for c in parts if c.start <= at < c.end), None)


def _accident(found: _Units, first: int, end: int) -> bool:
    lo, hi = first, end
    while lo > 0 and not _is_break(found.units[lo - 1], "en"):
        lo -= 1
    while hi < len(found.units) and not _is_break(found.units[hi], "en"):
        hi += 1
    clause = set(found.units[lo:hi]) | set(found.surface[lo:hi])
    return bool(clause & lex.EN_ACCIDENT)


def _education(found: _Units, key: str) -> bool:
    if key == "ko":
        return any(u.split("/", 1)[0] in lex.KO_EDUCATION for u in found.units)
    return any(w in lex.EN_EDUCATION for w in found.surface)


def _read(
    found: _Units, key: str, family: str, pattern: str, span: tuple[int, int], clause: Clause | None
) -> Finding | None:
    first, end = span
    mention = pattern in (lex.KO_MENTIONS if key == "ko" else lex.EN_MENTIONS)
    if clause is not None and not clause.own:
        owner = "other"  # reported words: "my brother keeps saying he wants to die", "…대요"
    elif key == "ko":
        owner = _ko_owner(found, first)
    else:
        owner = _en_owner(found, first, end, mention)
    if owner == "animal":
        return None
    if (mention or owner == "other") and _education(found, key):
        return None
    if key == "en" and family == "self_harm" and not mention and _accident(found, first, end):
        return None
    if owner == "other":
        return Finding("third_party", family)
    if clause is None:
        negated = False
    elif key == "ko":
        negated = _ko_negated(found, end, clause)
    else:
        negated = _en_negated(found, first, clause)
    return Finding("negated" if negated else "risk", family)


def _assess_in(text: str, key: str) -> Finding | None:
    found = _mask_idioms(_units(text, key), key)
    best: Finding | None = None
    parts: tuple[Clause, ...] | None = None  # analysed only once something matched
    table = lex.KO_PATTERNS if key == "ko" else lex.EN_PATTERNS
    for family in lex.FAMILIES:
        for pattern in table[family]:
            for m in _compile(pattern, key).finditer(found.text):
                if parts is None:
                    parts = clauses(text, key)
                span = found.span(m)
                clause = _clause_at(parts, found.spans[span[0]][0])
                finding = _read(found, key, family, pattern, span, clause)
                if finding and (best is None or _RANK[finding.reading] > _RANK[best.reading]):
                    best = finding
                    if best.reading == "risk":
                        return best
    return best


@lru_cache(maxsize=256)  # the engine asks about the same answer several times
def assess(text: str, lang: str) -> Finding | None:
    """What ``text`` says about risk, or ``None`` when it says nothing of it.

    The session language's lexicon is always checked; the other one too when the text
    holds its script (people switch languages, and English words in a Korean answer count).
    """
    if not text.strip():
        return None
    key = "ko" if lang.lower().startswith("ko") else "en"
    keys = [key]
    other = "en" if key == "ko" else "ko"
    if (_LATIN if other == "en" else _HANGUL).search(text):
        keys.append(other)
    best: Finding | None = None
    for k in keys:
        finding = _assess_in(text, k)
        if finding and (best is None or _RANK[finding.reading] > _RANK[best.reading]):
            best = finding
    return best
