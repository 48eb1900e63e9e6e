"""Settings: a typed, frozen view of ``config.toml`` with documented defaults."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicereflect import paths
from voicereflect.errors import VoicereflectError
from voicereflect.i18n import N_, _


class ConfigError(VoicereflectError):
    """``config.toml`` cannot be read or holds a value of the wrong kind."""

    exit_code = 78  # EX_CONFIG


def _setting(
    default: Any,
    help: str,
    low: float | None = None,
    high: float | None = None,
    *,
    zero_ok: bool = False,
) -> Any:
    """A setting's default, the one-line meaning shown by ``voicereflect config show``, and
    for a number the range it must be in (``zero_ok``: 0 too, meaning "off" or "auto")."""
    return field(default=default, metadata={"help": help, "range": (low, high), "zero_ok": zero_ok})


@dataclass(frozen=True)
class AudioSettings:
    """Microphone and recording."""

    input_device: str = _setting("", "name or index; empty means the system default")
    sample_rate: int = _setting(0, "0 means the device's own rate", 8000, 192_000, zero_ok=True)
    keep_audio: bool = _setting(False, "store each answer's audio inside the journal")
    sound_cues: bool = _setting(True, "short tones for listening and saved")


@dataclass(frozen=True)
class SpeechSettings:
    """Recognition and turn-taking."""

    language: str = _setting("en", "language pack: prompts/<language>/ and its model and voice")
    model: str = _setting(
        "", "model name or path; empty means discover (see `voicereflect models list`)"
    )
    pause_seconds: float = _setting(
        4.0,
        "silence that ends a turn, long enough for thinking pauses; 0 turns it off "
        "(a turn then ends only by a key or an end phrase)",
        0.5,
        600.0,
        zero_ok=True,
    )
    end_words: list[str] = field(
        default_factory=list, metadata={"help": "extra phrases that end a turn"}
    )


@dataclass(frozen=True)
class VoiceSettings:
    """The spoken questions."""

    voice: str = _setting(
        "", "espeak-ng voice id (`voicereflect say --list-voices`); empty: by language"
    )
    rate: int = _setting(165, "words per minute", 20, 1000)
    volume: float = _setting(1.0, "0.0 to 1.0", 0.0, 1.0)
    muted: bool = _setting(False, "show questions without speaking them")
    engine: str = _setting("auto", "auto, espeak-ng or pyttsx3")


@dataclass(frozen=True)
class SessionSettings:
    """The reflection session."""

    nudge_minutes: int = _setting(
        20, "a gentle note after this many minutes; 0 turns it off", 1, 24 * 60, zero_ok=True
    )


@dataclass(frozen=True)
class UISettings:
    """The terminal app."""

    theme: str = _setting("textual-dark", "textual-dark or textual-light")
    language: str = _setting("", "language of the screens (en, ko); empty: speech.language")


@dataclass(frozen=True)
class Config:
    """Every setting, grouped as in ``config.toml``."""

    audio: AudioSettings = field(default_factory=AudioSettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    session: SessionSettings = field(default_factory=SessionSettings)
    ui: UISettings = field(default_factory=UISettings)


_SECTIONS: dict[str, type[Any]] = {
    "audio": AudioSettings,
    "speech": SpeechSettings,
    "voice": VoiceSettings,
    "session": SessionSettings,
    "ui": UISettings,
}


def _check_type(path: Path, key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, str)
    if not ok:
        kind = _("a list of strings") if isinstance(default, list) else type(default).__name__
        raise ConfigError(
            N_("{path}: '{key}' must be {kind}, got {got}"),
            path=path,
            key=key,
            kind=kind,
            got=type(value).__name__,
        )
    return value


def _check_range(path: Path, key: str, value: Any, meta: Any) -> None:
    low, high = meta.get("range", (None, None))
    if low is None or isinstance(value, bool) or not isinstance(value, int | float):
        return
    zero_ok = bool(meta.get("zero_ok"))
    if (value == 0 and zero_ok) or low <= value <= high:
        return
    message = (
        N_("{path}: '{key}' must be from {low:g} to {high:g} (or 0), got {value:g}")
        if zero_ok
        else N_("{path}: '{key}' must be from {low:g} to {high:g}, got {value:g}")
    )
    raise ConfigError(message, path=path, key=key, low=low, high=high, value=value)


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Build a ``Config`` from parsed TOML, naming the file and key of any bad value."""
    sections: dict[str, Any] = {}
    for name, table in data.items():
        cls = _SECTIONS.get(name)
        if cls is None:
            known = ", ".join(_SECTIONS)
            raise ConfigError(
                N_("{path}: unknown section [{name}] (known: {known})"),
                path=path,
                name=name,
                known=known,
            )
        if not isinstance(table, dict):
            raise ConfigError(N_("{path}: '{name}' must be a [section]"), path=path, name=name)
        defaults = cls()
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key not in fields:
                raise ConfigError(
                    N_("{path}: unknown setting '{name}.{key}'"), path=path, name=name, key=key
                )
            values[key] = _check_type(path, f"{name}.{key}", value, getattr(defaults, key))
            _check_range(path, f"{name}.{key}", values[key], fields[key].metadata)
        sections[name] = cls(**values)
    return Config(**sections)


def load_config(path: Path | None = None) -> Config:
    """Read ``config.toml``; a missing file means every default."""
    path = paths.config_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(
            N_("cannot read {path}: {reason}"), path=path, reason=exc.strerror
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(N_("{path} is not valid TOML: {reason}"), path=path, reason=exc) from None
    return parse_config(data, path)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def render_config(config: Config) -> str:
    """The TOML text of ``config``, every setting followed by what it means."""
    lines = ["# voicereflect settings. Every key is optional; shown values are in effect."]
    for name, cls in _SECTIONS.items():
        section = getattr(config, name)
        lines += ["", f"[{name}]  # {cls.__doc__}"]
        for f in dataclasses.fields(cls):
            lines.append(f"{f.name} = {_toml_value(getattr(section, f.name))}")
            lines.append(f"#   {f.metadata['help']}")
    return "\n".join(lines) + "\n"


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write ``config`` atomically as a private file and return its path."""
    path = paths.config_path() if path is None else path
    paths.write_private(path, render_config(config).encode("utf-8"))
    return path


def replace_setting(config: Config, section: str, **changes: Any) -> Config:
    """A copy of ``config`` with some settings of one section changed."""
    current = getattr(config, section)
    return dataclasses.replace(config, **{section: dataclasses.replace(current, **changes)})
