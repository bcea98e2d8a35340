"""Findings for damage that must be shown, not guessed at: lost fragments, doubled words,
unbalanced brackets and quotes, emphasis markers that cannot be paired safely."""
from __future__ import annotations

import re
from bisect import bisect_right

import regex

from .markdown import emphasis_pairs
from .model import Finding
from .protect import Protected
from .textview import find_all

STAGE = "checks"
_LOWER_START = regex.compile(r"[.!?][ \t]+(\p{Ll}[\p{Ll}-]+)\b")  # the left side is checked in Python
_LEFT_LOWER = regex.compile(r"\p{Ll}{2}\Z")
_LOWER_OK = {"iphone", "ipad", "ios", "macos", "ebay", "km", "kg", "cm", "mm", "ml", "etc", "e", "ou"}
_CONJ = regex.compile(r"(?<=\w)[ \t]+(?:e|ou)[ \t]+(?=\w)")
_CONJ_GATE = re.compile(r"[ \t](?=(?:e|ou)[ \t])")  # overlapping hits: "\te e a" has two
_LAST_WORDS = regex.compile(r"(?:\w+[ \t]+)?\w{4,}\Z", regex.REVERSE)  # backwards: one try, not 60
_PAIRS = {"(": ")", "[": "]", "“": "”", "«": "»"}
_BRACKET = regex.compile(r'[()\[\]“”«»"]')
_LIST_MARK = regex.compile(r"(?m)^[ \t]*(?:\w{1,3}|\d+)\)")
_LIST_MARK_AT = regex.compile(r"[ \t]*(?:\w{1,3}|\d+)\)")


def _has_list_mark(part: str) -> bool:
    """_LIST_MARK.search(part), tried only at the line starts (a paragraph has few lines; a
    search would try every position)."""
    if ")" not in part:
        return False
    pos = 0
    while True:
        if _LIST_MARK_AT.match(part, pos):
            return True
        pos = part.find("\n", pos) + 1
        if not pos:
            return False


def lowercase_after_stop(doc):
    text, protected = doc.text, doc.protected
    for m in _LOWER_START.finditer(text):
        if not _LEFT_LOWER.search(text, max(0, m.start() - 2), m.start()):
            continue
        if m.group(1).lower() in _LOWER_OK or (protected and protected.overlaps(m.start() - 2, m.end())):
            continue
        yield Finding(m.start(1), m.end(1), "lowercase-after-stop", STAGE,
                      f"sentence starts in lower case ({m.group(1)!r}): part of a sentence may be lost")


def _conjunctions(text):
    """The matches of _CONJ, found from the (rarer) spaced conjunction instead of from every word:
    str.find of " e " and " ou " (a regex scan for them when the text has tabs)."""
    if "\t" in text:
        hits = (g.start() for g in _CONJ_GATE.finditer(text))
    else:
        hits = sorted(find_all(text, " e ") + find_all(text, " ou "))
    end = 0
    for h in hits:
        st = h
        while st > 0 and text[st - 1] in " \t":
            st -= 1  # _CONJ starts at the first space of the run
        if st < end:
            continue
        m = _CONJ.match(text, st)
        if m is not None:
            yield m
            end = m.end()


def repeated_phrase(doc):
    """"o acúmulo e o acúmulo": the same one or two words on both sides of e/ou."""
    text, protected = doc.text, doc.protected
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


# Signs of the protected kinds that can hold a bracket or a quote (see _bracket_kinds). In the
# emoticon sign the look-behind ("after a space") comes after the first character: the scan skips
# to candidates by character class instead of trying the look-behind at every position (4x faster).
_EMOTICON_BRACKET = re.compile(r"[:;=8](?<!\S.)[-']?[)(\]\[DPpOo3|/\\*]*[()\[\]]")
_PROMPT_LINE = re.compile(r"^[ \t]*(?:[$%]|>>>|PS>)[ \t]", re.MULTILINE)  # "50%" is not a prompt
_OPTION_SIGN = re.compile(r"-(?<=[ \t]-)-?[A-Za-z]")  # "[ \t]--?[A-Za-z]", led by the rarer "-"


def _bracket_kinds(part: str) -> set[str]:
    """The protected kinds that can hold a bracket of ``part``, from signs of them (plain ``in``
    tests: this runs on every paragraph with a bracket)."""
    kinds = set()
    if "`" in part:
        kinds.add("code")
    if "<" in part:
        kinds.add("tag")
    if "](" in part:
        kinds.add("link")
    if "]:" in part:
        kinds.add("refdef")
    if "(..." in part or "[..." in part:  # only "(...)" and "[...]" hold a bracket
        kinds.add("ellipsis")
    if (":" in part or ";" in part or "=" in part or "8" in part) and _EMOTICON_BRACKET.search(part):
        kinds.add("emoticon")
    if ("$" in part or "%" in part or ">>>" in part or "PS>" in part) and _PROMPT_LINE.search(part):
        kinds.add("prompt")
    if "-" in part and _OPTION_SIGN.search(part):
        kinds.add("option")
    if "://" in part or (("w" in part or "W" in part) and "www" in part.lower()):
        kinds.add("url")
    return kinds


_BRACKET_RE = re.compile(r'[()\[\]“”«»"]')


def unbalanced(doc):
    text, protected = doc.text, doc.protected
    starts, ends = doc.paragraphs
    pos = 0
    while True:
        m = _BRACKET_RE.search(text, pos)  # jump from bracket to bracket, paragraph to paragraph
        if m is None:
            return
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or m.start() >= ends[i]:
            pos = m.end()
            continue
        lo, hi = starts[i], ends[i]
        pos = hi
        part = text[lo:hi]
        kinds = _bracket_kinds(part) if protected else set()
        glob = bool(protected) and protected.has_global(lo, hi)
        if not kinds and not glob and _balanced(part) and not _has_list_mark(part):
            continue  # every bracket counts, and they pair up: nothing to report
        prot = Protected.from_spans(protected.kind_spans(lo, hi, kinds)) if kinds or glob else None
        yield from _unbalanced_paragraph(text, lo, hi, prot)


def _balanced(part: str) -> bool:
    """True if the brackets and quotes of ``part`` pair up (no inch marks to set aside)."""
    b = "".join(_BRACKET_RE.findall(part))
    if '"' in b:
        if b.count('"') % 2 or any(part[m.start() - 1].isdigit() for m in _QUOTE.finditer(part, 1)):
            return False  # odd, or an inch mark (6,67") that the full check sets aside
        b = b.replace('"', "")
    while b:
        shorter = b.replace("()", "").replace("[]", "").replace("“”", "").replace("«»", "")
        if shorter == b:
            return False
        b = shorter
    return True


_QUOTE = re.compile('"')


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


def emphasis(doc):
    for mk in ("**", "__"):
        _, _, ambiguous = emphasis_pairs(doc, mk)
        for s, e in ambiguous:
            yield Finding(s, e, "markdown-emphasis", STAGE,
                          f"odd number of {mk!r} markers in this paragraph: which one is stray is unclear")


CHECKS = (lowercase_after_stop, repeated_phrase, unbalanced, emphasis)


def run_checks(doc) -> list[Finding]:
    out: list[Finding] = []
    for check in CHECKS:
        out.extend(check(doc))
    return out
