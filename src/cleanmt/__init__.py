"""cleanmt: clean up garbled machine-translated Portuguese with explainable, replayable edits."""
from __future__ import annotations

import os

from .glossary import GlossaryError, load_glossary
from .model import Edit, Finding, Result, apply_edits
from .pipeline import Cleaner

__version__ = "0.1.0"
__all__ = ["clean", "Cleaner", "apply_edits", "load_glossary", "Edit", "Finding", "Result",
           "GlossaryError", "__version__"]

_cache: dict[tuple | None, Cleaner] = {}


def clean(text: str, *, source: str | None = None, glossaries=None) -> Result:
    """Clean ``text`` with the bundled glossaries (or the given ones); ``source`` is the text it
    was translated from, when known: entries tied to a source term then fire only if it is there."""
    if glossaries is not None and not all(isinstance(g, (str, os.PathLike)) for g in glossaries):
        return Cleaner(glossaries).clean(text, source=source)  # loaded objects: nothing to key on
    key = None if glossaries is None else tuple(os.fspath(g) for g in glossaries)
    cleaner = _cache.get(key)
    if cleaner is None:
        cleaner = _cache[key] = Cleaner(glossaries)
    return cleaner.clean(text, source=source)
