"""Align a text with its correction, whatever the line wrapping: sentences, then words.

Both sides are cut into sentences with whitespace folded (a line break is a space; only a blank
line, a Markdown heading or list item, or a sentence stop ends a unit), so a reference re-wrapped
differently, or with two paragraphs merged into one, yields the same units. Units are paired by a
monotone dynamic programme that allows 1-2, 2-1 (up to 3) merges and skipped units (a dropped
footer, a removed header); identical units anchor it first, so long documents stay fast. Scoring
(``scoring.py``) and learning (``learn/``) both pair text through this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import regex
from rapidfuzz.distance import Indel

_BLANK = regex.compile(r"\n[ \t]*\n\s*")
# a line that starts a new unit whatever precedes it: a heading, a list item, a quote, a table row
_STRUCT = regex.compile(r"\n[ \t]*(?=#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|>\s|\|)")
# a sentence ends after a stop (and closing quotes, brackets or emphasis) followed by a space
_NEWLINE = regex.compile(r"\n")
_STOP = regex.compile(r"[.!?…。！？]+[\"'”’»)\]*_]*(?=\s)")
_NEXT = regex.compile(r"\s+[\"'“‘«(\[*_¿¡—–-]*[\p{Lu}\d]")
_ABBREV = frozenset("dr dra sr sra srs sras prof profa eng etc ex p pp vs nº n art cap fig vol ed "
                    "jr st mr mrs ms av gen".split())
_WORD_BEFORE = regex.compile(r"(\w+)\.?\s*\Z")
_TOKEN = regex.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")
_MAX_MERGE = 3
_BAND = 12  # units off the diagonal the DP looks at inside a gap (plus the gap's size difference)
_FULL_DP = 40_000  # gaps up to this many cells are aligned without a band


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence (or heading, list item): offsets into the original text, and its words with
    whitespace folded."""

    start: int
    end: int
    text: str


def fold(s: str) -> str:
    return " ".join(s.split())


def _cut(text: str, lo: int, hi: int, out: list[Unit]) -> None:
    """Sentences of text[lo:hi] (a block with no blank line inside)."""
    pos = lo
    for m in _STOP.finditer(text, lo, hi):
        e = m.end()
        nxt = _NEXT.match(text, e, hi)
        if not nxt:
            continue
        if m.group().startswith(".") and len(m.group()) == 1:
            w = _WORD_BEFORE.search(text, pos, m.start() + 1)
            if w and (w.group(1).lower() in _ABBREV or (len(w.group(1)) == 1 and w.group(1).isupper())):
                continue  # Dr. Wang, J. Silva
        _emit(text, pos, e, out)
        pos = e
    _emit(text, pos, hi, out)


