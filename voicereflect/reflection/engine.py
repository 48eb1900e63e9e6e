"""The reflection dialogue as a pure state machine: ``(state, event) -> (state, actions)``.

API summary (for the session runner)::

    pack = packs.load_pack("en")                       # or load_flow("en", "decision")
    contacts = safety.load_support_contacts("en")
    state, actions = start(pack, "decision", at=clock.now(),
                           nudge_minutes=cfg.session.nudge_minutes,
                           previous_next_step=last_step_or_None, contacts=contacts)
    while not state.finished:
        ...perform actions in order...
        state, actions = step(state, AnswerGiven(text, at=clock.now()))

Events (all carry ``at``, seconds from any clock; only differences matter):
    ``AnswerGiven(text, at, words)`` a whole turn of the person's words (``words``: the
    recogniser's ``protocols.Word``s with times and confidences; empty when typed);
    ``Skipped(at)`` key or button "skip"; ``RepeatRequested(at)`` "say that again";
    ``StopRequested(at)`` end early (goes to the summary); ``TimeTick(at)`` time passing
    (send one every few seconds while waiting, for the session-length nudge).
    Spoken commands ("repeat", "skip", "stop", "넘어가요"...) inside ``AnswerGiven`` are
    recognised by the engine itself.

Actions, to perform in order:
    ``Reflect(text, kind, complex, said)`` say/show the person's words reflected back (not a
        question): simple (second person), double-sided, feeling, or their last addition;
    ``Tell(text)`` say/show a statement of the flow's before its question (a turn of its
        own, as the miracle question's supposition);
    ``Ask(step_id, text, kind, grammar_hint, choices)`` say/show a question, then listen
        (``grammar_hint`` is a word list for a grammar-restricted recogniser, or None
        for free speech);
    ``SaveAnswer(step_id, prompt, answer, rating, next_step, followup, words)`` store one
        answer now (``rating`` for ratings, 1/0 for yes/no; ``next_step`` marks the answer
        that opens the next session; ``words`` the answer's recognised words, if spoken);
    ``OfferSupport(text, contacts)`` say ``text``, then read the contacts aloud and show
        them (``safety.spoken_contacts``). After risk language the flow is paused and a
        ``choice`` ``Ask`` with ``step_id == SUPPORT_STEP`` follows: hear the contacts
        again, go on, or stop for today (words or 1-3; "no, I'm fine" goes on). Someone
        else's suicide or a denial ("I'm not suicidal") gets one gentle ``Ask`` with
        ``step_id == CHECK_IN_STEP`` instead. Once risk came up, the goodbye is preceded by
        the contacts once more;
    ``Nudge(text)`` a gentle note about session length (no answer expected);
    ``Summarize(text, spoken)`` the closing summary in the person's words: ``text`` in
        full for the screen, ``spoken`` short (≤ ~110 words) to say; an ``Ask`` with
        ``step_id == MISSED_STEP`` ("Did I miss anything?") follows;
    ``Finished(text)`` say the goodbye (after a ``Reflect`` of what the person added to
        "Did I miss anything?", if anything); the session is over.
    After performing a batch, listen if its last action is an ``Ask``.
    ``SaveAnswer`` for a choice step carries the chosen index as ``rating``.
    Structured answers: an answer that is not a number (yes/no, choice) is saved at once
    with no rating and the question is asked again; the number given then is saved with
    ``rates`` = the question it rates. A spoken rating heard with doubt (a low-confidence
    number word, or Korean "이": 2 or "this") is not saved until confirmed: an ``Ask`` for
    the same step says "I heard 2 — is that right?" and takes yes, no, or another number.

State (``EngineState``, frozen): ``state.finished``; ``state.step`` (the flow step being
asked, or None while paused, summarising or at the continuity question);
``state.next_small_step`` (the person's words for their next step, to store and pass as
``previous_next_step`` next time); ``state.current`` (the last ``Ask``).
Step ids starting with ``_`` (``CONTINUITY_STEP``, ``SUPPORT_STEP``, ``CHECK_IN_STEP``,
``MISSED_STEP``) are
the engine's own questions, not the flow's. Events and actions are defined in
``reflection/events.py`` and re-exported here.

Listening (``reflection/listening.py``) reads each text answer through the language layer
(clauses, negation, owner, person; the recogniser's word times cut clauses at pauses) and
MI's change/sustain talk (``reflection/talk.py``), loaded lazily on the first answer. The
engine never raises on any text: empty, huge, or any script.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from voicereflect.protocols import Word
from voicereflect.reflection import followups as fu
from voicereflect.reflection import listening
from voicereflect.reflection.answers import (
    SUPPORT_CONTACTS,
    SUPPORT_GO_ON,
    SUPPORT_STOP,
    is_skip,
    matches_command,
    parse_rating,
    parse_support_choice,
    parse_yes_no,
    rating_doubt,
    rating_words,
    yes_no_words,
)
from voicereflect.reflection.continuity import opening_for
from voicereflect.reflection.events import (
    Action,
    AnswerGiven,
    Ask,
    Event,
    Finished,
    Nudge,
    OfferSupport,
    Reflect,
    RepeatRequested,
    SaveAnswer,
    Skipped,
    StopRequested,
    Summarize,
    Tell,
    TimeTick,
)
from voicereflect.reflection.packs import AnswerKind, Flow, PromptPack, Step
from voicereflect.reflection.risk import Finding, assess
from voicereflect.reflection.safety import SupportContact, mentions_risk
from voicereflect.reflection.summary import SummaryItem, build_summary

# The events and actions live in events.py; they are part of this module's API.
__all__ = [
    "CHECK_IN_STEP", "CONTINUITY_STEP", "MISSED_STEP", "SUPPORT_STEP", "Action",
    "AnswerGiven", "Ask", "EngineState", "Event", "Finished", "Nudge", "OfferSupport",
    "Recorded", "Reflect",
    "RepeatRequested", "Result", "SaveAnswer", "Skipped", "StopRequested", "Summarize",
    "Tell", "TimeTick", "farewell", "start", "step",
]  # fmt: skip

CONTINUITY_STEP = "_continuity"
SUPPORT_STEP = "_support"
CHECK_IN_STEP = "_check_in"
MISSED_STEP = "_missed"
MAX_CONFIRMS = 2  # "I heard 2 — is that right?" at most twice per question
WHY_REPEATS = 2  # an abstract "why" is turned to "what"/"how" once it comes back
MAX_ANSWER_CHARS = 20_000  # safety scans this much of a turn; SaveAnswer keeps it all
MAX_FOLLOWUP_CHARS = 3_000  # about 500 spoken words: enough to choose a follow-up

Phase = Literal["asking", "support", "check_in", "missed", "finished"]


@dataclass(frozen=True)
class Recorded:
    """An answer kept for the summary."""

    step_id: str
    text: str
    followup: bool


@dataclass(frozen=True)
class Pending:
    """A spoken rating heard with doubt, waiting for the person to confirm it."""

    value: int
    text: str
    words: tuple[Word, ...]
    prompt: str


@dataclass(frozen=True)
class EngineState:
    """Everything the engine knows; replace, never mutate.

    ``index`` is the current step (-1 while the continuity question is asked).
    """

    pack: PromptPack
    flow: Flow
    contacts: tuple[SupportContact, ...]
    started_at: float
    nudge_after: float | None
    previous_next_step: str | None = None
    phase: Phase = "asking"
    index: int = 0
    current: Ask | None = None
    followups_used: int = 0
    invited: bool = False
    clarified: bool = False
    step_prompt: str = ""
    pending: Pending | None = None
    confirms: int = 0
    answers: tuple[Recorded, ...] = ()
    ratings: tuple[tuple[str, int], ...] = ()
    change_talk: tuple[str, ...] = ()
    # Sustain talk heard and not yet reflected with change talk: (as said, as said back).
    sustain_heard: tuple[tuple[str, str], ...] = ()
    themes_used: tuple[str, ...] = ()
    why_count: int = 0
    nudged: bool = False
    risk_seen: bool = False  # the card came up: the goodbye offers the contacts again
    checked_in: bool = False  # the gentle check-in is asked once a session

    @property
    def finished(self) -> bool:
        """Whether the session is over."""
        return self.phase == "finished"

    @property
    def step(self) -> Step | None:
        """The flow step being asked, if any."""
        if self.phase == "asking" and 0 <= self.index < len(self.flow.steps):
            return self.flow.steps[self.index]
        return None

    @property
    def next_small_step(self) -> str | None:
        """The person's words for their next small step, once given."""
        marked = {s.id for s in self.flow.steps if s.next_step}
        for rec in reversed(self.answers):
            if rec.step_id in marked and not rec.followup and rec.text.strip():
                return rec.text.strip()
        return None


