"""Carry the case shape of matched text over to its replacement.

A replacement is written in the glossary the way it is spelt mid-sentence ("Xiaomi", "cenário",
"IA"). The matched text decides only whether it is raised: a capitalised match capitalises the
first letter, an all-capitals match (two letters or more) gives all capitals, and anything else
keeps the glossary's spelling, so proper names keep their capitals in lower-case contexts.
"""
from __future__ import annotations

LOWER, TITLE, UPPER = "lower", "title", "upper"


def shape(s: str) -> str:
    if s.islower():  # the common case: some cased letter, none of them upper case
        return LOWER
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return LOWER
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return UPPER
    if letters[0].isupper():
        return TITLE
    return LOWER


def capitalize_first(s: str) -> str:
    for i, c in enumerate(s):
        if c.isalpha():
            return s[:i] + c.upper() + s[i + 1:]
    return s


def transfer(matched: str, replacement: str) -> str:
    if matched[1:].islower() and matched[0].isupper() and matched.isalpha():
        # (a capitalised word, the common case after a lower-case one: letters only, the first
        # upper case, some other lower case, none upper: TITLE, without listing the letters)
        return capitalize_first(replacement)
    sh = shape(matched)
    if sh == UPPER:
        return replacement.upper()
    if sh == TITLE:
        return capitalize_first(replacement)
    return replacement


def lower_same_length(s: str) -> str:
    """``str.lower`` unless it would change the length (U+0130 'İ'); offsets must not drift."""
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)
