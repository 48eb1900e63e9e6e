"""Property tests: no text, however empty, long or non-Latin, crashes or stalls the engine."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from voicereflect.reflection import engine as e
from voicereflect.reflection.answers import matches_command
from voicereflect.reflection.packs import PromptPack, load_pack

PACKS: dict[str, PromptPack] = {lang: load_pack(lang) for lang in ("en", "ko")}
FLOWS = [(lang, f.id) for lang, pack in PACKS.items() for f in pack.flows]

NON_LATIN = st.sampled_from(
    [
        "오늘은 정말 길었어요",
        "日本語のテキスト",
        "Привет, как дела",
        "مرحبا بالعالم",
        "🙂🙃🔥",
        "\u200b\u200d",
        "ñ̃̃̃",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=200),
    st.just(""),
    NON_LATIN,
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(500, 5000)),
    st.sampled_from(["seven", "칠 점", "yes", "네", "skip", "repeat", "stop", "why do I always"]),
)
EVENTS = st.one_of(
    st.builds(e.AnswerGiven, TEXTS, st.floats(0, 1e6, allow_nan=False)),
    st.builds(e.Skipped, st.floats(0, 1e6, allow_nan=False)),
    st.builds(e.RepeatRequested, st.floats(0, 1e6, allow_nan=False)),
    st.builds(e.TimeTick, st.floats(0, 1e6, allow_nan=False)),
    st.builds(e.StopRequested, st.floats(0, 1e6, allow_nan=False)),
)
# A generous per-example deadline: a stall (an endless loop) still fails, a busy CI box
# does not.
FAST = settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(flow=st.sampled_from(FLOWS), events=st.lists(EVENTS, max_size=40))
def test_any_events_never_crash_and_always_leave_something_to_do(
    flow: tuple[str, str], events: list[e.Event]
) -> None:
    lang, flow_id = flow
    state, actions = e.start(PACKS[lang], flow_id, at=0.0)
    for event in events:
        was_finished = state.finished
        state, actions = e.step(state, event)
        if was_finished:
            assert actions == ()
        elif isinstance(event, e.AnswerGiven | e.Skipped | e.StopRequested | e.RepeatRequested):
            # The runner always has a question to listen for, or the session has ended.
            assert actions, f"no action after {type(event).__name__}"
            last = actions[-1]
            assert isinstance(last, e.Ask | e.Finished)
            assert state.finished == isinstance(last, e.Finished)
        for a in actions:
            if isinstance(a, e.Ask):
                assert a.text.strip(), "never an empty question"


@FAST
@given(flow=st.sampled_from(FLOWS), texts=st.lists(TEXTS, min_size=1, max_size=5))
def test_answering_anything_always_reaches_the_end(flow: tuple[str, str], texts: list[str]) -> None:
    lang, flow_id = flow
    pack = PACKS[lang]
    # Asking to hear the question again, forever, is the person's choice, not a stall.
    assume(not any(matches_command(t, pack.language.repeat_words) for t in texts))
    state, actions = e.start(pack, flow_id, at=0.0, nudge_minutes=0)
    steps = len(pack.flow(flow_id).steps)
    bound = steps * 8 + 10  # main question, invitation, clarification, follow-ups, support
    for turn in range(bound):
        if state.finished:
            break
        ask = actions[-1]
        assert isinstance(ask, e.Ask)
        yes = "yes" if lang == "en" else "네"
        text = yes if ask.step_id == e.SUPPORT_STEP else texts[turn % len(texts)]
        state, actions = e.step(state, e.AnswerGiven(text, float(turn)))
    assert state.finished, "the flow stalled"