Result = tuple[EngineState, tuple[Action, ...]]


def start(
    pack: PromptPack,
    flow_id: str,
    *,
    at: float,
    nudge_minutes: float = 20,
    previous_next_step: str | None = None,
    contacts: tuple[SupportContact, ...] = (),
) -> Result:
    """Begin a flow.

    Args:
        pack: the language pack (``packs.load_pack``).
        flow_id: which flow ("checkin", "decision"...).
        at: the current time in seconds.
        nudge_minutes: session length before a gentle nudge; 0 turns it off.
        previous_next_step: last session's next small step, in the person's words; when
            given, the session opens by asking how it went.
        contacts: the support list to offer if risk language comes up.

    Raises:
        PackError: the flow is not in the pack.
    """
    flow = pack.flow(flow_id)
    state = EngineState(
        pack=pack,
        flow=flow,
        contacts=contacts,
        started_at=at,
        nudge_after=nudge_minutes * 60 if nudge_minutes > 0 else None,
        previous_next_step=previous_next_step,
    )
    opening = opening_for(previous_next_step, pack.language) if previous_next_step else None
    if opening:
        ask = Ask(CONTINUITY_STEP, opening, "text")
        return dataclasses.replace(state, index=-1, current=ask), (ask,)
    return _enter(state, 0, ())


