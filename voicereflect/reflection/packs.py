"""Prompt packs: the typed, validated form of ``prompts/<lang>/*.toml`` and their loader.

A pack is one language: ``_language.toml`` (turn-taking words, voice commands, theme
lexicons, change-talk and "why" patterns, follow-up and summary frame texts) plus one file
per flow (``checkin.toml``, ``decision.toml``...). Packs in the user's data dir
(``paths.user_prompts_dir()/<lang>/``) add flows or replace shipped ones with the same id.
The format is documented in ``prompts/README.md``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from voicereflect import paths
from voicereflect.errors import VoicereflectError

AnswerKind = Literal["text", "rating0_10", "rating0_100", "yesno", "choice"]
ANSWER_KINDS: tuple[str, ...] = ("text", "rating0_10", "rating0_100", "yesno", "choice")
FollowupRule = Literal["short", "theme", "change_talk", "why", "more"]
FOLLOWUP_RULES: tuple[str, ...] = ("short", "theme", "change_talk", "why", "more")
LANGUAGE_FILE = "_language.toml"
DEFAULT_FLOW = "open"  # the flow "just talk" starts
StepTalk = Literal["change", "sustain"]


class PackError(VoicereflectError):
    """A prompt pack file is missing, is not valid TOML or holds a wrong field."""

    exit_code = 65  # EX_DATAERR


@dataclass(frozen=True)
class Condition:
    """Ask a step only when an earlier rating step's answer was above ``above``."""

    step: str
    above: int


@dataclass(frozen=True)
class Step:
    """One question of a flow.

    Attributes:
        id: unique within the flow; answers are saved under it.
        kind: what answer is expected (free text, a 0-10 or 0-100 rating, yes/no, a choice).
        prompts: variants of the question; one is chosen per session. ``{<step id>}``
            placeholders are filled with the person's earlier answer to that step.
        label: the summary's fixed-frame label for this answer; empty keeps it out.
        choices: the allowed answers of a ``choice`` step.
        followups: which follow-up rules may fire after a text answer.
        themes: theme names (from the language lexicon) that may choose follow-ups;
            empty means every theme.
        followup_prompts: open questions for the ``more`` rule ("What else...?").
        max_followups: at most this many follow-ups after this step.
        when: ask only if an earlier rating was above a value ("why not a lower number?").
        next_step: this answer is the person's next small step (opens the next session).
        lead: a statement said as a turn of its own before the question (the miracle
            question's "Suppose that tonight …"), so each spoken question stays short.
        talk: the side the question asks about ("change" or "sustain", a decisional-balance
            step): what the person says to it is heard as talk for that side.
    """

    id: str
    kind: AnswerKind
    prompts: tuple[str, ...]
    label: str = ""
    choices: tuple[str, ...] = ()
    followups: tuple[FollowupRule, ...] = ()
    themes: tuple[str, ...] = ()
    followup_prompts: tuple[str, ...] = ()
    max_followups: int = 1
    when: Condition | None = None
    next_step: bool = False
    talk: StepTalk | None = None
    lead: str = ""


