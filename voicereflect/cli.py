"""The ``voicereflect`` command: the TUI by default, plain line mode, and subcommands.

Each area registers its own subcommands (``audio.commands``, ``speech.commands``,
``journal.commands``, ``doctor``); this module only parses, dispatches, and turns the errors a
user can cause into one line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from voicereflect import __version__, paths
from voicereflect.config import load_config, render_config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import _, ui_language, use_language
from voicereflect.privacy import harden_process

COMMAND_MODULES = (
    "voicereflect.doctor",
    "voicereflect.audio.commands",
    "voicereflect.speech.commands",
    "voicereflect.speech.voice_commands",
    "voicereflect.journal.commands",
)


def _config_command(args: argparse.Namespace) -> int:
    if args.action == "path":
        print(paths.config_path())
    else:
        print(render_config(load_config()), end="")
    return 0


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line, every subcommand with its own ``--help``.

    Args:
        commands: Register the subcommands (importing every area's command module);
            ``False`` gives only the options that start the app.
    """
    parser = argparse.ArgumentParser(
        prog="voicereflect",
        description="Speak a reflection, be asked open questions aloud, keep your words "
        "private on this machine. With no command, starts the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"voicereflect {__version__}")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="run a session as plain lines on stdin/stdout (screen readers, SSH)",
    )
    parser.add_argument("--flow", help="start this reflection flow directly (e.g. check-in)")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    config = sub.add_parser("config", help="show the settings or where they live")
    config.add_argument("action", choices=["path", "show"], help="path: the file; show: values")
    config.set_defaults(func=_config_command)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _start_app(args: argparse.Namespace) -> int:
    # Not from journal.commands: that imports every journal command's modules (~20 ms).
    from voicereflect.journal.prepare import prepare_for_app

    prepare_for_app()
    if args.plain:
        from voicereflect.plain import run_plain

        return run_plain(load_config(), flow=args.flow)
    from voicereflect.tui.app import run_app

    return run_app(load_config(), flow=args.flow)


def _app_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments when they only start the app, else ``None``.

    Importing every area's command module to build the full parser is a large part of
    start-up (the model downloader alone pulls in urllib and ssl), and starting the app
    needs none of them.
    """
    given = sys.argv[1:] if argv is None else list(argv)
    if any(a in ("-h", "--help") for a in given):
        return None
    args, rest = build_parser(commands=False).parse_known_args(given)
    return None if rest else args


def _choose_language() -> None:
    """Print every message in the person's language (``ui.language``, else the speech one).

    A settings file with a bad value is reported in the language it names, if any.
    argparse's help and usage stay English: argparse's own words (usage, options, its
    errors) have no Korean catalog, so a translated help would be half English.
    """
    try:
        use_language(ui_language(load_config()))
    except VoicereflectError:
        use_language(_language_of_a_broken_config())


def _language_of_a_broken_config() -> str:
    """The language a settings file with a bad value still names (its error is shown in it)."""
    import tomllib

    try:
        data = tomllib.loads(paths.config_path().read_text(encoding="utf-8"))
        ui, speech = data.get("ui", {}), data.get("speech", {})
        language = ui.get("language") or speech.get("language") or "en"
    except (OSError, ValueError, AttributeError):
        return "en"
    return language if isinstance(language, str) else "en"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    paths.set_private_umask()
    harden_process()
    _choose_language()
    args = _app_arguments(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return _start_app(args)
        code: int = args.func(args)
        return code
    except VoicereflectError as exc:
        print(f"voicereflect: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("voicereflect: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`voicereflect journal export | head`): stop quietly, and
        # point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
