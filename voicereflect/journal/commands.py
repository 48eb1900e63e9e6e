"""``voicereflect journal …`` and ``voicereflect passphrase …``: a thin CLI over the store.

How commands get the passphrase of an encrypted journal: asked with ``getpass`` when stdin is a
terminal, or read as one line from stdin with ``--passphrase-stdin`` (scripts, tests). Never
from argv or an environment variable: both leak to other processes and to shell history.
For the same reason ``journal search --query-stdin`` takes the person's words from stdin.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import io
import sys
import wave
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from voicereflect import paths
from voicereflect.i18n import N_, _, ngettext
from voicereflect.journal import db
from voicereflect.journal.crypto import change_passphrase
from voicereflect.journal.errors import JournalError, NoJournal, PassphraseRequired
from voicereflect.journal.export import rating_text, when
from voicereflect.journal.prepare import show_reindexing
from voicereflect.journal.records import HIGHLIGHT_END, HIGHLIGHT_START
from voicereflect.journal.store import Journal, is_encrypted
from voicereflect.journal.text import inert

Handler = Callable[[argparse.Namespace], int]


# ----- passphrases and opening ------------------------------------------------------------


def _stdin_lines(args: argparse.Namespace) -> list[str]:
    """The lines of stdin, read once per command and shared (passphrase first, then query)."""
    lines: list[str] | None = getattr(args, "stdin_lines", None)
    if lines is None:
        lines = [line.rstrip("\r\n") for line in sys.stdin.readlines()]
        args.stdin_lines = lines
    return lines


class _Passphrases:
    """Hands out passphrases from stdin lines (``--passphrase-stdin``) or a getpass prompt."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._from_stdin = bool(getattr(args, "passphrase_stdin", False))

    def ask(self, prompt: str) -> str:
        """One passphrase; raises ``PassphraseRequired`` when there is no way to ask."""
        if self._from_stdin:
            lines = _stdin_lines(self._args)
            if not lines:
                raise JournalError(N_("--passphrase-stdin: no passphrase line on stdin"))
            return lines.pop(0)
        if not sys.stdin.isatty():
            raise PassphraseRequired(paths.journal_path())
        return getpass.getpass(prompt)

    def ask_new(self) -> str:
        """A new passphrase; on a terminal typed twice so a typo cannot lock the person out."""
        first = self.ask(_("New passphrase: "))
        if not self._from_stdin and self.ask(_("Type it again: ")) != first:
            raise JournalError(N_("the two passphrases differ; nothing was changed"))
        return first


def _open(args: argparse.Namespace, *, read_only: bool) -> Journal:
    path = paths.journal_path()
    passphrase = _Passphrases(args).ask(_("Journal passphrase: ")) if is_encrypted(path) else None
    journal = Journal.open(path, passphrase, read_only=read_only, on_progress=show_reindexing)
    for notice in journal.notices:
        print("voicereflect: " + _("note: {notice}").format(notice=notice), file=sys.stderr)
    return journal


def _write_out(target: Path, text: str | bytes) -> None:
    """Write an export atomically as 0600 without touching the chosen directory's mode."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = target.expanduser().absolute()
    try:
        paths.write_private(target, data, private_dir=False)
    except OSError as exc:
        raise _file_error(N_("cannot write {path}: {reason}"), target, exc) from None
    print(_("wrote {path} (readable only by you)").format(path=target), file=sys.stderr)


def _file_error(what: str, path: Path, exc: OSError) -> JournalError:
    """One line naming the file and the system's reason (no such directory, is a directory…)."""
    return JournalError(what, path=path, reason=exc.strerror or exc)


def _emit(args: argparse.Namespace, text: str, *, encrypted: bool = False) -> None:
    if args.out:
        _write_out(Path(args.out), text)
    else:
        sys.stdout.write(text)
    if encrypted:
        # The passphrase protects the journal, not what is copied out of it.
        note = _(
            "note: this export is NOT encrypted — the passphrase protects only the journal; "
            "keep the copy private and delete it when done"
        )
        print("voicereflect: " + note, file=sys.stderr)


