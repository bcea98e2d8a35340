"""cleanmt: clean up garbled machine-translated Portuguese with explainable, replayable edits."""
from __future__ import annotations

import os

from .glossary import GlossaryError, load_glossary
from .model import Edit, Finding, Result, apply_edits
from .pipeline import Cleaner, default_cleaner

__version__ = "0.1.0"
# ten names at most (tests/test_structure.py); __version__ is an attribute, not a name to import

__all__ = ["clean", "Cleaner", "apply_edits", "load_glossary", "score", "learn", "Edit", "Finding", "Result",
           "GlossaryError"]

_cache: dict[tuple, Cleaner] = {}


def clean(text: str, *, source: str | None = None, glossaries=None) -> Result:
    """Clean ``text`` with the bundled glossaries (or the given ones); ``source`` is the text it
    was translated from, when known: entries tied to a source term then fire only if it is there."""
    if glossaries is not None and not all(isinstance(g, (str, os.PathLike)) for g in glossaries):
        return Cleaner(glossaries).clean(text, source=source)  # loaded objects: nothing to key on
    if glossaries is None:
        return default_cleaner().clean(text, source=source)
    key = tuple(os.fspath(g) for g in glossaries)
    cleaner = _cache.get(key)
    if cleaner is None:
        cleaner = _cache[key] = Cleaner(glossaries)
    return cleaner.clean(text, source=source)


def learn(pairs, **options):
    """Learn a glossary from ``pairs`` of raw machine translation and its human correction; see
    ``cleanmt.learning.learn`` for the options. Returns a ``cleanmt.learning.Learned``."""
    from .learning import learn as _learn  # imported on first use: `import cleanmt` stays light

    return _learn(pairs, **options)


def score(hypothesis: str, reference: str, *, raw: str | None = None):
    """Score ``hypothesis`` against a reference correction (sacrebleu BLEU, chrF, TER; rapidfuzz
    similarity; word edit rate; glossary term accuracy). With ``raw``, also how much of the raw
    text's distance to the reference cleaning removed. Returns a ``cleanmt.scoring.Score``."""
    from .scoring import score as _score  # sacrebleu is imported only when scoring

    return _score(hypothesis, reference, raw=raw)

