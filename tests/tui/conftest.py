"""TUI test fixtures: steady cursors, so Pilot runs and snapshots are deterministic."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes snapshots differ run to run (harlequin does the same)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda _self: None, raising=False)
