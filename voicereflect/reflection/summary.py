"""The closing summary: the person's own words inside the pack's fixed frame, nothing else.

Two forms: the full one (every labelled answer by its core clause, then the change talk)
for the screen, and a short spoken one (the topic, the change talk, the next step; no
rating labels) that stays under ``MAX_SPOKEN_WORDS`` — about 45 seconds aloud.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicereflect.reflection.followups import core_clause
from voicereflect.reflection.packs import Language

JOIN = " … "  # between several answers to one step: punctuation, not words
MAX_SPOKEN_WORDS = 110


@dataclass(frozen=True)
class SummaryItem:
    """One step's label (fixed frame) and what the person said to it.

    ``rating`` marks a ruler answer (kept off the spoken summary); ``next_step`` the
    person's next small step (said last).
    """

    label: str
    said: tuple[str, ...]
    rating: bool = False
    next_step: bool = False


@dataclass(frozen=True)
class Summary:
    """The full summary to show and the short one to say."""

    full: str
    spoken: str


def _line(language: Language, item: SummaryItem, lang: str) -> str | None:
    quotes = [q for q in (core_clause(s, lang) for s in item.said) if q]
    if not quotes:
        return None
    line = language.summary_line.replace("{label}", item.label)
    return line.replace("{quote}", JOIN.join(quotes))


def _change_line(language: Language, quotes: list[str]) -> str:
    return language.summary_change_intro + " " + JOIN.join(f"“{q}”" for q in quotes)


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def build_summary(
    language: Language, items: tuple[SummaryItem, ...], change_talk: tuple[str, ...]
) -> Summary:
    """The summary in both forms.

    Each answer is quoted by its core clause, verbatim. Following motivational
    interviewing, the person's words about change come last (then, when spoken, their next
    step). The closing question ("Did I miss anything?") is asked by the engine right after.

    Args:
        language: the pack's frame texts (``summary_intro``, ``summary_line``,
            ``summary_change_intro``).
        items: labelled answers in flow order.
        change_talk: the person's change-talk clauses, verbatim, in order.
    """
    lang = language.lang
    unique = list(dict.fromkeys(change_talk))
    lines = [language.summary_intro]
    lines += [line for item in items if (line := _line(language, item, lang))]
    if unique:
        lines.append(_change_line(language, unique))
    topic = next((i for i in items if not i.rating and not i.next_step), None)
    step = next((i for i in items if i.next_step), None)
    head = [language.summary_intro] + [
        line for i in (topic,) if i is not None and (line := _line(language, i, lang))
    ]
    tail = [line for i in (step,) if i is not None and (line := _line(language, i, lang))]
    if step is not None:  # said once, as the next step, not again among the change talk
        steps = {core_clause(s, lang) for s in step.said}
        unique = [q for q in unique if q not in steps]
    # The latest change talk matters most; older quotes go first when it runs long.
    while unique and _words(head + [_change_line(language, unique)] + tail) > MAX_SPOKEN_WORDS:
        unique = unique[1:]
    spoken = head + ([_change_line(language, unique)] if unique else []) + tail
    while len(spoken) > 1 and _words(spoken) > MAX_SPOKEN_WORDS:
        spoken.pop()
    return Summary("\n".join(lines), "\n".join(spoken))
