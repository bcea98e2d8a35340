"""The loaded glossaries merged and compiled once: what every stage reads and nothing writes.

Built by the Cleaner from loaded ``Glossary`` objects and the ids the user switched off: entries
in file order (ids unique across files), each entry's compiled checks, one term matcher, the
document trigger words, the agreement tables, the scraper blocks, known names, source terms.
"""
from __future__ import annotations

import copy
import dataclasses
from collections import Counter

import regex

from .agreement import AgreementTables
from .entries import CompiledEntry, LazyCompiled, LazyEntries
from .glossary import Entry, Glossary, GlossaryError, bundled_dir, load_glossary
from .matcher import TermMatcher, Words


class CompiledGlossaries:
    """``glossaries`` merged (``disable``: entry ids switched off). ``assume_triggers``: every
    entry runs as if its file's document trigger were present (to test entries on short examples).
    """

    def __init__(self, glossaries: list[Glossary], disable=frozenset(), assume_triggers: bool = False):
        self.glossaries = glossaries
        self.assume_triggers = assume_triggers
        self.disabled = frozenset(disable)
        owner: dict[str, str] = {}
        for g in glossaries:
            for e in g.entries:
                if e.id in owner:
                    raise GlossaryError(g.path, f"id already used in {owner[e.id]}", e.id, "id")
                owner[e.id] = g.path
        self.entry_ids = frozenset(owner)
        self.agreement = AgreementTables()
        tables = [g.agreement for g in glossaries if g.agreement]
        if not tables:  # a user's own glossary set still gets Portuguese agreement
            tables = [load_glossary(bundled_dir() / "pt" / "agreement.toml").agreement]
        for t in tables:
            self.agreement.merge(t)
        self.entries: list[Entry] = []
        self.file_of: list[int] = []
        for fi, g in enumerate(glossaries):
            for e in g.entries:
                if e.enabled and e.id not in self.disabled:
                    if not e.priority and g.priority:
                        e.priority = g.priority
                    self.entries.append(e)
                    self.file_of.append(fi)
        self.triggers = [Words(g.trigger) if g.trigger else None for g in glossaries]
        # a family of errors: the glossaries of one folder ("zh-pt/..."), or one file of the user's
        self.family_of = [g.id.rsplit("/", 1)[0] if "/" in g.id else g.id for g in glossaries]
        self._compile()

    def _compile(self) -> None:
        self.compiled = []
        for i, e in enumerate(self.entries):
            try:
                self.compiled.append(CompiledEntry(e, self.file_of[i]))
            except regex.error as exc:  # a lookaround that only fails once wrapped
                raise GlossaryError(e.file, f"invalid regular expression: {exc}", e.id, "pattern") from None
        self.patterns = [i for i, e in enumerate(self.entries) if e.kind == "pattern"]
        doc_words = {w for g in self.glossaries for w in g.trigger} | {w for e in self.entries for w in e.requires}
        self.doc_words = Words(doc_words) if doc_words else None  # used on every clean: compiled once
        self.requiring = [i for i, e in enumerate(self.entries) if e.requires]
        names = {n for g in self.glossaries for n in g.names}
        names |= {right for e in self.entries if e.kind == "term" and e.force_case for _, _, right in e.forms}
        self.known = (regex.compile(r"(?<![\w-])(?:" + "|".join(
            regex.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])") if names else None)
        self.source_terms = [(e.source, right, [w.lower() for w, _, _ in e.forms if w])
                             for e in self.entries if e.source and e.kind in ("term", "source-term")
                             for _, _, right in e.forms[:1]]
        self.blocks = [e for e in self.entries if e.kind == "block"]
        self.requires = any(e.requires for e in self.entries)
        self.terms = TermMatcher(self.entries)

    # -- per document ------------------------------------------------------------------------
    def activity(self, doc):
        """Per-entry 'may fire in this document' decisions, computed lazily; None when every
        entry may (triggers assumed and no entry requires a word: the example checks)."""
        if self.assume_triggers and not self.requires:
            return None
        cache: dict[int, bool] = {}
        compiled, triggers, assume = self.compiled, self.triggers, self.assume_triggers

        def active(i: int) -> bool:
            v = cache.get(i)
            if v is not None:
                return v
            c = compiled[i]
            ok = True
            if not assume:
                t = triggers[c.file]
                if t is not None:
                    ok = doc.mentions(t)
                if ok and c.requires is not None:
                    ok = doc.mentions(c.requires, with_source=False)
            cache[i] = ok
            return ok

        return active

    def activity_moved(self, doc, after, idle, near) -> bool:
        """Whether the document ``after`` (``doc`` edited) may have the glossary propose something
        outside the paragraphs the edits changed, its words having changed: a trigger or
        ``requires`` it meets and ``doc`` did not (their entries may now fire anywhere), or one it
        no longer meets whose entry had a candidate chosen but not made in ``doc`` (``idle``: the
        entries that had one, None if unknown), since that candidate's place is now free. An entry
        that just stops firing changes nothing elsewhere: what it made stays made. ``near``: the
        words near the edits in ``after`` (``Words.near``): a set newly met holds one of them."""
        def gained(words, source=True):
            return not near.isdisjoint(words.words) and after.mentions(words, source) and not doc.mentions(words, source)

        def lost(words, source=True):
            return words is not None and doc.mentions(words, source) and not after.mentions(words, source)

        if any(t is not None and gained(t) for t in self.triggers):
            return True
        if any(gained(self.compiled[i].requires, False) for i in self.requiring):
            return True
        if idle is None:  # unknown: any set no longer met
            return (any(lost(t) for t in self.triggers)
                    or any(lost(self.compiled[i].requires, False) for i in self.requiring))
        return any(lost(self.triggers[self.file_of[i]]) or lost(self.compiled[i].requires, False) for i in idle)

    def word_tally(self, text: str) -> Counter:
        """How often each trigger and ``requires`` word occurs in ``text``."""
        return Counter(text[s:e] for s, e in self.doc_words.spans(text)) if self.doc_words is not None else Counter()

    # -- copies ------------------------------------------------------------------------------
    def without_examples(self) -> "CompiledGlossaries":
        """A copy for the on-disk cache: the same behaviour, without the example data that is only
        needed to check the glossaries when they are built, with each entry (and its compiled
        context) unpickled only when a match first needs it, and with the automaton built: a
        50k-entry set loads in ~0.1 s instead of ~1 s."""
        slim = copy.copy(self)
        slim.entries = LazyEntries([dataclasses.replace(e, examples=[], keep=[], note="") for e in self.entries])
        slim.compiled = LazyCompiled(slim.entries, self.file_of)
        slim.glossaries = [dataclasses.replace(g, entries=[]) for g in self.glossaries]
        slim.terms = self.terms.built()
        return slim

    def solo(self, entries: list[Entry]) -> "CompiledGlossaries":
        """A set made of just ``entries``, triggers assumed (for testing them)."""
        if len(entries) == len(self.entries) and all(a is b for a, b in zip(entries, self.entries)):
            # all of them (a big glossary of terms): the compiled form and automaton are reused
            # (triggers are not read once assumed; nothing else is read per file)
            solo = copy.copy(self)
            solo.glossaries, solo.assume_triggers = [], True
            solo.terms = self.terms.built()
            return solo
        solo = CompiledGlossaries.__new__(CompiledGlossaries)
        solo.glossaries = []
        solo.assume_triggers = True
        solo.disabled = frozenset()
        solo.entry_ids = frozenset(e.id for e in entries)
        solo.agreement = self.agreement
        solo.entries = list(entries)
        solo.file_of = [0] * len(entries)
        solo.triggers = [None]
        solo.family_of = [""]
        solo._compile()
        return solo
