"""English tokens: words and contractions split as spoken, lemmas from lemminflect's tables.

Recognised speech has no punctuation or capitals and typed text has both; the tokenizer
takes either. Contractions split where their parts mean something ("don't" → do + n't,
"I'm" → I + 'm, "can't" → ca + n't), so a negation or an auxiliary is a token of its own.
Hyphenated words split too ("self-harming" → self + harming), so "self harm" matches.
"""

from __future__ import annotations

import re
from functools import lru_cache

from voicereflect.reflection.language.token import Token

# A word with an optional clitic ('s 're 've 'll 'd 'm n't), a number, or one other mark.
_WORD = re.compile(
    r"(?P<word>[^\W\d_](?:[^\W_]|['’](?=[^\W\d_]))*)|(?P<num>\d+(?:[.,]\d+)?)|(?P<mark>[^\w\s])",
)
_CLITIC = re.compile(r"(?i)(n['’]t|['’](?:s|re|ve|ll|d|m))$")

# Closed-class words: their lemma is fixed and their tag tells what the clause is doing.
_CLOSED: dict[str, tuple[str, str]] = {
    **{w: (w, "PRON") for w in (
        "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "he", "him",
        "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "we", "us",
        "our", "ours", "ourselves", "they", "them", "their", "theirs", "themselves",
        "someone", "somebody", "everyone", "everybody", "anyone", "anybody", "nobody",
        "something", "everything", "anything", "nothing", "this", "that", "these", "those",
    )},
    **{w: ("be", "AUX") for w in ("am", "is", "are", "was", "were", "be", "been", "being",
                                 "'m", "'re", "’m", "’re")},
    **{w: ("have", "AUX") for w in ("have", "has", "had", "having", "'ve", "’ve")},
    **{w: ("do", "AUX") for w in ("do", "does", "did")},
    **{w: ("will", "AUX") for w in ("will", "'ll", "’ll", "wo", "shall", "sha")},
    **{w: ("would", "AUX") for w in ("would", "'d", "’d")},
    **{w: (w, "AUX") for w in ("can", "could", "may", "might", "must", "should")},
    "ca": ("can", "AUX"),
    **{w: ("not", "NEG") for w in ("not", "n't", "n’t")},
    **{w: (w, "NEG") for w in ("no", "never", "none", "neither", "nor", "without")},
    **{w: (w, "DET") for w in ("a", "an", "the", "some", "any", "every", "each", "all")},
    **{w: (w, "ADP") for w in (
        "of", "to", "in", "on", "at", "for", "with", "about", "from", "by", "into", "like",
        "over", "after", "before", "since", "until", "through", "than",
    )},
    **{w: (w, "CONJ") for w in (
        "and", "but", "or", "so", "because", "cause", "cos", "if", "though", "although",
        "while", "when", "then", "yet", "unless", "whereas",
    )},
    **{w: (w, "WH") for w in ("what", "who", "whom", "whose", "which", "where", "why", "how")},
}  # fmt: skip

# Spoken contractions Vosk writes as one word.
_FUSED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "gonna": (("gon", "go", ""), ("na", "to", "ADP")),
    "wanna": (("wan", "want", ""), ("na", "to", "ADP")),
    "gotta": (("got", "get", ""), ("ta", "to", "ADP")),
    "cannot": (("can", "can", "AUX"), ("not", "not", "NEG")),
    "dunno": (("dun", "do", "AUX"), ("n", "not", "NEG"), ("no", "know", "")),
    # Typed without the apostrophe; only the spellings that are not also other words.
    **{
        f"{aux}nt": ((aux, _CLOSED[aux][0], "AUX"), ("nt", "not", "NEG"))
        for aux in ("do", "does", "did", "ca", "wo", "could", "should", "would", "is", "are",
                    "was", "were", "has", "have", "had", "must")
    },
    "im": (("i", "i", "PRON"), ("m", "be", "AUX")),
    "ive": (("i", "i", "PRON"), ("ve", "have", "AUX")),
    "youre": (("you", "you", "PRON"), ("re", "be", "AUX")),
    "theyre": (("they", "they", "PRON"), ("re", "be", "AUX")),
}  # fmt: skip


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    """The lemma of one lower-cased word ("walked" → "walk", "pills" → "pill")."""
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    for upos in ("VERB", "NOUN", "ADJ", "ADV"):
        if found.get(upos):
            return str(found[upos][0])
    return word


def _token(text: str, start: int) -> Token:
    low = text.lower()
    if low in _CLOSED:
        base, tag = _CLOSED[low]
        return Token(text, base, tag, start, start + len(text))
    return Token(text, lemma(low), "", start, start + len(text))


@lru_cache(maxsize=1024)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of ``text`` with lemmas, closed-class tags and character spans."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        if m.group("mark"):
            out.append(Token(word, word, "PUNCT", start, m.end()))
            continue
        if m.group("num"):
            out.append(Token(word, word, "NUM", start, m.end()))
            continue
        fused = _FUSED.get(word.lower())
        if fused:
            at = start
            for part, base, tag in fused:
                out.append(Token(text[at : at + len(part)], base, tag, at, at + len(part)))
                at += len(part)
            continue
        clitic = _CLITIC.search(word)
        if clitic and clitic.start() > 0:
            out.append(_token(word[: clitic.start()], start))
            out.append(_token(clitic.group(), start + clitic.start()))
        else:
            out.append(_token(word, start))
    return tuple(out)


def terms(text: str) -> tuple[str, ...]:
    """Lemmas of the words of ``text`` (punctuation left out), lower-cased."""
    return tuple(t.lemma for t in tokens(text) if t.tag != "PUNCT")
