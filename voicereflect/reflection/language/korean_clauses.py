"""Korean clauses: Kiwi's sentence split, connective endings, negation, quotation, hedges.

Sentences come from Kiwi's ``split_into_sents`` (it finds the ends of unpunctuated speech
from the final endings), also cut at pauses (``cuts``). Inside a sentence a clause ends at
a connective ending that joins two predicates (-는데, -지만, -니까, -고 when no auxiliary
verb follows …) and before a conjunctive adverb (그래서, 근데 …). A quotative ending
(-라고, -다고, -자고 + 하다, or the contracted -래요/-대요) marks the clause as someone
else's words, owned by the subject before it ("엄마가 …라고 하셨어요").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from voicereflect.reflection.language import korean
from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.language.token import Token

# Connective endings after which a new clause starts.
_CONNECTIVES = frozenset(
    {"는데", "ᆫ데", "은데", "는데도", "지만", "니까", "으니까", "니깐", "면서", "으면서", "더니",
     "고", "어서", "아서", "여서", "서", "다가", "고서"}
)  # fmt: skip
_QUOTATIVE_EC = frozenset(
    {"라고", "다고", "ᆫ다고", "는다고", "자고", "냐고", "으라고", "이라고", "으냐고", "느냐고"}
)  # fmt: skip
_QUOTATIVE_EF = frozenset({"래", "래요", "대", "대요", "재", "재요", "냬", "냬요"})
_SAY = frozenset({"하", "그러", "말하", "얘기하", "이야기하"})
_PREDICATE = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"})
_FIRST = frozenset({"나", "저", "우리", "저희"})
_SECOND = frozenset({"너", "당신", "니"})
_HEDGE_WORDS = frozenset({"아마", "아마도", "혹시", "글쎄", "글쎄요"})
_QUESTION_ENDS = ("까", "까요", "니", "냐", "나요", "가요")


def _sentence_spans(text: str, cuts: frozenset[int]) -> list[tuple[int, int]]:
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    spans: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = text[a:b]
        if not piece.strip():
            continue
        for s in korean.analyzer().split_into_sents(piece):
            spans.append((a + s.start, a + s.end))
    return spans


def _is_negation(toks: Sequence[Token], i: int) -> bool:
    t = toks[i]
    if t.tag == "MAG" and t.lemma in ("안", "못"):
        return True
    if t.tag == "VX" and t.lemma in ("않", "못하"):
        return True
    if t.tag == "VX" and t.lemma == "말" and i > 0 and toks[i - 1].lemma == "지":
        return True  # -지 말-: "하지 마"; not 끊을지 말지, "whether or not"
    if t.tag == "VCN":  # 아니다, but not 아니면 ("or")
        return not (i + 1 < len(toks) and toks[i + 1].lemma in ("면", "으면"))
    return t.tag == "VA" and t.lemma == "없"


def _is_final(t: Token) -> bool:
    # Mid-answer Kiwi sometimes tags a polite final ending as connective (있/VA 어요/EC).
    return t.tag == "EF" or t.tag == "EC" and t.lemma.endswith("요")


def _splits(toks: Sequence[Token]) -> list[int]:
    """Token indices where a new clause starts inside one sentence."""
    out = []
    for i in range(1, len(toks)):
        t, prev = toks[i], toks[i - 1]
        if t.tag == "MAJ" or _is_final(prev) and t.tag not in ("JX", "SF", "SP"):
            out.append(i)  # a conjunctive adverb, or a final ending Kiwi's split missed
        elif prev.tag == "EC" and prev.lemma in _CONNECTIVES and t.tag not in ("VX", "JX", "SF"):
            if prev.lemma == "고" and i >= 2 and toks[i - 2].tag == "EC":
                continue  # "-지 않고": still one predicate
            out.append(i)
    return out


def _trim(toks: Sequence[Token]) -> Sequence[Token]:
    a, b = 0, len(toks)
    while a < b and toks[a].tag in ("MAJ", "IC", "SF", "SP", "SE", "SS"):
        a += 1
    while b > a and toks[b - 1].tag in ("SP", "SE", "SS", "IC"):
        b -= 1
    return toks[a:b]


def _subject(toks: Sequence[Token], topic: bool = False) -> tuple[int, Token] | None:
    """The first subject: a noun or pronoun marked by 이/가, or a pronoun topic (저는); with
    ``topic``, any noun topic too (친구들은), as the teller of a quotation usually is."""
    for i in range(1, len(toks)):
        t, head = toks[i], toks[i - 1]
        if head.tag.startswith("N") or head.tag == "XSN":
            is_topic = t.tag == "JX" and t.lemma in ("은", "는")
            if t.tag == "JKS" or is_topic and (topic or head.tag == "NP"):
                return i - 1, head
    return None


def _noun_phrase(text: str, toks: Sequence[Token], end: int) -> str:
    first = end
    while first > 0 and (toks[first - 1].tag.startswith("N") or toks[first - 1].tag == "XSN"):
        first -= 1
    return text[toks[first].start : toks[end].end]


def _owner(text: str, toks: Sequence[Token], before: Sequence[Token]) -> str | None:
    quoted = any(
        (t.tag in ("EC", "JKQ") and t.lemma in _QUOTATIVE_EC)
        and i + 1 < len(toks)
        and toks[i + 1].lemma in _SAY
        or t.tag == "EF"
        and t.lemma in _QUOTATIVE_EF
        for i, t in enumerate(toks)
    )
    if not quoted:
        return None
    # The speaker may be named in an earlier clause of the sentence ("엄마가 전화해서 …").
    for scope in (toks, before):
        found = _subject(scope, topic=True)
        if found is not None:
            at, head = found
            if head.tag == "NP" and head.lemma in _FIRST:
                return None
            return _noun_phrase(text, scope, at)
    return ""


def _hedges(toks: Sequence[Token]) -> tuple[str, ...]:
    found = [t.text for t in toks if t.tag.startswith("MA") and t.lemma in _HEDGE_WORDS]
    for i in range(1, len(toks)):
        if toks[i].lemma == "같" and toks[i - 1].lemma in ("것", "거"):
            found.append("것 같")
        if toks[i].lemma == "모르" and toks[i - 1].lemma == "잘":
            found.append("잘 모르")
    return tuple(found)


def _person(toks: Sequence[Token]) -> int:
    found = _subject(toks)
    if found is None:
        return 0
    head = found[1]
    if head.tag == "NP" and head.lemma in _FIRST:
        return 1
    if head.tag == "NP" and head.lemma in _SECOND:
        return 2
    return 3


def _ends_sentence(toks: Sequence[Token]) -> bool:
    tail = [t for t in toks if t.tag not in ("SF", "SP", "SE", "SS")]
    if not tail:
        return False
    last = tail[-1]
    # Kiwi writes 예민하대요 as 대/EF + 요/JX: the polite 요 after a final ending; and
    # 싶어서요, 하셔서요 as a connective ending + 요, which closes a spoken sentence too.
    # Spoken Korean also ends on a noun + 요 ("…피우는 거요").
    if last.tag == "JX" and last.lemma == "요" and len(tail) >= 2:
        return tail[-2].tag in ("EF", "EC", "NNB", "NNG")
    return _is_final(last)


@lru_cache(maxsize=1024)
def clauses(text: str, cuts: frozenset[int] = frozenset()) -> tuple[Clause, ...]:
    """The clauses of ``text``; ``cuts`` are character offsets where a pause was heard."""
    if not text.strip():
        return ()
    all_toks = korean.tokens(text)
    out: list[Clause] = []
    for sentence, (a, b) in enumerate(_sentence_spans(text, cuts)):
        toks = [t for t in all_toks if a <= t.start < b]
        starts = [0, *_splits(toks), len(toks)]
        for x, y in zip(starts, starts[1:], strict=False):
            part = tuple(_trim(toks[x:y]))
            if not part:
                continue
            has_predicate = any(t.tag in _PREDICATE for t in part)
            last = part[-1]
            owner = _owner(text, part, toks[:x])
            negations = tuple(t for i, t in enumerate(part) if _is_negation(part, i))
            question = last.lemma == "?" or last.tag == "EF" and last.lemma.endswith(_QUESTION_ENDS)
            # fmt: off
            out.append(Clause.over(
                text, part, sentence, negations=negations, owner=owner, hedges=_hedges(part),
                person=3 if owner else _person(part), question=question,
                whole=has_predicate and _ends_sentence(part),
            ))
            # fmt: on
    return tuple(out)
