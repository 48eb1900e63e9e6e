"""English clauses: boundaries in typed or recognised text, negation, attribution, hedges, person.

Recognised speech has no punctuation, so a clause also starts at a pause (``cuts``, from
Vosk's word times), at a conjunction that opens a new subject ("… at five and my partner
was …"), and at a discourse marker that does ("… goes quiet i mean i know …"). "If" and
"that" clauses stay with their main clause, so "I don't think I can keep doing this job" and
"my mom says I need to stop" are one clause each: the negation and the owner stay with what
they govern.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from voicereflect.reflection.language import english
from voicereflect.reflection.language.clause import Clause
from voicereflect.reflection.language.token import Token

# Conjunctions that may open a clause of their own (not "if", "when", "that": those attach).
_OPENERS = frozenset(
    {"but", "so", "because", "cause", "cos", "though", "although", "whereas", "and", "or",
     "then", "yet", "plus", "anyway"}
)  # fmt: skip
# Discourse markers: trimmed from a clause's edges, and a boundary when a subject follows.
_MARKERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(m.split())
    for m in (
        "i have get to be honest", "i have to be honest", "i will be honest", "if i be honest",
        "to be honest", "to be fair", "i must say", "i have to say", "i mean", "you know",
        "you know what", "so yeah", "and yeah", "or something", "and stuff", "and everything",
        "honestly", "basically", "well", "okay", "ok", "um", "uh", "erm", "hmm", "yeah",
        "anyway", "like", "right", "since then", "after that", "just that", "only that",
    )
)  # fmt: skip
_SUBJECTS = frozenset(
    {"i", "you", "he", "she", "we", "they", "it", "that", "this", "there", "everyone",
     "everybody", "everything", "nothing", "nobody", "someone", "somebody", "people",
     "my", "your", "his", "her", "our", "their", "me"}
)  # fmt: skip
_NEGATIONS = frozenset({"nothing", "nobody", "nowhere", "hardly", "barely", "nope"})
# A bare answer word before a clause is a clause of its own ("no | I think that's all").
_ANSWER_WORDS = frozenset({"no", "nope", "yes", "yeah", "yep"})
_TIME_WORDS = frozenset(
    {"then", "now", "today", "tomorrow", "tonight", "later", "sometimes", "usually", "next",
     "last"}
)  # fmt: skip
_SUBORDINATORS = frozenset({"when", "because", "though", "although", "if", "while", "since"})
_NOMINATIVE = {"i": 1, "we": 1, "you": 2, "he": 3, "she": 3, "they": 3, "it": 3, "there": 3}
# Words that may come before the teller of reported words ("probably if my doctor said …").
_BEFORE_TELLER = frozenset({"probably", "maybe", "if", "when", "that", "just", "only", "and"})
_FIRST = frozenset({"i", "me", "we", "us"})
_REPORTING = frozenset(
    {"say", "tell", "think", "reckon", "believe", "want", "insist", "claim", "warn", "suggest",
     "ask", "expect", "worry"}
)  # fmt: skip
# Reporting verbs that report only with a person or a complement after them.
_AIMED = frozenset({"ask", "tell", "warn", "suggest", "want", "expect"})
_COMPLEMENT = frozenset({"to", "that", "if", "whether"})
_CHAIN = frozenset({"always", "just", "really", "keep", "still", "also", "never", "even"})
_HEDGES: tuple[tuple[str, ...], ...] = tuple(
    tuple(h.split())
    for h in (
        "maybe", "perhaps", "probably", "i guess", "i think", "i suppose", "kind of",
        "sort of", "kinda", "sorta", "not sure", "might", "a bit", "a little", "i feel like",
    )
)  # fmt: skip
_SENTENCE_END = frozenset({".", "!", "?", ";", "…"})
_TRAILING_TAGS = frozenset({"DET", "ADP", "CONJ", "PUNCT"})
# "… a nightmare to live with": a preposition may end a clause; "to" and "of" do not.
_STRANDED = frozenset({"with", "about", "for", "on", "in", "at", "from", "over", "into"})
_POSSESSIVE = frozenset({"my", "your", "his", "her", "our", "their"})


def _lemmas(toks: Sequence[Token], i: int, n: int) -> tuple[str, ...]:
    return tuple(t.lemma.lower() for t in toks[i : i + n])


def _phrase_at(toks: Sequence[Token], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the longest of ``phrases`` (lemma sequences) starting at ``i``, or 0."""
    if i >= len(toks):
        return 0
    best = 0
    # Most words start no phrase: look up the phrases by their first lemma.
    for p in _by_first(phrases).get(toks[i].lemma.lower(), ()):
        if len(p) > best and _lemmas(toks, i, len(p)) == p:
            best = len(p)
    return best