def step(state: EngineState, event: Event) -> Result:
    """Advance the dialogue by one event. Never raises on any text."""
    if state.finished:
        return state, ()
    state, pre = _maybe_nudge(state, event.at)
    if isinstance(event, TimeTick):
        return state, pre
    if isinstance(event, RepeatRequested):
        return state, pre + ((state.current,) if state.current else ())
    if isinstance(event, StopRequested):
        state, acts = _stop(state)
        return state, pre + acts
    if isinstance(event, Skipped):
        state, acts = _skip(state)
        return state, pre + acts
    state, acts = _answer(state, event.text, event.words)
    return state, pre + acts


# --- internals -----------------------------------------------------------------------


def _maybe_nudge(state: EngineState, at: float) -> Result:
    if state.nudged or state.nudge_after is None or state.phase != "asking":
        return state, ()
    if at - state.started_at < state.nudge_after:
        return state, ()
    minutes = int(round((at - state.started_at) / 60))
    text = _fill(state.pack.language.nudge, minutes=str(minutes))
    return dataclasses.replace(state, nudged=True), (Nudge(text),)


def _fill(template: str, **values: str) -> str:
    from voicereflect.reflection.reflections import fill

    return fill(template, **values)


def _variant(state: EngineState, options: tuple[str, ...], salt: int = 0) -> str:
    # Deterministic per session (pure), but varied between sessions and steps.
    seed = int(state.started_at) + state.index * 7 + salt
    return options[seed % len(options)]


def _grammar(state: EngineState, kind: AnswerKind, choices: tuple[str, ...]) -> tuple[str, ...]:
    lang = state.pack.lang
    if kind == "rating0_10":
        return rating_words(lang, 10)
    if kind == "rating0_100":
        return rating_words(lang, 100)
    if kind == "yesno":
        return yes_no_words(lang)
    return tuple(dict.fromkeys(w for c in choices for w in c.lower().split()))


