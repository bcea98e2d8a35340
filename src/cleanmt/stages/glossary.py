"""Stage ``glossary``: how a glossary entry becomes an edit.

1. Candidates: term hits of the one automaton on the Document's view (word-bounded), and pattern
   entries run on the paragraphs holding their required literal; each kept only if its entry may
   fire in this document (trigger, ``requires``), its context allows it, and no protected span is
   touched. The replacement takes the case shape of the match unless the entry forces its case.
2. With a source text, an entry tied to a source term needs that term in the aligned paragraph.
3. Leftmost-longest choice (then priority, then file order); a partial overlap is reported.
4. Agreement: where gender or number changes, the words of the noun phrase are re-inflected.
"""
from __future__ import annotations

import time
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

import ahocorasick

from .. import casing, settle
from ..bilingual import source_findings
from ..matcher import ac_iter, whole_word_hits
from ..model import Edit, Finding
from ..textview import find_all
from .base import Stage


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    entry: int
    after: str
    number: str
    priority: int


class GlossaryStage(Stage):
    name = "glossary"
    _needles = None  # the pattern entries' literals and words, in one automaton (built when needed)
    review_by_paragraph = True  # without a source it has nothing to review; with one, see pipeline

    def propose(self, doc):
        findings: list[Finding] = []
        cands: list[_Cand] = []
        active = self.compiled.activity(doc)
        self._term_candidates(doc, active, cands)
        self._pattern_candidates(doc, active, cands, findings)
        entries = self.compiled.entries
        smap = doc.source_map
        if smap is not None:  # an entry tied to a source term needs it in the aligned source paragraph
            cands = [c for c in cands if not entries[c.entry].source or entries[c.entry].source in smap.at(c.start)]
        chosen = _choose(cands, doc.text, entries, findings)
        idle = doc.cached("glossary.idle", lambda d: set())  # chosen, not made (see activity_moved)
        if doc.level == "sure" and any(entries[c.entry].ambiguous for c in chosen):
            chosen, unsure = _evidenced(self.compiled, doc, chosen)
            findings += [self._suggestion(doc, c) for c in unsure]
            idle.update(c.entry for c in unsure)
        return self._edits(doc, chosen, idle), findings

    def _suggestion(self, doc, c: _Cand) -> Finding:
        """One finding for the candidate and the agreement it brings, with the whole replacement."""
        text = doc.text
        edits = sorted(self._edits(doc, [c]), key=lambda e: e.start) or [Edit(c.start, c.end, text[c.start:c.end],
                                                                          text[c.start:c.end], "", "")]
        s, t = edits[0].start, max(e.end for e in edits)
        out, pos = [], s
        for e in edits:
            out += [text[pos:e.start], e.after]
            pos = e.end
        out.append(text[pos:t])
        ent = self.compiled.entries[c.entry]
        return Finding(s, t, ent.id, "glossary",
                       f"suggestion: {text[s:t]!r} → {''.join(out)!r} (not made: {text[c.start:c.end]!r} is also "
                       f"correct Portuguese, and nothing here shows the machine-translation reading)", "".join(out))

    def reviews(self, doc) -> bool:
        return doc.source_map is not None

    def review(self, doc):
        """With a source: source terms whose right form is missing, numbers the text lacks."""
        if doc.source_map is None:
            return []
        return source_findings(doc.text, doc.source_map, self.compiled.source_terms)

    def _term_candidates(self, doc, active, out: list[_Cand]) -> None:
        text = doc.text
        if not text:
            return
        view = doc.view
        identity = view.identity
        compiled = self.compiled.compiled
        transfer = casing.transfer
        unsure = doc.cached("glossary.unsure", lambda d: [])  # hits their surroundings decide (see _settled)
        spans: list[tuple[int, int]] = []  # the hits that have a candidate, asked about protection at the end
        pending: list[_Cand] = []
        owner: list[int] = []  # the hit (index into spans) of each pending candidate
        p_lo = p_hi = 0  # the paragraph of the last hit with a context (which is read inside it)
        for vs, vend, payload in self.compiled.terms.hits(view.view):
            s = e = None
            asked = False
            for i, number, right, form, force_case, context, priority in payload:
                if active is not None and not active(i):
                    continue
                if s is None:
                    s, e = (vs, vend) if identity else (view.start(vs), view.end(vend))
                    matched = text[s:e]
                if form is not None and matched != form and " ".join(matched.split()) != form:  # case-sensitive
                    continue
                if context:
                    unsure.append((s, e))  # its surroundings decide: a later round must read them again
                    if context == 1:
                        if not p_lo <= s < p_hi:  # (the hits come nearly in text order)
                            p_lo, p_hi = _paragraph_of(doc, s)
                        if not compiled[i].context_ok(text, s, e, p_lo, p_hi):
                            continue
                if not asked:
                    spans.append((s, e))
                    asked = True
                # (a lower-case match, the common case, keeps the glossary's spelling)
                after = right if force_case or matched.islower() else transfer(matched, right)
                pending.append(_Cand(s, e, i, after, number, priority))
                owner.append(len(spans) - 1)
        if pending:  # no candidate may touch a protected span (asked in bulk: dense text has thousands)
            protected = doc.protected
            free = protected.free(spans) if protected else None
            out += pending if free is None else [c for c, k in zip(pending, owner) if free[k]]

    def settled(self, doc, after, swaps):
        return _settled(self.compiled, doc, swaps)

    def _pattern_candidates(self, doc, active, out: list[_Cand], findings) -> None:
        text = doc.text
        entries, compiled = self.compiled.entries, self.compiled.compiled
        if not self.compiled.patterns or not text:
            return
        found = self._needles_in(doc)
        for i, needle in self._needles.of:
            if needle is not None and needle not in found:
                continue  # (most patterns, in a short text)
            c = compiled[i]
            windows = pattern_windows(c, doc, found)
            if not windows:
                continue
            if active is not None and not active(i):
                continue
            ent = entries[i]
            try:
                for m in windowed_matches(c.pattern, text, windows, ent.timeout):
                    s, e = m.span()
                    if s == e or not c.context_ok(text, s, e, *_paragraph_of(doc, s)):
                        continue
                    protected = doc.protected
                    if protected and protected.overlaps(s, e):
                        continue
                    after = m.expand(ent.replace)
                    if not ent.force_case:
                        after = casing.transfer(m.group(), after)
                    out.append(_Cand(s, e, i, after, ent.number, ent.priority))
            except TimeoutError:
                findings.append(
                    Finding(0, 0, ent.id, "glossary", f"pattern took longer than {ent.timeout}s; entry skipped")
                )

    def _needles_in(self, doc) -> dict[str, list[int]]:
        """Where each pattern entry's required literal or word stands in the view (found once per
        Document, by one automaton for all of them: a search each cost more than the rest of a
        short text's clean)."""
        if self._needles is None:
            self._needles = _Needles(self.compiled)
        return doc.cached("glossary.needles", lambda d: self._needles.find(d.view.view))

    def _edits(self, doc, chosen: list[_Cand], idle=None) -> list[Edit]:
        """The chosen candidates as edits, with the agreement of the words around each (the
        entries of those that change nothing go to ``idle``)."""
        text = doc.text
        entries, agreement = self.compiled.entries, self.compiled.agreement
        edits: list[Edit] = []
        before_walks: list[Edit] = []  # agreement of the words in front of a noun
        after_walks: list[Edit] = []  # agreement of the adjectives after it
        for k, c in enumerate(chosen):
            ent = entries[c.entry]
            before = text[c.start:c.end]
            after = c.after
            if "\n" in before and "\n" not in after and " " in after:
                after = _keep_line_break(before, after)
            if after != before:
                edits.append(Edit(c.start, c.end, before, after, ent.id, "glossary"))
            elif idle is not None:
                idle.add(c.entry)
            if ent.gender is None:
                continue
            frm = (ent.gender, c.number)
            to = (ent.right_gender or ent.gender, ent.right_number or c.number)
            if frm == to:
                continue
            protected = doc.protected
            floor = chosen[k - 1].end if k else 0
            for s, e, b, a in agreement.before(text, c.start, frm, to, floor):
                if not (protected and protected.overlaps(s, e)):
                    before_walks.append(Edit(s, e, b, a, ent.id, "agreement"))
            if ent.agree_after:
                ceiling = chosen[k + 1].start if k + 1 < len(chosen) else len(text)
                for s, e, b, a in agreement.after(text, c.end, frm, to, ceiling):
                    if not (protected and protected.overlaps(s, e)):
                        after_walks.append(Edit(s, e, b, a, ent.id, "agreement"))
        if not before_walks and not after_walks:
            return edits
        # a word both walks reach ("o pouso acelerado novo painço") belongs to the noun after it
        taken = sorted((e.start, e.end) for e in edits)
        for e in before_walks + after_walks:
            i = bisect_left(taken, (e.start, e.end))
            if any(s < e.end and e.start < t for s, t in taken[max(0, i - 1):i + 1]):
                continue
            edits.append(e)
            insort(taken, (e.start, e.end))
        return edits