@lru_cache(maxsize=8)
def _by_first(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _skip_markers(toks: Sequence[Token], i: int) -> int:
    while i < len(toks):
        n = _phrase_at(toks, i, _MARKERS)
        if n == 0:
            return i
        i += n
    return i


def _starts_subject(toks: Sequence[Token], i: int) -> bool:
    """Whether a subject and, soon after it, a verb start at ``i`` (markers skipped)."""
    i = _skip_markers(toks, i)
    while i < len(toks) and toks[i].lemma in _TIME_WORDS:
        i += 2 if toks[i].lemma in ("next", "last") else 1  # "next week I will …"
    if i >= len(toks):
        return True  # a trailing conjunction: cut it off
    t = toks[i]
    if not (t.lemma.lower() in _SUBJECTS or t.tag == "DET" and t.lemma not in ("all", "any")):
        return False
    return any(_verb_at(toks, j) for j in range(i + 1, min(i + 4, len(toks))))


@lru_cache(maxsize=8192)
def _readings(word: str) -> frozenset[str]:
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word.lower()))


def _is_verb(word: str) -> bool:
    return "VERB" in _readings(word)


def _boundaries(toks: Sequence[Token], cuts: frozenset[int]) -> list[tuple[int, int, int]]:
    """(first, last-exclusive, sentence) token ranges of the clauses."""
    out: list[tuple[int, int, int]] = []
    start, sentence, covered = 0, 0, 0
    content = False  # whether toks[start:i] holds more than conjunctions and markers
    in_marker = 0  # a marker phrase inside the clause runs up to here
    for i, t in enumerate(toks):
        new_sentence = i > start and (t.start in cuts or toks[i - 1].text in _SENTENCE_END)
        new_clause = False
        marker = _phrase_at(toks, i, _MARKERS) if i >= covered else 0
        if i > start and not content and i - 1 >= in_marker:
            # Is the word before this one content, or a conjunction, mark or marker?
            n = _phrase_at(toks, i - 1, _MARKERS)
            in_marker = i - 1 + n
            content = not n and toks[i - 1].tag not in ("CONJ", "PUNCT")
        if i > start and not new_sentence and content:
            low = t.lemma.lower()
            if t.tag == "CONJ" and low in _OPENERS or low == "anyway":
                new_clause = _starts_subject(toks, i + 1)
            elif toks[i - 1].text == ",":
                sub = i + 1 if low in _SUBORDINATORS else i
                new_clause = _starts_subject(toks, sub)
            elif i - start == 1 and toks[start].lemma in _ANSWER_WORDS:
                new_clause = _starts_subject(toks, i)
            elif marker and low not in ("like", "well"):
                new_clause = _starts_subject(toks, i + marker)
        covered = max(covered, i + marker)
        if new_sentence or new_clause:
            out.append((start, i, sentence))
            start, content, in_marker = i, False, i
            sentence += new_sentence
    if start < len(toks):
        out.append((start, len(toks), sentence))
    return out


def _trim(toks: Sequence[Token], a: int, b: int) -> tuple[int, int]:
    while a < b:
        t = toks[a]
        if t.tag == "PUNCT" or t.tag == "CONJ" and t.lemma in _OPENERS | {"then"}:
            a += 1
        elif n := _phrase_at(toks[:b], a, _MARKERS):
            a += n
        elif t.lemma == "that" and a + 1 < b and toks[a + 1].lemma in _NOMINATIVE:
            a += 1  # "that I keep saying I can't": the answer's "that", not a subject
        else:
            break
    while b > a:
        t = toks[b - 1]
        last = t.lemma.lower()
        ending = [
            p
            for p in _MARKERS
            if p[-1] == last and len(p) <= b - a and _lemmas(toks, b - len(p), len(p)) == p
        ]
        if t.tag == "PUNCT" and t.text not in ("?", "!") or t.tag == "CONJ":
            b -= 1
        elif ending and not (len(ending[0]) == 1 and ending[0][0] in ("right", "well")):
            b -= len(ending[0])
        else:
            break
    return a, b


def _verb_at(toks: Sequence[Token], i: int) -> bool:
    t = toks[i]
    if t.tag == "AUX":
        return True
    if t.lemma == "like" and i > 0 and toks[i - 1].lemma in _NOMINATIVE:
        return True  # "I like it", not "like a zombie"
    # After "my", "the" … a word that could be a verb is a noun ("my boss said").
    after_det = i > 0 and (
        toks[i - 1].tag in ("DET", "ADP")
        and toks[i - 1].lemma != "to"
        or toks[i - 1].lemma in _POSSESSIVE
    )
    # First in a clause, a word that is also a noun is the subject ("people keep …"),
    # unless it is a gerund ("having something else to do").
    noun_first = i == 0 and "NOUN" in _readings(t.text) and not t.text.endswith("ing")
    return t.tag == "" and not after_det and not noun_first and _is_verb(t.text)


