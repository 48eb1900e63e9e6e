"""The dialogue engine's behaviour: follow-ups that follow the person, commands, nudge, stop."""

from __future__ import annotations

import pytest

from voicereflect.protocols import Word
from voicereflect.reflection import engine as e
from voicereflect.reflection.packs import PromptPack, load_pack


@pytest.fixture(scope="module")
def en() -> PromptPack:
    return load_pack("en")


@pytest.fixture(scope="module")
def ko() -> PromptPack:
    return load_pack("ko")


def answer(
    state: e.EngineState, text: str, at: float = 1.0
) -> tuple[e.EngineState, list[e.Action]]:
    state, actions = e.step(state, e.AnswerGiven(text, at))
    return state, list(actions)


def asks(actions: list[e.Action]) -> list[e.Ask]:
    return [a for a in actions if isinstance(a, e.Ask)]


def reflections(actions: list[e.Action]) -> list[str]:
    return [a.text for a in actions if isinstance(a, e.Reflect)]


def test_start_asks_the_first_step_and_waits(en: PromptPack) -> None:
    state, actions = e.start(en, "checkin", at=0.0)
    assert len(actions) == 1 and isinstance(actions[0], e.Ask)
    assert (
        actions[0].step_id == "feeling" and actions[0].text in en.flow("checkin").steps[0].prompts
    )
    assert actions[0].grammar_hint is None
    assert not state.finished and state.step is not None and state.step.id == "feeling"


def test_answer_is_saved_at_once_with_its_prompt(en: PromptPack) -> None:
    state, first = e.start(en, "checkin", at=0.0)
    state, actions = answer(state, "calm and a little tired after a long walk in the park")
    save = actions[0]
    assert isinstance(save, e.SaveAnswer)
    assert save.step_id == "feeling" and save.prompt == first[0].text
    assert save.answer == "calm and a little tired after a long walk in the park"


