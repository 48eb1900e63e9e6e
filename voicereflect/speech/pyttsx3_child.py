"""The child process that runs pyttsx3 for one utterance (or one voice listing), then exits.

``Pyttsx3Speaker`` starts ``python -m voicereflect.speech.pyttsx3_child`` once per utterance
and sends one JSON request on stdin, so the text never appears in any argv. pyttsx3 2.99 is
used exactly once per process (``init`` + ``say`` + ``runAndWait``), which sidesteps its
long-lived-engine bugs (pitfalls P1–P3, P6, P8): a fresh engine cannot repeat or swallow an
earlier prompt. ``runAndWait`` may return before the audio has played (P4), so the child also
waits for the driver's ``finished-utterance`` notification, which the espeak driver sends only
after its ``aplay`` has exited; the parent still treats the whole process group being gone as
the end of the sound. Request and reply formats are the module-level functions below; the
matching helpers are pure so the parent and the tests share them.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import Any

# Exit codes the parent maps to errors a person can act on.
EXIT_OK = 0
EXIT_UNAVAILABLE = 10  # pyttsx3 missing, or its driver could not start (no libespeak-ng...)
EXIT_UNKNOWN_VOICE = 11
EXIT_BAD_REQUEST = 12
EXIT_TIMEOUT = 13  # the driver never reported the end of the utterance

# The regional voice a bare language code means, as in tts._LANGUAGE_VOICES.
PREFERRED_LANGUAGE = {"en": "en-us", "ko": "ko"}
# The child gives the driver this long per character before giving up (the parent's own
# timeout is the backstop; this only keeps an orphaned child from living forever).
_SECONDS_PER_CHAR = 0.5
_MIN_WAIT = 30.0


def normalise_language(code: str) -> str:
    """``"en_US"`` → ``"en-us"``: the form voices are compared in."""
    return code.strip().lower().replace("_", "-")


def speaks(languages: Iterable[str], language: str) -> bool:
    """Whether a voice with these language codes speaks ``language`` (``"en"`` ⊃ ``"en-us"``).

    ``"ko"`` matches ``"ko"`` and ``"ko-kr"`` but not ``"kok"`` (Konkani).
    """
    want = normalise_language(language)
    if not want:
        return True
    for code in languages:
        have = normalise_language(code)
        if have == want or have.startswith(want + "-"):
            return True
    return False


def voice_keys(voice: dict[str, Any]) -> set[str]:
    """The names a configured voice may use for this voice, lower-cased.

    The id itself (``gmw/en-us``, a macOS or Windows registry id), its last path part
    (``en-us``, which is what espeak-ng itself and ``EspeakSpeaker`` call it), and the name.
    """
    vid = str(voice.get("id", "")).lower()
    keys = {vid, vid.rsplit("/", 1)[-1], vid.rsplit("\\", 1)[-1]}
    name = str(voice.get("name", "")).lower()
    if name:
        keys.add(name)
    return {k for k in keys if k}


def choose_voice(voices: Sequence[dict[str, Any]], voice: str, language: str) -> str | None:
    """The driver id to select, ``None`` for the driver's default.

    Args:
        voices: As the child reports them: ``{"id", "name", "languages"}``.
        voice: The configured voice (id, espeak-ng short id, name, or a voice's exact
            language code as espeak-ng voice ids are); empty for ``language``'s.
        language: Language pack code used when ``voice`` is empty.

    Raises:
        LookupError: ``voice`` names no installed voice (pyttsx3 would silently ignore it, P11).
    """
    if voice:
        wanted = voice.strip().lower()
        for v in voices:
            if wanted in voice_keys(v):
                return str(v["id"])
        # An espeak-ng voice id that pyttsx3 names otherwise ("en-gb" is "gmw/en" there).
        code = normalise_language(voice)
        for v in voices:
            if code in {normalise_language(c) for c in v.get("languages", ())}:
                return str(v["id"])
        raise LookupError(voice)
    lang = normalise_language(language)
    if not lang:
        return None
    matching = [v for v in voices if speaks(v.get("languages", ()), lang)]
    preferred = PREFERRED_LANGUAGE.get(lang, lang)
    for v in matching:
        codes = {normalise_language(c) for c in v.get("languages", ())}
        if preferred in codes or preferred in voice_keys(v):
            return str(v["id"])
    return str(matching[0]["id"]) if matching else None


def _voice_dicts(engine: Any) -> list[dict[str, Any]]:
    out = []
    for v in engine.getProperty("voices") or []:
        languages = [
            code.decode(errors="replace") if isinstance(code, bytes) else str(code)
            for code in (v.languages or [])
        ]
        out.append({"id": str(v.id), "name": str(v.name or ""), "languages": languages})
    return out


def _speak(engine: Any, request: dict[str, Any]) -> int:
    text = str(request.get("text", ""))
    try:
        chosen = choose_voice(
            _voice_dicts(engine), str(request.get("voice", "")), str(request.get("language", ""))
        )
    except LookupError:
        return EXIT_UNKNOWN_VOICE
    if chosen is not None:
        engine.setProperty("voice", chosen)
    engine.setProperty("rate", int(request.get("rate", 165)))
    engine.setProperty("volume", min(1.0, max(0.0, float(request.get("volume", 1.0)))))
    finished = threading.Event()
    engine.connect("finished-utterance", lambda name, completed: finished.set())
    engine.connect("error", lambda name, exception: finished.set())
    engine.say(text)
    engine.runAndWait()
    # runAndWait can return while aplay is still playing (P4): wait for the driver's own end.
    limit = max(_MIN_WAIT, len(text) * _SECONDS_PER_CHAR)
    return EXIT_OK if finished.wait(limit) else EXIT_TIMEOUT


def main() -> int:
    """Serve one request read from stdin; the reply (voices) goes to the original stdout."""
    # The reply channel is a copy of stdout; fd 1 itself now goes to stderr, so pyttsx3's
    # print()s and aplay's output land in the parent's captured stderr, not in the reply.
    reply = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        op = request["op"]
    except (ValueError, KeyError, TypeError):
        return EXIT_BAD_REQUEST
    try:
        import pyttsx3

        engine = pyttsx3.init(request.get("driver") or None)
    except Exception as exc:  # ImportError, RuntimeError (no libespeak-ng), OSError...
        print(f"pyttsx3 unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if op == "voices":
        json.dump(_voice_dicts(engine), reply)
        reply.close()
        return EXIT_OK
    if op == "speak":
        return _speak(engine, request)
    return EXIT_BAD_REQUEST


if __name__ == "__main__":
    # os._exit: skip interpreter teardown, where ctypes callbacks of a still-loaded
    # libespeak-ng could run against a half-destroyed interpreter.
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