def _date(text: str, *, end: bool = False) -> float:
    """YYYY-MM-DD (a whole day; for --until the day is included) or ISO date-time, local."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise JournalError(
            N_("'{text}' is not a date — use YYYY-MM-DD or YYYY-MM-DDTHH:MM"), text=text
        ) from None
    if end and len(text) <= 10:
        moment += timedelta(days=1)
    return moment.timestamp()


# ----- journal subcommands ----------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    try:
        journal = _open(args, read_only=True)
    except NoJournal:
        print(_("no sessions yet"))
        return 0
    with journal:
        rows = journal.sessions(
            since=None if args.since is None else _date(args.since),
            until=None if args.until is None else _date(args.until, end=True),
            tag=args.tag,
            limit=args.limit,
        )
    if not rows:
        print(_("no sessions match"))
    for s in rows:
        tags = f"  [{', '.join(s.tags)}]" if s.tags else ""
        mood = "  " + _("mood: {mood}").format(mood=s.mood) if s.mood else ""
        answers = ngettext("{n} answer", "{n} answers", s.entry_count).format(n=s.entry_count)
        line = f"{s.flow}  {answers}{mood}{tags}"
        print(f"{s.id:>6}  {when(s.started_at)}  {inert(line, one_line=True)}")
    return 0


def _show(args: argparse.Namespace) -> int:
    with _open(args, read_only=True) as journal:
        record = journal.session(args.id)
    # Stored text is shown inert: escape sequences in it are printed, never obeyed.
    flow = inert(f"{record.flow} ({record.language})", one_line=True)
    print(_("Session {id}").format(id=record.id) + f" · {when(record.started_at)} · {flow}")
    if record.mood:
        print(_("Mood: {mood}").format(mood=inert(record.mood, one_line=True)))
    if record.tags:
        print(_("Tags: {tags}").format(tags=inert(", ".join(record.tags), one_line=True)))
    for e in record.entries:
        extra = "".join(
            [
                "  " + _("rating {value}").format(value=inert(rating_text(e), one_line=True))
                if e.rating is not None
                else "",
                "  " + _("(audio)") if e.has_audio else "",
            ]
        )
        prompt = inert(e.prompt or e.step_id, one_line=True)
        print(f"\n[{e.id}] {prompt}{extra}\n    {inert(e.answer)}")
        if e.note:
            print("    " + _("note: {notice}").format(notice=inert(e.note)))
    if record.next_step:
        step = inert(record.next_step, one_line=True)
        print("\n" + _("Next small step: {step}").format(step=step))
    return 0


def _search(args: argparse.Namespace) -> int:
    if args.query_stdin and args.query:
        raise JournalError(N_("give the query either as words or with --query-stdin, not both"))
    if not args.query_stdin and not args.query:
        raise JournalError(N_("say what to search for: words, or --query-stdin to type them"))
    with _open(args, read_only=True) as journal:
        # Read after opening: with --passphrase-stdin too, the passphrase is the first line.
        query = _stdin_query(args) if args.query_stdin else " ".join(args.query)
        hits = journal.search(query, limit=args.limit, words=args.words)
    on, off = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    if not hits:
        print(_("no matches"))
    for hit in hits:
        snippet = inert(hit.snippet).replace(HIGHLIGHT_START, on).replace(HIGHLIGHT_END, off)
        snippet = " ".join(snippet.split())
        print(f"{hit.session_id:>6}/{hit.entry_id:<6} {when(hit.started_at)}  {snippet}")
    return 0


def _stdin_query(args: argparse.Namespace) -> str:
    lines = _stdin_lines(args)
    if not lines or not lines[0].strip():
        raise JournalError(N_("--query-stdin: no query line on stdin"))
    return lines.pop(0)


def _in_the_persons_language() -> None:
    """Exports and share packets carry headings: write them in the app's language."""
    from voicereflect.config import load_config
    from voicereflect.i18n import ui_language, use_language

    use_language(ui_language(load_config()))


def _export(args: argparse.Namespace) -> int:
    _in_the_persons_language()
    with _open(args, read_only=True) as journal:
        text = journal.export(args.ids or None, args.format)
        encrypted = journal.encrypted
    _emit(args, text, encrypted=encrypted)
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _open(args, read_only=False) as journal:
        for session_id in args.ids:
            journal.session(session_id)  # NoSuchRecord before asking anything
        if not args.yes:
            if not sys.stdin.isatty():
                raise JournalError(
                    N_("deleting needs confirmation: run it in a terminal or add --yes")
                )
            ids = ", ".join(str(i) for i in args.ids)
            answer = input(
                _(
                    "Delete session(s) {ids} with their answers and audio? "
                    "This cannot be undone. [y/N] "
                ).format(ids=ids)
            )
            if answer.strip().lower() not in ("y", "yes"):
                print(_("nothing deleted"))
                return 1
        count = journal.delete_sessions(args.ids)
    print(ngettext("deleted {n} session", "deleted {n} sessions", count).format(n=count))
    return 0


def _tag(args: argparse.Namespace) -> int:
    with _open(args, read_only=False) as journal:
        if args.remove:
            journal.untag(args.id, *args.tags)
        else:
            journal.tag(args.id, *args.tags)
        tags = journal.session(args.id).tags
    shown = ", ".join(tags) or _("no tags")
    print(_("session {id}: {tags}").format(id=args.id, tags=shown))
    return 0


def _import(args: argparse.Namespace) -> int:
    source = Path(args.file).expanduser()
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise _file_error(N_("cannot read {path}: {reason}"), source, exc) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JournalError(
            N_(
                "{file} is not UTF-8 text, so it is not a voicereflect JSON export; "
                "nothing was imported"
            ),
            file=args.file,
        ) from None
    with _open(args, read_only=False) as journal:
        ids = journal.import_json(text)
    print(ngettext("imported {n} session", "imported {n} sessions", len(ids)).format(n=len(ids)))
    return 0


def _share(args: argparse.Namespace) -> int:
    _in_the_persons_language()
    with _open(args, read_only=True) as journal:
        text = journal.share_packet(args.ids, set(args.leave_out or []))
        encrypted = journal.encrypted
    _emit(args, text, encrypted=encrypted)
    return 0


