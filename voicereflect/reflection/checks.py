"""Doctor checks for reflection: prompt packs load and stay non-directive, contacts are readable."""

from __future__ import annotations

from voicereflect.doctor import Check, CheckResult
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _, ngettext


def check_prompt_packs() -> CheckResult:
    """Every prompt pack (shipped and the person's own) loads and passes the guard."""
    from voicereflect.reflection.guard import check_pack
    from voicereflect.reflection.packs import available_languages, load_pack

    name = _("prompt packs")
    found = []
    try:
        for lang in available_languages():
            pack = load_pack(lang)
            if pack.skipped:
                return CheckResult(name, False, pack.skipped[0])
            problems = check_pack(pack)
            if problems:
                p = problems[0]
                fix = _("{where} {problem} — reword it as a question")
                return CheckResult(name, False, fix.format(where=p.where, problem=p.problem))
            flows = ngettext("{n} flow", "{n} flows", len(pack.flows)).format(n=len(pack.flows))
            found.append(f"{lang}: {flows}")
    except VoicereflectError as exc:
        return CheckResult(name, False, str(exc))
    if not found:
        return CheckResult(name, False, _("no prompt packs found — reinstall voicereflect"))
    return CheckResult(name, True, ", ".join(found))


def check_support_contacts() -> CheckResult:
    """The support contact list can be read."""
    from voicereflect.reflection.safety import load_support_contacts, user_support_path

    name = _("support contacts")
    try:
        contacts = load_support_contacts("en") + load_support_contacts("ko")
    except VoicereflectError as exc:
        fix = _("{problem} — fix or delete {path}")
        return CheckResult(name, False, fix.format(problem=exc, path=user_support_path()))
    n = len(set(contacts))
    if user_support_path().exists():
        found = ngettext("{n} contact in your list", "{n} contacts in your list", n)
    else:
        found = ngettext("{n} contact in the default list", "{n} contacts in the default list", n)
    return CheckResult(name, True, found.format(n=n))


def doctor_checks() -> list[Check]:
    """The reflection area's checks for ``voicereflect doctor``."""
    return [check_prompt_packs, check_support_contacts]
