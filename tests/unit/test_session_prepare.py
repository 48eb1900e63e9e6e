"""The session loads the language analyzer before the first answer, not while saving it."""

from __future__ import annotations

import threading

from tests.unit.test_session import make_rig
from voicereflect.reflection.language import korean, preload
from voicereflect.session.events import ModelReady, Saved, SessionState
from voicereflect.session.setup import analyzer_loader


def test_prepare_runs_on_the_model_thread_after_the_model_is_ready() -> None:
    rig = make_rig()
    calls: list[tuple[str, int]] = []
    done = threading.Event()

    def prepare() -> None:
        calls.append((threading.current_thread().name, len(rig.log.of(ModelReady))))
        done.set()

    rig.session._parts.prepare = prepare
    rig.session.start()
    try:
        assert done.wait(5)
        assert calls == [("session-model", 1)]
    finally:
        assert rig.session.stop(timeout=3.0)


def test_prepare_runs_without_a_model_too() -> None:
    rig = make_rig(model=False)
    done = threading.Event()
    rig.session._parts.prepare = done.set
    rig.session.start()
    try:
        assert done.wait(5)
    finally:
        assert rig.session.stop(timeout=3.0)


def test_a_failing_prepare_leaves_the_session_working() -> None:
    rig = make_rig(mic=False, model=False)

    def broken() -> None:
        raise RuntimeError("no analyzer")

    rig.session._parts.prepare = broken
    rig.session.start()
    try:
        assert rig.log.wait_until(lambda: rig.session.state is SessionState.TYPING)
        rig.session.type_answer("typed answer")
        rig.log.wait_for(Saved)
        assert rig.journal.entries[0].answer == "typed answer"
    finally:
        assert rig.session.stop(timeout=3.0)


def test_the_real_prepare_for_korean_loads_kiwi() -> None:
    analyzer_loader("ko-KR")()
    assert korean._kiwi is not None
    preload("en")  # English: lemminflect's tables, no Kiwi needed