def _ask(
    state: EngineState, step_id: str, text: str, kind: AnswerKind, choices: tuple[str, ...] = ()
) -> Ask:
    hint = None if kind == "text" else _grammar(state, kind, choices)
    return Ask(step_id, text, kind, hint, tuple(choices))


def _condition_met(state: EngineState, st: Step) -> bool:
    if st.when is None:
        return True
    rating = dict(state.ratings).get(st.when.step)
    return rating is not None and rating > st.when.above


def _prompt_text(state: EngineState, st: Step, template: str) -> str:
    if "{" not in template:
        return template
    values = {sid: str(rating) for sid, rating in state.ratings}
    for r in state.answers:
        if not r.followup and r.step_id not in values and "{" + r.step_id + "}" in template:
            values[r.step_id] = fu.core_clause(r.text, state.pack.lang)
    return _fill(template, **values)


def _enter(state: EngineState, index: int, pre: tuple[Action, ...]) -> Result:
    """Move to step ``index`` (skipping steps whose condition fails) or to the summary."""
    steps = state.flow.steps
    while index < len(steps) and not _condition_met(state, steps[index]):
        index += 1
    state = dataclasses.replace(
        state,
        index=index,
        followups_used=0,
        invited=False,
        clarified=False,
        pending=None,
        confirms=0,
        phase="asking",
    )
    if index >= len(steps):
        return _summarize(state, pre)
    st = steps[index]
    text = _prompt_text(state, st, _variant(state, st.prompts))
    ask = _ask(state, st.id, text, st.kind, st.choices)
    lead: tuple[Action, ...] = ()
    if st.lead:
        said = _prompt_text(state, st, st.lead)
        # A lead that says back the person's own answer ("You said 7.") is a reflection.
        own = "{" in st.lead
        lead = (Reflect(said, "simple", False, (said,)) if own else Tell(said),)
    return dataclasses.replace(state, current=ask, step_prompt=text), pre + lead + (ask,)


def _summarize(state: EngineState, pre: tuple[Action, ...]) -> Result:
    lang = state.pack.language
    items = []
    for st in state.flow.steps:
        said = [
            r.text
            for r in state.answers
            if r.step_id == st.id
            and r.text.strip()
            and not mentions_risk(r.text, lang.lang)
            # A "no" to a follow-up adds nothing to what the step's answer said.
            and not (r.followup and _declined(state, r))
        ]
        if st.label and said:
            rating = st.kind.startswith("rating")
            items.append(SummaryItem(st.label, tuple(said), rating, st.next_step))
    summary = build_summary(lang, tuple(items), state.change_talk)
    ask = Ask(MISSED_STEP, lang.summary_closing, "text")
    state = dataclasses.replace(state, phase="missed", current=ask)
    return state, pre + (Summarize(summary.full, summary.spoken), ask)


def _declined(state: EngineState, rec: Recorded) -> bool:
    return parse_yes_no(rec.text[:200], state.pack.lang) is False


def farewell(state: EngineState) -> tuple[Action, ...]:
    """The contacts once more, to say before any goodbye of a session where risk came up."""
    if state.risk_seen and state.contacts:
        return (OfferSupport(state.pack.language.support_farewell, state.contacts),)
    return ()


def _finish(state: EngineState, text: str, pre: tuple[Action, ...] = ()) -> Result:
    pre += farewell(state)
    return dataclasses.replace(state, phase="finished", current=None), pre + (Finished(text),)


def _stop(state: EngineState) -> Result:
    state, kept = _keep_pending(state)
    if state.phase in ("asking", "check_in") and state.answers:
        return _summarize(state, kept)
    if state.phase == "support":
        return _finish(state, state.pack.language.support_goodbye, kept)
    return _finish(state, state.pack.language.goodbye, kept)


def _keep_pending(state: EngineState) -> tuple[EngineState, tuple[Action, ...]]:
    """Leaving a question while a rating waits for confirmation keeps its words, unrated."""
    if state.pending is None:
        return state, ()
    save = _unrated(state, state.pending)
    state = _record(state, save.step_id, save.answer, False)
    return dataclasses.replace(state, pending=None), (save,)


