"""Checks every backend's bullets must pass: length, one sentence, no invented numbers."""

from __future__ import annotations

import re

from .sentences import split_sentences

MAX_WORDS = 30

# Digits with thousands separators / decimals ("1,200", "3.5", "60+"), normalised for comparison.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "dozen": "12",
}  # fmt: skip


def word_count(text: str) -> int:
    return len(text.split())


def _norm_number(tok: str) -> str:
    # "1,200" and "1200" are the same figure; a trailing ".0" is not a new number either.
    tok = tok.replace(",", "")
    if "." in tok:
        tok = tok.rstrip("0").rstrip(".")
    return tok


def numbers_in(text: str) -> set[str]:
    """Numbers written as digits in `text`, normalised ("1,200" -> "1200")."""
    return {_norm_number(m.group(0)) for m in _NUMBER.finditer(text)}


def source_numbers(text: str) -> set[str]:
    """Numbers a bullet may use: digits in the story plus numbers spelt out in words."""
    nums = numbers_in(text)
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _NUMBER_WORDS:
            nums.add(_NUMBER_WORDS[word])
    return nums


def invented_numbers(bullet: str, source: str | set[str]) -> list[str]:
    """Numbers in `bullet` that the source does not contain (in digits or words)."""
    allowed = source if isinstance(source, set) else source_numbers(source)
    found = []
    for m in _NUMBER.finditer(bullet):
        if _norm_number(m.group(0)) not in allowed:
            found.append(m.group(0))
    return found


def is_single_sentence(text: str) -> bool:
    return len(split_sentences(text)) == 1


def quotes_balanced(text: str) -> bool:
    straight = text.count('"') % 2 == 0
    curly = text.count("“") == text.count("”")
    return straight and curly


def check_bullet(bullet: str, source: str | set[str], max_words: int = MAX_WORDS) -> str | None:
    """Return why `bullet` is unacceptable, or None if it passes every check."""
    if not bullet or not bullet.strip():
        return "empty bullet"
    n = word_count(bullet)
    if n > max_words:
        return f"bullet has {n} words (max {max_words})"
    if not is_single_sentence(bullet):
        return "bullet is not a single sentence"
    bad = invented_numbers(bullet, source)
    if bad:
        return "bullet contains a number not in the story: " + ", ".join(bad)
    return None


def check_bullets(
    bullets: list[str], source: str, n: int, max_words: int = MAX_WORDS
) -> str | None:
    """Validate a whole answer: exactly `n` bullets, each passing `check_bullet`."""
    if len(bullets) != n:
        return f"expected {n} bullets, got {len(bullets)}"
    allowed = source_numbers(source)
    for i, b in enumerate(bullets, 1):
        if not isinstance(b, str):
            return f"bullet {i} is not a string"
        why = check_bullet(b, allowed, max_words)
        if why:
            return f"bullet {i}: {why}"
    return None
