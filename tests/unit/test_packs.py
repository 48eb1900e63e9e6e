"""Loading prompt packs: shipped packs are valid, user packs override, bad packs say where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.reflection.packs import LANGUAGE_FILE, PackError, load_flow, load_pack

GOOD_FLOW = """
id = "tiny"
title = "Tiny"

[[steps]]
id = "first"
prompts = ["How are you?"]

[[steps]]
id = "rating"
kind = "rating0_10"
prompts = ["From 0 to 10?"]

[[steps]]
id = "why"
when = { step = "rating", above = 0 }
prompts = ["Why {rating} and not lower?"]
"""


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A shipped-packs root holding only the real English language file."""
    root = tmp_path / "shipped"
    (root / "en").mkdir(parents=True)
    shutil.copy(paths.shipped_prompts_dir() / "en" / LANGUAGE_FILE, root / "en" / LANGUAGE_FILE)
    return root


def _load_with(shipped: Path, tmp_path: Path, text: str, name: str = "tiny.toml") -> PackError:
    (shipped / "en" / name).write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack("en", user_dir=tmp_path / "nouser", shipped_dir=shipped)
    assert isinstance(info.value, VoicereflectError)
    return info.value


def test_shipped_packs_load_in_both_languages() -> None:
    en, ko = load_pack("en"), load_pack("ko")
    assert en.flows[0].id == "checkin" and ko.flows[0].id == "checkin"
    assert all(f.steps and f.title and f.framework for f in en.flows + ko.flows)
    assert en.language.end_phrases and ko.language.end_phrases
    assert {t.name for t in ko.language.themes} >= {"work", "family", "sleep", "money"}


def test_good_flow_loads(shipped: Path, tmp_path: Path) -> None:
    (shipped / "en" / "tiny.toml").write_text(GOOD_FLOW, encoding="utf-8")
    pack, flow = load_flow("en", "tiny", user_dir=tmp_path / "none", shipped_dir=shipped)
    assert [s.id for s in flow.steps] == ["first", "rating", "why"]
    assert flow.step("why").when is not None and flow.step("why").when.step == "rating"
    assert flow.step("first").followups == ("short", "theme", "change_talk", "why")
    assert flow.step("rating").followups == ()


def test_user_pack_overrides_shipped_flow_by_id_and_adds_new_ones() -> None:
    user = paths.user_prompts_dir() / "en"
    user.mkdir(parents=True)
    (user / "my-checkin.toml").write_text(
        GOOD_FLOW.replace('id = "tiny"', 'id = "checkin"'), encoding="utf-8"
    )
    (user / "extra.toml").write_text(GOOD_FLOW.replace("tiny", "extra"), encoding="utf-8")
    pack = load_pack("en")
    assert [s.id for s in pack.flow("checkin").steps] == ["first", "rating", "why"]
    assert pack.flow("extra").title == "Tiny"
    assert pack.flow("decision").steps, "other shipped flows stay"
    assert [f.id for f in pack.flows].count("checkin") == 1


def test_unknown_language_and_flow_are_errors_that_list_what_exists() -> None:
    with pytest.raises(PackError, match="no prompt pack for language 'xx'.*en.*ko"):
        load_pack("xx")
    with pytest.raises(PackError, match="no flow 'nope'.*decision"):
        load_pack("en").flow("nope")


def test_bad_toml_names_file_flow_and_line(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, 'id = "tiny"\ntitle = "T"\n[[steps]\nid = 1\n')
    assert "tiny.toml" in str(err) and "flow 'tiny'" in str(err)
    assert "line 3" in str(err)


def test_unknown_field_is_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(
        shipped, tmp_path, GOOD_FLOW.replace('id = "first"', 'id = "first"\nprompt = 1')
    )
    assert "tiny.toml" in str(err) and "flow 'tiny'" in str(err)
    assert "'steps[0].prompt'" in str(err) and "not a known field" in str(err)


def test_missing_step_reference_is_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, GOOD_FLOW.replace('step = "rating"', 'step = "ratin"'))
    assert "flow 'tiny'" in str(err) and "'steps[2].when.step'" in str(err)
    assert "'ratin'" in str(err)


def test_missing_steps_are_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, 'id = "tiny"\ntitle = "T"\n')
    assert "flow 'tiny', field 'steps': is missing" in str(err)


def test_dangling_follow_up_theme_is_named(shipped: Path, tmp_path: Path) -> None:
    bad = GOOD_FLOW.replace('id = "first"', 'id = "first"\nthemes = ["gardening"]')
    err = _load_with(shipped, tmp_path, bad)
    assert "'steps[0].themes'" in str(err) and "gardening" in str(err)


def test_dangling_placeholder_is_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, GOOD_FLOW.replace("{rating}", "{mood}"))
    assert "'steps[2].prompts'" in str(err) and "{mood}" in str(err)


def test_wrong_type_is_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, GOOD_FLOW.replace('["How are you?"]', '"How are you?"'))
    assert "'steps[0].prompts'" in str(err) and "must be a list of strings, got str" in str(err)


def test_unknown_answer_kind_is_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, GOOD_FLOW.replace("rating0_10", "stars"))
    assert "'steps[1].kind'" in str(err) and "stars" in str(err)


def test_duplicate_step_id_is_named(shipped: Path, tmp_path: Path) -> None:
    err = _load_with(shipped, tmp_path, GOOD_FLOW.replace('id = "why"', 'id = "first"'))
    assert "'steps[2].id'" in str(err) and "used twice" in str(err)


def test_bad_language_file_is_named(shipped: Path, tmp_path: Path) -> None:
    lang_file = shipped / "en" / LANGUAGE_FILE
    lang_file.write_text(lang_file.read_text().replace("[summary]", "[summary]\ncolour = 1"))
    err = _load_with(shipped, tmp_path, GOOD_FLOW)
    assert LANGUAGE_FILE in str(err) and "'summary.colour'" in str(err)


def test_doctor_reports_packs_and_a_bad_user_pack() -> None:
    from voicereflect.reflection.checks import check_prompt_packs, check_support_contacts

    ok = check_prompt_packs()
    assert ok.ok and "en: 8 flows" in ok.detail and "ko: 3 flows" in ok.detail
    assert check_support_contacts().ok
    user = paths.user_prompts_dir() / "en"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(GOOD_FLOW.replace("How are you?", "You should rest."))
    bad = check_prompt_packs()
    assert not bad.ok and "mine.toml" in bad.detail and "advice" in bad.detail
