"""Risk language pauses the flow and offers the person's own contacts; idioms do not."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

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
    ("lang", "said", "yes", "no"),
    [
        ("en", "honestly some days I want to die", "yes", "no"),
        ("ko", "요즘 가끔 죽고 싶어요", "네", "아니요"),
    ],
)
def test_risk_pauses_offers_contacts_then_resumes_on_yes(
    lang: str, said: str, yes: str, no: str
) -> None:
    pack = load_pack(lang)
    state, _ = e.start(pack, "checkin", at=0.0, contacts=CONTACTS)
    state, actions = e.step(state, e.AnswerGiven(said, 1.0))
    assert isinstance(actions[0], e.SaveAnswer) and actions[0].answer == said
    offer = actions[1]
    assert isinstance(offer, e.OfferSupport) and offer.contacts == CONTACTS
    ask = actions[2]
    assert isinstance(ask, e.Ask) and ask.step_id == e.SUPPORT_STEP and ask.kind == "yesno"
    assert state.step is None, "the flow is paused"
    # Anything unclear keeps it paused and asks again, it never silently resumes.
    paused, actions = e.step(state, e.AnswerGiven("hmm", 2.0))
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id == e.SUPPORT_STEP
    resumed, actions = e.step(paused, e.AnswerGiven(yes, 3.0))
    assert isinstance(actions[-1], e.Ask) and actions[-1].step_id == "mood"
    ended, actions = e.step(paused, e.AnswerGiven(no, 3.0))
    assert ended.finished and isinstance(actions[-1], e.Finished)
    assert actions[-1].text == pack.language.support_goodbye


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
