"""Every string a person sees is marked for translation and has its Korean translation."""

from __future__ import annotations

import ast
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from voicereflect import i18n
from voicereflect.config import Config, replace_setting
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import LOCALE_DIR, _, ngettext, ui_language, use_language

PACKAGE = Path(i18n.__file__).resolve().parent
KO_PO = LOCALE_DIR / "ko" / "LC_MESSAGES" / "voicereflect.po"
MARKERS = {"_", "N_", "ngettext"}
# Calls whose string arguments reach the screen (or the plain-mode lines) as they are.
SHOWN = {
    "Label",
    "Static",
    "Button",
    "Option",
    "SystemCommand",
    "ConfirmScreen",
    "SupportScreen",
    "PartStatus",
    "Markdown",
    "notify",
    "update",
    "line",
    "add_columns",
    "add_column",
    "_status",
    "_notice",
    "_say",
    "print",
}
# Keyword arguments that are identifiers or styles, never text.
NOT_TEXT = {"id", "classes", "name", "group", "variant", "severity", "style", "key", "file"}
PROSE = re.compile(r"[A-Za-z]{2,}\W+[A-Za-z]{2,}")


def _marked() -> list[tuple[str, ...]]:
    found = []
    for _path, _line, message, _comments, _context in extract_from_dir(str(PACKAGE)):
        found.append((message,) if isinstance(message, str) else tuple(message))
    return found


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^}]*\}", text))


@pytest.fixture(scope="module")
def korean() -> dict[tuple[str, ...], tuple[str, ...]]:
    with KO_PO.open("rb") as f:
        catalog = read_po(f, locale="ko")
    out = {}
    for m in catalog:
        if m.id and not m.fuzzy:
            key = (m.id,) if isinstance(m.id, str) else tuple(m.id)
            out[key] = (m.string,) if isinstance(m.string, str) else tuple(m.string)
    return out


def test_every_marked_string_has_a_korean_translation(
    korean: dict[tuple[str, ...], tuple[str, ...]],
) -> None:
    missing = [m[0] for m in _marked() if not all(korean.get(m, ("",)))]
    assert not missing, f"no Korean for {missing} — run scripts/i18n update and translate"


def test_korean_translations_keep_every_placeholder(
    korean: dict[tuple[str, ...], tuple[str, ...]],
) -> None:
    for msgid, translated in korean.items():
        for text in translated:
            assert _placeholders(text) == _placeholders(msgid[0]), msgid[0]


def test_the_compiled_korean_catalog_is_current(
    korean: dict[tuple[str, ...], tuple[str, ...]],
) -> None:
    use_language("ko")
    for msgid, translated in korean.items():
        if len(msgid) == 1:
            assert _(msgid[0]) == translated[0], "run scripts/i18n compile"
        else:
            assert ngettext(msgid[0], msgid[1], 3) == translated[0], "run scripts/i18n compile"


def test_a_marked_string_without_a_translation_is_noticed(
    korean: dict[tuple[str, ...], tuple[str, ...]],
) -> None:
    assert ("Saved.",) in korean
    assert ("A string nobody translated",) not in korean