def _skip(state: EngineState) -> Result:
    if state.phase == "missed":
        return _finish(state, state.pack.language.goodbye)
    if state.phase == "support":
        return _resume(state, ())
    state, kept = _keep_pending(state)
    return _enter(state, state.index + 1, kept)


def _resume(state: EngineState, pre: tuple[Action, ...]) -> Result:
    return _enter(dataclasses.replace(state, phase="asking"), state.index + 1, pre)


def _record(state: EngineState, step_id: str, text: str, followup: bool) -> EngineState:
    return dataclasses.replace(state, answers=state.answers + (Recorded(step_id, text, followup),))


def _answer(state: EngineState, text: str, words: tuple[Word, ...]) -> Result:
    lang = state.pack.language
    current = state.current
    step_id = current.step_id if current else ""
    prompt = current.text if current else ""
    # Risk first, before any command word: an edited pack cannot make it a command.
    finding = assess(text[:MAX_ANSWER_CHARS], state.pack.lang)
    if finding is not None and finding.reading == "risk":
        save = SaveAnswer(step_id, prompt, text, followup=state.followups_used > 0, words=words)
        # A choice, not yes/no: a "no, I'm fine" after a false alarm must not end the session.
        ask = Ask(SUPPORT_STEP, lang.support_resume, "choice", None, lang.support_choices)
        offer = OfferSupport(lang.support_offer, state.contacts)
        state = dataclasses.replace(state, phase="support", current=ask, risk_seen=True)
        return state, (save, offer, ask)
    if matches_command(text, lang.repeat_words):
        return state, ((current,) if current else ())
    if matches_command(text, lang.stop_words):
        return _stop(state)
    if state.phase == "support":
        return _support_answer(state, text, words)
    if state.phase == "missed":
        if is_skip(text, state.pack.lang, lang.skip_words) or not text.strip():
            return _finish(state, lang.goodbye)
        save = SaveAnswer(MISSED_STEP, prompt, text, words=words)
        head = text[:MAX_FOLLOWUP_CHARS]
        quotable = not mentions_risk(head, state.pack.lang)
        last = listening.last_addition(state, head, words) if quotable else ()
        return _finish(state, lang.goodbye, (save, *last))
    if is_skip(text, state.pack.lang, lang.skip_words):
        return _skip(state)
    if state.phase == "check_in":  # the answer to the gentle question; then the next step
        save = SaveAnswer(CHECK_IN_STEP, prompt, text, words=words)
        return _enter(state, state.index + 1, (save,) if text.strip() else ())
    if state.index < 0:  # how last time's small step went
        state = _record(state, CONTINUITY_STEP, text, False)
        return _enter(state, 0, (SaveAnswer(CONTINUITY_STEP, prompt, text, words=words),))
    st = state.flow.steps[state.index]
    if st.kind == "text":
        if finding is not None and not state.checked_in:
            return _check_in(state, st, text, words, finding)
        return _text_answer(state, st, text, words)
    return _structured_answer(state, st, text, words)


def _support_answer(state: EngineState, text: str, words: tuple[Word, ...]) -> Result:
    lang = state.pack.language
    save = (
        SaveAnswer(SUPPORT_STEP, lang.support_resume, text, words=words) if text.strip() else None
    )
    pre: tuple[Action, ...] = (save,) if save else ()
    choice = parse_support_choice(text, state.pack.lang)
    if choice == SUPPORT_GO_ON:
        return _resume(state, pre)
    if choice == SUPPORT_STOP:
        return _finish(state, lang.support_goodbye, pre)
    if choice == SUPPORT_CONTACTS:
        pre += (OfferSupport(lang.support_again, state.contacts),)
    # Read the contacts again, or ask again: anything unclear never resumes silently.
    return state, pre + ((state.current,) if state.current else ())


