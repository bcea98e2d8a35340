"""A lower-cased, whitespace-folded view of a text, with exact offsets back into the original.

Literal glossary terms are matched on this view so that case, a hard line wrap or a run of spaces
inside a multiword term, and decomposed accents (NFD) do not hide a match, while every edit still
points at the original characters. Pieces of the original that the view changes in length (a
folded whitespace run, a decomposed letter, U+0130) become atomic: a match may start or end at
their edges, never inside them.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_right

import re

import regex

from .casing import lower_same_length

# Whitespace runs that must fold to one space: a single line break with spaces around it, or two
# or more spaces/tabs. A lone tab, NBSP or line break is translated in place (same length), and a
# paragraph break becomes two spaces, which no term contains: it never joins a term.
_WS = regex.compile(r"[^\S\n]*\n[^\S\n]+|[^\S\n]+\n[^\S\n]*|[^\S\n]{2,}")
_ONE_SPACE = "\t\n\r\x0b\x0c\u00a0\u2007\u202f\u2028\u2029"


def _spaces(s: str) -> str:
    """Each whitespace character above as a plain space (str.replace is ~50x str.translate)."""
    for c in _ONE_SPACE:
        if c in s:
            s = s.replace(c, " ")
    return s
# A base character followed by combining marks: the only place NFC can change the text.
_CLUSTER = regex.compile(r".\p{M}+", regex.DOTALL)


_OTHER_WS = re.compile(r"[^\S\n ]")  # whitespace other than a space or a line break
# ... as a list (every character str.isspace() accepts, but " " and "\n"): 27 ``in`` tests, mostly
# absent, cost less than one regex scan for the class
_OTHER_WS_CHARS = ("\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                   "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
SPACE_CHARS = " \n" + _OTHER_WS_CHARS  # every character str.isspace() accepts


def find_all(text: str, s: str) -> list[int]:
    """Every position of ``s`` in ``text`` (overlapping): str.find runs at memory speed, where a
    regex scan for a literal that starts with a common character does not."""
    out = []
    i = text.find(s)
    while i >= 0:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def _ws_anomalies(text: str) -> list[tuple[int, int]]:
    """The matches of _WS, found from cheap literal searches: a regex scan for them tries every
    position of the text (the pattern may start with an empty run), ~40 ms/MB; here only the
    whitespace runs around a double space, a space next to a line break or another whitespace
    character are scanned."""
    cands = []
    for lit in ("  ", " \n", "\n "):
        cands += find_all(text, lit)
    for c in _OTHER_WS_CHARS:
        if c in text:
            cands += find_all(text, c)
    if not cands:
        return []
    cands.sort()
    out: list[tuple[int, int]] = []
    n, end = len(text), -1
    for c in cands:
        if c < end:
            continue
        a = c
        while a > 0 and text[a - 1].isspace():
            a -= 1
        b = c
        while b < n and text[b].isspace():
            b += 1
        out += (m.span() for m in _WS.finditer(text, a, b))
        end = b
    return out


class TextView:
    __slots__ = ("text", "view", "_v", "_o", "_oend", "_atomic")

    def __init__(self, text: str):
        self.text = text
        anomalies: list[tuple[int, int, str]] = []
        for s, e in _ws_anomalies(text):
            anomalies.append((s, e, " "))
        if not unicodedata.is_normalized("NFC", text):
            for m in _CLUSTER.finditer(text):
                nfc = unicodedata.normalize("NFC", m.group())
                if nfc != m.group():
                    anomalies.append((m.start(), m.end(), lower_same_length(nfc)))
            anomalies.sort()
        self._v: list[int] = [0]
        self._o: list[int] = [0]
        self._oend: list[int] = [0]
        self._atomic: list[bool] = [False]
        if not anomalies:
            self.view = _spaces(lower_same_length(text))
            return
        parts: list[str] = []
        vpos = 0
        opos = 0
        for s, e, rep in anomalies:
            if s < opos:  # overlapping anomaly (cannot happen with the patterns above); skip
                continue
            if s > opos:
                seg = lower_same_length(text[opos:s])
                self._push(vpos, opos, s, False)
                parts.append(seg)
                vpos += len(seg)
            self._push(vpos, s, e, True)
            parts.append(rep)
            vpos += len(rep)
            opos = e
        self._push(vpos, opos, len(text), False)
        parts.append(lower_same_length(text[opos:]))
        self.view = _spaces("".join(parts))

    @property
    def identity(self) -> bool:
        """True when view offsets are original offsets (no piece changed length)."""
        return len(self._v) == 1

    def _push(self, v: int, o: int, oend: int, atomic: bool) -> None:
        if self._v[-1] == v:  # replace an empty piece at the same view offset
            self._o[-1], self._oend[-1], self._atomic[-1] = o, oend, atomic
            return
        self._v.append(v)
        self._o.append(o)
        self._oend.append(oend)
        self._atomic.append(atomic)

    def start(self, v: int) -> int:
        """Original offset of the view position ``v`` taken as a match start."""
        i = bisect_right(self._v, v) - 1
        if self._atomic[i]:
            return self._o[i]
        return self._o[i] + (v - self._v[i])

    def end(self, v: int) -> int:
        """Original offset of the view position ``v`` taken as an exclusive match end."""
        i = bisect_right(self._v, v - 1) - 1
        if self._atomic[i]:
            return self._oend[i]
        return self._o[i] + (v - self._v[i])
