"""``voicereflect doctor``: one line per check, each OK or the problem and its fix.

Checks come from the areas that own them (``audio.commands.doctor_checks``,
``speech.commands.doctor_checks``), so each stays beside the code it checks.
"""

from __future__ import annotations

import argparse
import importlib
import stat
from collections.abc import Callable
from dataclasses import dataclass

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _, cells, ngettext


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check. ``detail`` is what was found, or the problem and its fix."""

    name: str
    ok: bool
    detail: str


Check = Callable[[], CheckResult]

CHECK_MODULES = (
    "voicereflect.audio.commands",
    "voicereflect.speech.commands",
    "voicereflect.speech.voice_commands",
    "voicereflect.journal.checks",
    "voicereflect.reflection.checks",
)


def check_data_dir() -> CheckResult:
    """The data dir exists (or can be made) as 0700 with no file readable by others."""
    root = paths.ensure_private_dir(paths.data_dir())
    loose = [
        p
        for p in [root, *root.rglob("*")]
        if not p.is_symlink() and stat.S_IMODE(p.lstat().st_mode) & 0o077
    ]
    name = _("data dir private")
    if loose:
        problem = ngettext(
            "{n} path under {root} readable by others, e.g. {path} — "
            "run 'voicereflect doctor --repair'",
            "{n} paths under {root} readable by others, e.g. {path} — "
            "run 'voicereflect doctor --repair'",
            len(loose),
        )
        return CheckResult(name, False, problem.format(n=len(loose), root=root, path=loose[0]))
    return CheckResult(name, True, str(root))


def all_checks() -> list[Check]:
    """Every check, in the order they are printed."""
    checks: list[Check] = []
    for name in CHECK_MODULES:
        checks.extend(importlib.import_module(name).doctor_checks())
    checks.append(check_data_dir)
    return checks


def run_checks(checks: list[Check]) -> list[CheckResult]:
    """Run each check; a check that raises is a failed check, not a crash."""
    results = []
    for check in checks:
        try:
            results.append(check())
        except Exception as exc:  # a doctor must report, whatever broke
            # The check's own name (check_speech_model → "speech model"), never its docstring.
            name = check.__name__.removeprefix("check_").replace("_", " ")
            detail = exc.message if isinstance(exc, VoicereflectError) else repr(exc)
            results.append(CheckResult(name, False, detail))
    return results


def _doctor_command(args: argparse.Namespace) -> int:
    if args.repair:
        for repair in paths.repair_private_tree():
            repaired = _("repaired {path}: {old} -> {new}")
            print(
                repaired.format(
                    path=repair.path, old=f"{repair.old_mode:o}", new=f"{repair.new_mode:o}"
                )
            )
    results = run_checks(all_checks())
    width = max(cells(r.name) for r in results)
    ok, bad = _("OK"), _("BAD")
    mark = max(cells(ok), cells(bad))
    for r in results:
        shown = ok if r.ok else bad
        print(f"{_pad(shown, mark)}  {_pad(r.name, width)}  {r.detail}")
    return 0 if all(r.ok for r in results) else 1


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cells(text))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``doctor`` to the command line."""
    doctor = sub.add_parser("doctor", help="check microphone, speaker, voice, model and privacy")
    doctor.add_argument(
        "--repair", action="store_true", help="first tighten data-dir permissions to 0700/0600"
    )
    doctor.set_defaults(func=_doctor_command)