def _evidenced(glossaries, doc, chosen: list[_Cand]) -> tuple[list[_Cand], list[_Cand]]:
    """(candidates with evidence, ambiguous ones without). An ambiguous entry's wrong form is
    also correct Portuguese; the machine-translation reading needs evidence: the user says the
    text is machine translation (``assume_mt``), the source text
    has the entry's source term (the source filter above kept it), words of the garbled sense
    stand in the same sentence, or the document shows the same family of errors (a candidate
    with evidence from the same glossary folder; not for an entry with ``family-evidence =
    false``)."""
    entries, compiled, text = glossaries.entries, glossaries.compiled, doc.text
    family = glossaries.family_of

    def direct(c: _Cand) -> bool:
        e = entries[c.entry]
        if not e.ambiguous or doc.mt_assumed:  # the user says the text is machine translation
            return True
        if e.source and doc.source_map is not None:
            return True
        return compiled[c.entry].has_evidence(text, c.start, c.end)

    sure = [direct(c) for c in chosen]
    shown = {family[compiled[c.entry].file] for c, ok in zip(chosen, sure) if ok}
    ok = [s or (entries[c.entry].family_evidence and family[compiled[c.entry].file] in shown)
          for c, s in zip(chosen, sure)]
    return [c for c, k in zip(chosen, ok) if k], [c for c, k in zip(chosen, ok) if not k]


