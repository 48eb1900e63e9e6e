"""Reflections in the person's own words inside the pack's fixed frames.

Four kinds, each built from whole clauses (``language.clauses``), so a negation, a hedge
and the owner of reported words always come back with what they govern:

    simple(...)   English in the second person ("So you're not sure you can do it."),
                  Korean quoted whole with its particle (“운동하고 싶지 않아요”라고 하셨네요.)
    double(...)   both sides heard, sustain first and change last ("On one hand, …")
    feeling(...)  the person's own feeling words ("You felt embarrassed and anxious.",
                  "불안하고 답답한 마음이 느껴져요.")
    last(...)     the person's last addition, before the goodbye

No content word appears that the person did not say: the frames are pack text, English
adds only the second-person forms (you, your, are, were …) and Korean only conjugates the
person's own feeling word (불안 → 불안한). ``fill`` puts values into a frame; a Korean
particle placeholder (``{라고}``, ``{라는}``) takes the form that fits the value before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.packs import Reflections

Kind = Literal["simple", "double", "feeling", "last"]
MAX_EN_WORDS = 22  # a reflection is heard, not read: about 8 s of speech
MAX_KO_WORDS = 15  # eojeol, each about one and a half English words
_PARTICLES = ("라고", "라는")
# Words the person shift may add; they carry no content of their own.
SECOND_PERSON_WORDS = frozenset(
    {
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "are",
        "were",
        "aren",
        "weren",
        "re",
        "ve",
        "ll",
        "d",
    }
)
# Adjectives take ᆫ (불안한); verbs 는 (걱정되는), or ᆫ when said in the past (지친).
_KO_ADNOMINAL_AFTER = {"XSA": "ᆫ", "VA": "ᆫ", "XSV": "는", "VV": "는"}


@dataclass(frozen=True)
class Reflection:
    """A reflection to say, and the clauses it reflects (for the fidelity checks).

    ``complex`` follows the issue's MITI reading: double-sided, a feeling, or the person's
    words reformulated in the second person; a Korean quote is a simple reflection.
    """

    text: str
    kind: Kind
    complex: bool
    source: tuple[str, ...]  # the clauses reflected, as said


def fill(template: str, **values: str) -> str:
    """Put ``values`` into ``{name}`` slots in one pass (the person's words are never read
    as slots); ``{라고}`` / ``{라는}`` become 이라고 / 이라는 after a final consonant of the
    value just before them."""
    from voicereflect.reflection.language.person import quote_particle

    last = ""

    def one(m: re.Match[str]) -> str:
        nonlocal last
        name = m.group(1)
        if name in _PARTICLES:
            return quote_particle(last, name)
        if name in values:
            last = values[name]
            return last
        return m.group(0)

    return re.sub(r"\{(\w+)\}", one, template)


def _korean(lang: str) -> bool:
    return lang.lower().startswith("ko")


def _word_count(clause: Clause) -> int:
    return len(clause.text.split())


def content_words(clause: Clause, lang: str) -> int:
    """How many content words (English open-class words, Korean content morphemes) it has."""
    from voicereflect.reflection.language.korean import CONTENT_TAGS

    if _korean(lang):
        return sum(t.tag in CONTENT_TAGS for t in clause.tokens)
    return sum(t.tag == "" for t in clause.tokens)


def fits(clause: Clause, lang: str) -> bool:
    """Whether the clause can be said back alone: whole, not a question, short enough, and
    not only a subordinate clause ("when I haven't really tried")."""
    limit = MAX_KO_WORDS if _korean(lang) else MAX_EN_WORDS
    if not clause.whole or clause.question or _word_count(clause) > limit:
        return False
    return _korean(lang) or not _only_subordinate(clause)


_SUBORDINATORS = frozenset(
    {"when", "if", "whether", "unless", "while", "though", "although", "since", "before",
     "after", "once", "until"}
)  # fmt: skip


def _only_subordinate(clause: Clause) -> bool:
    words = [t for t in clause.tokens if t.tag != "PUNCT"]
    lead = next((t for t in words if t.lemma not in ("probably", "maybe", "just")), None)
    if lead is None or lead.lemma not in _SUBORDINATORS:
        return False
    subjects = [
        t
        for t in words
        if t.tag == "PRON" and t.lemma in ("i", "we", "you", "he", "she", "they", "it")
    ]
    return len(subjects) < 2  # "if I stop I'll be …" has a main clause after it


def span(clause: Clause, answer: str, clauses: Sequence[Clause]) -> str:
    """The clause as quoted: widened back to its teller when the teller was named in an
    earlier clause of the sentence ("엄마가 어제 전화해서 술 좀 줄이라고 하셨어요")."""
    if clause.owner and clause.owner not in clause.text:
        for c in clauses:
            if c.sentence == clause.sentence and c.start < clause.start and clause.owner in c.text:
                return answer[c.start : clause.end]
    return clause.text


def said_back(clause: Clause, answer: str, lang: str, clauses: Sequence[Clause]) -> str:
    """English: the clause in the second person; Korean: the clause with -시-군요 for the
    person, or as said when that does not fit (a quote then, in a quote frame)."""
    from voicereflect.reflection.language.person import korean_second_person, second_person

    if _korean(lang):
        return korean_second_person(clause, answer) or span(clause, answer, clauses)
    return second_person(clause, answer)


def side(clause: Clause, answer: str, lang: str, clauses: Sequence[Clause]) -> str:
    """One side of a double-sided reflection: English in the second person, Korean quoted
    (the frame quotes both sides)."""
    return (
        span(clause, answer, clauses) if _korean(lang) else said_back(clause, answer, lang, clauses)
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _pick(options: tuple[str, ...], seed: int) -> str:
    return options[seed % len(options)]


def simple(
    frames: Reflections,
    clause: Clause,
    answer: str,
    lang: str,
    clauses: Sequence[Clause],
    seed: int,
    kind: Kind = "simple",
) -> Reflection:
    """The clause said back in a ``simple`` (or ``last``) frame."""
    said = said_back(clause, answer, lang, clauses)
    quote = span(clause, answer, clauses)
    options = frames.last if kind == "last" else frames.simple
    if _korean(lang) and said == quote:
        # Not said back in the second person: only the frames that quote.
        options = tuple(o for o in options if "{quote}" in o) or options
    frame = _pick(options, seed)
    text = fill(frame, clause=said, quote=quote)
    reformulated = "{clause}" in frame and said != quote
    return Reflection(_sentence(text), kind, reformulated, (clause.text,))


def double(
    frames: Reflections, sustain: tuple[str, str], change: tuple[str, str], seed: int
) -> Reflection:
    """Both sides, sustain first and change last; each side is ``(as said, as said back)``."""
    text = fill(_pick(frames.double, seed), sustain=sustain[1], change=change[1])
    return Reflection(_sentence(text), "double", True, (sustain[0], change[0]))


def to_reflect(clauses: Sequence[Clause], lang: str) -> Clause | None:
    """The clause to say back when no change or sustain talk was heard: the person's own,
    about themself first ("I froze", not "my manager asked me"), that carries the most
    content (the latest of equals: the freshest thought), else one they reported from
    someone else, with its teller."""
    own = [c for c in clauses if c.own and fits(c, lang)]
    pool = own or [c for c in clauses if fits(c, lang)]
    if not pool:
        return None
    return max(pool, key=lambda c: (c.person == 1, content_words(c, lang), c.start))


def _english_feelings(clause: Clause, words: frozenset[str]) -> list[str]:
    found: list[str] = []
    negated_from = min((t.start for t in clause.negations), default=None)
    for i, t in enumerate(clause.tokens):
        low = t.text.lower()
        if low in words and low not in found:
            if negated_from is not None and t.start > negated_from:
                continue  # "I'm not anxious"
            if i + 1 < len(clause.tokens) and clause.tokens[i + 1].lemma == "of":
                continue  # "sick of this", "tired of it": fed up, not a feeling of the body
            found.append(t.text)
    return found


def _korean_feelings(clause: Clause, words: frozenset[str]) -> list[tuple[str, str]]:
    """(stem morpheme, tag) pairs to conjugate, e.g. [("불안", "NNG"), ("하", "XSA")]."""
    found: list[list[tuple[str, str]]] = []
    toks = clause.tokens
    negated = clause.negated
    for i, t in enumerate(toks):
        if t.lemma not in words or negated:
            continue
        if t.tag in ("VA", "VV"):
            found.append([(t.text, t.tag)])
        elif i + 1 < len(toks) and toks[i + 1].tag in ("XSA", "XSV"):
            found.append([(t.text, t.tag), (toks[i + 1].text, toks[i + 1].tag)])
    return [p for parts in found[:2] for p in parts]


def _korean_feeling_phrase(parts: list[tuple[str, str]], past: bool) -> str:
    from voicereflect.reflection.language.korean import analyzer

    groups: list[list[tuple[str, str]]] = []
    for form, tag in parts:
        if tag in ("NNG", "XR", "VA", "VV"):
            groups.append([(form, tag)])
        else:
            groups[-1].append((form, tag))
    morphs: list[tuple[str, str]] = []
    for n, group in enumerate(groups):
        morphs += group
        last_tag = group[-1][1]
        if n < len(groups) - 1:
            morphs.append(("고", "EC"))
        else:
            ending = _KO_ADNOMINAL_AFTER.get(last_tag, "ᆫ")
            morphs.append(("ᆫ" if past else ending, "ETM"))
    return str(analyzer().join(morphs))


def feeling(
    frames: Reflections, clauses: Sequence[Clause], lang: str, seed: int
) -> Reflection | None:
    """The person's own feeling words in a ``feeling`` frame, or None when there are none."""
    words = frozenset(w.lower() for w in frames.feeling_words)
    own = [c for c in clauses if c.own and not c.question]
    if _korean(lang):
        for c in own:
            parts = _korean_feelings(c, words)
            if parts:
                past = any(t.lemma == "었" and t.tag == "EP" for t in c.tokens)
                options = frames.feeling_past if past else frames.feeling
                text = fill(_pick(options, seed), feeling=_korean_feeling_phrase(parts, past))
                return Reflection(_sentence(text), "feeling", True, (c.text,))
        return None
    for c in own:
        found = _english_feelings(c, words)
        if found:
            said = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
            past = any(t.text.lower() in ("was", "were", "felt") for t in c.tokens)
            options = frames.feeling_past if past else frames.feeling
            text = fill(_pick(options, seed), feeling=said)
            return Reflection(_sentence(text), "feeling", True, (c.text,))
    return None