def test_the_spoken_words_are_saved_with_the_answer(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    words = (Word("calm", 0.2, 0.6, 0.97), Word("today", 0.7, 1.1, 0.55))
    state, actions = e.step(state, e.AnswerGiven("calm today", 1.0, words))
    save = actions[0]
    assert isinstance(save, e.SaveAnswer) and save.words == words


def test_short_answer_gets_one_gentle_invitation_per_step(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, actions = answer(state, "okay")
    invite = asks(actions)[-1]
    assert invite.step_id == "feeling" and invite.text in en.language.invite_more
    state, actions = answer(state, "fine")
    assert asks(actions)[-1].step_id == "mood", "the second short answer moves on"
    assert isinstance(actions[0], e.SaveAnswer) and actions[0].followup


def test_rating_step_has_a_grammar_and_asks_again_once_when_no_number(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, actions = answer(state, "quite steady today, honestly, after a slow morning")
    ask = asks(actions)[-1]
    assert ask.kind == "rating0_10" and ask.grammar_hint and "seven" in ask.grammar_hint
    state, actions = answer(state, "hmm I am not sure")
    assert asks(actions)[-1].text == "What number from 0 to 10 fits best?"
    state, actions = answer(state, "still not sure")
    save = actions[0]
    assert (
        isinstance(save, e.SaveAnswer) and save.rating is None and save.answer == "still not sure"
    )
    assert asks(actions)[-1].step_id == "stood_out"


def test_rating_is_saved_as_a_number(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, _ = answer(state, "quite steady today, honestly, after a slow morning")
    state, actions = answer(state, "about a six")
    assert isinstance(actions[0], e.SaveAnswer) and actions[0].rating == 6


def test_theme_chooses_the_follow_up_after_a_reflection_in_the_second_person(
    en: PromptPack,
) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    said = "honestly my boss keeps adding deadlines and I feel stretched thin"
    state, actions = answer(state, said)
    follow = asks(actions)[-1]
    assert follow.step_id == "feeling" and follow.text in en.language.themes[0].prompts  # work
    assert reflections(actions) == ["It sounds like you feel stretched thin."], "about them"
    assert actions.index(follow) > 1, "the reflection comes before the question"


def test_didnt_work_out_is_not_a_work_question(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=0.0)
    state, actions = answer(state, "the flat viewing didn't work out and i'm back to square one")
    work = next(t for t in en.language.themes if t.name == "work")
    assert asks(actions)[-1].text not in work.prompts


def test_sick_of_this_is_not_a_health_question(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=0.0)
    state, actions = answer(state, "I'm sick of this, the same argument every single weekend")
    health = next(t for t in en.language.themes if t.name == "health")
    assert asks(actions)[-1].text not in health.prompts


def test_what_my_sister_thinks_chooses_no_theme(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=0.0)
    state, actions = answer(state, "my sister thinks i should go back to university")
    study = next(t for t in en.language.themes if t.name == "study")
    assert asks(actions)[-1].text not in study.prompts


def test_each_theme_is_followed_up_once_per_session(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, actions = answer(state, "work has been heavy, the office is loud and busy")
    assert asks(actions)[-1].step_id == "feeling"
    state, actions = answer(state, "mostly the office, it is loud all day long")
    state, actions = answer(state, "seven")
    state, actions = answer(state, "a long meeting at work with the whole team today")
    assert asks(actions)[-1].step_id == "carry_forward", "work was already followed up"


def test_korean_theme_matches_words_with_particles(ko: PromptPack) -> None:
    state, _ = e.start(ko, "checkin", at=0.0)
    state, actions = answer(state, "요즘 회사에서 야근이 많아서 많이 지쳤어요")
    follow = asks(actions)[-1]
    work = next(t for t in ko.language.themes if t.name == "work")
    assert follow.step_id == "feeling" and follow.text in work.prompts
    assert reflections(actions) == ["지친 마음이 드셨겠어요."], "their own feeling word, 지치다"


def test_change_talk_is_reflected_in_the_persons_words(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, actions = answer(state, "a bit flat, but I want to start going to bed earlier")
    refl = reflections(actions)
    assert refl[-1].endswith("you want to start going to bed earlier."), "change talk last"
    assert state.change_talk == ("I want to start going to bed earlier",)


def test_korean_change_talk_is_reflected(ko: PromptPack) -> None:
    state, _ = e.start(ko, "checkin", at=0.0)
    state, actions = answer(state, "좀 지쳤지만 이번 주에는 운동을 다시 시작하고 싶어요")
    refl = reflections(actions)
    assert refl[-1] == "“이번 주에는 운동을 다시 시작하고 싶어요”라고 하셨네요."


def test_repeated_why_is_turned_to_what_or_how(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=0.0)
    state, actions = answer(state, "why do I always end up arguing with people about little things")
    assert not any("You asked" in a.text for a in asks(actions)), "one why is not yet a loop"
    state, actions = answer(state, "and why am I like this, it keeps happening again and again")
    follow = asks(actions)[-1]
    assert follow.text.startswith("You asked “why am I like this")
    assert "What" in follow.text or "How" in follow.text
    assert "why" not in follow.text.split("”", 1)[1].lower(), "the question itself is not why"


def test_open_reflection_keeps_following_up_within_its_budget(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=0.0)
    texts = []
    for said in [
        "today felt long and I kept thinking about the conversation we had",
        "it left me unsure of where I stand with them right now",
        "I keep replaying the way it ended and how quiet it got",
        "that is most of it really, it just sits with me",
    ]:
        state, actions = answer(state, said)
        texts.append(asks(actions)[-1].step_id)
    assert texts == ["talk", "talk", "talk", "stands_out"]


def test_skip_moves_on_without_saving(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, actions = answer(state, "skip")
    assert not any(isinstance(a, e.SaveAnswer) for a in actions)
    assert asks(actions)[-1].step_id == "mood"
    state, actions = e.step(state, e.Skipped(at=2.0))
    assert asks(list(actions))[-1].step_id == "stood_out"


def test_repeat_asks_the_same_question_again(en: PromptPack) -> None:
    state, first = e.start(en, "checkin", at=0.0)
    same, actions = e.step(state, e.RepeatRequested(at=1.0))
    assert actions == first and same == state
    same, actions = e.step(state, e.AnswerGiven("say that again", at=1.0))
    assert actions == first and same == state


def test_stop_goes_to_the_summary_and_then_finishes(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, _ = answer(state, "steady after a slow and quiet morning")
    state, actions = answer(state, "let's stop")
    assert isinstance(actions[0], e.Summarize) and asks(actions)[-1].step_id == e.MISSED_STEP
    state, actions = e.step(state, e.StopRequested(at=3.0))
    assert state.finished and isinstance(actions[-1], e.Finished)


def test_stop_before_any_answer_finishes_without_a_summary(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, actions = e.step(state, e.StopRequested(at=1.0))
    assert state.finished and not any(isinstance(a, e.Summarize) for a in actions)


def test_finished_engine_ignores_further_events(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0)
    state, _ = e.step(state, e.StopRequested(at=1.0))
    for event in (e.AnswerGiven("hello", 2.0), e.TimeTick(3.0), e.Skipped(4.0)):
        again, actions = e.step(state, event)
        assert again == state and actions == ()


def test_nudge_once_after_the_configured_minutes(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=100.0, nudge_minutes=20)
    state, actions = e.step(state, e.TimeTick(at=100.0 + 19 * 60))
    assert actions == ()
    state, actions = e.step(state, e.TimeTick(at=100.0 + 20 * 60))
    assert len(actions) == 1 and isinstance(actions[0], e.Nudge)
    assert "20 minutes" in actions[0].text
    state, actions = e.step(state, e.TimeTick(at=100.0 + 40 * 60))
    assert actions == (), "only once"
    assert not state.finished, "a nudge never ends the session by itself"


def test_nudge_comes_before_the_next_question_when_an_answer_arrives_late(en: PromptPack) -> None:
    state, _ = e.start(en, "checkin", at=0.0, nudge_minutes=5)
    state, actions = answer(state, "quiet and thoughtful, a little slow today", at=6 * 60)
    assert isinstance(actions[0], e.Nudge) and isinstance(actions[-1], e.Ask)


def test_nudge_off_when_zero(en: PromptPack) -> None:
    state, _ = e.start(en, "open", at=0.0, nudge_minutes=0)
    _, actions = e.step(state, e.TimeTick(at=10 * 3600))
    assert actions == ()


def test_choice_step_reads_the_choice(en: PromptPack) -> None:
    from dataclasses import replace

    from voicereflect.reflection.packs import Flow, Step

    flow = Flow(
        "pick", "Pick", "", "",
        (Step("which", "choice", ("Which one, tea or coffee?",), "Choice", ("tea", "coffee")),),
        en.flows[0].source,
    )  # fmt: skip
    pack = replace(en, flows=(flow,))
    state, actions = e.start(pack, "pick", at=0.0)
    assert actions[0].grammar_hint == ("tea", "coffee")  # type: ignore[union-attr]
    state, actions = e.step(state, e.AnswerGiven("coffee please", 1.0))
    assert isinstance(actions[0], e.SaveAnswer) and actions[0].rating == 1


@pytest.mark.parametrize(
    ("said", "change", "sustain"),
    [
        (
            "I could have asked for help, but next week I will ask Sam",
            ["next week I will ask Sam"],
            [],
        ),
        ("I will not go back there", [], ["I will not go back there"]),
        ("I could have left earlier", [], []),
    ],
)
def test_regret_is_no_change_talk_and_refusal_is_sustain_talk(
    said: str, change: list[str], sustain: list[str]
) -> None:
    from voicereflect.reflection.talk import hear

    heard = hear(said, "en")
    assert [h.clause.text for h in heard if h.talk == "change"] == change
    assert [h.clause.text for h in heard if h.talk == "sustain"] == sustain
