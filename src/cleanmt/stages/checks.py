"""Stage ``checks``: damage to show, not to guess at (lost fragments, repeated phrases,
unbalanced brackets and quotes, emphasis markers that cannot be paired). Findings only."""
from __future__ import annotations

from ..checks import run_checks
from .base import Stage


class ChecksStage(Stage):
    name = "checks"
    review_by_paragraph = True

    def review(self, doc):
        return run_checks(doc)