def _subject_end(toks: Sequence[Token]) -> int:
    """Index of the first verb-like token (the subject lies before it)."""
    for i, t in enumerate(toks):
        if _verb_at(toks, i) or i > 0 and t.tag == "NEG":
            return i
    return len(toks)


def _person(toks: Sequence[Token]) -> int:
    """Person of the subject: the nominative pronoun before the verb, else 3 for a noun."""
    if toks and toks[0].tag in ("WH", "AUX"):  # "why do I …", "am I …"
        for t in toks[1:4]:
            if t.tag == "PRON" and t.lemma.lower() in _NOMINATIVE:
                return _NOMINATIVE[t.lemma.lower()]
    prefix = toks[: _subject_end(toks)]
    for t in prefix:
        if t.lemma.lower() in _NOMINATIVE and t.tag == "PRON":
            return _NOMINATIVE[t.lemma.lower()]
    if any(t.tag in ("", "PRON", "DET") for t in prefix) and len(prefix) < len(toks):
        return 3
    return 0


def _owner(text: str, toks: Sequence[Token]) -> str | None:
    """Who the clause's words belong to when it reports someone else ("my mom says …")."""
    if len(toks) >= 3 and toks[0].lemma == "according" and toks[1].lemma == "to":
        end = next((i for i, t in enumerate(toks[2:], 2) if t.tag in ("AUX", "PUNCT")), 4)
        return text[toks[2].start : toks[end - 1].end]
    first = 0
    while first < len(toks) - 1 and toks[first].lemma.lower() in _BEFORE_TELLER:
        first += 1
    rest = toks[first:]
    verb = _subject_end(rest)
    lead = rest[0].lemma.lower() if rest else ""
    if verb == 0 or verb > 4 or lead in _FIRST | {"it", "that", "this", "there", "what"}:
        return None
    if any(t.lemma.lower() in _FIRST for t in rest[:verb]):
        return None
    if rest[0].tag not in ("PRON", "DET", "") or lead in _NEGATIONS | {"everything"}:
        return None
    for i, t in enumerate(rest[verb : verb + 4], verb):
        low = t.lemma.lower()
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        # "asked me to stop" reports; "asked good questions" does not.
        aimed = nxt is not None and (nxt.tag == "PRON" or nxt.lemma in _COMPLEMENT)
        if low in _REPORTING and (low not in _AIMED or aimed):
            return text[rest[0].start : rest[verb - 1].end]
        if not (t.tag == "AUX" or low in _CHAIN):
            return None
    return None


def _hedges(toks: Sequence[Token]) -> tuple[str, ...]:
    found = []
    i = 0
    while i < len(toks):
        n = _phrase_at(toks, i, _HEDGES)
        if n:
            found.append(" ".join(t.text for t in toks[i : i + n]))
            i += n
        else:
            i += 1
    return tuple(found)


def _whole(toks: Sequence[Token], person: int) -> bool:
    words = [t for t in toks if t.tag != "PUNCT"]
    if len(words) < 2 or person == 0:
        return False
    last = words[-1]
    stranded = last.tag == "ADP" and last.lemma in _STRANDED and len(words) >= 4
    if last.tag in _TRAILING_TAGS and not stranded or last.lemma in _POSSESSIVE:
        return False
    return any(_verb_at(words, i) for i in range(len(words)))


def _question(toks: Sequence[Token]) -> bool:
    if toks and toks[-1].text == "?":
        return True
    if len(toks) >= 2 and toks[0].tag == "WH" and toks[1].tag in ("AUX", "NEG"):
        return True
    return len(toks) >= 2 and toks[0].tag == "AUX" and toks[1].lemma in _SUBJECTS


@lru_cache(maxsize=1024)
def clauses(text: str, cuts: frozenset[int] = frozenset()) -> tuple[Clause, ...]:
    """The clauses of ``text``; ``cuts`` are character offsets where a pause was heard."""
    toks = english.tokens(text)
    out: list[Clause] = []
    for first, last, sentence in _boundaries(toks, cuts):
        a, b = _trim(toks, first, last)
        if a >= b:  # only a marker ("I have to be honest"): keep it, it is what was said
            a, b = first, last
            while b > a and toks[b - 1].tag == "PUNCT":
                b -= 1
            if all(t.tag in ("CONJ", "PUNCT") for t in toks[a:b]):
                continue  # a trailing "so"
        part = toks[a:b]
        person = _person(part)
        negations = tuple(
            t for t in part if t.tag == "NEG" and t.lemma != "without" or t.lemma in _NEGATIONS
        )
        # fmt: off
        out.append(Clause.over(
            text, part, sentence, negations=negations, owner=_owner(text, part),
            hedges=_hedges(part), person=person, question=_question(part),
            whole=_whole(part, person),
        ))
        # fmt: on
    return tuple(out)
