"""The non-directive guard: every text a pack speaks is an open question or a reflection,
and none of it gives advice.

Used by the test suite over every shipped pack, and usable on a person's own packs
(``check_pack(load_pack("en"))``) before they rely on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # packs checks a person's own flows with check_flow: no import cycle
    from voicereflect.reflection.packs import Flow, PromptPack

ADVICE_PHRASES = (
    # English: telling the person what to do or what is best for them.
    "you should", "you shouldn't", "you must", "you mustn't", "you need to", "you have to",
    "you've got to", "you ought to", "you'd better", "you had better", "the best thing",
    "the right thing", "best thing to do", "i suggest", "i'd suggest", "i recommend",
    "i'd recommend", "i advise", "my advice", "if i were you", "why don't you", "why not try",
    "it would be best", "it's best to", "make sure", "try to", "don't", "do not",
    "remember to", "be sure to", "what you need is", "the answer is",
    # Korean: "must", "it is better to", "try doing", "do not", "recommend", "advice".
    "야 해요", "야 합니다", "야 돼요", "야 됩니다", "야만 해", "셔야",
    "하는 게 좋", "하는 것이 좋", "는 게 좋겠", "는 것이 좋겠", "해 보세요", "해보세요",
    "하세요", "마세요", "하지 마", "추천해", "조언", "제 생각에는", "정답은",
)  # fmt: skip

MAX_QUESTION_WORDS = 25  # about ten seconds of speech: a question heard is held in mind

# Verbs that, opening a sentence, make it an instruction ("Try...", "Take a walk.").
IMPERATIVE_OPENINGS = (
    "try", "make", "do", "don't", "stop", "start", "remember", "consider", "take", "go", "be",
    "just", "keep", "avoid", "focus", "let", "write", "call", "get", "give", "tell",
    "describe", "list", "practice", "practise", "breathe", "relax", "calm", "accept",
    "forget", "ignore", "change", "choose", "decide", "please",
)  # fmt: skip


@dataclass(frozen=True)
class GuardProblem:
    """One pack text that breaks the non-directive stance."""

    where: str  # "en/decision.toml: steps.importance.prompts[0]"
    text: str
    problem: str


@dataclass(frozen=True)
class _Text:
    where: str
    text: str
    must_be: str  # "question", "reflection" or "" (frame text: only the advice check)


def _flow_texts(flow: Flow, fsrc: str) -> Iterator[_Text]:
    for st in flow.steps:
        for i, p in enumerate(st.prompts):
            yield _Text(f"{fsrc}: steps.{st.id}.prompts[{i}]", p, "question")
        for i, p in enumerate(st.followup_prompts):
            yield _Text(f"{fsrc}: steps.{st.id}.followup_prompts[{i}]", p, "question")
        if st.label:
            yield _Text(f"{fsrc}: steps.{st.id}.label", st.label, "")
        if st.lead:
            yield _Text(f"{fsrc}: steps.{st.id}.lead", st.lead, "")


def _texts(pack: PromptPack) -> Iterator[_Text]:
    lang = pack.language
    src = f"{pack.lang}/{lang.source.name}"
    for flow in pack.flows:
        yield from _flow_texts(flow, f"{pack.lang}/{flow.source.name}")
    for name in ("invite_more", "why_to_how"):
        for i, p in enumerate(getattr(lang, name)):
            yield _Text(f"{src}: followups.{name}[{i}]", p, "question")
    for name in ("simple", "double", "feeling", "feeling_past", "last"):
        for i, p in enumerate(getattr(lang.reflections, name)):
            yield _Text(f"{src}: reflections.{name}[{i}]", p, "reflection")
    for th in lang.themes:
        for i, p in enumerate(th.prompts):
            yield _Text(f"{src}: themes.{th.name}.prompts[{i}]", p, "question")
    questions = {
        "clarify.rating": lang.rating_clarify,
        "clarify.confirm": lang.rating_confirm,
        "clarify.yesno": lang.yesno_clarify,
        "clarify.choice": lang.choice_clarify,
        "summary.closing": lang.summary_closing,
        "continuity.you": lang.continuity_you,
        "continuity.quote": lang.continuity_quote,
        "support.resume": lang.support_resume,
        "support.check_in_other": lang.check_in_other,
        "support.check_in_denied": lang.check_in_denied,
    }
    for where, text in questions.items():
        yield _Text(f"{src}: {where}", text, "question")
    frame = {
        "summary.intro": lang.summary_intro,
        "summary.line": lang.summary_line,
        "summary.change_intro": lang.summary_change_intro,
        "support.offer": lang.support_offer,
        "support.goodbye": lang.support_goodbye,
        "support.again": lang.support_again,
        "support.farewell": lang.support_farewell,
        **{f"support.choices[{i}]": c for i, c in enumerate(lang.support_choices)},
        "session.nudge": lang.nudge,
        "session.goodbye": lang.goodbye,
    }
    for where, text in frame.items():
        yield _Text(f"{src}: {where}", text, "")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?。])\s+|\n", text) if s.strip()]


def advice_in(text: str) -> str | None:
    """The advice or directive phrase in ``text``, if any."""
    low = text.lower().replace("\u2019", "'")
    for phrase in ADVICE_PHRASES:
        if phrase.isascii():
            if re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", low):
                return phrase
        elif phrase in low:
            return phrase
    for sentence in _sentences(low):
        words = re.findall(r"[\w']+", sentence)
        if words and words[0] in IMPERATIVE_OPENINGS:
            return f"imperative '{words[0]}'"
    return None


def is_question(text: str) -> bool:
    """Whether ``text`` ends by asking (its last sentence is a question)."""
    return text.rstrip().rstrip("\"'”’)").endswith(("?", "？"))


def is_reflection(text: str) -> bool:
    """Whether ``text`` is a template that says back the person's own words."""
    return any(slot in text for slot in ("{quote}", "{clause}", "{feeling}", "{change}"))


def hard_on_the_ear(text: str) -> str | None:
    """Why a question is hard to take in by ear, if it is: more than one question in one
    spoken turn, or more than ``MAX_QUESTION_WORDS`` words."""
    if text.count("?") + text.count("？") > 1:
        return "asks more than one question in one turn"
    words = len(re.sub(r"\{\w+\}", "x", text).split())
    if words > MAX_QUESTION_WORDS:
        return f"has {words} words; a spoken question needs at most {MAX_QUESTION_WORDS}"
    return None


def check_flow(flow: Flow) -> list[GuardProblem]:
    """``check_pack`` for one flow (a person's own file, checked before it is used)."""
    return _problems(_flow_texts(flow, flow.source.name))


def check_pack(pack: PromptPack) -> list[GuardProblem]:
    """Every text in ``pack`` that advises, or that should ask or reflect and does not."""
    return _problems(_texts(pack))


def _problems(texts: Iterator[_Text]) -> list[GuardProblem]:
    problems = []
    for t in texts:
        advice = advice_in(t.text)
        if advice:
            problems.append(GuardProblem(t.where, t.text, f"gives advice or directs ({advice})"))
        if t.must_be == "question" and not (is_question(t.text) or is_reflection(t.text)):
            problems.append(GuardProblem(t.where, t.text, "is neither a question nor a reflection"))
        if t.must_be == "reflection" and not is_reflection(t.text):
            problems.append(GuardProblem(t.where, t.text, "a reflection must say back {clause}"))
        ear = hard_on_the_ear(t.text) if t.must_be == "question" else None
        if ear:
            problems.append(GuardProblem(t.where, t.text, ear))
    return problems
