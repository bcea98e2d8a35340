"""Spans of a document that no stage may edit: code, URLs, addresses, markup.

Computed once per document; stages drop any candidate edit that touches one of them.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import regex

_PROTECT = regex.compile(
    r"""
    (?P<fence>^[ ]{0,3}(?P<f>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ ]{0,3}(?P=f)[`~]*[ \t]*(?:\n|\Z))
  | (?P<openfence>^[ ]{0,3}(?:`{3,}|~{3,})[^\n]*(?:\n.*)?\Z)        # unclosed fence: to the end
  | (?P<indented>(?:(?<=\A)|(?<=\n[ \t]*\n))(?:(?:[ ]{4}|\t)[^\n]*(?:\n|\Z))+)
  | (?P<code>(?P<bt>`+)(?!`).+?(?<!`)(?P=bt)(?!`))
  | (?P<url>\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]}])
  | (?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)
  | (?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--.*?-->)
    """,
    regex.VERBOSE | regex.MULTILINE | regex.DOTALL | regex.IGNORECASE,
)


class Protected:
    """Sorted, merged spans with an overlap test in O(log n)."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __iter__(self):
        return iter(zip(self.starts, self.ends))

    def overlaps(self, start: int, end: int) -> bool:
        """True if [start, end) touches a span; an insertion (start == end) only strictly inside."""
        if start == end:
            i = bisect_right(self.starts, start - 1) - 1
            return i >= 0 and self.ends[i] > start
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start


def protected_spans(text: str) -> Protected:
    return Protected((m.start(), m.end()) for m in _PROTECT.finditer(text))
