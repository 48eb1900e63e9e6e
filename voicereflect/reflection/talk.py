"""Change talk and sustain talk (MI's DARN-CAT) in the person's own clauses.

Motivational interviewing listens for the person's own words for change: Desire, Ability,
Reasons, Need (preparatory) and Commitment, Activation, Taking steps (mobilising). The same
words negated are sustain talk ("I don't want to quit", "못 끊겠어요"), except where what is
refused is the status quo ("I can't keep doing this job" is change talk). Words the person
reports from someone else are not theirs ("my mom says I need to stop"), a discourse idiom is
not a need ("I have to be honest"), a prediction is not a commitment ("I'll be a nightmare
to live with"), and risk language is never change talk. Where the question itself sets the
side (a decisional-balance step: "what's good about staying the same?"), the person's
answer is heard as talk for that side, as an MI coder would hear it.

    hear(text, lang, context=None, timings=None) -> (Heard(clause, talk, kind), …)
    overall(heard) -> "change" | "sustain" | "both" | "neither"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.language.token import Token

Talk = Literal["change", "sustain", "neither"]
Overall = Literal["change", "sustain", "both", "neither"]


@dataclass(frozen=True)
class Heard:
    """One clause and the talk heard in it.

    ``kind`` names the DARN-CAT category that decided it ("desire", "ability", "need",
    "commitment", "activation", "taking steps", "status quo", "question" for the step's
    side, or "" for neither).
    """

    clause: Clause
    talk: Talk
    kind: str


_NEITHER: tuple[Talk, str] = ("neither", "")
# --- English --------------------------------------------------------------------------
_IDIOMS = (
    ("have", "to", "be", "honest"), ("have", "to", "say"), ("have", "to", "admit"),
    ("must", "say"), ("must", "admit"), ("need", "to", "tell"), ("have", "to", "tell"),
)  # fmt: skip
_SKIP = frozenset(
    {"really", "just", "still", "also", "actually", "honestly", "definitely", "probably",
     "maybe", "so", "even", "totally", "seriously", "kind", "sort", "of", "kinda", "do",
     "be", "truly", "sincerely", "think", "guess", "suppose", "know", "believe", "reckon",
     "sure", "feel", "like", "that", "i", "we", "somehow", "eventually", "finally", "now"}
)  # fmt: skip
_STATUS_QUO_VERBS = frozenset({"keep", "continue", "go", "carry", "live", "stay"})
_PREDICTION = frozenset({"be", "feel", "fail", "lose", "die", "end", "look", "seem"})
_GOT_STATES = frozenset(
    {"let", "fire", "sack", "sick", "worse", "hurt", "dump", "catch", "bored", "angry"}
)
_REPORTED_OWN = frozenset({"say", "tell"})
_SUSTAIN_SEQS = (
    ("only", "time"), ("only", "thing"), ("only", "way"), ("i", "like", "it"),
    ("i", "enjoy"), ("no", "point"), ("why", "bother"),
)  # fmt: skip
_MINIMISING = (("that", "bad"), ("as", "bad"), ("so", "bad"))


def _seq_at(lemmas: Sequence[str], i: int, seq: tuple[str, ...]) -> bool:
    return tuple(lemmas[i : i + len(seq)]) == seq


def _contains(lemmas: Sequence[str], seq: tuple[str, ...]) -> bool:
    return any(_seq_at(lemmas, i, seq) for i in range(len(lemmas)))


def _next_verb(toks: Sequence[Token], i: int) -> str:
    """The lemma of the first word at or after ``i`` that is not "to", a negation or skipped."""
    for t in toks[i:]:
        if t.lemma in ("to", "not", "n't") or t.tag == "NEG" or t.lemma in _SKIP - {"be", "do"}:
            continue
        return t.lemma
    return ""


def _predicts(toks: Sequence[Token], i: int) -> bool:
    """Whether "will …" / "going to …" foretells a state ("I'll be", "I'm going to get let
    go") rather than commits to an act ("I'll get there early")."""
    verb = _next_verb(toks, i)
    if verb == "get":
        at = next(j for j in range(i, len(toks)) if toks[j].lemma == "get")
        return at + 1 < len(toks) and toks[at + 1].lemma in _GOT_STATES
    return verb in _PREDICTION


def _refuses_status_quo(toks: Sequence[Token], i: int) -> bool:
    return _next_verb(toks, i) in _STATUS_QUO_VERBS


def _english_marker(toks: Sequence[Token]) -> tuple[Talk, str]:
    lemmas = [t.lemma.lower() for t in toks]
    start = next((i for i, lem in enumerate(lemmas[:4]) if lem in ("i", "we")), None)
    if start is None:
        return _NEITHER
    negated = doubt = False
    for i in range(start + 1, len(toks)):
        lem, t = lemmas[i], toks[i]
        if t.tag == "NEG":
            negated = True
            doubt = doubt or lemmas[i + 1 : i + 2] == ["sure"]
            continue
        # "can't", "won't": the negation follows a modal.
        negated = negated or i + 1 < len(toks) and toks[i + 1].tag == "NEG"
        flip: Talk = "sustain" if negated or doubt else "change"
        if (
            lem in ("want", "wish", "hope")
            or lem == "would"
            and lemmas[i + 1 : i + 2] in (["like"], ["love"], ["rather"])
        ):
            if not negated:
                return "change", "desire"
            if _refuses_status_quo(toks, i + 1):
                return "change", "desire"
            # "I don't want that for my kids", "… to be the dad who …": an outcome refused.
            if lemmas[i + 1 : i + 2] != ["to"] or _next_verb(toks, i + 1) == "be":
                return _NEITHER
            return "sustain", "desire"
        if lem in ("can", "could", "able") or _seq_at(lemmas, i, ("cut", "out")):
            if lemmas[i + 1 : i + 2] == ["have"]:
                return _NEITHER  # "I could have …": a regret
            if negated and _refuses_status_quo(toks, i + 1):
                return "change", "ability"
            return flip, "ability"
        if lem in ("need", "must", "should", "ought") or _seq_at(lemmas, i, ("have", "to")):
            if negated and _refuses_status_quo(toks, i + 1):
                return "change", "need"
            return flip, "need"
        if lem in ("will", "shall", "promise", "plan", "intend", "decide") or (
            _seq_at(lemmas, i, ("go", "to")) and lemmas[i - 1] == "be"
        ):
            if _predicts(toks, i + 1):
                return _NEITHER
            return flip, "commitment"
        if lem in ("ready", "willing", "prepared"):
            return flip, "activation"
        if lem in ("start", "begin", "already") or lem == "try" and lemmas[i - 1] == "be":
            return flip, "taking steps"
        if lem in _REPORTED_OWN:
            # "I keep saying I can't" reports; "I never said I wanted to change" refuses.
            if negated and _english_marker(toks[i + 1 :])[0] != "neither":
                return "sustain", "desire"
            return _NEITHER
        if not (lem in _SKIP or t.tag in ("AUX", "PUNCT")):
            break
    return _NEITHER


def _english_status_quo(clause: Clause) -> tuple[Talk, str]:
    lemmas = [t.lemma.lower() for t in clause.tokens]
    if any(_contains(lemmas, s) for s in _SUSTAIN_SEQS):
        return "sustain", "status quo"
    if clause.negated and any(_contains(lemmas, s) for s in _MINIMISING):
        return "sustain", "status quo"
    return _NEITHER


def _english(clause: Clause) -> tuple[Talk, str]:
    lemmas = [t.lemma.lower() for t in clause.tokens]
    if any(_contains(lemmas, s) for s in _IDIOMS) and len(lemmas) <= 6:
        return _NEITHER
    found = _english_marker(clause.tokens)
    return found if found[0] != "neither" else _english_status_quo(clause)


# --- Korean --------------------------------------------------------------------------
_KO_COMMIT_EF = frozenset({"ᆯ게", "ᆯ게요", "을게", "을게요", "ᆯ래", "ᆯ래요", "을래요"})
_KO_NOT_WILL = frozenset({"좋", "모르", "같", "싶"})
_KO_NEEDS_VERB = frozenset({"하", "되"})


def _korean_marker(toks: Sequence[Token], person: int) -> tuple[int, str]:
    """Index and DARN-CAT kind of the last change marker in the clause, or (-1, "")."""
    found = (-1, "")
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        kind = ""
        if t.lemma == "싶" and t.tag == "VX" or t.lemma in ("원하", "바라") and t.tag == "VV":
            kind = "desire"
        elif t.lemma == "좋" and nxt and nxt.lemma == "겠" and prev and prev.tag == "EC":
            kind = "desire"  # -면 좋겠어요
        elif t.lemma == "수" and t.tag == "NNB" and nxt is not None and nxt.lemma in ("있", "없"):
            kind = "ability"
        elif t.tag == "EC" and t.lemma in ("어야", "아야", "여야"):
            kind = "need"
        elif t.lemma == "필요" and t.tag == "NNG":
            kind = "need"
        elif t.tag == "EF" and t.lemma in _KO_COMMIT_EF:
            kind = "commitment"
        elif (
            t.lemma == "겠"
            and prev is not None
            and prev.tag == "VV"
            and prev.lemma not in (_KO_NOT_WILL)
        ):
            kind = "commitment" if person in (0, 1) else ""
        elif t.lemma in ("거", "것") and prev is not None and prev.lemma in ("ᆯ", "을") and nxt:
            kind = "commitment" if nxt.tag == "VCP" and person in (0, 1) else ""
        elif t.lemma in ("려고", "으려고") or t.lemma == "준비" and t.tag == "NNG":
            kind = "activation"
        elif t.lemma == "시작" or t.lemma == "노력":
            kind = "taking steps"
        if kind:
            found = (i, kind)
    return found


def _korean(clause: Clause) -> tuple[Talk, str]:
    toks = clause.tokens
    lemmas = [t.lemma for t in toks]
    if "유일" in lemmas or "싫" in lemmas:
        return "sustain", "status quo"
    if any(a == "자신" and "없" in lemmas[i:] for i, a in enumerate(lemmas)):
        return "sustain", "ability"
    at, kind = _korean_marker(toks, clause.person)
    if at < 0:
        return _NEITHER
    later = [t for t in clause.negations if t.start > toks[at].start]
    earlier = [t for t in clause.negations if t.start < toks[at].start]
    doubt = any(
        t.lemma in ("ᆯ지", "을지") and "모르" in lemmas[i:] for i, t in enumerate(toks[at:], at)
    )
    if "아무것" in lemmas or "아무" in lemmas:
        return _NEITHER  # "아무것도 못 하겠어요": worn out, not refusing a change
    if later or doubt or earlier and kind != "desire":
        return "sustain", kind
    return "change", kind


# --- both ----------------------------------------------------------------------------


def classify(clause: Clause, lang: str, context: Talk | None = None) -> Heard:
    """The talk heard in one clause.

    Args:
        clause: a clause from ``language.clauses``.
        lang: its language.
        context: the side the question asks about (a decisional-balance step), if any.
    """
    from voicereflect.reflection.language import language_key
    from voicereflect.reflection.safety import mentions_risk

    if not clause.own or clause.question or mentions_risk(clause.text, lang):
        return Heard(clause, *_NEITHER)
    korean = language_key(lang) == "ko"
    words = [t for t in clause.tokens if t.tag not in ("PUNCT", "SF", "SP")]
    if context is not None and context != "neither" and len(words) >= 2:
        idiom = not korean and _english(clause) == _NEITHER and len(words) <= 5
        if not (idiom and any(_contains([t.lemma for t in words], s) for s in _IDIOMS)):
            return Heard(clause, context, "question")
    talk, kind = _korean(clause) if korean else _english(clause)
    return Heard(clause, talk, kind)


def hear(
    text: str,
    lang: str,
    context: Talk | None = None,
    timings: Sequence[tuple[str, float, float]] | None = None,
) -> tuple[Heard, ...]:
    """Every clause of an answer with the talk heard in it (see ``classify``)."""
    from voicereflect.reflection.language import clauses

    return tuple(classify(c, lang, context) for c in clauses(text, lang, timings))


def overall(heard: Sequence[Heard]) -> Overall:
    """Whether an answer held change talk, sustain talk, both, or neither."""
    talks = {h.talk for h in heard}
    if {"change", "sustain"} <= talks:
        return "both"
    if "change" in talks:
        return "change"
    return "sustain" if "sustain" in talks else "neither"
