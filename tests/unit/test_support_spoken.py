"""The support offer is said, not only shown: contacts read slowly, then a choice; plain too."""

from __future__ import annotations

import io

import pytest

from tests.fakes import FakeClock, MemoryJournal, RecordingSpeaker
from voicereflect.config import Config
from voicereflect.plain import run_plain
from voicereflect.reflection import engine as e
from voicereflect.reflection.packs import load_pack
from voicereflect.reflection.safety import (
    SupportContact,
    load_support_contacts,
    spoken_contact,
    spoken_contacts,
)
from voicereflect.session import SessionParts
from voicereflect.session.dialogue import EngineDialogue, OfferSupport
from voicereflect.speech.turns import TurnTaker


@pytest.mark.parametrize(
    ("contact", "said"),
    [
        (SupportContact("자살예방 상담전화", "109", "24시간"), "자살예방 상담전화. 1 0 9. 24시간."),
        (SupportContact("정신건강 위기상담전화", "1577-0199"),
         "정신건강 위기상담전화. 1 5 7 7, 0 1 9 9."),
        (SupportContact("Samaritans (UK)", "116 123"), "Samaritans UK. 1 1 6, 1 2 3."),
        (SupportContact("Sam", "07700 900123", "evenings."),
         "Sam. 0 7 7 0 0, 9 0 0 1 2 3. evenings."),
    ],
)  # fmt: skip
def test_numbers_are_read_digit_by_digit_with_a_pause_between_groups(
    contact: SupportContact, said: str
) -> None:
    assert spoken_contact(contact) == said


def test_the_card_follows_the_session_language() -> None:
    en, ko = load_support_contacts("en"), load_support_contacts("ko")
    assert any("988" in c.how for c in en) and not any("109" in c.how for c in en)
    hows = " ".join(c.how for c in ko)
    for number in ("109", "1577-0199", "119", "112"):
        assert number in hows
    assert "1393" not in hows, "replaced by 109 on 1 January 2024"
    assert not any(c.lang == "ko" for c in en) and not any(c.lang == "en" for c in ko)


def test_the_session_says_the_offer_with_every_contact_once() -> None:
    contacts = load_support_contacts("ko")
    dialogue = EngineDialogue(
        load_pack("ko"), "open", clock=FakeClock(), nudge_minutes=0, contacts=contacts
    )
    dialogue.begin(None)
    actions = dialogue.answer("", "그냥 다 끝내고 싶어요. 내가 없어지면 다들 더 편해질 것 같아요")
    (offer,) = [a for a in actions if isinstance(a, OfferSupport)]
    assert offer.spoken == f"{load_pack('ko').language.support_offer} {spoken_contacts(contacts)}"
    assert offer.spoken.count("1 0 9") == 1 and "1 5 7 7, 0 1 9 9" in offer.spoken
    assert len(offer.contacts) == len(contacts) and "109" in " ".join(offer.contacts)


def _plain(lines: str, speaker: RecordingSpeaker, journal: MemoryJournal) -> str:
    clock = FakeClock()
    contacts = load_support_contacts("en")
    parts = SessionParts(
        dialogue=EngineDialogue(
            load_pack("en"), "open", clock=clock, nudge_minutes=0, contacts=contacts
        ),
        open_journal=lambda: journal,
        turn_taker=lambda phrases: TurnTaker(4.0, phrases, clock),
        speaker=speaker,
        clock=clock,
    )
    out = io.StringIO()
    assert run_plain(Config(), None, stdin=io.StringIO(lines), stdout=out, parts=parts) == 0
    return out.getvalue()


def test_plain_mode_says_and_shows_the_offer_and_no_im_fine_goes_on() -> None:
    journal = MemoryJournal()
    speaker = RecordingSpeaker()
    out = _plain(
        "I've been thinking about killing myself, like actually how\n"
        "um no, I'm fine\n"
        "work has been a lot lately and I want to rest more\n",
        speaker,
        journal,
    )
    pack = load_pack("en").language
    assert pack.support_offer in out and "Call or text 988" in out
    assert "(1: hearing the contacts again, 2: going on, 3: stopping for today)" in out
    assert any(pack.support_offer in s and "9 8 8" in s for s in speaker.spoken)
    steps = [(x.step_id, x.answer) for x in journal.entries]
    assert (e.SUPPORT_STEP, "um no, I'm fine") in steps
    # The reflection went on: the next answer is saved under a flow step.
    last_step, last_answer = steps[-1]
    assert last_answer.startswith("work has been") and not last_step.startswith("_")
    # And the goodbye offered the contacts again, said aloud.
    assert any(pack.support_farewell in s and "9 8 8" in s for s in speaker.spoken)


def test_plain_mode_stop_for_today_ends_with_the_contacts_said_again() -> None:
    journal = MemoryJournal()
    speaker = RecordingSpeaker()
    out = _plain("I wrote goodbye letters to my kids\n3\nnever read\n", speaker, journal)
    pack = load_pack("en").language
    assert pack.support_goodbye in out
    assert "never read" not in [x.answer for x in journal.entries]
    farewell = [s for s in speaker.spoken if pack.support_farewell in s]
    assert farewell and "1 1 6, 1 2 3" in farewell[-1]


def test_closing_plain_mode_during_the_goodbye_says_the_contacts_once() -> None:
    # "/end", then the input closes while the goodbye's contacts are still being said:
    # the close path ends the session again, which must not start the goodbye over.
    journal = MemoryJournal()
    speaker = RecordingSpeaker(seconds=0.3)
    out = _plain(
        "I've been thinking about killing myself, like actually how\n/end\n", speaker, journal
    )
    pack = load_pack("en").language
    assert sum(pack.support_farewell in s for s in speaker.spoken) == 1
    assert out.count(pack.support_farewell) == 1
    assert [x.answer for x in journal.entries][:1] == [
        "I've been thinking about killing myself, like actually how"
    ]
