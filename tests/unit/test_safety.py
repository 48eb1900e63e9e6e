"""Risk language pauses the flow and offers the person's own contacts; idioms do not."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.fakes import FakeClock
from voicereflect import paths
from voicereflect.reflection import engine as e
from voicereflect.reflection.packs import load_pack
from voicereflect.reflection.safety import (
    SupportContact,
    SupportListError,
    ensure_user_support_file,
    load_support_contacts,
    mentions_risk,
    user_support_path,
)
from voicereflect.session.dialogue import EngineDialogue
from voicereflect.session.events import Command


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("sometimes I think about killing myself", "en"),
        ("I just want to die", "en"),
        ("I've been having suicidal thoughts", "en"),
        ("I hurt myself again last night", "en"),
        ("everyone would be better off without me", "en"),
        ("I don't want to be alive anymore", "en"),
        ("self-harm", "en"),
        ("요즘 죽고 싶다는 생각이 들어요", "ko"),
        ("죽고싶어요", "ko"),
        ("자해를 했어요", "ko"),
        ("그냥 사라지고 싶어요", "ko"),
        ("살고 싶지 않아요", "ko"),
        ("I sometimes hope I don't wake up", "en"),
        ("I want to die", "ko"),  # English words inside a Korean session still count
    ],
)
def test_risk_language_is_noticed(text: str, lang: str) -> None:
    assert mentions_risk(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I was just killing time before the train", "en"),
        ("my phone battery died", "en"),
        ("I'm dying to see the new film", "en"),
        ("that cake was to die for", "en"),
        ("the presentation went well, we killed it", "en"),
        ("I cut my hair and felt better", "en"),
        ("I did not wake up until noon", "en"),
        ("아이가 아직 깨어나지 않았어요", "ko"),
        ("배고파 죽겠어요", "ko"),
        ("오늘 정말 피곤해 죽겠어요", "ko"),
        ("", "en"),
    ],
)
def test_everyday_idioms_are_not_risk(text: str, lang: str) -> None:
    assert not mentions_risk(text, lang)


CONTACTS = (SupportContact("My therapist", "555-0100"),)


@pytest.mark.parametrize(
    ("lang", "said", "again", "go_on", "stop"),
    [
        ("en", "honestly some days I want to die", "read me the numbers again", "no, I'm fine",
         "stop for today"),
        ("ko", "요즘 가끔 죽고 싶어요", "연락처 다시 들려주세요", "아니요 괜찮아요",
         "오늘은 그만할게요"),
        ("en", "i've been self-harming again", "1", "2", "3"),  # the keys
    ],
)  # fmt: skip
def test_risk_offers_contacts_then_a_choice_of_again_go_on_or_stop(
    lang: str, said: str, again: str, go_on: str, stop: str
) -> None:
    pack = load_pack(lang)
    words = pack.language
    state, _ = e.start(pack, "checkin", at=0.0, contacts=CONTACTS)
    state, actions = e.step(state, e.AnswerGiven(said, 1.0))
    assert isinstance(actions[0], e.SaveAnswer) and actions[0].answer == said
    offer = actions[1]
    assert isinstance(offer, e.OfferSupport) and offer.contacts == CONTACTS
    ask = actions[2]
    assert isinstance(ask, e.Ask) and ask.step_id == e.SUPPORT_STEP and ask.kind == "choice"
    assert ask.choices == words.support_choices and ask.grammar_hint is None
    assert state.step is None, "the flow is paused"
    # Anything unclear asks again; it never silently resumes or ends.
    paused, actions = e.step(state, e.AnswerGiven("hmm", 2.0))
    assert [type(a) for a in actions] == [e.SaveAnswer, e.Ask]
    _, actions = e.step(state, e.AnswerGiven(again, 3.0))
    assert actions[1] == e.OfferSupport(words.support_again, CONTACTS)
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id == e.SUPPORT_STEP
    resumed, actions = e.step(paused, e.AnswerGiven(go_on, 3.0))
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id == "mood"
    assert not resumed.finished
    ended, actions = e.step(paused, e.AnswerGiven(stop, 3.0))
    assert ended.finished
    assert actions[-2:] == (
        e.OfferSupport(words.support_farewell, CONTACTS),
        e.Finished(words.support_goodbye),
    )


def test_after_risk_came_up_every_goodbye_offers_the_contacts_again() -> None:
    pack = load_pack("en")
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    state, _ = e.step(state, e.AnswerGiven("I just want to disappear forever", 1.0))
    state, _ = e.step(state, e.AnswerGiven("no I'm fine, keep going", 2.0))
    actions: tuple[e.Action, ...] = ()
    for turn in range(20):
        if state.finished:
            break
        state, actions = e.step(state, e.Skipped(3.0 + turn))
    assert state.finished
    assert actions[-2:] == (
        e.OfferSupport(pack.language.support_farewell, CONTACTS),
        e.Finished(pack.language.goodbye),
    )


def test_without_risk_the_goodbye_is_just_goodbye() -> None:
    pack = load_pack("en")
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    state, actions = e.step(state, e.StopRequested(1.0))
    assert actions == (e.Finished(pack.language.goodbye),)


@pytest.mark.parametrize(
    ("lang", "said", "question"),
    [
        ("en", "my uncle died by suicide last year and I keep thinking about him",
         "check_in_other"),
        ("en", "I'm not suicidal, just really tired of work", "check_in_denied"),
        ("ko", "친구가 작년에 자살했어요", "check_in_other"),
        ("ko", "죽고 싶은 건 아니에요. 그냥 피곤해요", "check_in_denied"),
    ],
)  # fmt: skip
def test_someone_elses_suicide_or_a_denial_gets_one_gentle_question_not_the_card(
    lang: str, said: str, question: str
) -> None:
    pack = load_pack(lang)
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    first = state.current
    assert first is not None
    state, actions = e.step(state, e.AnswerGiven(said, 1.0))
    assert not any(isinstance(a, e.OfferSupport) for a in actions)
    assert actions[0] == e.SaveAnswer(first.step_id, first.text, said)
    ask = actions[-1]
    assert isinstance(ask, e.Ask) and ask.step_id == e.CHECK_IN_STEP
    assert ask.text == getattr(pack.language, question)
    state, actions = e.step(state, e.AnswerGiven("it's okay, I'm alright today", 2.0))
    assert isinstance(actions[0], e.SaveAnswer) and actions[0].step_id == e.CHECK_IN_STEP
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id != e.CHECK_IN_STEP
    assert not state.finished
    # Once a session: the next mention goes on as a normal answer.
    _, actions = e.step(state, e.AnswerGiven(said, 3.0))
    assert not any(isinstance(a, e.Ask) and a.step_id == e.CHECK_IN_STEP for a in actions)


@pytest.mark.parametrize(
    "said",
    [
        "At work we had a suicide prevention training. It felt meaningful",
        "my dog had an overdose of chocolate",
    ],
)
def test_the_false_alarms_from_the_issue_bring_nothing(said: str) -> None:
    pack = load_pack("en")
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    _, actions = e.step(state, e.AnswerGiven(said, 1.0))
    assert not any(isinstance(a, e.OfferSupport) for a in actions)
    assert not any(isinstance(a, e.Ask) and a.step_id.startswith("_") for a in actions)


def test_a_false_alarm_then_no_im_fine_goes_on_with_the_reflection() -> None:
    pack = load_pack("en")
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    # A real false alarm of this reader: a figure of speech it takes at its word.
    state, actions = e.step(
        state, e.AnswerGiven("honestly I could kill myself for forgetting", 1.0)
    )
    assert any(isinstance(a, e.OfferSupport) for a in actions)
    state, actions = e.step(state, e.AnswerGiven("um no, I'm fine, it was a joke", 2.0))
    assert not state.finished
    assert isinstance(actions[-1], e.Ask) and not actions[-1].step_id.startswith("_")


def test_support_text_does_not_diagnose() -> None:
    for lang in ("en", "ko"):
        text = load_pack(lang).language.support_offer.lower()
        for word in ("depress", "disorder", "diagnos", "crisis", "우울증", "장애", "진단"):
            assert word not in text


def test_first_load_gives_the_person_a_private_copy_of_the_default_list() -> None:
    assert not user_support_path().exists()
    en = load_support_contacts("en")
    assert user_support_path().exists()
    assert stat.S_IMODE(user_support_path().stat().st_mode) == 0o600
    ko = load_support_contacts("ko")
    assert any("988" in c.how for c in en) and not any("109" in c.how for c in en)
    assert any("109" in c.how for c in ko)


def test_user_copy_is_private_and_editable() -> None:
    path = ensure_user_support_file()
    assert path == user_support_path() and path.parent == paths.data_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text('[[contacts]]\nname = "Sam"\nhow = "07700 900123"\n', encoding="utf-8")
    assert load_support_contacts("en") == (SupportContact("Sam", "07700 900123"),)
    assert ensure_user_support_file() == path
    assert "Sam" in path.read_text(encoding="utf-8"), "an existing list is never overwritten"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[[contacts]\n", "not valid TOML"),
        ('[[contacts]]\nname = "A"\n', "needs both"),
        ('[[contacts]]\nname = "A"\nhow = "1"\nphone = "2"\n', r"contacts\[0\]\.phone"),
        ('[[contacts]]\nname = 3\nhow = "1"\n', r"contacts\[0\]\.name must be a string"),
    ],
)
def test_bad_support_file_is_explained(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "support.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SupportListError, match=match):
        load_support_contacts("en", path)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "I'm not suicidal, I want to get through this week"),
        ("ko", "친구가 자살했어요. 저는 그냥 다 잊고 싶어요"),
    ],
)
def test_risk_words_are_never_reflected_as_change(lang: str, said: str) -> None:
    pack = load_pack(lang)
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    state, actions = e.step(state, e.AnswerGiven(said, 1.0))
    assert not any(isinstance(a, e.OfferSupport) for a in actions)
    assert state.change_talk == ()
    assert not any(isinstance(a, e.Reflect) and "“" in a.text for a in actions)


def test_the_summary_never_quotes_risk_words() -> None:
    pack = load_pack("en")
    state, _ = e.start(pack, "checkin", at=0.0, contacts=CONTACTS)
    said = "my friend tried to kill herself and I keep thinking about it"
    state, _ = e.step(state, e.AnswerGiven(said, 1.0))
    state, _ = e.step(state, e.AnswerGiven("a bit shaken but okay", 2.0))
    summary: list[str] = []
    for turn in range(20):
        if state.finished:
            break
        state, actions = e.step(state, e.Skipped(3.0 + turn))
        summary += [a.text for a in actions if isinstance(a, e.Summarize)]
    assert summary and not any("kill" in text for text in summary)


def test_an_edited_pack_cannot_switch_the_risk_reader_off(tmp_path: Path) -> None:
    # A person's own _language.toml replaces the shipped one whole; the lexicon is not in it.
    shipped = paths.shipped_prompts_dir() / "en" / "_language.toml"
    text = shipped.read_text(encoding="utf-8")
    text = text.replace("stop = [", 'stop = ["kill myself", ')  # even a hostile edit
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "_language.toml").write_text(text, encoding="utf-8")
    pack = load_pack("en", user_dir=tmp_path)
    assert pack.language.source.parent == tmp_path / "en"
    state, _ = e.start(pack, "open", at=0.0, contacts=CONTACTS)
    _, actions = e.step(state, e.AnswerGiven("kill myself", 1.0))
    assert any(isinstance(a, e.OfferSupport) for a in actions)
    dialogue = EngineDialogue(pack, "open", clock=FakeClock(), nudge_minutes=0, contacts=())
    assert "kill myself" not in dialogue.voice_commands()
    assert dialogue.voice_commands()["stop"] is Command.END
