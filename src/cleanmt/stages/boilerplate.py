"""Stage ``boilerplate``: scraper blocks removed, whole, at the document's edges."""
from __future__ import annotations

from ..boilerplate import find_blocks
from .base import Stage


class BoilerplateStage(Stage):
    name = "boilerplate"

    def propose(self, doc):
        if doc.edges == "none":  # a piece of a document has no edges of its own
            return [], []
        return find_blocks(doc.text, self.compiled.blocks, doc.edges), []

    def settled(self, doc, after, swaps):
        """Blocks are removed at a document's edges only: a paragraph read again has none."""
        return [True] * len(swaps.edits)
