"""The engine's value types: what a stage reports and what `clean` returns."""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``before`` at ``[start, end)`` of the *input* text with ``after``."""

    start: int
    end: int
    before: str
    after: str
    rule_id: str
    stage: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem seen at ``[start, end)`` of the input that was not fixed (guessing is unsafe).

    A *suggestion* is a finding with a ``replacement``: an edit the engine proposes but is not
    sure of (the evidence that this spot is machine-translation damage is weak). It is applied
    only at ``level="suggest"``."""

    start: int
    end: int
    rule_id: str
    stage: str
    message: str
    replacement: str | None = None

    @property
    def suggestion(self) -> bool:
        return self.replacement is not None


SPAN = attrgetter("start", "end")  # the sort key of edits and findings (C speed: no lambda per edit)


class Result:
    """What ``clean`` returns: the cleaned ``text``, the ``edits`` that produce it from the input
    (replayable with ``apply_edits``), and the ``findings``.

    The findings are computed when first read: reviewing the cleaned text (lost fragments,
    brackets, untranslated fragments) costs about as much as the edits, and a corpus run that only
    keeps the text does not pay for it. Immutable, like the edits."""

    __slots__ = ("text", "edits", "_findings", "_pending")

    def __init__(self, text: str, edits=(), findings=(), *, pending=None):
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "edits", tuple(edits))
        object.__setattr__(self, "_findings", tuple(findings))
        object.__setattr__(self, "_pending", pending)  # () -> findings, run once on first read

    @property
    def findings(self) -> tuple[Finding, ...]:
        if self._pending is not None:
            object.__setattr__(self, "_findings", tuple(self._pending()))
            object.__setattr__(self, "_pending", None)
        return self._findings

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def __setattr__(self, name, value):
        raise AttributeError(f"Result is immutable: cannot set {name!r}")

    def __eq__(self, other):
        if not isinstance(other, Result):
            return NotImplemented
        return (self.text, self.edits, self.findings) == (other.text, other.edits, other.findings)

    def __hash__(self):
        return hash((self.text, self.edits, self.findings))

    def __repr__(self) -> str:
        return f"Result(text={self.text!r}, edits={self.edits!r}, findings={self.findings!r})"

    def __reduce__(self):
        return (Result, (self.text, self.edits, self.findings))


def apply_edits(text: str, edits) -> str:
    """Replay ``edits`` (sorted, non-overlapping, offsets into ``text``) in one splice.

    Refuses edits that do not fit the text instead of producing silently wrong output.
    """
    parts: list[str] = []
    pos = 0
    for e in edits:
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise ValueError(f"edit out of order or out of bounds: {e!r}")
        if text[e.start:e.end] != e.before:
            raise ValueError(f"edit does not match the text at {e.start}: {e!r}")
        parts.append(text[pos:e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)




def _delta(e: Edit) -> int:
    return len(e.after) - (e.end - e.start)


def compose_edits(text: str, first, second) -> list[Edit]:
    """Edits on ``text`` equal to applying ``first`` and then ``second`` (whose offsets point into
    the result of ``first``). Where the two rounds touch they become one edit, named after the
    second round's rule, so that replaying stays exact and edits never overlap."""
    first = sorted(first, key=SPAN)
    second = sorted(second, key=SPAN)
    if not second:
        return first
    blocks = []  # first-round outputs in intermediate coordinates: (start, end, edit)
    d = 0
    for e in first:
        blocks.append((e.start + d, e.start + d + len(e.after), e))
        d += _delta(e)

    def touches(ms, me, p, q) -> bool:
        return (ms < q and me > p) or (ms == me and p <= ms <= q) or (p == q and ms <= p <= me)

    from bisect import bisect_right

    starts = [b[0] for b in blocks]
    clusters: list[list] = []  # [P, Q, second-round edits] in intermediate coordinates
    for e2 in second:
        p, q = e2.start, e2.end
        changed = True
        while changed:  # widen to every first-round output the span touches (nearby blocks only)
            changed = False
            k = bisect_right(starts, q) - 1
            while k >= 0 and blocks[k][1] >= p:
                ms, me, _ = blocks[k]
                if touches(ms, me, p, q) and (ms < p or me > q):
                    p, q, changed = min(p, ms), max(q, me), True
                k -= 1
        if clusters and p <= clusters[-1][1]:
            clusters[-1][0] = min(clusters[-1][0], p)
            clusters[-1][1] = max(clusters[-1][1], q)
            clusters[-1][2].append(e2)
        else:
            clusters.append([p, q, [e2]])
    final = apply_edits(apply_edits(text, first), second)
    out: list[Edit] = []
    absorbed: set[int] = set()
    shift1 = 0  # delta of first-round edits wholly before the current cluster
    bi = 0
    shift2 = 0  # delta of second-round edits before the current cluster
    for p, q, group in clusters:
        while bi < len(blocks) and blocks[bi][1] <= p and not touches(blocks[bi][0], blocks[bi][1], p, q):
            shift1 += _delta(blocks[bi][2])
            bi += 1
        inside = []
        while bi < len(blocks) and touches(blocks[bi][0], blocks[bi][1], p, q):
            inside.append(blocks[bi][2])
            bi += 1
        s = p - shift1
        t = s + (q - p) - sum(_delta(e) for e in inside)
        f_p = p + shift2
        f_q = f_p + (q - p) + sum(_delta(e) for e in group)
        shift1 += sum(_delta(e) for e in inside)
        shift2 += sum(_delta(e) for e in group)
        absorbed.update(id(e) for e in inside)
        last = group[-1]
        out.append(Edit(s, t, text[s:t], final[f_p:f_q], last.rule_id, last.stage))
    out += [e for e in first if id(e) not in absorbed]
    out.sort(key=SPAN)
    return [e for e in out if e.before != e.after]
