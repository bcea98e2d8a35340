"""The Document: one text and everything the stages derive from it, built once per text.

Every stage reads the same Document, so nothing is derived twice (paragraph bounds, protected
spans, the matching view, the source alignment, UTF-8 bytes) and no module keeps per-text state of
its own: two threads cleaning two texts never share a cache. Every field is computed on first use:
a Document costs nothing until a stage asks.
"""
from __future__ import annotations

from typing import Callable

from .bilingual import SourceMap
from .prose import ProseMap
from .protect import Protected, paragraph_bounds
from .textview import TextView

FORMATS = ("plain", "markdown", "po", "srt", "jsonl")
EDGES = ("both", "start", "end", "none")


class Document:
    """``text`` to clean, with:

    - ``source``: the text it was translated from (bilingual mode), ``source_map`` its alignment;
    - ``context``: the whole document when ``text`` is one piece of it (a .po message, a subtitle,
      a chunk): document triggers are looked for there;
    - ``edges``: which document edges this piece holds ("both", "start", "end", "none");
    - ``format``: "plain", "markdown", "po", "srt" or "jsonl" (what the text is a piece of);
    - ``original``: the text a .po message translates (its msgid): punctuation and spacing it
      shows are deliberate in the translation too;
    - ``level``: "sure" (only edits with evidence are made) or "suggest" (suggestions are made too);
    - ``mt``: whether the document shows machine-translation damage (None until the pipeline's
      first pass has looked; True from the start when the user says so, or when the text is a
      piece of a document that shows it); ``mt_assumed``: the user says so (``assume_mt``);
    - ``prose``: the prose map (which lines are prose, code, notation, tables, option lists).
    """

    __slots__ = ("text", "source", "context", "edges", "format", "original", "level", "mt", "mt_assumed", "_prose",
                 "_view",
                 "_bounds", "_protected", "_source_map", "_utf8", "_mentions", "_memo")

    def __init__(self, text: str, *, source: str | None = None, context: str | None = None,
                 edges: str = "both", format: str = "plain", original: str | None = None,
                 level: str = "sure", mt: bool | None = None, mt_assumed: bool = False):
        self.text = text
        self.source = source or None
        self.context = context
        self.edges = edges
        self.format = format
        self.original = original
        self.level = level
        self.mt = True if mt_assumed else mt
        self.mt_assumed = mt_assumed
        self._prose = self._view = self._bounds = self._protected = self._source_map = self._utf8 = None
        self._mentions: dict[int, bool] = {}
        self._memo: dict[str, object] = {}

    def piece(self, text: str) -> "Document":
        """A Document for part of this one (the changed paragraphs a stage reads again): same
        format, level and evidence, no edges of its own, this text (or its context) as the context."""
        return self._related(Document(text, context=self.context or self.text, edges="none", format=self.format,
                                      original=self.original, level=self.level, mt=self.mt,
                                      mt_assumed=self.mt_assumed))

    def again(self, text: str) -> "Document":
        """The Document of this one's cleaned text: the same settings and evidence."""
        return self._related(Document(text, source=self.source, context=self.context, edges=self.edges,
                                      format=self.format, original=self.original, level=self.level, mt=self.mt,
                                      mt_assumed=self.mt_assumed))

    @property
    def prose(self):
        """The prose map: what kind of text each line is (see prose.py)."""
        if self._prose is None:
            self._prose = ProseMap(self, self._memo.get("prose.kinds"))
        return self._prose

    def _related(self, doc: "Document") -> "Document":
        """``doc`` shares this document's line classifications (one per line per clean)."""
        kinds = self._memo.get("prose.kinds")
        if kinds is None:
            kinds = self._memo["prose.kinds"] = self.prose.kinds
        doc._memo["prose.kinds"] = kinds
        return doc

    @property
    def trigger_text(self) -> str:
        """Where document triggers and required words are looked for."""
        return self.context or self.text

    @property
    def view(self):
        """The lower-cased, NFC, whitespace-folded view of the text with its offset mapping."""
        if self._view is None:
            self._view = TextView(self.text)
        return self._view

    def forget_view(self) -> None:
        """Let the matching view go (it is as large as the text, and only matching needs it)."""
        self._view = None

    @property
    def paragraphs(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the non-empty paragraphs."""
        if self._bounds is None:
            self._bounds = paragraph_bounds(self.text)
        return self._bounds

    @property
    def protected(self):
        """The spans no stage may touch (computed paragraph by paragraph as they are asked about)."""
        if self._protected is None:
            self._protected = Protected(self.text, self.paragraphs)
        return self._protected

    @property
    def source_map(self):
        """The aligned source paragraph of any offset (None without a source)."""
        if self._source_map is None and self.source:
            self._source_map = SourceMap(self.text, self.source)
        return self._source_map

    @property
    def utf8(self) -> bytes:
        """The text's UTF-8 bytes (byte-level scans find rare characters at C speed)."""
        if self._utf8 is None:
            self._utf8 = self.text.encode("utf-8", "surrogatepass")
        return self._utf8

    def mentions(self, words, with_source: bool = True) -> bool:
        """Whether the document (its context, or the source) holds one of ``words`` (a
        ``matcher.Words``): the test behind document triggers and ``requires``."""
        key = id(words) * 2 + with_source
        got = self._mentions.get(key)
        if got is None:
            got = bool(words.search(self.trigger_text) or (with_source and self.source and words.search(self.source)))
            self._mentions[key] = got
        return got

    def cached(self, key: str, compute: Callable[["Document"], object]):
        """A value a stage derives from the document, computed once per document (``key`` names
        it: "module.what")."""
        memo = self._memo
        if key not in memo:
            memo[key] = compute(self)
        return memo[key]

    def recorded(self, key: str):
        """What ``cached`` holds under ``key``, without computing it (None if nothing): what a
        stage noted while reading this document, for a later question about it."""
        return self._memo.get(key)


def as_document(doc) -> Document:
    """A Document from a Document or a plain string (helpers called from tests take either)."""
    return doc if isinstance(doc, Document) else Document(doc)
