"""Spans of a document that no stage may edit: code, URLs, commands, numbers, markup.

Stages drop any candidate edit that touches one of them. The kinds and their patterns are in
protect_kinds.py; here is when they are asked, lazily, and the shortcuts that answer most
questions in prose without asking them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import regex

from .protect_kinds import _KEY_OF, _LOCAL_PASSES, _NEEDS, _global_spans, _local_spans
from .textview import SPACE_CHARS, find_all

_BLANK = re.compile(r"\n[ \t]*\n")


def paragraph_bounds(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the non-empty paragraphs (text between blank lines)."""
    cuts = [0, *(x for m in _BLANK.finditer(text) for x in m.span()), len(text)]
    starts, ends = [], []
    for a, b in zip(cuts[::2], cuts[1::2]):
        if b > a:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _merge(spans) -> tuple[list[int], list[int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [s for s, _ in merged], [e for _, e in merged]


# A paragraph where a span may reach far from its literal: code spans, tags, link targets and
# reference definitions (which may hold spaces), prompt lines and lines with command-line options
# (protected whole).
_FAR_KINDS = ("code", "tag", "link", "refdef")
_FAR_KEYS = "".join(sorted({_KEY_OF[n] for k in _FAR_KINDS for n in _NEEDS[k]}))
_FAR_CHARS = re.compile("[" + re.escape(_FAR_KEYS) + "]")
_FAR_PROMPT = re.compile(r"^[ \t]*(?:\$|>>>|%|PS>)[ \t]", re.MULTILINE)
_FAR_OPTION = re.compile(r"[ \t]--?[A-Za-z]")


def _far_reaching(text: str, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] (one paragraph) may hold a kind that reaches far from its literal. Three
    stdlib scans, each behind a literal test: one alternation of them costs several times more."""
    if _FAR_CHARS.search(text, lo, hi):
        return True
    part = text[lo:hi]
    if ("$" in part or ">>>" in part or "%" in part or "PS>" in part) and _FAR_PROMPT.search(text, lo, hi):
        return True
    return ("-" in part) and _FAR_OPTION.search(text, lo, hi) is not None


def _far_paragraphs(text: str, ps: list[int], pe: list[int]) -> set[int]:
    """The paragraphs ``_far_reaching`` holds for, from whole-text literal searches (at memory
    speed): when every paragraph is asked, its per-paragraph scans cost more."""
    def paragraphs(positions) -> set[int]:
        out = set()
        for p in positions:
            k = bisect_right(ps, p) - 1
            if k >= 0 and p < pe[k]:
                out.add(k)
        return out

    far = paragraphs(p for c in _FAR_KEYS for p in find_all(text, c))
    for lits, pattern in ((("$", ">>>", "%", "PS>"), _FAR_PROMPT), ((" -", "\t-"), _FAR_OPTION)):
        for k in paragraphs(p for lit in lits for p in find_all(text, lit)) - far:
            if pattern.search(text, ps[k], pe[k]):
                far.add(k)
    return far


# Elsewhere a span is a run of non-space characters holding one of these (a number's digit, a URL's
# or file name's stop, an e-mail's @, a path's slash, an emoticon's eyes, an ellipsis) or, for an
# emoticon, the spaces before it.
_TOKEN_KEYS = re.compile(r"[\d.:;=^/\\@…]|[xX]D")
_TOKEN_END = regex.compile(r"\S*")
_TOKEN_START = regex.compile(r"\S*", regex.REVERSE)
_SPACES_END = regex.compile(r"\s*")
_SPACES_START = regex.compile(r"\s*", regex.REVERSE)
_ABBR = dict((name, p) for name, p, _ in _LOCAL_PASSES)["abbr"]


def _words_free(text: str, a: int, b: int, end: int, hi: int) -> bool:
    """Whether the words text[a:b] around a span ending at ``end`` (of a paragraph ending at
    ``hi``, with nothing reaching far) hold no key character a nearby kind needs, apart from a
    sentence's closing marks after the span (a stop that ends an abbreviation counts)."""
    if _TOKEN_KEYS.search(text, a, b) is None:
        return True
    t = b
    while t > end and text[t - 1] in ",;:!?…":
        t -= 1
    if t > end and text[t - 1] == "." and text[t - 2] != ".":
        if _ABBR.search(text, a, min(hi, b + 8)) or text[max(a, t - 4):t - 1].lower() == "www":
            return False
        t -= 1
    return t < b and _TOKEN_KEYS.search(text, a, t) is None


def _space(c: str) -> bool:
    """``\\s`` as the regex module reads it (str.isspace also takes U+001C-U+001F, which a URL
    may hold)."""
    return c.isspace() and c not in "\x1c\x1d\x1e\x1f"


# ... as a set: the overlap test asks about four characters per question, and a set lookup costs a
# third of a call (tests/test_protect.py checks it against _space over every code point)
_SPACES = frozenset(SPACE_CHARS) - set("\x1c\x1d\x1e\x1f")


class Protected:
    """The protected spans of one text, with an overlap test in O(log n).

    Computed lazily: the kinds that can cross a blank line once for the whole text, the others one
    paragraph at a time when an overlap test first touches that paragraph. Most paragraphs of a
    corpus are never asked about (no rule proposes an edit there), so they cost nothing; in dense
    text, where every paragraph is asked about, most questions are answered from the words around
    the span alone (see ``_surely_free``), and the paragraph's spans are still not computed.
    """

    __slots__ = ("text", "_ps", "_pe", "_gs", "_ge", "_local", "_far")

    def __init__(self, text: str, bounds: tuple[list[int], list[int]] | None = None):
        self.text = text
        # the Document's paragraph bounds; empty paragraphs hold no span: left out
        self._ps, self._pe = bounds if bounds is not None else paragraph_bounds(text)
        self._gs, self._ge = _merge(_global_spans(text))
        self._local: dict[int, tuple[list[int], list[int]]] = {}
        self._far: dict[int, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.text) or bool(self._gs)

    @classmethod
    def from_spans(cls, spans) -> "Protected":
        """A fixed set of spans (no text behind it) with the same overlap test."""
        p = cls.__new__(cls)
        p.text, p._ps, p._pe, p._local, p._far = "", [], [], {}, {}
        p._gs, p._ge = _merge(spans)
        return p

    def _para(self, k: int) -> tuple[list[int], list[int]]:
        got = self._local.get(k)
        if got is None:
            got = self._local[k] = _merge(_local_spans(self.text, self._ps[k], self._pe[k]))
        return got

    def _surely_free(self, k: int, start: int, end: int) -> bool:
        """True if no span of paragraph ``k``'s own kinds can touch [start, end) (start < end,
        inside the paragraph), decided without computing them: the paragraph holds no kind that
        reaches far, and the words around the span hold no character a nearby kind needs, apart
        from a sentence's closing punctuation after it (a stop that ends an abbreviation counts)."""
        far = self._far.get(k)
        lo, hi = self._ps[k], self._pe[k]
        text = self.text
        if far is None:
            far = self._far[k] = _far_reaching(text, lo, hi)
        if far:
            return False
        spaces = _SPACES
        a = start if text[start] not in spaces else _SPACES_START.match(text, lo, start).start()
        if a > lo and text[a - 1] not in spaces:  # (most spans are whole words: no search)
            a = _TOKEN_START.match(text, lo, a).start()
        b = end if text[end - 1] not in spaces else _SPACES_END.match(text, end, hi).end()
        if b < hi and text[b] not in spaces:
            b = _TOKEN_END.match(text, b, hi).end()
        return _words_free(text, a, b, end, hi)

    def _lists(self, lo: int, hi: int):
        """The merged span lists that may hold a span touching [lo, hi]."""
        yield self._gs, self._ge
        k = max(0, bisect_right(self._ps, lo) - 1)
        last = bisect_right(self._ps, hi) - 1
        while k <= last:
            if self._pe[k] >= lo:
                yield self._para(k)
            k += 1

    def overlaps(self, start: int, end: int) -> bool:
        """True if [start, end) touches a span; an insertion (start == end) only strictly inside
        a span or at a point where two spans meet."""
        if start == end:
            ends_here = starts_here = False
            for ss, ee in self._lists(start, start):
                i = bisect_right(ss, start - 1) - 1
                if i >= 0 and ee[i] > start:
                    return True
                j = bisect_left(ee, start)
                ends_here = ends_here or (j < len(ee) and ee[j] == start)
                j = bisect_left(ss, start)
                starts_here = starts_here or (j < len(ss) and ss[j] == start)
            return ends_here and starts_here
        ps = self._ps
        k = bisect_right(ps, start) - 1
        if k >= 0 and end <= self._pe[k] and (k + 1 == len(ps) or ps[k + 1] > end):
            # the common case, a span inside one paragraph: no generator, two lists
            if k not in self._local and self._surely_free(k, start, end):
                i = bisect_left(self._gs, end) - 1
                return i >= 0 and self._ge[i] > start
            for ss, ee in ((self._gs, self._ge), self._para(k)):
                i = bisect_left(ss, end) - 1
                if i >= 0 and ee[i] > start:
                    return True
            return False
        for ss, ee in self._lists(start, end):
            i = bisect_left(ss, end) - 1
            if i >= 0 and ee[i] > start:
                return True
        return False

    def free(self, spans) -> list[bool]:
        """``not overlaps(s, e)`` for each of ``spans`` (s < e, in text order), for the dense
        case: a glossary hit every few words. Most are a word with a space, a bracket or a
        quote before it and a space or a mark or two after it, in a paragraph where nothing
        reaches far and no global span stands: ``_surely_free``'s question, with the words
        around it found by stepping over those few characters, and no search when the span is
        a word between spaces with no key character. The rest are asked one by one."""
        text, ps, pe, far = self.text, self._ps, self._pe, self._far
        if len(spans) * 2 > len(ps) and len(far) < len(ps):
            far.update(dict.fromkeys(range(len(ps)), False))
            far.update(dict.fromkeys(_far_paragraphs(text, ps, pe), True))
        spaces, overlaps, gs, ge = _SPACES, self.overlaps, self._gs, self._ge
        plain: dict[str, int] = {}  # a span's text: 2 keyless, 1 with a key, 0 with a space at an edge
        out: list[bool] = []
        lo = hi = -1
        easy = False  # the current paragraph reaches nowhere far and holds no global span
        for s, e in spans:
            if not lo <= s < hi:
                k = bisect_right(ps, s) - 1
                lo, hi, easy = -1, -1, False
                if k >= 0:
                    lo, hi = ps[k], pe[k]
                    f = far.get(k)
                    if f is None:
                        f = far[k] = _far_reaching(text, lo, hi)
                    i = bisect_left(gs, hi) - 1
                    easy = not f and not (i >= 0 and ge[i] > lo)
            if easy and e <= hi:
                w = text[s:e]
                p = plain.get(w)
                if p is None:
                    p = plain[w] = 0 if w[0] in spaces or w[-1] in spaces else (
                        1 if _TOKEN_KEYS.search(w) else 2)
                if p:
                    a, b = s, e
                    while a > lo and text[a - 1] not in spaces and s - a < 2:
                        a -= 1
                    while b < hi and text[b] not in spaces and b - e < 3:
                        b += 1
                    if ((a == lo or text[a - 1] in spaces) and (b == hi or text[b] in spaces)
                            and (p == 2 and a == s and b == e or _words_free(text, a, b, e, hi))):
                        out.append(True)
                        continue
            out.append(not overlaps(s, e))
        return out

    def _global_in(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The global spans touching [lo, hi), found by bisection (a document may hold thousands
        of code blocks: a scan of them all per paragraph was quadratic)."""
        out = []
        i = bisect_right(self._ge, lo)
        while i < len(self._gs) and self._gs[i] < hi:
            out.append((self._gs[i], self._ge[i]))
            i += 1
        return out

    def has_global(self, lo: int, hi: int) -> bool:
        """True if a span of the kinds found over the whole text (fences, indented blocks, front
        matter, comments) touches [lo, hi)."""
        i = bisect_left(self._gs, hi) - 1
        return i >= 0 and self._ge[i] > lo

    def kind_spans(self, lo: int, hi: int, kinds) -> list[tuple[int, int]]:
        """Spans touching [lo, hi) (one paragraph) of the given local kinds only, plus the global
        ones: for a question only some kinds can answer ("is this bracket protected?"), much
        cheaper than all of them. Not cached."""
        return self._global_in(lo, hi) + _local_spans(self.text, lo, hi, kinds)

    def spans(self, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
        """The merged spans touching [lo, hi) (computing the paragraphs concerned)."""
        hi = len(self.text) if hi is None else hi
        out = self._global_in(lo, hi)
        for ss, ee in list(self._lists(lo, hi))[1:]:  # the paragraphs' own (short) lists
            out += ((s, e) for s, e in zip(ss, ee) if s < hi and e > lo)
        ss, ee = _merge(out)
        return list(zip(ss, ee))

    def __iter__(self):
        return iter(self.spans())


def protected_spans(text: str) -> Protected:
    return Protected(text)
