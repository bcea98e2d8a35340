"""Stage ``language``: fragments left untranslated (other scripts, English runs, paragraphs in
another language). Findings only; known names (the glossaries' ``names`` and forced spellings)
are never flagged."""
from __future__ import annotations

from ..langid import run_language_checks
from .base import Stage


class LanguageStage(Stage):
    name = "language"
    review_by_paragraph = True

    def review(self, doc):
        return run_language_checks(doc, self.compiled.known)
