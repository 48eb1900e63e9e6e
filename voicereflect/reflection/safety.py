"""Safety: whether an answer touches risk, and the person's own support contacts.

Risk is read by ``reflection.risk`` over the language layer (lemmas, morphemes) with a
lexicon in code (``risk_lexicon``), so editing a pack can never switch it off. A finding
never diagnoses: the engine offers the contact list, or asks gently. Contacts are a TOML
file the person edits: ``support.toml`` in the data dir, first copied from the shipped
default; the person's own copy always wins.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.reflection.language import language_key
from voicereflect.reflection.risk import assess

SUPPORT_FILE = "support.toml"


def mentions_risk(text: str, lang: str) -> bool:
    """Whether ``text`` touches self-harm or suicide at all: the person's own, someone
    else's, or denied ("I'm not suicidal").

    Such text is never quoted back as change talk nor listed as change in a summary.
    ``risk.assess`` tells which of those it is (only the person's own brings the support
    card).
    """
    return assess(text, lang) is not None


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
    key = language_key(lang)
    contacts = parse_support(data, path)
    return tuple(c for c in contacts if not c.lang or language_key(c.lang) == key)


# A phone number: digit groups joined by spaces, hyphens or dots, not part of a word ("24시간").
_NUMBER = re.compile(r"(?<!\w)\d+(?:[ \-.]\d+)*(?![^\W\d_])")


def _spaced(match: re.Match[str]) -> str:
    # espeak-ng reads "1577" as a number ("one thousand five hundred…"); a phone number
    # is read digit by digit, with a pause between its groups.
    groups = re.split(r"[ \-.]", match.group())
    return ", ".join(" ".join(group) for group in groups)


def spoken_contact(contact: SupportContact) -> str:
    """How one contact is read aloud: its name, then its numbers digit by digit, slowly."""
    parts = [contact.name, contact.how] + ([contact.note] if contact.note else [])
    text = ". ".join(p.strip().rstrip(".") for p in parts if p.strip())
    return _NUMBER.sub(_spaced, text.replace("(", "").replace(")", "")) + "."


def spoken_contacts(contacts: tuple[SupportContact, ...]) -> str:
    """The whole list as it is read aloud once: one sentence per contact."""
    return " ".join(spoken_contact(c) for c in contacts)
