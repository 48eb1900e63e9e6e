"""Speech subcommands (`transcribe`, `models ...`) and doctor's speech-model check."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from voicereflect import paths
from voicereflect.config import Config, load_config, replace_setting, save_config
from voicereflect.doctor import Check, CheckResult
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _, cells
from voicereflect.protocols import AudioSource, Final, Partial, Word
from voicereflect.speech import download
from voicereflect.speech.integrity import verify_files
from voicereflect.speech.models import (
    LoadedModel,
    ModelInfo,
    ModelLoader,
    ModelNotFound,
    discover_models,
    language_matches,
    load_model,
    missing_parts,
    resolve_model,
)
from voicereflect.speech.punctuate import punctuate

_PROGRESS_EVERY = 60.0  # seconds of audio between progress lines when stderr is not a terminal


class _Status:
    """One rewritable status line on a terminal's stderr (partials, progress); silent otherwise."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.shown = False

    def show(self, text: str, prefix: str = "") -> None:
        if not self.live:
            return
        width = shutil.get_terminal_size((80, 24)).columns - 1 - cells(prefix)
        # The newest words are at the end: when the line is too long, keep its tail.
        if cells(text) > width:
            while text and cells(text) > width - 1:
                text = text[1:]
            text = "…" + text
        self.stream.write("\r\x1b[K" + prefix + text)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _word_line(word: Word) -> str:
    return f"  {word.start:7.2f} {word.end:7.2f}  {word.conf:4.2f}  {word.word}"


def _transcribe_file(
    path: str, source: AudioSource, model: LoadedModel, language: str, args: argparse.Namespace
) -> dict[str, Any]:
    from voicereflect.speech.recognizer import VoskRecognizer

    total = getattr(source, "duration", None)
    recognizer = VoskRecognizer(model, source.sample_rate, words=True)
    status = _Status(sys.stderr)
    texts: list[str] = []
    words: list[Word] = []
    fed = 0
    next_progress = _PROGRESS_EVERY
    started = time.monotonic()

    def emit(final: Final | None) -> None:
        if final is None:
            return
        text = punctuate(final.text, language)
        texts.append(text)
        words.extend(final.words)
        if not args.json:
            status.clear()
            print(text, flush=True)
            if args.words:
                for word in final.words:
                    print(_word_line(word), flush=True)

    source.start()
    try:
        while (block := source.read(1.0)) is not None:
            fed += len(block)
            event = recognizer.accept(block)
            heard = fed / (2 * source.sample_rate)
            if isinstance(event, Final):
                emit(event)
            elif isinstance(event, Partial) and not args.json:
                percent = f"[{100 * heard / total:3.0f}%] " if total else ""
                status.show(event.text, prefix=percent)
            if not status.live and total and total > _PROGRESS_EVERY and heard >= next_progress:
                next_progress += _PROGRESS_EVERY
                done = _("{file}: {heard:.0f} of {total:.0f} s decoded")
                print(done.format(file=path, heard=heard, total=total), file=sys.stderr)
        emit(recognizer.finish())
    finally:
        status.clear()
        source.stop()
    elapsed = time.monotonic() - started
    duration = fed / (2 * source.sample_rate)
    return {
        "file": path,
        "text": " ".join(texts),
        "words": [asdict(w) for w in words],
        "duration": round(duration, 3),
        "rtf": round(elapsed / duration, 3) if duration else None,
    }


def model_for_files(config: Config, override: str | None) -> tuple[ModelInfo, str | None]:
    """The model ``transcribe`` uses, and a note when it is not the language's own.

    With no model chosen (``--model``, ``speech.model``) and none for ``speech.language``, the
    only model installed is used, and the note says so; with several, the error names them
    and how to pick one.

    Raises:
        ModelNotFound: no model at all, or several and none for the language.
    """
    try:
        return resolve_model(config, override), None
    except ModelNotFound:
        if override or config.speech.model:
            raise
        installed = [m for m in discover_models() if not missing_parts(m.path)]
        if len(installed) == 1:
            (only,) = installed
            return only, _(
                "no speech model for {language}; using the only one installed, {model} "
                "({model_language}) — pick another with --model NAME or speech.model"
            ).format(
                language=config.speech.language,
                model=only.name,
                model_language=only.language or _("language unknown"),
            )
        if not installed:
            raise
        names = ", ".join(f"{m.name} ({m.language or '?'})" for m in installed)
        raise ModelNotFound(
            N_(
                "no speech model for {language}; installed: {models} — pick one with --model "
                "NAME, or set speech.model (or speech.language) with 'voicereflect models use "
                "NAME'"
            ),
            language=config.speech.language,
            models=names,
        ) from None