def _settled(compiled, doc, swaps):
    """A swap is settled unless its paragraph holds a hit whose surroundings decide it (context
    words, an ambiguous entry's evidence) or one of its new words is a word of some term (a hit
    touching it would hold that whole word: the swap keeps word boundaries). Patterns may match
    anything: with any pattern entry, nothing is settled."""
    unsure = doc.recorded("glossary.unsure")
    if unsure is None or compiled.patterns:
        return None
    if not swaps.edits:
        return []
    loud = settle.marked_spans(doc, sorted(unsure))
    words = compiled.terms.words
    known: dict[str, bool] = {}
    out = []
    for e, k in zip(swaps.edits, swaps.paras):
        new = e.after
        quiet = known.get(new)
        if quiet is None:
            quiet = known[new] = not any(w in words for w in casing.lower_same_length(new).split(" "))
        out.append(quiet and k not in loud)
    return out


class _Needles:
    """The pattern entries' required literals and words (lower-cased, as the view holds them) in
    one automaton; ``of``: each pattern entry's index with its needle (None: it has neither)."""

    def __init__(self, compiled):
        c = compiled.compiled
        self.of = [(i, c[i].literal or c[i].word) for i in compiled.patterns]
        needles = sorted({n for _, n in self.of if n})
        self.longest = max(map(len, needles), default=1)
        self.automaton = None
        if needles:
            self.automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
            for n in needles:
                self.automaton.add_word(n, n)
            self.automaton.make_automaton()

    def find(self, view: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        if self.automaton is not None:
            for end, n in ac_iter(self.automaton, view, self.longest, len):
                found.setdefault(n, []).append(end - len(n) + 1)
        return found


def _choose(cands: list[_Cand], text: str, entries, findings: list[Finding]) -> list[_Cand]:
    """Leftmost-longest; among equals the higher priority, then the earlier entry. A candidate
    that partly overlaps the one chosen is reported."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), -c.priority, c.entry))
    chosen: list[_Cand] = []
    for c in cands:
        if chosen and c.start < chosen[-1].end:
            w = chosen[-1]
            if c.end > w.end and c.entry != w.entry:  # a real clash, not a shorter match inside
                findings.append(Finding(
                    c.start, c.end, entries[c.entry].id, "glossary",
                    f"overlaps {entries[w.entry].id} ({text[w.start:w.end]!r}), which was applied",
                ))
            continue
        chosen.append(c)
    return chosen


def pattern_windows(c, doc, found=None) -> list[tuple[int, int]]:
    """Where a pattern entry may match: the paragraphs holding its required literal (or whole
    word), or the whole text when it has neither. A pattern matches inside a paragraph.
    ``found``: the literals' and words' offsets in the view, if already found."""
    text, view = doc.text, doc.view
    if c.literal is not None:
        hits = find_all(view.view, c.literal) if found is None else found.get(c.literal, ())
    elif c.word is not None:
        hits = whole_word_hits(view.view, c.word, None if found is None else found.get(c.word, ()))
    else:
        return [(0, len(text))] if text else []
    if not hits:
        return []
    return _paragraphs_at(doc.paragraphs, [view.start(h) for h in hits])


def windowed_matches(pattern, text: str, windows, timeout):
    """``pattern.finditer`` over each window in turn, as one left-to-right scan; a match and its
    look-aheads stay inside the window (a paragraph: the fixpoint reads a changed paragraph again
    joined to other changed ones, not to its neighbours). The entry's timeout bounds all the
    windows together, not each."""
    deadline = None if timeout is None else time.monotonic() + timeout
    floor = 0
    for lo, hi in windows:
        left = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("regex timed out")
        for m in pattern.finditer(text, max(lo, floor), hi, timeout=left):
            if m.start() >= hi:
                break
            floor = m.end()
            yield m


def _paragraph_of(doc, at: int) -> tuple[int, int]:
    """(start, end) of the paragraph holding offset ``at`` (the whole text if none does)."""
    starts, ends = doc.paragraphs
    k = bisect_right(starts, at) - 1
    return (starts[k], ends[k]) if k >= 0 and at < ends[k] else (0, len(doc.text))


def _paragraphs_at(bounds, offsets) -> list[tuple[int, int]]:
    """The paragraphs (start, end) holding the given offsets (sorted), each once, in order."""
    starts, ends = bounds
    out: list[tuple[int, int]] = []
    for o in offsets:
        k = bisect_right(starts, o) - 1
        if k < 0 or o >= ends[k]:
            continue  # in a blank line: a match holding it would cross paragraphs
        if not out or out[-1][0] != starts[k]:
            out.append((starts[k], ends[k]))
    return out


def _keep_line_break(before: str, after: str) -> str:
    """Put a hard wrap that stood inside the matched term back at the nearest space."""
    rel = before.index("\n") / max(1, len(before))
    spaces = [i for i, ch in enumerate(after) if ch == " "]
    best = min(spaces, key=lambda i: abs(i / len(after) - rel))
    return after[:best] + "\n" + after[best + 1:]