@dataclass(frozen=True)
class Flow:
    """A guided reflection: ordered steps traceable to a framework."""

    id: str
    title: str
    framework: str
    description: str
    steps: tuple[Step, ...]
    source: Path

    def step(self, step_id: str) -> Step:
        """The step with this id (``KeyError`` when absent)."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)


@dataclass(frozen=True)
class Theme:
    """A life area: words that signal it and open questions about it."""

    name: str
    words: tuple[str, ...]
    prompts: tuple[str, ...]
    not_in: tuple[str, ...] = ()  # phrases where a theme word means something else


@dataclass(frozen=True)
class Reflections:
    """The fixed frames reflections are said in (``[reflections]`` in ``_language.toml``).

    ``{clause}`` is a clause of the person's in the second person (English), ``{quote}`` one
    quoted as said (Korean, followed by ``{라고}`` or ``{라는}``), ``{sustain}`` and
    ``{change}`` the two sides of a double-sided reflection, ``{feeling}`` the person's own
    feeling words; ``feeling_words`` are the words that count as feelings.
    """

    simple: tuple[str, ...]
    double: tuple[str, ...]
    feeling: tuple[str, ...]
    feeling_past: tuple[str, ...]
    last: tuple[str, ...]
    feeling_words: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """Everything in ``_language.toml``: words and the fixed texts around the flows.

    Templates use ``{quote}`` for a phrase of the person's own words, ``{minutes}`` for
    the session length, ``{step}`` for last session's next small step, ``{scale}`` for the
    top of a rating scale, ``{value}`` for a number heard (``clarify.confirm``).
    """

    lang: str
    end_phrases: tuple[str, ...]
    repeat_words: tuple[str, ...]
    skip_words: tuple[str, ...]
    stop_words: tuple[str, ...]
    pause_words: tuple[str, ...]  # handled by the session runner, not the engine
    short_answer_words: int
    invite_more: tuple[str, ...]
    reflections: Reflections
    why_patterns: tuple[str, ...]
    why_to_how: tuple[str, ...]
    rating_clarify: str
    rating_confirm: str
    yesno_clarify: str
    choice_clarify: str
    summary_intro: str
    summary_line: str
    summary_change_intro: str
    summary_closing: str
    continuity_you: str
    continuity_quote: str
    support_offer: str
    support_resume: str
    support_choices: tuple[str, str, str]  # hear the contacts again, go on, stop for today
    support_again: str
    support_goodbye: str
    support_farewell: str
    check_in_other: str
    check_in_denied: str
    nudge: str
    goodbye: str
    themes: tuple[Theme, ...]
    source: Path


@dataclass(frozen=True)
class PromptPack:
    """One language's flows and language settings, after user overrides."""

    lang: str
    language: Language
    flows: tuple[Flow, ...]
    skipped: tuple[str, ...] = ()  # the person's own files left out, each with its reason

    def flow(self, flow_id: str) -> Flow:
        """The flow with this id.

        Raises:
            PackError: no such flow in this language.
        """
        for f in self.flows:
            if f.id == flow_id:
                return f
        known = ", ".join(f.id for f in self.flows) or "none"
        raise PackError(f"no flow '{flow_id}' for language '{self.lang}' (known: {known})")


# --- reading -------------------------------------------------------------------------


class _Table:
    """A TOML table being validated: every read names file, flow and field on error."""

    def __init__(self, data: dict[str, Any], file: Path, flow: str, where: str) -> None:
        self.data = data
        self.file = file
        self.flow = flow
        self.where = where
        self.used: set[str] = set()

    def error(self, field: str, problem: str) -> PackError:
        name = f"{self.where}.{field}" if self.where else field
        return PackError(f"{self.file}: flow '{self.flow}', field '{name}': {problem}")

    def _get(self, key: str, default: Any, kind: type, kind_name: str) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is _REQUIRED:
                raise self.error(key, "is missing")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(key, f"must be {kind_name}, got {type(value).__name__}")
        return value

    def text(self, key: str, default: Any = None) -> str:
        value = self._get(key, _REQUIRED if default is None else default, str, "a string")
        return cast(str, value)

    def integer(self, key: str, default: int) -> int:
        return cast(int, self._get(key, default, int, "an integer"))

    def boolean(self, key: str, default: bool) -> bool:
        return cast(bool, self._get(key, default, bool, "true or false"))

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self._get(key, _REQUIRED if required else [], list, "a list of strings")
        if not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of strings")
        if required and not value:
            raise self.error(key, "must not be empty")
        return tuple(value)

    def table(self, key: str, required: bool = True) -> _Table | None:
        value = self._get(key, _REQUIRED if required else None, dict, "a table")
        if value is None:
            return None
        where = f"{self.where}.{key}" if self.where else key
        return _Table(value, self.file, self.flow, where)

    def tables(self, key: str) -> list[_Table]:
        value = self._get(key, _REQUIRED, list, "an array of tables ([[...]])")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{i}]", "must be a table")
            where = f"{self.where}.{key}[{i}]" if self.where else f"{key}[{i}]"
            out.append(_Table(item, self.file, self.flow, where))
        return out

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "is not a known field (see prompts/README.md)")


