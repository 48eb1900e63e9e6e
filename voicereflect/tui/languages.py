"""The languages the app speaks, and what a language still needs (a speech model, a voice)."""

from __future__ import annotations

from voicereflect.i18n import N_, _
from voicereflect.tui.services import Services

# Each language in its own name, as a language menu shows it (never translated).
LANGUAGES = [("English", "en"), ("한국어", "ko")]
# The same languages as named in a sentence of the screen's language.
NAMES = {"en": N_("English"), "ko": N_("Korean")}


def language_name(code: str) -> str:
    """``code``'s name in the current language (the code itself when unknown)."""
    return _(NAMES[code]) if code in NAMES else code


def missing_model(services: Services, language: str) -> str | None:
    """What to do when no speech model for ``language`` is installed (None: one is)."""
    if any(m.installed for m in services.list_models(language)):
        return None
    return _(
        "No speech model for {language} yet: run 'voicereflect models download {code}', or add "
        "one with 'voicereflect models add FILE'. Until then, type your answers."
    ).format(language=language_name(language), code=language)


def missing_voice(services: Services, language: str) -> str | None:
    """What to do when espeak-ng has no voice for ``language`` (None: it has one)."""
    if services.list_voices(language):
        return None
    return _(
        "No {language} voice in espeak-ng: install the espeak-ng-data package. Until then, "
        "questions are shown, not spoken."
    ).format(language=language_name(language))
