"""The one interface every stage implements.

A stage is built once per Cleaner from the compiled glossaries and then asked, for each
Document, two questions:

- ``propose(doc) -> (edits, findings)``: the edits it wants (offsets into ``doc.text``) and the
  findings about its own decisions (a pattern that timed out, two entries that overlap);
- ``review(doc) -> findings``: what is still wrong in a text (``doc`` is the cleaned output):
  findings only, never edits.

The pipeline runs ``propose`` of every stage in order, resolves overlaps (the earlier stage wins),
re-runs until the text is stable, then runs ``review`` of every stage on the result. A stage
keeps no state between documents and never changes the Document it is given.

Between rounds the pipeline asks ``settled(doc, after, swaps)``: for each word swap the last
round made, whether the stage is sure it would propose nothing in that swap's paragraph of the
output (the fixpoint then does not read the paragraph again). Saying False is always safe.
"""
from __future__ import annotations

from ..model import Edit, Finding


class Stage:
    """Base class: a stage overrides what it does (``propose``, ``review`` or both)."""

    name = "stage"
    #: for a third-party stage: the built-in stage it runs after
    after = "casing"
    #: True when ``review`` judges each paragraph by itself alone: the cleaned text's unchanged
    #: paragraphs then keep the findings the input had, and only changed ones are reviewed again
    review_by_paragraph = False

    def __init__(self, compiled) -> None:
        self.compiled = compiled

    def propose(self, doc) -> tuple[list[Edit], list[Finding]]:
        return [], []

    def review(self, doc) -> list[Finding]:
        return []

    def settled(self, doc, after, swaps) -> list[bool] | None:
        """For each of ``swaps`` (``settle.Swaps``: the word swaps of the last round, which read
        ``doc`` and produced the Document ``after``), True if this stage would propose nothing in
        that swap's paragraph of ``after`` (read as a piece of the document: no edges of its own);
        None for no promise. A stage that proposes nothing is always settled; another must prove it
        (see settle.py for what a swap keeps). Asked first with no swaps: None then means the
        stage can promise nothing for this document, and no swap is looked for (answer it
        cheaply)."""
        if type(self).propose is Stage.propose:
            return [True] * len(swaps.edits)
        return None

    def reviews(self, doc) -> bool:
        """Whether ``review`` can find anything in ``doc`` (the pipeline skips the work if not)."""
        return type(self).review is not Stage.review