def _check_in(
    state: EngineState, st: Step, text: str, words: tuple[Word, ...], finding: Finding
) -> Result:
    """Someone else's suicide or self-harm, or a denial: save the answer, ask gently, once."""
    lang = state.pack.language
    followup = state.invited or state.followups_used > 0
    prompt = state.current.text if state.current else ""
    save = SaveAnswer(st.id, prompt, text, None, st.next_step, followup, words=words)
    state = _record(state, st.id, text, followup)
    question = lang.check_in_other if finding.reading == "third_party" else lang.check_in_denied
    ask = Ask(CHECK_IN_STEP, question, "text")
    return dataclasses.replace(state, phase="check_in", current=ask, checked_in=True), (save, ask)


def _structured_answer(state: EngineState, st: Step, text: str, words: tuple[Word, ...]) -> Result:
    lang = state.pack.language
    prompt = state.current.text if state.current else ""
    value: int | None = None
    rating = st.kind in ("rating0_10", "rating0_100")
    if rating:
        value = parse_rating(text[:200], state.pack.lang, _scale(st))
        clarify = _fill(lang.rating_clarify, scale=str(_scale(st)))
    elif st.kind == "yesno":
        yn = parse_yes_no(text[:200], state.pack.lang)
        value = None if yn is None else int(yn)
        clarify = lang.yesno_clarify
    else:
        low = text.lower()
        hits = [i for i, c in enumerate(st.choices) if c.lower() in low]
        if low.strip().isdigit() and 1 <= int(low.strip()) <= len(st.choices):
            hits = [int(low.strip()) - 1]  # the key or the number the person typed
        value = hits[0] if len(hits) == 1 else None
        clarify = _fill(lang.choice_clarify, choices=", ".join(st.choices))
    if state.pending is not None:
        return _confirmation(state, st, text, words, value)
    if (
        rating
        and value is not None
        and state.confirms < MAX_CONFIRMS
        and rating_doubt(text[:200], words, state.pack.lang)
    ):
        return _confirm(state, st, Pending(value, text, words, prompt))
    # Whatever the person said is kept, number or not; a number given to a question asked
    # again is stored with the question it rates.
    rates = state.step_prompt if prompt != state.step_prompt else None
    save = SaveAnswer(st.id, prompt, text, value, st.next_step, words=words, rates=rates)
    state = _record(state, st.id, text, False)
    if value is None and not state.clarified:
        ask = _ask(state, st.id, clarify, st.kind, st.choices)
        return dataclasses.replace(state, clarified=True, current=ask), (save, ask)
    if value is not None and rating:
        state = dataclasses.replace(state, ratings=state.ratings + ((st.id, value),))
    return _enter(state, state.index + 1, (save,))


def _scale(st: Step) -> int:
    return 10 if st.kind == "rating0_10" else 100


def _confirm(state: EngineState, st: Step, pending: Pending) -> Result:
    """Ask "I heard 2 — is that right?", listening for yes/no or another number."""
    lang = state.pack.language
    text = _fill(lang.rating_confirm, value=str(pending.value))
    hint = tuple(dict.fromkeys(yes_no_words(state.pack.lang) + _grammar(state, st.kind, ())))
    ask = Ask(st.id, text, st.kind, hint)
    state = dataclasses.replace(state, pending=pending, confirms=state.confirms + 1, current=ask)
    return state, (ask,)


def _confirmation(
    state: EngineState, st: Step, text: str, words: tuple[Word, ...], value: int | None
) -> Result:
    """The answer to "I heard 2 — is that right?": yes, no, or the right number."""
    pending = state.pending
    assert pending is not None
    state = dataclasses.replace(state, pending=None)
    said = parse_yes_no(text[:200], state.pack.lang)
    if value is not None and value != pending.value:
        # A spoken correction may be misheard too: confirm it as well, within the limit.
        if state.confirms < MAX_CONFIRMS and rating_doubt(text[:200], words, state.pack.lang):
            return _confirm(state, st, Pending(value, text, words, pending.prompt))
        return _keep_rating(state, st, Pending(value, text, words, pending.prompt))
    if value is not None or said is True:
        return _keep_rating(state, st, pending)
    if said is False and state.confirms < MAX_CONFIRMS:
        clarify = _fill(state.pack.language.rating_clarify, scale=str(_scale(st)))
        ask = _ask(state, st.id, clarify, st.kind)
        return dataclasses.replace(state, clarified=True, current=ask), (ask,)
    if said is None and state.confirms < MAX_CONFIRMS:
        return _confirm(state, st, pending)
    # Still unsure: the words are kept, with no rating (never a number they did not give).
    save = _unrated(state, pending)
    state = _record(state, st.id, pending.text, False)
    return _enter(state, state.index + 1, (save,))