def _transcribe_command(args: argparse.Namespace) -> int:
    config = load_config()
    info, note = model_for_files(config, args.model)
    if note:
        print(f"voicereflect: {note}", file=sys.stderr)
    from voicereflect.audio.files import FileSource

    # Open every file (a header read) before loading the model, so a wrong path is reported
    # at once; and before the loader thread points fd 2 at Kaldi's capture, which would
    # swallow the error line.
    sources: list[AudioSource] = []
    try:
        for path in args.files:
            sources.append(FileSource(path, block_seconds=0.1, realtime=False))
        loader = ModelLoader(info.path).start()
        status = _Status(sys.stderr)
        if not loader.done:
            status.show(_("loading speech model {model}…").format(model=info.name))
        try:
            model = loader.result()
        finally:
            status.clear()
        language = info.language or config.speech.language
        for index, (path, source) in enumerate(zip(args.files, sources, strict=True)):
            if len(args.files) > 1 and not args.json:
                print(f"{'' if index == 0 else chr(10)}==> {path} <==", flush=True)
            result = _transcribe_file(path, source, model, language, args)
            if args.json:
                result["model"] = info.name
                print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        for source in sources:
            source.stop()
    return 0


def _current(config: Config) -> ModelInfo | None:
    try:
        return resolve_model(config)
    except VoicereflectError:
        return None


def _list_command(args: argparse.Namespace) -> int:
    config = load_config()
    current = _current(config)
    # speech.model holds a name (found by discovery anyway) or a path (listed first).
    setting = config.speech.model
    installed = discover_models(setting if os.sep in setting else None, "config")
    none = _("installed: none (models go in {folder})").format(folder=paths.models_dir())
    print(_("installed:") if installed else none)
    for info in installed:
        mark = "*" if current is not None and info.path == current.path else " "
        missing = missing_parts(info.path)
        problem = _("  BROKEN: missing {parts}").format(parts=", ".join(missing)) if missing else ""
        lang = info.language or "?"
        print(f"{mark} {info.name:<36} {lang:<6} {info.source:<8} {info.path}{problem}")
    if args.catalogue is None:
        # Offline by promise: only an explicit request opens a socket.
        print(
            "\n" + _("more models: 'voicereflect models list --catalogue' asks the Vosk catalogue")
        )
        return 0
    url = args.catalogue or None
    try:
        entries = download.fetch_catalogue(url, timeout=3.0)
    except download.DownloadError:
        print(_("catalogue not reachable (offline?) — 'voicereflect models add' installs a zip"))
        return 0
    print("\n" + _("catalogue ({url}):").format(url=download.catalogue_url(url)))
    for entry in entries:
        if not entry.obsolete:
            print(f"  {entry.name:<44} {entry.lang:<6} {entry.size_text:>6}  {entry.type}")
    return 0


def _download_command(args: argparse.Namespace) -> int:
    installed = download.download(args.wanted, url=args.catalogue)
    _installed(installed)
    return 0


def _installed(model: Path) -> None:
    print(_("installed {model} in {folder}").format(model=model.name, folder=model.parent))
    print(_("use it with: voicereflect models use {model}").format(model=model.name))


def _add_command(args: argparse.Namespace) -> int:
    source = Path(args.source).expanduser()
    if not source.exists():
        raise download.DownloadError(N_("{path}: no such file or folder"), path=source)
    if source.is_dir():
        installed = download.install_dir(source, name=args.name)
    else:
        installed = download.install_zip(source, name=args.name)
    _installed(installed)
    return 0


