"""Opening a session with last time's next small step, in the person's own words."""

from __future__ import annotations

import re

from voicereflect.reflection.packs import Language

# "I'll call my sister" -> "call my sister" -> "call your sister". Only these commitment
# openings are rewritten; anything else is quoted as said, which is always safe.
_EN_COMMITMENTS = (
    "i'm going to", "i am going to", "i'm gonna", "i am gonna", "i will", "i'll", "i want to",
    "i'd like to", "i would like to", "i could", "i can", "i need to", "i plan to", "i hope to",
    "i might", "i'd", "i would", "i'm trying to", "to",
)  # fmt: skip
_EN_FILLERS = ("um", "uh", "well", "so", "maybe", "probably", "i think", "i guess", "okay", "ok")
_EN_PRONOUNS = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd", "am": "are",
}  # fmt: skip
_MAX_WORDS = 25


def second_person(step: str) -> str | None:
    """Rewrite an English first-person next step as a verb phrase for "you'd ...".

    Returns ``None`` when the rewrite would not be safe (no commitment opening, or the
    step already talks about "you"), so the caller quotes the words instead.
    """
    words = step.strip().rstrip(".!?").split()
    if not words or len(words) > _MAX_WORDS:
        return None
    lowered = [w.lower().replace("\u2019", "'").strip(",") for w in words]
    changed = True
    while changed:
        changed = False
        for filler in _EN_FILLERS:
            n = len(filler.split())
            if lowered[:n] == filler.split() and len(lowered) > n:
                words, lowered, changed = words[n:], lowered[n:], True
    for opening in _EN_COMMITMENTS:
        n = len(opening.split())
        if lowered[:n] == opening.split() and len(lowered) > n:
            rest, rest_low = words[n:], lowered[n:]
            break
    else:
        return None
    if any(w in ("you", "your", "you're", "yours", "yourself") for w in rest_low):
        return None
    out = [_EN_PRONOUNS.get(low, w) for w, low in zip(rest, rest_low, strict=True)]
    return " ".join(out)


def opening_for(previous_next_step: str | None, language: Language | str) -> str | None:
    """The first question of a session that follows one with a next small step.

    Args:
        previous_next_step: the person's words for last time's next small step.
        language: the pack's ``Language`` or a language code ("en", "ko").

    Returns:
        "Last time you said you'd call your sister. How did that go?" (English, when the
        words can be safely turned to "you"), otherwise the pack's quoting form; ``None``
        when there was no step.
    """
    if previous_next_step is None or not previous_next_step.strip():
        return None
    if isinstance(language, str):
        from voicereflect.reflection.packs import load_pack

        language = load_pack(language).language
    said = " ".join(previous_next_step.split())
    if len(said.split()) > _MAX_WORDS:
        said = " ".join(said.split()[:_MAX_WORDS]) + " …"
    converted = second_person(said) if language.lang.startswith("en") else None
    if converted:
        return language.continuity_you.replace("{step}", converted)
    return language.continuity_quote.replace("{step}", re.sub(r"[.!?]+$", "", said))