def _unrated(state: EngineState, pending: Pending) -> SaveAnswer:
    return SaveAnswer(
        state.current.step_id if state.current else "",
        pending.prompt,
        pending.text,
        words=pending.words,
    )


def _keep_rating(state: EngineState, st: Step, pending: Pending) -> Result:
    rates = state.step_prompt if pending.prompt != state.step_prompt else None
    save = SaveAnswer(
        st.id,
        pending.prompt,
        pending.text,
        pending.value,
        st.next_step,
        words=pending.words,
        rates=rates,
    )
    state = _record(state, st.id, pending.text, False)
    state = dataclasses.replace(state, ratings=state.ratings + ((st.id, pending.value),))
    return _enter(state, state.index + 1, (save,))


def _text_answer(state: EngineState, st: Step, text: str, words: tuple[Word, ...]) -> Result:
    lang = state.pack.language
    followup = state.invited or state.followups_used > 0
    prompt = state.current.text if state.current else ""
    pre: list[Action] = [SaveAnswer(st.id, prompt, text, None, st.next_step, followup, words)]
    state = _record(state, st.id, text, followup)
    head = text[:MAX_FOLLOWUP_CHARS]
    rules = st.followups

    # Risk language (even someone else's, or denied) is never quoted back, as change or not.
    quotable = not mentions_risk(head, state.pack.lang)

    budget = state.followups_used < st.max_followups
    # A plain "no" / "nothing" is an answer in itself, not an opening to press on.
    declined = parse_yes_no(head[:200], state.pack.lang) is False
    short = fu.word_count(head) < lang.short_answer_words
    if "short" in rules and not state.invited and short and not declined:
        ask = _ask(state, st.id, _variant(state, lang.invite_more, 2), "text")
        state = dataclasses.replace(state, invited=True, current=ask)
        return state, tuple(pre) + (ask,)

    # Listen before asking: a reflection of this answer comes before any follow-up.
    if quotable:
        state, heard = listening.listen(state, st, head, words, gather="change_talk" in rules)
        pre += heard

    if "why" in rules:
        count, why_quote = fu.find_why(head, lang.why_patterns, state.pack.lang)
        state = dataclasses.replace(state, why_count=state.why_count + count)
        if count and why_quote and state.why_count >= WHY_REPEATS and budget:
            ask = _ask(
                state, st.id, _fill(_variant(state, lang.why_to_how, 3), quote=why_quote), "text"
            )
            state = dataclasses.replace(
                state, why_count=0, followups_used=state.followups_used + 1, current=ask
            )
            return state, tuple(pre) + (ask,)

    if budget and "theme" in rules:
        found = fu.find_theme(head, lang.themes, state.pack.lang, st.themes, state.themes_used)
        if found is not None:
            theme, _ = found
            ask = _ask(state, st.id, _variant(state, theme.prompts, 5), "text")
            state = dataclasses.replace(
                state,
                themes_used=state.themes_used + (theme.name,),
                followups_used=state.followups_used + 1,
                current=ask,
            )
            return state, tuple(pre) + (ask,)

    if budget and "more" in rules and st.followup_prompts:
        salt = 8 + state.followups_used
        ask = _ask(state, st.id, _variant(state, st.followup_prompts, salt), "text")
        state = dataclasses.replace(state, followups_used=state.followups_used + 1, current=ask)
        return state, tuple(pre) + (ask,)

    return _enter(state, state.index + 1, tuple(pre))