def _emit(text: str, a: int, b: int, out: list[Unit]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        out.append(Unit(a, b, fold(text[a:b])))


def sentences(text: str) -> list[Unit]:
    """The text's units in order: sentences of its blocks (blank lines, headings and list items
    end a block; a single line break is a space, unless the text has no blank line at all)."""
    out: list[Unit] = []
    bounds = [0]
    for m in _BLANK.finditer(text):
        bounds += [m.start(), m.end()]
    # no blank line anywhere: one paragraph per line (what editors and MT tools often write)
    struct = _STRUCT if bounds[1:] or "\n" not in text.strip() else _NEWLINE
    for m in struct.finditer(text):
        bounds += [m.start(), m.start() + 1]
    bounds.append(len(text))
    bounds.sort()
    for a, b in zip(bounds[::2], bounds[1::2]):
        # a heading is a unit of its own: it ends at its line's end
        sub = a
        for line in regex.finditer(r"(?m)^[ \t]*#{1,6}\s[^\n]*", text, pos=a, endpos=b):
            _cut(text, sub, line.start(), out)
            _emit(text, line.start(), line.end(), out)
            sub = line.end()
        _cut(text, sub, b, out)
    return out


@dataclass(frozen=True, slots=True)
class Pair:
    """Units a[a0:a1] correspond to units b[b0:b1] (1 to 3 on each side)."""

    a0: int
    a1: int
    b0: int
    b1: int


_MIN_SIMILARITY = 0.4  # below this two units are not the same sentence


def _gain(x: str, y: str) -> float:
    """Positive when the Indel similarity of the two is above ``_MIN_SIMILARITY``, and larger for
    longer matches; a merge is worth it only when the added unit matches too."""
    room = (len(x) + len(y)) * (1 - _MIN_SIMILARITY)  # the largest distance still worth a pair
    if abs(len(x) - len(y)) >= room:
        return 0.0
    d = Indel.distance(x, y, score_cutoff=int(room))
    return room - d if d < room else 0.0


def align(a: list[str], b: list[str]) -> list[Pair]:
    """Monotone pairs of unit groups of ``a`` and ``b`` (lists of unit texts); units left out of
    every pair have no counterpart."""
    ka, kb = [s.lower() for s in a], [s.lower() for s in b]
    sm = SequenceMatcher(None, ka, kb, autojunk=False)
    out: list[Pair] = []
    pi = pj = 0
    for i, j, size in sm.get_matching_blocks():
        out += _gap(ka, kb, pi, i, pj, j)
        out += [Pair(i + k, i + k + 1, j + k, j + k + 1) for k in range(size)]
        pi, pj = i + size, j + size
    return out


def _gap(a, b, i0, i1, j0, j1) -> list[Pair]:
    n, m = i1 - i0, j1 - j0
    if not n or not m:
        return []
    if n == m == 1:  # one unit each between two anchors (or at an end): the same one, rewritten
        return [Pair(i0, i1, j0, j1)]
    band = None if n * m <= _FULL_DP else _BAND + abs(n - m)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    joined: dict[tuple, str] = {}

    def text(side, lo, hi):
        key = (side, lo, hi)
        s = joined.get(key)
        if s is None:
            s = joined[key] = " ".join((a if side else b)[lo:hi])
        return s

    for i in range(n + 1):
        centre = i * m / n
        for j in range(m + 1):
            if not i and not j:
                continue
            v, mv = -1.0, (0, 0)
            if i and best[i - 1][j] > v:
                v, mv = best[i - 1][j], (1, 0)
            if j and best[i][j - 1] > v:
                v, mv = best[i][j - 1], (0, 1)
            if i and j and (band is None or abs(j - centre) <= band):
                for di in range(1, min(_MAX_MERGE, i) + 1):
                    for dj in range(1, min(_MAX_MERGE, j) + 1):
                        if di > 1 and dj > 1:
                            continue
                        g = _gain(text(1, i0 + i - di, i0 + i), text(0, j0 + j - dj, j0 + j))
                        if g and best[i - di][j - dj] + g > v:
                            v, mv = best[i - di][j - dj] + g, (di, dj)
            best[i][j], move[i][j] = v, mv
    pairs = []
    i, j = n, m
    while i or j:
        di, dj = move[i][j]
        if di and dj:
            pairs.append(Pair(i0 + i - di, i0 + i, j0 + j - dj, j0 + j))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[Token]:
    """Words (with inner hyphens, apostrophes and dots: C-Eval, 5.0) and single punctuation marks."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, lo, len(text) if hi is None else hi)]


@dataclass(frozen=True, slots=True)
class Span:
    """One word-level edit: tokens a[i0:i1] became b[j0:j1] (either side may be empty)."""

    i0: int
    i1: int
    j0: int
    j1: int


def word_diff(a: list[Token], b: list[Token]) -> list[Span]:
    """Edit spans between two token lists; a difference of case alone is no edit."""
    sm = SequenceMatcher(None, [t.text.casefold() for t in a], [t.text.casefold() for t in b], autojunk=False)
    return [Span(i0, i1, j0, j1) for op, i0, i1, j0, j1 in sm.get_opcodes() if op != "equal"]


@dataclass(frozen=True, slots=True)
class Aligned:
    """Two texts aligned: their units, the unit pairs, and units without a counterpart."""

    a_units: list[Unit]
    b_units: list[Unit]
    pairs: list[Pair]

    def unpaired(self, side: str) -> list[int]:
        n = len(self.a_units if side == "a" else self.b_units)
        used = {k for p in self.pairs for k in (range(p.a0, p.a1) if side == "a" else range(p.b0, p.b1))}
        return [k for k in range(n) if k not in used]


def align_texts(a: str, b: str) -> Aligned:
    ua, ub = sentences(a), sentences(b)
    return Aligned(ua, ub, align([u.text for u in ua], [u.text for u in ub]))
