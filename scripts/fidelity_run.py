"""Reflection quality, MITI-style: scripted sessions of every flow answered from the labelled
corpus (tests/data/corpus), one table row per flow and language.

    scripts/fidelity            the table (Markdown), as in the README's "Reflection quality"

Columns: questions asked (every Ask, ratings and "Did I miss anything?" included),
reflections (every Reflect, plus the closing summary, which MITI 4 codes as a reflection),
reflections per question, complex reflections (double-sided, feeling, or the person's words
in the second person), negation kept (reflections of a clause with a negation that keep
it), owner kept (reflections of reported words that keep who said them), change/sustain
agreement of ``reflection.talk`` with the hand labels, and the spoken summary's length.
A report, not a test: the figures depend on the corpus, and the tests check the floors.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from tests import corpus
from voicereflect.reflection import engine as e
from voicereflect.reflection.language import clauses
from voicereflect.reflection.packs import PromptPack, load_pack
from voicereflect.reflection.talk import hear, overall

RATING = {"en": "seven", "ko": "칠 점이요"}
NO_MORE = {"en": "no", "ko": "아니요"}
YES = {"en": "yes", "ko": "네"}
TARGETS = {"open": 1.0, "decision": 1.0}  # reflections per question; 0.5 for the rest
STRUCTURED_TARGET = 0.5
COMPLEX_TARGET = 40.0


@dataclass
class Session:
    """One scripted session: what the engine did and which corpus answers it was given."""

    lang: str
    flow: str
    actions: list[e.Action] = field(default_factory=list)
    answered: list[corpus.Labelled] = field(default_factory=list)


def _queues(lang: str, flow: str) -> dict[str, list[corpus.Labelled]]:
    out: dict[str, list[corpus.Labelled]] = {}
    for a in corpus.load(lang):
        if a.flow == flow:
            out.setdefault(a.step, []).append(a)
    return out


def flows(lang: str) -> list[str]:
    """The flows the corpus answers in this language."""
    return list(dict.fromkeys(a.flow for a in corpus.load(lang) if a.flow))


def drive(pack: PromptPack, flow: str) -> Session:
    """Answer every question of ``flow`` from the corpus until the goodbye."""
    lang = pack.lang
    queues = _queues(lang, flow)
    session = Session(lang, flow)
    state, actions = e.start(pack, flow, at=0.0, nudge_minutes=0)
    session.actions += actions
    for turn in range(200):
        if state.finished:
            break
        ask = actions[-1]
        assert isinstance(ask, e.Ask)
        queue = queues.get(ask.step_id, [])
        if ask.step_id == e.SUPPORT_STEP:
            text = YES[lang]
        elif ask.kind.startswith("rating"):
            text = RATING[lang]
        elif queue:
            item = queue.pop(0)
            session.answered.append(item)
            text = item.text
        else:
            text = NO_MORE[lang]
        state, actions = e.step(state, e.AnswerGiven(text, at=float(turn + 1)))
        session.actions += actions
    return session


def negation_kept(reflection: e.Reflect, lang: str) -> bool | None:
    """Whether every negation of the reflected clauses is in the reflection (None: none)."""
    cues = [t for s in reflection.said for c in clauses(s, lang) for t in c.negations]
    if not cues:
        return None
    said = reflection.text.lower()
    if reflection.kind == "feeling":
        # A feeling is reflected only from outside a negation's reach ("not anxious").
        return not any(re.search(rf"\b{re.escape(t.text.lower())}\b", said) for t in cues)
    return all(t.text.lower() in said for t in cues)


def owner_kept(reflection: e.Reflect, lang: str) -> bool | None:
    """Whether the teller of reported words is named in the reflection (None: not reported)."""
    owners = [c.owner for s in reflection.said for c in clauses(s, lang) if c.owner]
    if not owners:
        return None
    said = reflection.text.lower()
    return all(o.split()[-1].lower() in said for o in owners)


@dataclass(frozen=True)
class Row:
    """One flow's figures."""

    lang: str
    flow: str
    questions: int
    reflections: int
    complex: int
    negations: tuple[int, int]  # kept, of
    owners: tuple[int, int]
    talk: tuple[int, int]  # agreeing, of
    spoken_words: int

    @property
    def per_question(self) -> float:
        return self.reflections / self.questions if self.questions else 0.0

    @property
    def target(self) -> float:
        return TARGETS.get(self.flow, STRUCTURED_TARGET)


