"""Safety: noticing self-harm or suicide language, and the person's own support contacts.

The risk lexicon lives in code, not in the user-editable packs, so editing a pack can never
switch it off. It matches whole phrases ("kill myself", "죽고 싶") after removing everyday
idioms ("killing time", "배고파 죽겠어요") to avoid false alarms. A match never diagnoses:
the engine pauses and offers the contact list. Contacts are a TOML file the person edits:
``support.toml`` in the data dir, first copied from the shipped default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.reflection.answers import normalize

SUPPORT_FILE = "support.toml"

RISK_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "kill myself", "killing myself", "kill my self", "end my life", "ending my life",
        "end it all", "ending it all", "take my own life", "take my life", "suicide",
        "suicidal", "want to die", "wanna die", "want to be dead", "wish i was dead",
        "wish i were dead", "better off dead", "better off without me", "hurt myself",
        "hurting myself", "harm myself", "harming myself", "self harm", "self-harm",
        "cut myself", "cutting myself", "no reason to live", "nothing to live for",
        "don't want to live", "don't want to be alive", "do not want to live",
        "not want to be here anymore", "don't want to be here anymore", "overdose",
        "don't want to wake up", "hope i don't wake up", "wish i wouldn't wake up",
        "disappear forever",
    ),
    "ko": (
        "죽고 싶", "죽고싶", "죽어 버리고 싶", "죽어버리고 싶", "죽을래", "죽어야겠", "죽는 게 낫",
        "자살", "자해", "목숨을 끊", "스스로 목숨", "살고 싶지 않", "살기 싫", "사라지고 싶",
        "없어지고 싶", "극단적 선택", "극단적인 선택", "손목을 긋", "뛰어내리고 싶",
        "살 이유가 없", "깨어나지 않았으면", "깨어나고 싶지 않", "태어나지 말았어야",
    ),
}  # fmt: skip

# Idioms that contain a risk word but mean something else; removed before matching.
SAFE_IDIOMS: dict[str, tuple[str, ...]] = {
    "en": (
        "killing time", "kill time", "kill some time", "killing it", "killed it", "kill it",
        "dying to", "to die for", "suicide squad", "suicide doors", "self harm prevention",
    ),
    "ko": ("배고파 죽겠", "졸려 죽겠", "웃겨 죽겠", "좋아 죽겠", "심심해 죽겠", "피곤해 죽겠"),
}  # fmt: skip


def _key(lang: str) -> str:
    return "ko" if lang.lower().startswith("ko") else "en"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def mentions_risk(text: str, lang: str) -> bool:
    """Whether ``text`` holds self-harm or suicide language, in ``lang`` or English.

    Both lexicons are always checked: people switch languages, and English risk words
    inside a Korean answer still matter.
    """
    norm = normalize(text).replace("-", " ")
    if not norm:
        return False
    for idiom in SAFE_IDIOMS["en"] + SAFE_IDIOMS["ko"]:
        parts = normalize(idiom).replace("-", " ").split()
        if parts[0] in norm:  # cheap test first: answers can be long
            norm = re.sub(r"\s?".join(re.escape(p) for p in parts), " ", norm)
    squashed = _squash(norm)
    keys = ("en", "ko") if _key(lang) == "en" else ("ko", "en")
    for key in keys:
        for phrase in RISK_PHRASES[key]:
            p = normalize(phrase).replace("-", " ")
            if p.isascii():
                if p in norm and re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", norm):
                    return True
            elif _squash(p) in squashed:  # Korean spacing varies between recognisers
                return True
    return False


class SupportListError(VoicereflectError):
    """The support contacts file cannot be read or has a wrong field."""

    exit_code = 78


@dataclass(frozen=True)
class SupportContact:
    """One person or service the person can reach, as they wrote it."""

    name: str
    how: str  # phone number, address or any way to reach them
    note: str = ""
    lang: str = ""  # "" means shown in every language


def shipped_support_path() -> Path:
    """The default contact list shipped with voicereflect."""
    return paths.shipped_prompts_dir() / SUPPORT_FILE


def user_support_path() -> Path:
    """The person's own, editable contact list in the data dir."""
    return paths.data_dir() / SUPPORT_FILE


def ensure_user_support_file() -> Path:
    """Copy the shipped list into the data dir (0600) if the person has none yet."""
    target = user_support_path()
    if not target.exists():
        paths.write_private(target, shipped_support_path().read_bytes())
    return target


def parse_support(data: dict[str, object], file: Path) -> tuple[SupportContact, ...]:
    """Validate a parsed support file (``[[contacts]]`` with name, how, note, lang)."""
    raw = data.get("contacts", [])
    unknown = sorted(set(data) - {"contacts"})
    if unknown:
        raise SupportListError(f"{file}: unknown field '{unknown[0]}' (expected [[contacts]])")
    if not isinstance(raw, list):
        raise SupportListError(f"{file}: 'contacts' must be a list of [[contacts]] tables")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise SupportListError(f"{file}: contacts[{i}] must be a table")
        extra = sorted(set(item) - {"name", "how", "note", "lang"})
        if extra:
            raise SupportListError(f"{file}: contacts[{i}].{extra[0]} is not a known field")
        values = {}
        for key in ("name", "how", "note", "lang"):
            value = item.get(key, "")
            if not isinstance(value, str):
                raise SupportListError(f"{file}: contacts[{i}].{key} must be a string")
            values[key] = value
        if not values["name"] or not values["how"]:
            raise SupportListError(f"{file}: contacts[{i}] needs both 'name' and 'how'")
        out.append(SupportContact(values["name"], values["how"], values["note"], values["lang"]))
    return tuple(out)


def load_support_contacts(lang: str, path: Path | None = None) -> tuple[SupportContact, ...]:
    """The contacts to offer in ``lang``, from the person's own list in the data dir.

    The first call copies the shipped default there (0600), so the person has a file to
    edit; if that copy cannot be made, the shipped list is read directly.

    Raises:
        SupportListError: the file is not valid TOML or has a wrong field.
    """
    if path is None:
        try:
            path = ensure_user_support_file()
        except OSError:
            path = shipped_support_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise SupportListError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SupportListError(f"{path} is not valid TOML: {exc}") from None
    key = _key(lang)
    return tuple(c for c in parse_support(data, path) if not c.lang or _key(c.lang) == key)
