"""The unit every analyzer returns: a word or morpheme with its lemma, tag and span."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Token:
    """A word (English) or morpheme (Korean) of an answer.

    Attributes:
        text: The form as analysed (English: the surface word; Korean: Kiwi's morpheme,
            which can differ from the surface, e.g. 내 → 나 + 가).
        lemma: Lower-cased dictionary form ("harming" → "harm", "n't" → "not").
        tag: English: a closed-class tag (PRON, AUX, NEG, DET, ADP, CONJ, WH) or "" for an
            open-class word; Korean: Kiwi's Sejong tag (NNG, VV, EC, …).
        start: Offset of the token's first character in the analysed text.
        end: Offset just past its last character; ``text[start:end]`` is what the person said.
    """

    text: str
    lemma: str
    tag: str
    start: int
    end: int
