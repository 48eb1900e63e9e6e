"""The person's language for every string the app shows or says: gettext over Babel catalogs.

Source strings are English and marked where they are written: ``_("Saved.")`` translates at
once, ``N_("listening")`` only marks a string kept in a table and translated where it is shown
(``_(LABELS[state])``), ``ngettext`` picks a plural. ``scripts/i18n`` extracts the marked
strings with Babel, merges them into ``locale/<lang>/LC_MESSAGES/voicereflect.po`` and compiles
the ``.mo`` files that ``use_language`` loads (``scripts/setup`` and the wheel build compile).
"""

from __future__ import annotations

import gettext
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voicereflect.config import Config

DOMAIN = "voicereflect"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def ui_language(config: Config) -> str:
    """The language of the screens: ``ui.language``, or else the speech language."""
    return config.ui.language or config.speech.language


def use_language(language: str) -> None:
    """Show and say every marked string in ``language`` from now on.

    A language without a compiled catalog falls back to the English source strings.
    """
    global _translation, _language
    _language = language
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def current_language() -> str:
    """The language ``use_language`` last chose (English until then)."""
    return _language


def has_catalog(language: str) -> bool:
    """Whether a compiled catalog exists for ``language`` (English needs none)."""
    if language == SOURCE_LANGUAGE:
        return True
    return gettext.find(DOMAIN, LOCALE_DIR, languages=[language]) is not None


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _translation.ngettext(singular, plural, n)


def cells(text: str) -> int:
    """Terminal columns ``text`` takes: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet."""
    return message
