"""Every shipped flow, in every shipped language, driven from its first question to goodbye."""

from __future__ import annotations

import pytest

from voicereflect.reflection import engine as e
from voicereflect.reflection.packs import PromptPack, available_languages, load_pack

ANSWERS = {
    "en": {
        "text": "I felt a bit tired after the meeting but I want to go for a walk tomorrow",
        "rating0_10": "a seven",
        "rating0_100": "about sixty",
        "yesno": "yes",
        "missed": "no I think that's everything",
    },
    "ko": {
        "text": "회의가 끝나고 좀 피곤했지만 내일은 산책을 하고 싶어요",
        "rating0_10": "칠 점이요",
        "rating0_100": "육십",
        "yesno": "네",
        "missed": "아니요 다 말한 것 같아요",
    },
}
RATINGS = {"rating0_10": 7, "rating0_100": 60}


def _flows() -> list[tuple[str, str]]:
    return [(lang, f.id) for lang in available_languages() for f in load_pack(lang).flows]


def test_every_required_flow_is_shipped() -> None:
    en = {f.id for f in load_pack("en").flows}
    ko = {f.id for f in load_pack("ko").flows}
    assert en >= {
        "checkin", "open", "decision", "solution", "thought_record", "after_event",
        "strengths", "values",
    }  # fmt: skip
    assert ko >= {"checkin", "open", "decision"}


def drive(pack: PromptPack, flow_id: str, lang: str) -> tuple[list[e.Action], e.EngineState]:
    """Answer every Ask with the scripted answer for its kind until the session ends."""
    state, actions = e.start(pack, flow_id, at=0.0, nudge_minutes=0)
    seen = list(actions)
    for turn in range(200):
        if state.finished:
            break
        ask = actions[-1]
        assert isinstance(ask, e.Ask), f"batch must end with a question, got {ask!r}"
        text = ANSWERS[lang]["missed"] if ask.step_id == e.MISSED_STEP else ANSWERS[lang][ask.kind]
        state, actions = e.step(state, e.AnswerGiven(text, at=float(turn)))
        seen += actions
    assert state.finished, "the flow never finished"
    return seen, state


@pytest.mark.parametrize(("lang", "flow_id"), _flows())
def test_flow_runs_from_first_question_to_summary(lang: str, flow_id: str) -> None:
    pack = load_pack(lang)
    flow = pack.flow(flow_id)
    seen, state = drive(pack, flow_id, lang)

    asked = {a.step_id for a in seen if isinstance(a, e.Ask)}
    assert {s.id for s in flow.steps} <= asked, "every step is asked (ratings are above 0)"
    saved = [a for a in seen if isinstance(a, e.SaveAnswer)]
    assert {s.id for s in flow.steps} <= {a.step_id for a in saved}
    for a in saved:
        kind = flow.step(a.step_id).kind if a.step_id in {s.id for s in flow.steps} else "text"
        if kind in RATINGS:
            assert a.rating == RATINGS[kind]
    summaries = [a for a in seen if isinstance(a, e.Summarize)]
    assert len(summaries) == 1
    assert summaries[0].text.startswith(pack.language.summary_intro)
    i = seen.index(summaries[0])
    assert seen[i + 1] == e.Ask(e.MISSED_STEP, pack.language.summary_closing, "text")
    assert seen[i + 1].text.endswith("?")
    assert isinstance(seen[-1], e.Finished)
    assert any(a.step_id == e.MISSED_STEP for a in saved), "the 'anything missed' answer is kept"
    if any(s.next_step for s in flow.steps):
        assert state.next_small_step == ANSWERS[lang]["text"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_decision_flow_asks_why_not_lower_with_the_persons_number(lang: str) -> None:
    pack = load_pack(lang)
    seen, _ = drive(pack, "decision", lang)
    why = [a for a in seen if isinstance(a, e.Ask) and a.step_id == "importance_why_not_lower"]
    assert why and "7" in why[0].text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_rating_of_zero_skips_why_not_lower(lang: str) -> None:
    pack = load_pack(lang)
    state, actions = e.start(pack, "decision", at=0.0, nudge_minutes=0)
    asked = []
    zero = "zero" if lang == "en" else "영"
    for turn in range(200):
        if state.finished:
            break
        ask = actions[-1]
        assert isinstance(ask, e.Ask)
        asked.append(ask.step_id)
        text = zero if ask.kind == "rating0_10" else ANSWERS[lang]["text"]
        state, actions = e.step(state, e.AnswerGiven(text, at=float(turn)))
    assert "importance" in asked and "importance_one_up" in asked
    assert "importance_why_not_lower" not in asked
    assert "confidence_why_not_lower" not in asked


FRAMEWORK_STEPS = {
    "checkin": ["feeling", "mood", "stood_out", "carry_forward"],
    "decision": [
        "decision", "options", "stay_good", "stay_not_so_good", "change_not_so_good",
        "change_good", "importance", "importance_why_not_lower", "importance_one_up",
        "confidence", "confidence_why_not_lower", "confidence_one_up", "next_step",
    ],
    "solution": [
        "hopes", "miracle", "others_notice", "scale", "why_not_lower", "exceptions",
        "one_higher", "next_sign",
    ],
    "thought_record": [
        "situation", "emotions", "emotion_rating", "thoughts", "evidence_for",
        "evidence_against", "balanced", "balanced_belief", "rerate",
    ],
    "after_event": [
        "description", "feelings", "evaluation", "analysis", "conclusion", "action_plan",
    ],
    "strengths": [
        "facing", "past_success", "how", "strengths", "others_see", "confidence", "use_now",
    ],
    "values": ["matters", "why_matters", "today", "fit", "small_choice"],
}  # fmt: skip


@pytest.mark.parametrize(("lang", "flow_id"), _flows())
def test_flow_keeps_its_frameworks_steps_in_order(lang: str, flow_id: str) -> None:
    flow = load_pack(lang).flow(flow_id)
    if flow_id in FRAMEWORK_STEPS:
        assert [s.id for s in flow.steps] == FRAMEWORK_STEPS[flow_id]
    rulers = [s for s in flow.steps if s.kind.startswith("rating")]
    for ruler in rulers:
        why_not_lower = [s for s in flow.steps if s.when and s.when.step == ruler.id]
        if flow_id in ("decision", "solution"):
            assert why_not_lower, f"{ruler.id} has its 'why not a lower number?'"
