"""Wheel build hook: compile the gettext catalogs, so the wheel carries the .mo files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.frontend import CommandLineInterface
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogHook(BuildHookInterface):  # type: ignore[type-arg]
    """Runs Babel's ``compile`` (what ``scripts/i18n compile`` runs) before packing."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        locale = Path(self.root) / "voicereflect" / "locale"
        CommandLineInterface().run(
            ["pybabel", "-q", "compile", "-D", "voicereflect", "-d", str(locale)]
        )