_REQUIRED: Any = object()


def _read_toml(file: Path, flow: str) -> dict[str, Any]:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise PackError(f"{file}: flow '{flow}': cannot read the file: {exc.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError(f"{file}: flow '{flow}', field '(file)': not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message carries "(at line N, column M)", which is what the person needs.
        raise PackError(f"{file}: flow '{flow}', field '(file)': not valid TOML: {exc}") from None


def _parse_step(t: _Table, earlier: dict[str, Step], themes: set[str] | None) -> Step:
    step_id = t.text("id")
    kind = t.text("kind", "text")
    if kind not in ANSWER_KINDS:
        raise t.error("kind", f"'{kind}' is not one of {', '.join(ANSWER_KINDS)}")
    prompts = t.texts("prompts", required=True)
    choices = t.texts("choices")
    if kind == "choice" and not choices:
        raise t.error("choices", "a 'choice' step needs at least one choice")
    default_rules: tuple[str, ...] = ("short", "theme", "change_talk", "why")
    rules = t.texts("followups") if "followups" in t.data else default_rules
    if kind != "text" and "followups" not in t.data:
        rules = ()
    for rule in rules:
        if rule not in FOLLOWUP_RULES:
            raise t.error("followups", f"'{rule}' is not one of {', '.join(FOLLOWUP_RULES)}")
    step_themes = t.texts("themes")
    for name in step_themes:
        if themes is not None and name not in themes:
            raise t.error("themes", f"theme '{name}' is not in the language lexicon")
    more = t.texts("followup_prompts")
    if "more" in rules and not more:
        raise t.error("followup_prompts", "the 'more' follow-up needs at least one prompt")
    max_followups = t.integer("max_followups", 1)
    if max_followups < 0:
        raise t.error("max_followups", "must be 0 or more")
    when = None
    when_t = t.table("when", required=False)
    if when_t is not None:
        ref = when_t.text("step")
        above = when_t.integer("above", 0)
        when_t.done()
        target = earlier.get(ref)
        if target is None:
            raise when_t.error("step", f"refers to step '{ref}', which is not an earlier step")
        if target.kind not in ("rating0_10", "rating0_100"):
            raise when_t.error("step", f"step '{ref}' is not a rating step")
        when = Condition(ref, above)
    for prompt in prompts + more + (t.text("lead", ""),):
        _check_placeholders(t, prompt, earlier)
    talk = t.text("talk", "") or None
    if talk not in (None, "change", "sustain"):
        raise t.error("talk", f"'{talk}' is not one of change, sustain")
    step = Step(
        id=step_id,
        kind=cast(AnswerKind, kind),
        prompts=prompts,
        label=t.text("label", ""),
        choices=choices,
        followups=cast(tuple[FollowupRule, ...], tuple(rules)),
        themes=step_themes,
        followup_prompts=more,
        max_followups=max_followups,
        when=when,
        next_step=t.boolean("next_step", False),
        talk=cast(StepTalk | None, talk),
        lead=t.text("lead", ""),
    )
    t.done()
    return step


def _check_placeholders(t: _Table, prompt: str, earlier: dict[str, Step]) -> None:
    import string

    try:
        names = [f for _, f, _, _ in string.Formatter().parse(prompt) if f is not None]
    except ValueError:
        raise t.error("prompts", "has an unbalanced '{' or '}'") from None
    for name in names:
        if name not in earlier:
            raise t.error("prompts", f"placeholder '{{{name}}}' is not an earlier step id")


def parse_flow(data: dict[str, Any], file: Path, themes: set[str] | None = None) -> Flow:
    """Validate one flow file's parsed TOML.

    Raises:
        PackError: naming the file, flow and field at fault.
    """
    flow_id = data.get("id") if isinstance(data.get("id"), str) else file.stem
    t = _Table(data, file, str(flow_id), "")
    flow_id = t.text("id")
    title = t.text("title")
    framework = t.text("framework", "")
    description = t.text("description", "")
    steps: dict[str, Step] = {}
    for st in t.tables("steps"):
        step = _parse_step(st, steps, themes)
        if step.id in steps:
            raise st.error("id", f"step id '{step.id}' is used twice")
        steps[step.id] = step
    if not steps:
        raise t.error("steps", "a flow needs at least one step")
    t.done()
    return Flow(flow_id, title, framework, description, tuple(steps.values()), file)


def parse_language(data: dict[str, Any], file: Path, lang: str) -> Language:
    """Validate ``_language.toml``'s parsed TOML (raises ``PackError`` naming the field)."""
    t = _Table(data, file, LANGUAGE_FILE, "")
    turn = cast(_Table, t.table("turn"))
    commands = cast(_Table, t.table("commands"))
    follow = cast(_Table, t.table("followups"))
    refl = cast(_Table, t.table("reflections"))
    clarify = cast(_Table, t.table("clarify"))
    summary = cast(_Table, t.table("summary"))
    cont = cast(_Table, t.table("continuity"))
    support = cast(_Table, t.table("support"))
    session = cast(_Table, t.table("session"))
    themes = []
    themes_t = cast(_Table, t.table("themes"))
    for name in list(themes_t.data):
        th = cast(_Table, themes_t.table(name))
        themes.append(
            Theme(name, th.texts("words", True), th.texts("prompts", True), th.texts("not_in"))
        )
        th.done()
    themes_t.done()
    language = Language(
        lang=lang,
        end_phrases=turn.texts("end_phrases", True),
        repeat_words=commands.texts("repeat", True),
        skip_words=commands.texts("skip", True),
        stop_words=commands.texts("stop", True),
        pause_words=commands.texts("pause"),
        short_answer_words=follow.integer("short_answer_words", 3),
        invite_more=follow.texts("invite_more", True),
        reflections=Reflections(
            simple=refl.texts("simple", True),
            double=refl.texts("double", True),
            feeling=refl.texts("feeling", True),
            feeling_past=refl.texts("feeling_past", True),
            last=refl.texts("last", True),
            feeling_words=refl.texts("feeling_words", True),
        ),
        why_patterns=follow.texts("why_patterns", True),
        why_to_how=follow.texts("why_to_how", True),
        rating_clarify=clarify.text("rating"),
        rating_confirm=clarify.text("confirm", "{value}?"),
        yesno_clarify=clarify.text("yesno"),
        choice_clarify=clarify.text("choice"),
        summary_intro=summary.text("intro"),
        summary_line=summary.text("line"),
        summary_change_intro=summary.text("change_intro"),
        summary_closing=summary.text("closing"),
        continuity_you=cont.text("you"),
        continuity_quote=cont.text("quote"),
        support_offer=support.text("offer"),
        support_resume=support.text("resume"),
        support_choices=_three(support, "choices"),
        support_again=support.text("again"),
        support_goodbye=support.text("goodbye"),
        support_farewell=support.text("farewell"),
        check_in_other=support.text("check_in_other"),
        check_in_denied=support.text("check_in_denied"),
        nudge=session.text("nudge"),
        goodbye=session.text("goodbye"),
        themes=tuple(themes),
        source=file,
    )
    for sub in (turn, commands, follow, refl, clarify, summary, cont, support, session, t):
        sub.done()
    return language


def _three(t: _Table, key: str) -> tuple[str, str, str]:
    values = t.texts(key, True)
    if len(values) != 3:
        raise t.error(key, f"needs exactly 3 entries, got {len(values)}")
    return values[0], values[1], values[2]


def _pack_dirs(lang: str, user_dir: Path | None, shipped_dir: Path | None) -> list[Path]:
    shipped = (paths.shipped_prompts_dir() if shipped_dir is None else shipped_dir) / lang
    user = (paths.user_prompts_dir() if user_dir is None else user_dir) / lang
    return [d for d in (shipped, user) if d.is_dir()]


def available_languages(user_dir: Path | None = None, shipped_dir: Path | None = None) -> list[str]:
    """Languages that have a ``_language.toml``, shipped or in the user's data dir."""
    roots = [
        paths.shipped_prompts_dir() if shipped_dir is None else shipped_dir,
        paths.user_prompts_dir() if user_dir is None else user_dir,
    ]
    found = {p.parent.name for r in roots if r.is_dir() for p in r.glob(f"*/{LANGUAGE_FILE}")}
    return sorted(found)


def load_pack(
    lang: str, user_dir: Path | None = None, shipped_dir: Path | None = None
) -> PromptPack:
    """Load and validate one language's pack, user files overriding shipped ones.

    Args:
        lang: language code, the directory name under ``prompts/`` ("en", "ko").
        user_dir: root of the user's packs; default ``paths.user_prompts_dir()``.
        shipped_dir: root of the shipped packs; default ``paths.shipped_prompts_dir()``.

    Returns:
        The pack; flows keep shipped order, then user-added flows by file name. A flow file
        of the person's own that is invalid or gives advice is left out and named in
        ``skipped`` (the other flows still work); their ``_language.toml`` likewise.

    Raises:
        PackError: no pack for ``lang``, or a shipped file is invalid (naming file and field).
    """
    from voicereflect.reflection.guard import advice_in, check_flow

    dirs = _pack_dirs(lang, user_dir, shipped_dir)
    shipped = (paths.shipped_prompts_dir() if shipped_dir is None else shipped_dir) / lang
    languages: list[Path] = []
    flow_files: dict[str, list[Path]] = {}  # by file name: the person's own first
    for d in dirs:
        if (d / LANGUAGE_FILE).is_file():
            languages.insert(0, d / LANGUAGE_FILE)
        for f in sorted(d.glob("*.toml")):
            if not f.name.startswith("_"):
                flow_files.setdefault(f.stem, []).insert(0, f)
    if not languages:
        known = ", ".join(available_languages(user_dir, shipped_dir)) or "none"
        raise PackError(f"no prompt pack for language '{lang}' (available: {known})")
    skipped: list[str] = []
    language = None
    for file in languages:
        try:
            language = parse_language(_read_toml(file, LANGUAGE_FILE), file, lang)
            break
        except PackError as exc:
            if file.parent == shipped:
                raise
            skipped.append(f"skipped your {file}: {_reason(exc, file)}")
    if language is None:  # only the person's own, and it is broken
        raise PackError(skipped[0].removeprefix("skipped your "))
    theme_names = {th.name for th in language.themes}
    flows: dict[str, Flow] = {}
    for candidates in flow_files.values():
        for file in candidates:  # a skipped file of the person's falls back to the shipped one
            try:
                flow = parse_flow(_read_toml(file, file.stem), file, theme_names)
            except PackError as exc:
                if file.parent == shipped:
                    raise
                skipped.append(f"skipped your {file}: {_reason(exc, file)}")
                continue
            advice = [] if file.parent == shipped else check_flow(flow)
            advice = [p for p in advice if advice_in(p.text)]
            if advice:
                skipped.append(
                    f"skipped your {file}: {advice[0].where} {advice[0].problem} — "
                    "voicereflect only asks open questions"
                )
                continue
            # Overriding is by flow id, so a user file may have any name.
            flows[flow.id] = flow
            break
    order = _flow_order(flows)
    return PromptPack(lang, language, tuple(flows[i] for i in order), tuple(skipped))


def _reason(exc: PackError, file: Path) -> str:
    """The problem without the file name the message starts with (it is said once)."""
    return exc.message.removeprefix(f"{file}: ")


_PREFERRED_ORDER = (
    "checkin",
    "open",
    "decision",
    "solution",
    "thought_record",
    "after_event",
    "strengths",
    "values",
)


def _flow_order(flows: dict[str, Flow]) -> list[str]:
    first = [i for i in _PREFERRED_ORDER if i in flows]
    return first + sorted(i for i in flows if i not in first)


def load_flow(
    lang: str, flow_id: str, user_dir: Path | None = None, shipped_dir: Path | None = None
) -> tuple[PromptPack, Flow]:
    """Load ``lang``'s pack and pick one flow (raises ``PackError`` if either is missing)."""
    pack = load_pack(lang, user_dir, shipped_dir)
    return pack, pack.flow(flow_id)
