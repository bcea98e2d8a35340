"""Align a text with its correction, whatever the line wrapping: sentences, then words.

Both sides are cut into sentences with whitespace folded (a line break is a space; only a blank
line, a Markdown heading or list item, or a sentence stop ends a unit), so a reference re-wrapped
differently, or with two paragraphs merged into one, yields the same units. Units are paired by a
monotone dynamic programme that allows 1-2, 2-1 (up to 3) merges and skipped units (a dropped
footer, a removed header); identical units anchor it first, so long documents stay fast. Scoring
(``scoring.py``) and learning (``learning/``) both pair text through this module.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher

import regex
from rapidfuzz.distance import Indel

_BLANK = regex.compile(r"\n[ \t]*\n\s*")
# a line that starts a new unit whatever precedes it: a heading, a list item, a quote, a table row
_STRUCT = regex.compile(r"\n[ \t]*(?=#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|>\s|\|)")
# a sentence ends after a stop (and closing quotes, brackets or emphasis) followed by a space
# in a text with no blank line: a line break after a stop, or before a line that does not start in
# lower case, ends a paragraph (a hard-wrapped sentence goes on in lower case on the next line)
_NEWLINE = regex.compile(r"(?<=[.!?…:;\"”»)\]*_][ \t]*)\n|\n(?=[ \t]*[^\p{Ll}\s])")
_STOP = regex.compile(r"[.!?…。！？]+[\"'”’»)\]*_]*(?=\s)")
_NEXT = regex.compile(r"\s+[\"'“‘«(\[*_¿¡—–-]*[\p{Lu}\d]")
_ABBREV = frozenset("dr dra sr sra srs sras prof profa eng etc ex p pp vs nº n art cap fig vol ed "
                    "jr st mr mrs ms av gen".split())
_MARKER = regex.compile(r"\d{1,3}\.|[a-zA-Z]\.|[ivxIVX]{1,4}\.")
_HEADING = regex.compile(r"(?m)^[ \t]*#{1,6}\s[^\n]*")
_WORD_BEFORE = regex.compile(r"(\w+)\.?\s*\Z")
_TOKEN = regex.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")
_MAX_MERGE = 3
# (units of a, units of b) in one pair: one to one, or a merge of up to _MAX_MERGE on one side
_MOVES = [(1, 1)] + [(1, k) for k in range(2, _MAX_MERGE + 1)] + [(k, 1) for k in range(2, _MAX_MERGE + 1)]
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
        if e - pos <= 8 and _MARKER.fullmatch(text[pos:e].strip()):
            continue  # "1. " or "a. " starting a list item is no sentence
        if m.group().startswith(".") and len(m.group()) == 1:
            w = _WORD_BEFORE.search(text, max(pos, m.start() - 24), m.start() + 1)
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
    end a block; a single line break is a space, unless the text has no blank line at all and the
    line ends a sentence or the next one starts with a capital)."""
    out: list[Unit] = []
    bounds = [0]
    for m in _BLANK.finditer(text):
        bounds += [m.start(), m.end()]
    # no blank line anywhere: one paragraph per line (what editors and MT tools often write),
    # unless a line visibly goes on in the next
    struct = _STRUCT if bounds[1:] or "\n" not in text.strip() else _NEWLINE
    for m in struct.finditer(text):
        bounds += [m.start(), m.start() + 1]
    bounds.append(len(text))
    bounds.sort()
    for a, b in zip(bounds[::2], bounds[1::2]):
        # a heading is a unit of its own: it ends at its line's end
        sub = a
        if "#" in text[a:b]:
            for line in _HEADING.finditer(text, a, b):
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
    out: list[Pair] = []
    pi = pj = 0
    for i, j in _anchors(ka, kb) + [(len(ka), len(kb))]:
        out += _fill(ka, kb, pi, i, pj, j)
        if i < len(ka):
            out.append(Pair(i, i + 1, j, j + 1))
        pi, pj = i + 1, j + 1
    return out


