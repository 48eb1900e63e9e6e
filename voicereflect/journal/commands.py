"""Command-line subcommands for journal (filled in by its owner)."""

from __future__ import annotations

import argparse

from voicereflect.doctor import Check


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this area's subcommands."""


def doctor_checks() -> list[Check]:
    """This area's checks for voicereflect doctor."""
    return []