def _use_command(args: argparse.Namespace) -> int:
    config = load_config()
    info = resolve_model(config, args.name)
    # A name stays a name (it survives moving the data dir); a bare path is stored absolute.
    by_name = any(m.name == args.name for m in discover_models())
    setting = args.name if by_name else str(info.path)
    path = save_config(replace_setting(config, "speech", model=setting))
    print(_("speech.model = {value} (saved in {path})").format(value=setting, path=path))
    if info.language and not language_matches(info.language, config.speech.language):
        note = _(
            "note: this model is for {model_language} but speech.language is {language}; "
            "prompts and voice follow speech.language"
        )
        print(note.format(model_language=info.language, language=config.speech.language))
    return 0


def _verify_command(args: argparse.Namespace) -> int:
    info = resolve_model(load_config(), args.name)
    report = verify_files(info.name, info.path)
    if report is None:
        unknown = _("unknown model: voicereflect ships no checksums for {model}; files not checked")
        print(unknown.format(model=info.name))
    else:
        ok = _("OK  {model}: {n} files match the shipped SHA-256 manifest")
        print(ok.format(model=info.name, n=report.checked))
    model = load_model(info.path)
    loads = _("OK  {model} ({language}) loads in {seconds:.2f} s")
    print(loads.format(model=info.name, language=info.language or "?", seconds=model.load_seconds))
    print(f"    {info.path}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``transcribe`` and ``models`` to the command line."""
    tr = sub.add_parser(
        "transcribe",
        help="write down what is said in audio files",
        description="Decode audio files with the speech model; text is printed as it is "
        "decoded (partial text and progress on stderr when it is a terminal).",
    )
    tr.add_argument("files", nargs="+", metavar="FILE", help="WAV (any rate) or what sox reads")
    tr.add_argument("--model", help="model name (see 'voicereflect models list') or path")
    tr.add_argument(
        "--json", action="store_true", help="one JSON object per file: text, words, timing"
    )
    tr.add_argument("--words", action="store_true", help="each word's start, end, confidence")
    tr.set_defaults(func=_transcribe_command)

    models = sub.add_parser("models", help="list, download, add, choose and check speech models")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    catalogue = argparse.ArgumentParser(add_help=False)
    catalogue.add_argument("--catalogue", metavar="URL", help=argparse.SUPPRESS)

    ls = msub.add_parser("list", help="installed models (and the catalogue, when asked)")
    ls.add_argument(
        "--catalogue",
        nargs="?",
        const="",
        metavar="URL",
        help="also list the models the official Vosk catalogue offers (uses the network)",
    )
    ls.set_defaults(func=_list_command)
    dl = msub.add_parser(
        "download",
        parents=[catalogue],
        help="fetch a model from the official Vosk catalogue (size and md5 checked)",
    )
    dl.add_argument("wanted", metavar="NAME|LANG", help="e.g. en-us or vosk-model-small-en-us-0.15")
    dl.set_defaults(func=_download_command)
    add = msub.add_parser("add", help="install a model folder or zip you already have")
    add.add_argument("source", metavar="PATH_OR_ZIP")
    add.add_argument("--name", help="install under this name (default: the folder's name)")
    add.set_defaults(func=_add_command)
    use = msub.add_parser("use", help="make a model the one voicereflect uses (saved in config)")
    use.add_argument("name", metavar="NAME", help="a name from 'models list', or a path")
    use.set_defaults(func=_use_command)
    verify = msub.add_parser(
        "verify",
        help="check a model's files against the shipped SHA-256 manifest, load it, time the load",
    )
    verify.add_argument("name", metavar="NAME", nargs="?", help="default: the model in use")
    verify.set_defaults(func=_verify_command)


def check_speech_model() -> CheckResult:
    """A speech model found and loadable."""
    name = _("speech model")
    config = load_config()
    try:
        info = resolve_model(config)
        model = load_model(info.path)
    except VoicereflectError as exc:
        return CheckResult(name, False, exc.message)
    loads = _("{model} loads in {seconds:.1f} s")
    return CheckResult(name, True, loads.format(model=info.name, seconds=model.load_seconds))


def doctor_checks() -> list[Check]:
    """This area's checks for voicereflect doctor."""
    return [check_speech_model]