def _kept(values: Iterator[bool | None]) -> tuple[int, int]:
    seen = [v for v in values if v is not None]
    return sum(seen), len(seen)


def measure(pack: PromptPack, session: Session) -> Row:
    """The figures of one scripted session."""
    lang = session.lang
    flow = pack.flow(session.flow)
    asks = [a for a in session.actions if isinstance(a, e.Ask)]
    reflects = [a for a in session.actions if isinstance(a, e.Reflect)]
    summaries = [a for a in session.actions if isinstance(a, e.Summarize)]
    agree = 0
    for item in session.answered:
        side = None if item.step.startswith("_") else flow.step(item.step).talk
        agree += overall(hear(item.text, lang, side)) == item.talk
    return Row(
        lang=lang,
        flow=session.flow,
        questions=len(asks),
        reflections=len(reflects) + len(summaries),
        complex=sum(r.complex for r in reflects) + len(summaries),
        negations=_kept(negation_kept(r, lang) for r in reflects),
        owners=_kept(owner_kept(r, lang) for r in reflects),
        talk=(agree, len(session.answered)),
        spoken_words=max((len(s.spoken.split()) for s in summaries), default=0),
    )


def rows() -> list[Row]:
    """Every flow the corpus answers, English then Korean."""
    out = []
    for lang in ("en", "ko"):
        pack = load_pack(lang)
        out += [measure(pack, drive(pack, flow)) for flow in flows(lang)]
    return out


def _pct(part: tuple[int, int]) -> str:
    return f"{100 * part[0] / part[1]:.0f} % ({part[0]}/{part[1]})" if part[1] else "—"


def table(found: list[Row]) -> str:
    """The Markdown table."""
    lines = [
        "| flow | Q | R | R/Q (target) | complex R | negation kept | owner kept "
        "| change/sustain agree | spoken summary |",
        "| --- | --: | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for r in found:
        complex_pct = 100 * r.complex / r.reflections if r.reflections else 0.0
        lines.append(
            f"| {r.lang} {r.flow} | {r.questions} | {r.reflections} "
            f"| {r.per_question:.2f} (≥{r.target:.1f}) | {complex_pct:.0f} % "
            f"| {_pct(r.negations)} | {_pct(r.owners)} | {_pct(r.talk)} "
            f"| {r.spoken_words} words |"
        )
    return "\n".join(lines)


def corpus_agreement(lang: str) -> tuple[int, int, int, int]:
    """Change/sustain agreement on the whole corpus: (agreeing, of, agreeing without the
    step's side, of those answered to a step with no side)."""
    pack = load_pack(lang)
    agree = total = plain_agree = plain = 0
    for item in corpus.load(lang):
        side = None
        if item.flow and not item.step.startswith("_"):
            side = pack.flow(item.flow).step(item.step).talk
        hit = overall(hear(item.text, lang, side)) == item.talk
        agree, total = agree + hit, total + 1
        if side is None:
            plain_agree, plain = plain_agree + hit, plain + 1
    return agree, total, plain_agree, plain


def main() -> int:
    print(table(rows()))
    print()
    for lang in ("en", "ko"):
        agree, total, plain_agree, plain = corpus_agreement(lang)
        print(
            f"{lang} corpus: change/sustain agree on {agree}/{total} answers "
            f"({100 * agree / total:.0f} %); on the {plain} not set by a balance step's "
            f"side: {plain_agree}/{plain} ({100 * plain_agree / plain:.0f} %)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
