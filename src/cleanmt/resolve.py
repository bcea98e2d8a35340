"""Edits from several stages made into one consistent list, and the paragraph windows the
fixpoint reads again.

Overlaps are resolved deterministically: within a stage leftmost, then longer; between stages the
earlier stage wins and the loser is reported as a finding.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .model import SPAN, Edit, Finding

_PARA_BREAK = re.compile(r"\n[ \t]*\n")


def output_spans(edits) -> list[tuple[int, int]]:
    """Where each edit's replacement lies in the text the edits produce."""
    out, d = [], 0
    for e in sorted(edits, key=SPAN):
        s = e.start + d
        out.append((s, s + len(e.after)))
        d += len(e.after) - (e.end - e.start)
    return out


def paragraph_cuts(text: str) -> list[int]:
    """0, the start and end of every paragraph break, len(text): paragraphs are the even pairs
    (empty ones included)."""
    return [0, *(x for m in _PARA_BREAK.finditer(text) for x in m.span()), len(text)]


def windows_of(text, spans) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` (a string, or a Document: its cuts are computed once) that
    contain (or touch) the given spans, merged. One walk over the sorted spans and the
    paragraphs together (dense text has a span every ~70 bytes: a bisection each cost more)."""
    if not spans:
        return []
    if isinstance(text, str):
        bounds = paragraph_cuts(text)
    else:
        bounds = text.cached("resolve.paragraph-cuts", lambda d: paragraph_cuts(d.text))
    starts, ends = bounds[::2], bounds[1::2]
    last = len(starts) - 1
    out: list[list[int]] = []
    i = 0
    for s, e in sorted(spans):
        while i < last and starts[i + 1] <= s:
            i += 1
        j, to = i, max(s, e - 1)
        while j < last and starts[j + 1] <= to:
            j += 1
        a, b = starts[i], ends[j]
        if e > b:  # the span ends in a paragraph break: take the next paragraph too
            b = ends[min(j + 1, last)]
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


SEPARATOR = "\n\n\n"


def same_outside(a: str, wa, b: str, wb) -> bool:
    """True if ``a`` outside its windows ``wa`` is ``b`` outside ``wb``, gap for gap."""
    if len(wa) != len(wb):
        return False
    ga = [0, *(x for w in wa for x in w), len(a)]
    gb = [0, *(x for w in wb for x in w), len(b)]
    return all(a[ga[k]:ga[k + 1]] == b[gb[k]:gb[k + 1]] for k in range(0, len(ga), 2))


class _Joined:
    """The windows of a text joined by blank lines, with the way back from joined offsets."""

    __slots__ = ("text", "starts", "lengths", "windows")

    def __init__(self, text: str, windows):
        pieces, self.starts, pos = [], [], 0
        for ws, we in windows:
            self.starts.append(pos)
            pieces.append(text[ws:we])
            pos += (we - ws) + len(SEPARATOR)
        self.text = SEPARATOR.join(pieces)
        self.lengths = [len(p) for p in pieces]
        self.windows = windows

    def back(self, start: int, end: int, gap_to_next: bool = False) -> tuple[int, int] | None:
        """[start, end) of the joined text as offsets of the text, or None if it crosses a join.
        ``gap_to_next``: a start inside a separator is moved to the next piece (a paragraph of
        the joined text starts at the separator's last line break, one character early)."""
        k = max(0, bisect_right(self.starts, start) - 1)
        if gap_to_next and start >= self.starts[k] + self.lengths[k] and k + 1 < len(self.starts):
            k += 1
            start = self.starts[k]
        base = self.starts[k]
        if end > base + self.lengths[k] or end < start:
            return None
        shift = self.windows[k][0] - base
        return start + shift, end + shift


def run_on_windows(text: str, windows, run) -> list[Edit]:
    """``run`` once over the windows of ``text`` joined by blank lines (one call, not one per
    paragraph); its edits mapped back to ``text``. An edit that would cross a join is dropped."""
    if not windows:
        return []
    joined = _Joined(text, windows)
    out = []
    for e in run(joined.text):
        span = joined.back(e.start, e.end)
        if span is not None:
            out.append(Edit(span[0], span[1], e.before, e.after, e.rule_id, e.stage))
    return out


def findings_on_windows(text: str, windows, review) -> list[Finding]:
    """``review`` once over the windows of ``text`` joined by blank lines; its findings mapped back
    to ``text`` (one that would cross a join is dropped)."""
    if not windows:
        return []
    joined = _Joined(text, windows)
    out = []
    for f in review(joined.text):
        span = joined.back(f.start, f.end, gap_to_next=True)
        if span is not None:
            out.append(Finding(span[0], span[1], f.rule_id, f.stage, f.message))
    return out


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one point: their order would be a guess
    return a.start < b.end and b.start < a.end or (a.start == a.end and b.start < a.start < b.end) or (
        b.start == b.end and a.start < b.start < a.end)


def non_overlapping(edits: list[Edit]) -> list[Edit]:
    """Leftmost first, longer first; an edit overlapping one already taken is dropped."""
    edits.sort(key=lambda e: (e.start, -(e.end - e.start)))
    out: list[Edit] = []
    for e in edits:
        if out and (_overlap(out[-1], e) or e.start < out[-1].end):
            continue
        out.append(e)
    return out


def merge(accepted: list[Edit], new: list[Edit], findings: list[Finding]) -> list[Edit]:
    """Add a later stage's edits; those overlapping an earlier stage's edit lose and are reported."""
    if not accepted:
        return sorted(new, key=SPAN)
    starts = [e.start for e in accepted]
    keep = []
    for e in new:
        i = bisect_left(starts, e.start)
        clash = None
        j = max(0, i - 2)
        while j < len(accepted):  # the few accepted edits around e (no copying of the list)
            a = accepted[j]
            if a.start >= e.end and j >= i + 1:
                break
            if _overlap(a, e):
                clash = a
                break
            j += 1
        if clash is None:
            keep.append(e)
        elif clash.stage != "boilerplate":  # text a boilerplate block removes needs no report
            findings.append(Finding(e.start, e.end, e.rule_id, e.stage,
                                    f"not applied: overlaps {clash.rule_id} ({clash.before!r} → {clash.after!r})"))
    return sorted(accepted + keep, key=SPAN)


def to_input(findings, edits) -> list[Finding]:
    """Findings about the text ``edits`` produce, moved to input offsets. A position inside an
    edit's replacement maps to that edit's input span (a finding about a replaced word points at
    the word it replaced); elsewhere offsets shift by the edits before them."""
    if not edits:
        return list(findings)
    os_, oe, shifts = [], [], [0]
    d = 0
    for e in edits:
        os_.append(e.start + d)
        oe.append(e.start + d + len(e.after))
        d += len(e.after) - (e.end - e.start)
        shifts.append(d)
    n = len(edits)
    out = []
    for f in findings:
        k = bisect_right(oe, f.start)
        start = edits[k].start if k < n and os_[k] <= f.start < oe[k] else f.start - shifts[k]
        k = bisect_left(oe, f.end)
        end = edits[k].end if k < n and os_[k] < f.end <= oe[k] else f.end - shifts[k]
        out.append(Finding(start, max(start, end), f.rule_id, f.stage, f.message))
    return out


def settled(findings, edits) -> list[Finding]:
    """Leave out the findings about a rule that did not apply (an overlap it lost) when the final
    edits hold an edit of that rule over the same span: a later round applied it after all; and
    suggestions whose span a final edit changed (what they would replace is gone)."""
    if not findings or not edits:
        return list(findings)
    starts = [e.start for e in edits]
    out = []
    for f in findings:
        i = bisect_left(starts, f.start)
        near = edits[max(0, i - 1):bisect_right(starts, f.end) + 1]
        if f.replacement is not None:
            if any(e.start < f.end and f.start < e.end or e.start == e.end == f.start for e in near):
                continue
        elif f.end > f.start and any(e.rule_id == f.rule_id and e.start < f.end and f.start < e.end for e in near):
            continue
        out.append(f)
    return out