def _user_facing(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """String literals that reach the person but are not inside ``_()``/``N_()``/``ngettext``."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
            skip |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.Call) and _name(node.func).startswith("log"):
            skip |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # docstrings, attribute docstrings: never shown
        if isinstance(node, ast.Subscript):
            skip |= {id(n) for n in ast.walk(node)}  # type annotations ("str | None")
        if isinstance(node, ast.keyword) and node.arg in NOT_TEXT:
            skip |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_name(t).endswith("CSS") for t in targets):
                skip |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in skip:
            continue
        func = _name(node.func)
        args: list[ast.expr] = []
        if func in SHOWN:
            args += node.args[1:] if func == "_say" else node.args  # _say(where, text)
            args += [k.value for k in node.keywords if k.arg not in NOT_TEXT]
        if func == "Binding":
            args += node.args[2:3] + [k.value for k in node.keywords if k.arg == "description"]
        args += [k.value for k in node.keywords if k.arg in ("placeholder", "prompt", "title")]
        for arg in args:
            for part in ast.walk(arg):
                if id(part) in skip:
                    continue
                text = _literal(part)
                if text is not None and re.search(r"[A-Za-z]{2,}", text):
                    yield node.lineno, text
    for node in ast.walk(tree):
        text = _literal(node)
        if id(node) not in skip and text is not None and PROSE.search(text):
            if " " in text and not text.startswith(("#", ".", "$")):
                yield getattr(node, "lineno", 0), text


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal(v) or "" for v in node.values)
    return None


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


# The program's own name before a message, as every CLI line starts.
PROGRAM = {"voicereflect: "}
# Spoken by a voice to let the person hear it: in the voice's language, not the screen's.
VOICE_SAMPLES = {"Hello. Can you hear me?"}


def _unmarked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(
        {
            f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
            for line, text in _user_facing(tree)
            if text not in PROGRAM | VOICE_SAMPLES
        }
    )


def _ui_sources() -> list[Path]:
    return sorted((PACKAGE / "tui").rglob("*.py")) + [PACKAGE / "plain.py"]


# What `voicereflect COMMAND` prints. argparse's help stays English: argparse's own words
# (usage, options, its errors) have no Korean catalog, so a translated help would be half
# English; the options themselves are English words anyway.
COMMANDS = ["cli.py", "doctor.py", "audio/commands.py", "speech/commands.py"]
COMMANDS += ["speech/voice_commands.py", "journal/commands.py", "journal/checks.py"]
COMMANDS += ["reflection/checks.py"]
ARGPARSE = {"help", "description", "metavar", "version", "prog", "epilog"}


@pytest.mark.parametrize("name", COMMANDS)
def test_what_commands_print_is_marked_for_translation(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "NOT_TEXT", NOT_TEXT | ARGPARSE)
    assert not _unmarked(PACKAGE / name)


@pytest.mark.parametrize("path", _ui_sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_user_facing_text_in_the_ui_is_marked_for_translation(path: Path) -> None:
    assert not _unmarked(path)


def _error_classes() -> set[str]:
    """The names of every error written for a person (``VoicereflectError`` and below)."""
    for module in _error_sources():
        if module.stem != "pyttsx3_child":  # runs as its own process, says nothing to a person
            parts = module.relative_to(PACKAGE).with_suffix("").parts
            importlib.import_module(".".join(("voicereflect", *parts)))
    found, todo = set(), [VoicereflectError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _unmarked_errors(tree: ast.AST, errors: set[str]) -> Iterator[tuple[int, str]]:
    """English text given to an error a person can meet, not inside ``_``/``N_``."""
    marked: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
            marked |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(_name(b) in errors for b in node.bases):
            inits = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
            calls = [c for c in inits if _name(c.func) == "__init__"]
        elif isinstance(node, ast.Call) and _name(node.func) in errors:
            calls = [node]
        else:
            continue
        for call in calls:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                for part in ast.walk(arg):
                    if isinstance(part, ast.JoinedStr):  # the whole f-string, not its pieces
                        marked |= {id(v) for v in part.values}
                    text = _literal(part)
                    if id(part) not in marked and text and PROSE.search(text):
                        yield call.lineno, text


def _error_sources() -> list[Path]:
    """Where the errors a person can meet in the app or a command come from.

    Not yet: reflection/packs.py and safety.py (mistakes in the person's own flow and
    contact files, named by their English keys), journal/importing.py (which field of an
    import file is wrong).
    """
    found = [PACKAGE / "config.py", *(PACKAGE / "audio").glob("*.py")]
    found += (PACKAGE / "speech").glob("*.py")
    found += [p for p in (PACKAGE / "journal").glob("*.py") if p.stem != "importing"]
    return sorted(found)


@pytest.mark.parametrize("path", _error_sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_errors_from_microphones_speakers_models_voices_and_the_journal_are_marked(
    path: Path,
) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not sorted(set(_unmarked_errors(tree, _error_classes())))


def test_the_error_check_notices_an_unmarked_error_message() -> None:
    tree = ast.parse(
        "class Gone(NoInputDevice):\n"
        "    def __init__(self, name):\n"
        "        super().__init__(f'the microphone {name} is gone')\n"
        "raise AudioFileError(N_('{name}: no such file'), name=name)\n"
        "raise AudioFileError(f'{name} is corrupt')\n"
        "raise ValueError('not for a person')\n"
    )
    found = sorted(text for _line, text in _unmarked_errors(tree, _error_classes()))
    assert found == [" is corrupt", "the microphone  is gone"]


def test_an_error_is_shown_in_the_language_of_whoever_shows_it() -> None:
    from voicereflect.audio.errors import DeviceLost

    use_language("en")
    lost = DeviceLost("USB Mic")  # raised before the UI language was chosen
    use_language("ko")
    try:
        assert lost.message.startswith("마이크 'USB Mic'가 멈췄어요")
        assert str(lost) == lost.message
    finally:
        use_language("en")
    assert lost.message.startswith("the microphone 'USB Mic' stopped working")


def test_the_marking_check_notices_unmarked_text(tmp_path: Path) -> None:
    source = tmp_path / "screen.py"
    source.write_text(
        '"""A screen."""\n'
        'Binding("t", "type", "Type")\n'
        'yield Label(_("Marked"), id="ok")\n'
        'yield Static(f"{n} sessions")\n'
        'self.notify("The journal is not open.", severity="warning")\n'
        'yield Input(placeholder="type here")\n'
        'hint = {"yesno": " (yes or no)"}\n'
        'DEFAULT_CSS = "Label { height: 1; }"\n'
    )
    tree = ast.parse(source.read_text())
    found = sorted({text for _line, text in _user_facing(tree)})
    assert found == [" (yes or no)", " sessions", "The journal is not open.", "Type", "type here"]


def test_the_screens_follow_the_speech_language_unless_ui_language_says_otherwise() -> None:
    korean = replace_setting(Config(), "speech", language="ko")
    assert ui_language(Config()) == "en"
    assert ui_language(korean) == "ko"
    assert ui_language(replace_setting(korean, "ui", language="en")) == "en"
    use_language(ui_language(korean))
    assert _("Saved.") == "저장했어요."
    use_language("en")
    assert _("Saved.") == "Saved."
