"""The engine's value types: what a stage reports and what `clean` returns."""
from __future__ import annotations

from dataclasses import dataclass, field


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
    """A problem seen at ``[start, end)`` of the input that was not fixed (guessing is unsafe)."""

    start: int
    end: int
    rule_id: str
    stage: str
    message: str


@dataclass(frozen=True, slots=True)
class Result:
    text: str
    edits: tuple[Edit, ...] = field(default_factory=tuple)
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        return bool(self.edits)


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
