"""Findings for damage that must be shown, not guessed at: lost fragments, doubled words,
unbalanced brackets and quotes, emphasis markers that cannot be paired safely."""
from __future__ import annotations

import re

import regex

from .markdown import emphasis_pairs, paragraphs
from .model import Finding

STAGE = "checks"
_LOWER_START = regex.compile(r"[.!?][ \t]+(\p{Ll}[\p{Ll}-]+)\b")  # the left side is checked in Python
_LEFT_LOWER = regex.compile(r"\p{Ll}{2}\Z")
_LOWER_OK = {"iphone", "ipad", "ios", "macos", "ebay", "km", "kg", "cm", "mm", "ml", "etc", "e", "ou"}
_CONJ = regex.compile(r"(?<=\w)[ \t]+(?:e|ou)[ \t]+(?=\w)")
_CONJ_GATE = re.compile(r"[ \t](?:e|ou)[ \t]")
_LAST_WORDS = regex.compile(r"(?:\w+[ \t]+)?\w{4,}\Z", regex.REVERSE)  # backwards: one try, not 60
_PAIRS = {"(": ")", "[": "]", "“": "”", "«": "»"}
_BRACKET = regex.compile(r'[()\[\]“”«»"]')
_LIST_MARK = regex.compile(r"(?m)^[ \t]*(?:\w{1,3}|\d+)\)")


def lowercase_after_stop(text, protected):
    for m in _LOWER_START.finditer(text):
        if not _LEFT_LOWER.search(text, max(0, m.start() - 2), m.start()):
            continue
        if m.group(1).lower() in _LOWER_OK or (protected and protected.overlaps(m.start() - 2, m.end())):
            continue
        yield Finding(m.start(1), m.end(1), "lowercase-after-stop", STAGE,
                      f"sentence starts in lower case ({m.group(1)!r}): part of a sentence may be lost")


def _conjunctions(text):
    """The matches of _CONJ, found from the (rarer) spaced conjunction instead of from every word."""
    pos = 0
    while True:
        g = _CONJ_GATE.search(text, pos)
        if g is None:
            return
        st = g.start()
        while st > 0 and text[st - 1] in " \t":
            st -= 1  # _CONJ starts at the first space of the run
        m = _CONJ.match(text, st)
        if m is None:
            pos = g.start() + 1
            continue
        yield m
        pos = m.end()


def repeated_phrase(text, protected):
    """"o acúmulo e o acúmulo": the same one or two words on both sides of e/ou."""
    for m in _conjunctions(text):
        # a repeated phrase (4+ characters) starts right after the conjunction with the same four
        # characters it has before it: a cheap necessary condition
        if text[m.end():m.end() + 4].lower() not in text[max(0, m.start() - 60):m.start()].lower():
            continue
        left = _LAST_WORDS.search(text, max(0, m.start() - 60), m.start())
        if not left:
            continue
        phrase = left.group()
        for cand in (phrase, phrase.split(None, 1)[-1]):
            right = text[m.end():m.end() + len(cand) + 1]
            if right[:len(cand)].lower() == cand.lower() and not right[len(cand):len(cand) + 1].isalnum():
                s = m.start() - len(cand)
                if (s == 0 or not text[s - 1].isalnum()) and not (protected and protected.overlaps(s, m.end() + len(cand))):
                    yield Finding(s, m.end() + len(cand), "repeated-phrase", STAGE,
                                  f"{cand!r} is repeated across a conjunction: a translated word may be lost")
                break


# What a protected span holding a bracket or a quote needs nearby: code, markup, a link target, a
# prompt, an ellipsis, an emoticon, a URL, a command option. A paragraph with none of them has no
# protected bracket, and its (costly) protected spans are not computed.
_MAY_PROTECT_BRACKET = re.compile(
    r"[`<…]|\](?:\(|:)|^[ \t]*(?:[$%]|>>>|PS>)[ \t]|\.\.\.|(?<!\S)[:;=8][-']?[)(\]\[DPpOo3|/\\*]*[()\[\]]"
    r"|://|www\.|[ \t]--?[A-Za-z]", re.IGNORECASE | re.MULTILINE)
_BRACKET_RE = re.compile(r'[()\[\]“”«»"]')


def unbalanced(text, protected):
    hits = [m.start() for m in _BRACKET_RE.finditer(text)]
    if not hits:
        return
    k = 0
    for lo, hi in paragraphs(text):
        if k >= len(hits):
            return
        if hits[k] >= hi:
            continue
        while k < len(hits) and hits[k] < hi:
            k += 1
        prot = protected if protected and (
            protected.has_global(lo, hi) or _MAY_PROTECT_BRACKET.search(text, lo, hi)) else None
        yield from _unbalanced_paragraph(text, lo, hi, prot)


def _unbalanced_paragraph(text, lo, hi, protected):
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
