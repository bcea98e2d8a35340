"""Findings for damage that must be shown, not guessed at: lost fragments, doubled words,
unbalanced brackets and quotes, emphasis markers that cannot be paired safely."""
from __future__ import annotations

import regex

from .markdown import emphasis_pairs, paragraphs
from .model import Finding

STAGE = "checks"
_LOWER_START = regex.compile(r"(?<=\p{Ll}{2}[.!?][ \t]+)(\p{Ll}[\p{Ll}-]+)\b")
_LOWER_OK = {"iphone", "ipad", "ios", "macos", "ebay", "km", "kg", "cm", "mm", "ml", "etc", "e", "ou"}
_REPEAT = regex.compile(r"(?i)\b((?:\w+[ \t]+)?(\w{4,}))[ \t]+(?:e|ou)[ \t]+\1\b")
_PAIRS = {"(": ")", "[": "]", "“": "”", "«": "»"}
_BRACKET = regex.compile(r'[()\[\]“”«»"]')
_LIST_MARK = regex.compile(r"(?m)^[ \t]*(?:\w{1,3}|\d+)\)")


def lowercase_after_stop(text, protected):
    for m in _LOWER_START.finditer(text):
        if m.group(1).lower() in _LOWER_OK or (protected and protected.overlaps(m.start() - 2, m.end())):
            continue
        yield Finding(m.start(), m.end(), "lowercase-after-stop", STAGE,
                      f"sentence starts in lower case ({m.group(1)!r}): part of a sentence may be lost")


def repeated_phrase(text, protected):
    for m in _REPEAT.finditer(text):
        if protected and protected.overlaps(m.start(), m.end()):
            continue
        yield Finding(m.start(), m.end(), "repeated-phrase", STAGE,
                      f"{m.group(1)!r} is repeated across a conjunction: a translated word may be lost")


def unbalanced(text, protected):
    for lo, hi in paragraphs(text):
        skip = {m.end() - 1 for m in _LIST_MARK.finditer(text, lo, hi)}
        stack: list[tuple[str, int]] = []
        quotes = []
        for m in _BRACKET.finditer(text, lo, hi):
            i, c = m.start(), m.group()
            if i in skip or (protected and protected.overlaps(i, i + 1)):
                continue
            if c == '"':
                if not (i and text[i - 1].isdigit()):  # 6,67" is an inch mark
                    quotes.append(i)
            elif c in _PAIRS:
                stack.append((c, i))
            elif stack and _PAIRS[stack[-1][0]] == c:
                stack.pop()
            else:
                yield Finding(i, i + 1, "unbalanced", STAGE, f"{c!r} closes nothing")
        for c, i in stack:
            yield Finding(i, i + 1, "unbalanced", STAGE, f"{c!r} is never closed")
        if len(quotes) % 2:
            yield Finding(quotes[-1], quotes[-1] + 1, "unbalanced", STAGE, "odd number of '\"' in the paragraph")


def emphasis(text, protected):
    for mk in ("**", "__"):
        _, _, ambiguous = emphasis_pairs(text, mk, protected)
        for s, e in ambiguous:
            yield Finding(s, e, "markdown-emphasis", STAGE,
                          f"odd number of {mk!r} markers in this paragraph: which one is stray is unclear")


CHECKS = (lowercase_after_stop, repeated_phrase, unbalanced, emphasis)


def run_checks(text, protected) -> list[Finding]:
    out: list[Finding] = []
    for check in CHECKS:
        out.extend(check(text, protected))
    return out