def _anchors(ka: list[str], kb: list[str]) -> list[tuple[int, int]]:
    """Identical units that anchor the alignment, as patience diff finds them: units that occur
    once on each side, in the longest run that keeps their order, then each anchor's identical
    neighbours (n log n; difflib's matcher was most of the time on long documents)."""
    count_a: dict[str, int] = {}
    for k in ka:
        count_a[k] = count_a.get(k, 0) + 1
    pos_b: dict[str, int] = {}
    count_b: dict[str, int] = {}
    for j, k in enumerate(kb):
        count_b[k] = count_b.get(k, 0) + 1
        pos_b[k] = j
    cand = [(i, pos_b[k]) for i, k in enumerate(ka) if count_a[k] == 1 and count_b.get(k) == 1]
    # longest increasing subsequence of j (patience sorting)
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(cand)
    for n, (_, j) in enumerate(cand):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[k], tail_idx[k] = j, n
        prev[n] = tail_idx[k - 1] if k else -1
    chain = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        chain.append(cand[n])
        n = prev[n]
    chain.reverse()
    # grow each anchor over identical neighbours, forwards then backwards
    out: list[tuple[int, int]] = []
    li, lj = -1, -1
    for i, j in chain + [(len(ka), len(kb))]:
        x, y = li + 1, lj + 1
        while x < i and y < j and ka[x] == kb[y]:
            out.append((x, y))
            x, y = x + 1, y + 1
        back = []
        u, v = i - 1, j - 1
        while u >= x and v >= y and ka[u] == kb[v]:
            back.append((u, v))
            u, v = u - 1, v - 1
        out += back[::-1]
        if i < len(ka):
            out.append((i, j))
        li, lj = i, j
    return out


def _fill(a, b, i0, i1, j0, j1, depth: int = 0) -> list[Pair]:
    """Pairs inside a gap between anchors: anchored again on the units unique within the gap (as
    patience diff recurses), then the dynamic programme; a large gap with no unique unit (units
    repeated too often) is first cut at the identical runs difflib finds in it."""
    n, m = i1 - i0, j1 - j0
    if not n or not m:
        return []
    if n * m > 4 and depth < 8:
        inner = [(i + i0, j + j0) for i, j in _anchors(a[i0:i1], b[j0:j1])]
        if inner:
            out: list[Pair] = []
            pi, pj = i0, j0
            for i, j in inner + [(i1, j1)]:
                out += _fill(a, b, pi, i, pj, j, depth + 1)
                if i < i1:
                    out.append(Pair(i, i + 1, j, j + 1))
                pi, pj = i + 1, j + 1
            return out
    if n * m <= _FULL_DP:
        return _gap(a, b, i0, i1, j0, j1)
    out = []
    pi, pj = i0, j0
    sm = SequenceMatcher(None, a[i0:i1], b[j0:j1], autojunk=False)
    for i, j, size in sm.get_matching_blocks():
        i, j = i + i0, j + j0
        out += _gap(a, b, pi, i, pj, j)
        out += [Pair(i + k, i + k + 1, j + k, j + k + 1) for k in range(size)]
        pi, pj = i + size, j + size
    return out


def _gap(a, b, i0, i1, j0, j1) -> list[Pair]:
    """The best monotone pairing of a[i0:i1] with b[j0:j1] (dynamic programme over the gain of
    each pair or merge; skips cost nothing); a band around the diagonal when the gap is large."""
    n, m = i1 - i0, j1 - j0
    if not n or not m:
        return []
    if n == m == 1:  # one unit each between two anchors (or at an end): the same one, rewritten
        return [Pair(i0, i1, j0, j1)]
    band = m if n * m <= _FULL_DP else _BAND + abs(n - m)
    best: list[dict[int, float]] = []
    move: list[dict[int, tuple[int, int]]] = []
    joined: dict[tuple, str] = {}

    def text(side, lo, hi):
        key = (side, lo, hi)
        s = joined.get(key)
        if s is None:
            s = joined[key] = " ".join((a if side else b)[lo:hi])
        return s

    neg = float("-inf")
    for i in range(n + 1):
        centre = i * m / n
        lo, hi = (0, m) if i == 0 else (max(0, int(centre - band)), min(m, int(centre + band) + 1))
        row: dict[int, float] = {}
        mrow: dict[int, tuple[int, int]] = {}
        if i and lo > 0:
            row[0], mrow[0] = best[i - 1].get(0, 0.0), (1, 0)  # column 0 stays reachable
        for j in range(lo, hi + 1):
            if not i and not j:
                row[0], mrow[0] = 0.0, (0, 0)
                continue
            v, mv = neg, (0, 0)
            if i and best[i - 1].get(j, neg) > v:
                v, mv = best[i - 1][j], (1, 0)
            if j and row.get(j - 1, neg) > v:
                v, mv = row[j - 1], (0, 1)
            if i and j:
                for di, dj in _MOVES:
                    if di > i or dj > j:
                        continue
                    base = (best[i - di] if di else row).get(j - dj, neg)
                    if base == neg:
                        continue
                    g = _gain(text(1, i0 + i - di, i0 + i), text(0, j0 + j - dj, j0 + j))
                    if g and base + g > v:
                        v, mv = base + g, (di, dj)
            if v > neg:
                row[j], mrow[j] = v, mv
        best.append(row)
        move.append(mrow)
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
