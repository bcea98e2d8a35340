"""The pipeline: glossaries compiled once into a `Cleaner`, whose stages run in order over a
Document.

Data flows one way: text -> Document -> each stage proposes edits -> overlaps resolved (the
earlier stage wins, the loser is reported) -> one splice -> again on the output until nothing
changes (the fixpoint) -> each stage reviews the result: findings about what is still wrong ->
Result. Offsets always point into the input.
"""
from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from . import settle, validation
from . import stages as _stages
from .compiled import CompiledGlossaries
from .document import Document
from .evidence import Gate
from .glossary import Glossary, GlossaryError, bundled_dir, bundled_paths, gc_paused, load_glossary
from .model import Edit, Finding, Result, apply_edits, compose_edits
from .resolve import (
    findings_on_windows, merge, output_spans, run_on_windows, same_outside, settled, to_input,
    windows_of,
)
from .typography import RULES

STAGES = _stages.STAGES
LEVELS = ("sure", "suggest")
_MAX_ROUNDS = 4  # the whole pipeline runs again on its own output until nothing changes


class Cleaner:
    """Glossaries compiled once; call :meth:`clean` on as many documents as you like.

    ``glossaries``: paths or loaded :class:`Glossary` objects replacing the bundled set (None
    means the bundled set); ``extra``: more of them on top; ``disable``: entry or rule ids to
    switch off; ``stages``: which stages run (always in pipeline order); ``assume_triggers``: run
    every entry as if its file's document trigger were present (used to test entries on short
    examples); ``check_examples``: run every entry's examples and keep-cases now; ``level``:
    "sure" makes only the edits the evidence supports (the rest are suggestions: findings with a
    replacement), "suggest" makes the suggestions too; ``assume_mt``: the input is known to be
    machine translation (typography rules need no other evidence).
    """

    def __init__(self, glossaries=None, *, extra=(), disable=(), stages=STAGES, assume_triggers=False,
                 check_examples=True, level: str = "sure", assume_mt: bool = False):
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; levels are: {', '.join(LEVELS)}")
        self.level, self.assume_mt = level, bool(assume_mt)
        bad = _stages.known_stages(stages)
        if bad:
            raise ValueError(f"unknown stage(s) {', '.join(bad)}; stages are: {', '.join(STAGES)}")
        with gc_paused():
            loaded = _bundled() if glossaries is None else [_as_glossary(g) for g in glossaries]
            loaded += [_as_glossary(g) for g in extra]
            compiled = CompiledGlossaries(loaded, disable, assume_triggers)
            unknown = set(disable) - compiled.entry_ids - {r.id for r in RULES}
            if unknown:
                raise GlossaryError(
                    "disable", f"no loaded glossary has entries with these ids: {', '.join(sorted(unknown))}")
            self._setup(compiled, stages)
        if check_examples:
            with gc_paused():
                self.check_examples()

    def _setup(self, compiled: CompiledGlossaries, stages) -> None:
        self.compiled = compiled
        self._stages = _stages.build(stages, compiled)
        self.stages = tuple(s.name for s in self._stages)

    @classmethod
    def _of(cls, compiled: CompiledGlossaries, stages, level: str = "sure", assume_mt: bool = False) -> "Cleaner":
        c = cls.__new__(cls)
        c.level, c.assume_mt = level, assume_mt
        c._setup(compiled, stages)
        return c

    @property
    def entries(self):
        return self.compiled.entries

    @property
    def glossaries(self) -> list[Glossary]:
        return self.compiled.glossaries

    def without_examples(self) -> "Cleaner":
        """A copy for the on-disk cache (see ``CompiledGlossaries.without_examples``)."""
        return Cleaner._of(self.compiled.without_examples(), self.stages, self.level, self.assume_mt)

    def solo(self, entries, stages) -> "Cleaner":
        """A cleaner made of just ``entries``, triggers assumed, every proposal made (to test them)."""
        return Cleaner._of(self.compiled.solo(entries), stages, "suggest")

    # -- validation --------------------------------------------------------------------------
    def example_failures(self) -> list[GlossaryError]:
        return validation.example_failures(self)

    def chain_failures(self) -> list[GlossaryError]:
        return validation.chain_failures(self)

    def check_examples(self) -> None:
        validation.check_examples(self)

    # -- cleaning ----------------------------------------------------------------------------
    def clean(self, text: str, *, source: str | None = None, context: str | None = None,
              edges: str = "both", format: str = "plain", original: str | None = None,
              mt: bool | None = None) -> Result:
        """Clean ``text``. ``source``: the text it was translated from. ``context``: the whole
        document (or the words it contains) when ``text`` is one piece of it (a subtitle, a .po
        message, a chunk of a large file): document triggers are looked for there. ``edges``:
        which document edges this piece holds ("both", "start", "end", "none"): scraper blocks
        are removed only there. ``format``: what the text is ("plain", "markdown", "po", "srt",
        "jsonl"). ``original``: what a .po message translates (its msgid). ``mt``: True when this
        text is a piece of a document that shows machine-translation damage elsewhere (its
        typography is then fixed as the whole document's would be)."""
        if not isinstance(text, str):
            raise TypeError(f"clean() needs str, not {type(text).__name__}")
        doc = Document(text, source=source, context=context, edges=edges, format=format, original=original,
                       level=self.level, mt=mt or None, mt_assumed=self.assume_mt)
        with gc_paused():  # every candidate and edit is acyclic: the collector's full scans only cost
            accepted, decisions = self.propose(doc)
            accepted, done = self._fixpoint(doc, accepted)
        doc.forget_view(), done.forget_view()  # only matching needs it; the review may come much later
        return Result(done.text, tuple(accepted), pending=lambda: self._findings(doc, done, accepted, decisions))

    def _findings(self, doc: Document, done: Document, accepted: list[Edit], decisions) -> list[Finding]:
        """Findings describe what is still wrong: the stages review the cleaned text, and their
        findings are moved to input offsets; a rule that lost an overlap but was applied by a
        later round is not reported. Run when ``Result.findings`` is first read."""
        with gc_paused():
            if accepted:
                findings = settled(decisions, accepted) + self._review_output(doc, done, accepted)
            else:
                findings = decisions + self.review(doc)
        findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
        return findings

    def propose(self, doc: Document) -> tuple[list[Edit], list[Finding]]:
        """One pass of every stage over ``doc``: (edits, findings), offsets into ``doc.text``."""
        proposals = [stage.propose(doc) for stage in self._stages]
        gate = Gate(doc, proposals)  # the evidence each edit needs (evidence.py)
        accepted: list[Edit] = []
        findings: list[Finding] = []
        for new, found in proposals:
            findings += found
            new, suggested = gate.judge(new)
            findings += suggested
            if new:
                accepted = merge(accepted, new, findings)
        return accepted, findings

    def review(self, doc: Document) -> list[Finding]:
        """Every stage's findings about ``doc`` as it stands."""
        return [f for stage in self._stages if stage.reviews(doc) for f in stage.review(doc)]

    def _review_output(self, doc: Document, done: Document, edits: list[Edit]) -> list[Finding]:
        """The stages' review of the cleaned text ``out``, at input offsets. When every review
        judges paragraph by paragraph (and no source alignment is involved), the paragraphs no
        edit touched keep the input's findings (the input Document has already done much of the
        work, such as protected spans) and only the changed paragraphs are reviewed again."""
        reviewers = [s for s in self._stages if s.reviews(done)]
        if not reviewers:
            return []
        out = done.text
        if not doc.source and all(s.review_by_paragraph for s in reviewers):
            w_out = windows_of(done, output_spans(edits))
            # sparse edits only: with dense ones a review of the whole output costs less than two partial
            sparse = sum(b - a for a, b in w_out) * 4 < len(out)
            w_in = windows_of(doc, [(e.start, e.end) for e in edits]) if sparse else None
            if sparse and same_outside(doc.text, w_in, out, w_out):
                starts = [a for a, _ in w_in]
                kept = [f for f in self.review(doc) if not _inside(f, w_in, starts)]
                again = findings_on_windows(out, w_out, lambda t: self.review(done.piece(t)))
                return kept + to_input(again, edits)
        return to_input(self.review(done), edits)

    def _fixpoint(self, doc: Document, accepted: list[Edit]) -> tuple[list[Edit], Document]:
        """An edit can change the context another rule looks at (a near-word, a trigger, a
        neighbour's punctuation): run again on the output until nothing changes, folding later
        rounds into the edit list, so that cleaning a cleaned text is always a no-op. Only the
        paragraphs that changed are read again, unless an edit changed the document's words so
        that the glossary may now propose elsewhere (see ``activity_moved``), or a source is given
        (its paragraph alignment needs the whole text).
        Returns the edits and the Document of the text they produce."""
        text = doc.text
        out = apply_edits(text, accepted)
        changed = accepted
        words = self.compiled.doc_words
        current = doc
        for _ in range(_MAX_ROUNDS - 1):
            if not changed:
                break
            read, current = current, doc.again(out)
            spans = output_spans(changed)  # where the round's edits stand in ``out``
            moved = False  # with a context, the document's words are the context's: unchanged
            if not doc.source and doc.context is None and words is not None:
                # a word can have come only near an edit (one that went is asked about where it matters)
                moved = self.compiled.activity_moved(read, current, read.recorded("glossary.idle"),
                                                     words.near(out, spans))
            if doc.source or moved:
                again = self.propose(current)[0]
            else:  # after the first round the stages can prove most paragraphs settled (settle.py)
                if read is doc:
                    spans = settle.unsettled(self._stages, doc, current, changed, spans)
                again = run_on_windows(out, windows_of(current, spans), lambda t: self.propose(current.piece(t))[0])
            if not again:
                break
            accepted = compose_edits(text, accepted, again)
            out = apply_edits(text, accepted)
            changed = again
        if current.text is not out:
            current = doc.again(out)
        return accepted, current

    def document_words(self, text: str) -> set[str]:
        """The trigger and ``requires`` words that ``text`` contains: enough context to clean a
        piece of a document as if the whole were there (see ``clean(context=...)``)."""
        return set(self.compiled.word_tally(text))


def _inside(f: Finding, windows, starts: list[int]) -> bool:
    """Whether the finding lies in (or touches) one of the windows (sorted, apart; ``starts``:
    their starts): only the windows around it are looked at."""
    k = max(0, bisect_right(starts, f.start) - 1)
    for a, b in windows[k:k + 2]:
        if a <= f.start < b or a < f.end <= b or (f.start <= a and b <= f.end):
            return True
    return False


def _bundled() -> list[Glossary]:
    root = bundled_dir()
    out = []
    for p in bundled_paths():
        g = load_glossary(p)
        if g.id == p.stem:  # bundled ids are their path inside glossary/, e.g. zh-pt/xiaomi
            g.id = p.relative_to(root).with_suffix("").as_posix()
        out.append(g)
    return out


def _as_glossary(g) -> Glossary:
    if isinstance(g, Glossary):
        return g
    if isinstance(g, (str, Path)):
        return load_glossary(g)
    raise TypeError(f"a glossary is a path or a Glossary, not {type(g).__name__}")


_DEFAULT: list[Cleaner] = []


def default_cleaner() -> Cleaner:
    """The bundled glossary set, compiled once per process."""
    if not _DEFAULT:
        _DEFAULT.append(Cleaner())
    return _DEFAULT[0]