def _wav(pcm: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buffer.getvalue()


def _audio(args: argparse.Namespace) -> int:
    read_only = args.action != "drop"
    with _open(args, read_only=read_only) as journal:
        if args.action == "drop":
            dropped = journal.drop_audio(args.entry)
            done = _("audio of entry {id} deleted") if dropped else _("that entry has no audio")
            print(done.format(id=args.entry))
            return 0
        clip = journal.entry_audio(args.entry)
    if clip is None:
        raise JournalError(N_("entry {id} has no stored audio"), id=args.entry)
    pcm, rate = clip
    if args.action == "export":
        if not args.out:
            raise JournalError(N_("say where to write it: --out answer.wav"))
        _write_out(Path(args.out), _wav(pcm, rate))
        return 0
    try:
        playback = importlib.import_module("voicereflect.audio.playback")
    except ModuleNotFoundError:
        raise JournalError(
            N_(
                "playback is not available in this version — write it to a file with "
                "'voicereflect journal audio export {id} --out answer.wav'"
            ),
            id=args.entry,
        ) from None
    playback.play_pcm(pcm, rate)
    return 0


# ----- passphrase ----------------------------------------------------------------------------


def _passphrase(args: argparse.Namespace) -> int:
    path = paths.journal_path()
    if db.file_kind(path) is db.FileKind.MISSING and args.action == "set":
        # Nothing to convert yet: create an empty encrypted journal so the first session is
        # encrypted from its first word.
        ask = _Passphrases(args)
        Journal.open(path, ask.ask_new()).close()
        print(_("passphrase set. There is no recovery if you forget it."))
        return 0
    ask = _Passphrases(args)
    old = ask.ask(_("Current passphrase: ")) if is_encrypted(path) else None
    new = None if args.action == "remove" else ask.ask_new()
    change_passphrase(path, old, new)
    if new is None:
        print(_("passphrase removed: the journal is stored unencrypted now"))
    elif old is not None:
        print(_("passphrase changed. There is no recovery if you forget it."))
    else:
        print(_("passphrase set. There is no recovery if you forget it."))
    return 0


# ----- registration --------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``journal`` and ``passphrase`` to the command line."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase as a line from stdin instead of asking (for scripts)",
    )
    journal = sub.add_parser("journal", help="list, search, export, share and delete reflections")
    jsub = journal.add_subparsers(dest="journal_command", metavar="ACTION", required=True)

    def add(
        name: str, handler: Handler, help: str, epilog: str | None = None
    ) -> argparse.ArgumentParser:
        parser = jsub.add_parser(name, help=help, epilog=epilog, parents=[common])
        parser.set_defaults(func=handler)
        return parser

    p = add("list", _list, help="sessions, newest first")
    p.add_argument("--since", help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", help="up to and including this date")
    p.add_argument("--tag", help="only sessions with this tag")
    p.add_argument("--limit", type=int)
    p = add("show", _show, help="one session with its answers")
    p.add_argument("id", type=int)
    p = add(
        "search",
        _search,
        help="ranked search with highlighted matches",
        epilog="The query is visible to other programs (ps) and kept in shell history; "
        "to keep your words private, type them on stdin with --query-stdin.",
    )
    p.add_argument("query", nargs="*", help='words, "a phrase", prefix*, AND / OR / NOT')
    p.add_argument(
        "--query-stdin",
        action="store_true",
        help="read the query as one line from stdin, so it is not in argv (ps, shell history)",
    )
    p.add_argument("--words", action="store_true", help="match the words literally")
    p.add_argument("--limit", type=int, default=50)
    p = add("export", _export, help="write sessions as Markdown, JSON or text")
    p.add_argument("--format", choices=["md", "json", "txt"], default="md")
    p.add_argument("--out", help="file to write (0600); default stdout")
    p.add_argument("ids", type=int, nargs="*", help="session ids (default: all)")
    p = add("delete", _delete, help="delete sessions for good")
    p.add_argument("ids", type=int, nargs="+")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p = add("tag", _tag, help="add (or --remove) tags on a session")
    p.add_argument("id", type=int)
    p.add_argument("tags", nargs="+")
    p.add_argument("--remove", action="store_true")
    p = add("import", _import, help="add the sessions of a JSON export")
    p.add_argument("file")
    p = add("share", _share, help="Markdown of chosen sessions for your therapist")
    p.add_argument("ids", type=int, nargs="+")
    p.add_argument("--leave-out", type=int, nargs="*", metavar="ENTRY_ID")
    p.add_argument("--out")
    p = add("audio", _audio, help="play, export or delete one answer's audio")
    p.add_argument("action", choices=["play", "export", "drop"])
    p.add_argument("entry", type=int, metavar="ENTRY_ID")
    p.add_argument("--out", help="for export: the .wav file to write")

    pp = sub.add_parser(
        "passphrase",
        parents=[common],
        help="set, change or remove the journal passphrase (no recovery if forgotten)",
    )
    pp.add_argument("action", choices=["set", "change", "remove"])
    pp.set_defaults(func=_passphrase)
