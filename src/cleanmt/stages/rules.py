"""Stages ``markdown``, ``typography`` and ``casing``: the rules registered in typography.py and
markdown.py (one function per defect kind, each with its id, examples and keep-cases), run until
their own output is stable. An edit that touches a protected span is dropped."""
from __future__ import annotations

from .. import markdown as _markdown  # noqa: F401  (registers the markdown rules)
from .. import settle
from ..model import Edit, apply_edits, compose_edits
from ..resolve import non_overlapping, output_spans, run_on_windows, windows_of
from ..typography import RULES, gate_lines, lines_gated
from .base import Stage

MAX_ROUNDS = 4


class RuleStage(Stage):
    """The rules of one stage name, in registration order, minus those switched off."""

    def __init__(self, compiled):
        super().__init__(compiled)
        self.rules = [r for r in RULES if r.stage == self.name and r.id not in compiled.disabled]
        # every rule's gates (each once), when every rule has them (see Rule.gates)
        self._gates = None if any(r.gates is None for r in self.rules) else list(
            dict.fromkeys(g for r in self.rules for g in r.gates))

    def __getstate__(self):  # a rule holds its function, which may be a closure: pickled by ids
        return self.compiled

    def __setstate__(self, compiled):
        self.__init__(compiled)

    def _find(self, doc) -> list[Edit]:
        prot = doc.protected
        text, name = doc.text, self.name
        return [Edit(s, e, text[s:e], new, r.id, name) for r in self.rules for s, e, new in r.find(doc)
                if not (prot and prot.overlaps(s, e))]

    def propose(self, doc):
        """The rules over the text, then again over the paragraphs they changed, as one edit list
        (none where no rule's gate hits: a short text, a row of a corpus, is mostly that)."""
        if not self.rules or self._gates is not None and not any(gate_lines(g, doc) for g in self._gates):
            return [], []
        text = doc.text
        edits: list[Edit] = []
        current, windows = text, None
        for _ in range(MAX_ROUNDS):
            if windows is None:
                found = self._find(doc)
            else:
                found = run_on_windows(current, windows, lambda part: self._find(doc.piece(part)))
            found = non_overlapping(found)
            if not found:
                break
            edits = compose_edits(text, edits, found) if edits else found
            current = apply_edits(text, edits)
            windows = windows_of(current, output_spans(found))  # later rounds: changed paragraphs only
        return edits, []

    def settled(self, doc, after, swaps):
        """A swap is settled in a paragraph where no gate of this stage's rules hits (a rule
        proposes nothing there, whatever the words: see ``Rule.gates``); a swap creates no gate."""
        if not self.rules:
            return [True] * len(swaps.edits)
        if self._gates is None:
            return None
        if not swaps.edits:
            return []
        loud = doc.cached("rules.gated-paragraphs." + self.name, self._gated)
        return [k not in loud for k in swaps.paras]

    def _gated(self, doc) -> set[int]:
        return settle.marked_spans(doc, lines_gated(self._gates, doc))


class MarkdownStage(RuleStage):
    name = "markdown"


class TypographyStage(RuleStage):
    name = "typography"


class CasingStage(RuleStage):
    name = "casing"
