"""Doctor checks for reflection: prompt packs load and stay non-directive, contacts are readable."""

from __future__ import annotations

from voicereflect.doctor import Check, CheckResult
from voicereflect.errors import VoicereflectError


def check_prompt_packs() -> CheckResult:
    """Every prompt pack (shipped and the person's own) loads and passes the guard."""
    from voicereflect.reflection.guard import check_pack
    from voicereflect.reflection.packs import available_languages, load_pack

    name = "prompt packs"
    found = []
    try:
        for lang in available_languages():
            pack = load_pack(lang)
            if pack.skipped:
                return CheckResult(name, False, pack.skipped[0])
            problems = check_pack(pack)
            if problems:
                p = problems[0]
                return CheckResult(name, False, f"{p.where} {p.problem} — reword it as a question")
            found.append(f"{lang}: {len(pack.flows)} flows")
    except VoicereflectError as exc:
        return CheckResult(name, False, str(exc))
    if not found:
        return CheckResult(name, False, "no prompt packs found — reinstall voicereflect")
    return CheckResult(name, True, ", ".join(found))


def check_support_contacts() -> CheckResult:
    """The support contact list can be read."""
    from voicereflect.reflection.safety import load_support_contacts, user_support_path

    name = "support contacts"
    try:
        contacts = load_support_contacts("en") + load_support_contacts("ko")
    except VoicereflectError as exc:
        return CheckResult(name, False, f"{exc} — fix or delete {user_support_path()}")
    where = "your list" if user_support_path().exists() else "the default list"
    return CheckResult(name, True, f"{len(set(contacts))} contacts in {where}")


def doctor_checks() -> list[Check]:
    """The reflection area's checks for ``voicereflect doctor``."""
    return [check_prompt_packs, check_support_contacts]
