"""The closing summary: the person's own words inside the pack's fixed frame, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from voicereflect.reflection.followups import key_phrase
from voicereflect.reflection.packs import Language

JOIN = " … "  # between several answers to one step: punctuation, not words


@dataclass(frozen=True)
class SummaryItem:
    """One step's label (fixed frame) and what the person said to it."""

    label: str
    said: tuple[str, ...]


def build_summary(
    language: Language, items: tuple[SummaryItem, ...], change_talk: tuple[str, ...]
) -> str:
    """Join the frame's intro, one line per answered step, and the person's change talk.

    Each answer is quoted verbatim (a long one by its key phrase). Following motivational
    interviewing, the person's words about change come last. The closing question ("Did I
    miss anything?") is asked by the engine right after.

    Args:
        language: the pack's frame texts (``summary_intro``, ``summary_line``,
            ``summary_change_intro``).
        items: labelled answers in flow order.
        change_talk: verbatim change-talk quotes, in order.
    """
    lines = [language.summary_intro]
    for item in items:
        quotes = [q for q in (key_phrase(s) for s in item.said) if q]
        if quotes:
            line = language.summary_line.replace("{label}", item.label)
            lines.append(line.replace("{quote}", JOIN.join(quotes)))
    if change_talk:
        unique = list(dict.fromkeys(change_talk))
        lines.append(language.summary_change_intro + " " + JOIN.join(f"“{q}”" for q in unique))
    return "\n".join(lines)
