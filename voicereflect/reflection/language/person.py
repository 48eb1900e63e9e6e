"""Saying the person's clause back to them: English person shift, Korean quote particles.

English turns the first person into the second and makes the verb agree, with
lemminflect's tables for the forms of "be" ("I was" → "you were", "I'm not sure I can" →
"you're not sure you can", "my mom says I need to stop" → "your mom says you need to
stop"); every other word stays the person's own. Korean is quoted as said, and the quote
particle follows its last syllable (“…싶어요”라고, “가족”이라는).
"""

from __future__ import annotations

from functools import lru_cache

from voicereflect.reflection.language.clause import Clause

_PRONOUNS = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
}  # fmt: skip
_FIRST_SUBJECTS = frozenset({"i"})


@lru_cache(maxsize=8)
def _be(tag: str) -> str:
    """The second-person form of "be" for a Penn tag: VBP → "are", VBD → "were"."""
    from lemminflect import getInflection

    forms = getInflection("be", tag=tag)
    return str(forms[-1])  # ("am", "are"), ("was", "were"): the last is not first-singular


def _cased(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() and like != "I" else word


def second_person(clause: Clause, answer: str) -> str:
    """The clause as said back to the person ("I'm not sure I can" → "you're not sure you can").

    Args:
        clause: an English clause of ``answer``.
        answer: the text the clause was analysed from (its spans point into it).

    Returns:
        The clause text with first-person words shifted; spacing and all other words as said.
    """
    toks = clause.tokens
    out: list[str] = []
    at = clause.start
    for i, t in enumerate(toks):
        out.append(answer[at : t.start])
        at = t.end
        low = t.text.lower().replace("’", "'")
        after_i = i > 0 and toks[i - 1].lemma in _FIRST_SUBJECTS
        before_i = i + 1 < len(toks) and toks[i + 1].lemma in _FIRST_SUBJECTS
        if low in _PRONOUNS and t.tag == "PRON":
            word = _PRONOUNS[low]
            out.append(word if t.text == "I" else _cased(word, t.text))
        elif low in ("'m", "m") and after_i:
            out.append("'re")
        elif low == "am" and (after_i or before_i):
            out.append(_cased(_be("VBP"), t.text))
        elif low == "was" and (after_i or before_i):
            out.append(_cased(_be("VBD"), t.text))
        elif low in ("ve", "ll", "d", "re") and t.tag == "AUX" and after_i:
            out.append("'" + low)  # "ive" typed without the apostrophe: "you've"
        else:
            out.append(t.text)
    said = "".join(out)
    first = toks[0] if toks else None
    # A capital that only opened the person's sentence goes: the clause is said back inside
    # the frame's sentence ("So your husband would notice …"). A name keeps its capital.
    if first is not None and said[:1].isupper() and (first.tag or _known_word(first.text)):
        said = said[:1].lower() + said[1:]
    return said


def _known_word(word: str) -> bool:
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word.lower()))


def _has_final_consonant(syllable: str) -> bool:
    code = ord(syllable) - 0xAC00
    return 0 <= code <= 11171 and code % 28 != 0


def quote_particle(quote: str, particle: str) -> str:
    """``particle`` as it must follow ``quote``: 라고 → 이라고, 라는 → 이라는 after a final
    consonant (“가족”이라는, “싶어요”라는); other particles are returned as given.
    """
    body = quote.rstrip(" .,!?…”\"'")
    if particle.startswith("라") and body and _has_final_consonant(body[-1]):
        return "이" + particle
    return particle


# Plain polite or plain declarative endings that a reflection may turn into -시-군요.
_KO_DECLARATIVE = frozenset(
    {"어요", "아요", "에요", "예요", "어", "아", "다", "ᆫ다", "는다", "습니다", "ᆸ니다", "지요",
     "죠", "거든요", "네요"}
)  # fmt: skip
_KO_PREDICATE = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"})
_KO_FIRST = frozenset({"저", "나"})


def korean_second_person(clause: Clause, answer: str) -> str | None:
    """A Korean clause said back to the person with the honorific -시- and -군요, the first
    person subject dropped ("저는 운동하고 싶지 않아요" → "운동하고 싶지 않으시군요"), or None
    when it cannot be said back that way (a question, a promise, someone else's words, a
    subject other than the person).
    """
    from voicereflect.reflection.language.korean import analyzer

    toks = [t for t in clause.tokens if t.tag not in ("SF", "SP", "SE", "SS")]
    if len(toks) < 2 or clause.person not in (0, 1) or not clause.own or clause.question:
        return None
    last = toks[-1]
    final = last.tag == "EF" or last.tag == "EC" and last.lemma.endswith("요")
    if not final or last.lemma not in _KO_DECLARATIVE:
        return None
    if any(t.lemma == "시" and t.tag == "EP" for t in toks):
        return None  # already honorific: someone else is the subject
    space = answer.rfind(" ", clause.start, last.start)
    word_start = clause.start if space < 0 else space + 1
    word = [t for t in toks if t.start >= word_start]
    stems = [i for i, t in enumerate(word[:-1]) if t.tag in _KO_PREDICATE]
    if not stems:
        return None
    at = stems[-1]
    if word[at].tag == "VCP" and at > 0 and word[at - 1].lemma in ("거", "것"):
        return None  # "넣을 거예요": the honorific belongs on the verb before
    endings = [(t.text, t.tag) for t in word[at + 1 : -1] if t.tag == "EP"]
    plain_verb = word[at].tag in ("VV", "XSV") and not endings
    morphs = [(t.text, t.tag) for t in word[: at + 1]] + [("시", "EP"), *endings]
    morphs.append(("는군요" if plain_verb else "군요", "EF"))
    head_start = clause.start
    if toks[0].tag == "NP" and toks[0].lemma in _KO_FIRST and toks[1].tag in ("JKS", "JX"):
        head_start = toks[1].end
    head = answer[head_start:word_start] if word_start > head_start else ""
    return (head + str(analyzer().join(morphs))).strip()
