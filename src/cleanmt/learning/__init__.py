"""``cleanmt learn``: a glossary learned from pairs of raw machine translation and its human
correction.

The pairs are aligned (``align.py``), each word-level correction is reduced to its core
(``extract.py``), corrections of one wrong form in any inflection, case or agreement context are
grouped and weighed against the places where the wrong form is right (``group.py``), and the
survivors are written as entries that carry examples and keep-cases the engine reproduces, after
those that harm their own pairs are dropped (``emit.py``). ``evaluate.py`` measures it on held-out
pairs.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ..glossary import GlossaryError, bundled_dir, bundled_paths, load_glossary
from ..pipeline import Cleaner
from ..scoring import rule_impact
from . import emit
from .extract import Block, blocks, occurrences
from .group import MIN_SUPPORT, Candidate, add_evidence, group

_STAGES = ("boilerplate", "glossary")


@dataclass
class Learned:
    """What ``learn`` found: the emitted entries, every candidate with its status, the report."""

    entries: list[Candidate]
    candidates: list[Candidate]
    block_tables: list[dict]
    report: dict = field(default_factory=dict)
    description: str = "Learned from corrections"

    def term_tables(self) -> list[dict]:
        return [emit.term_table(c) for c in self.entries]

    def toml(self) -> str:
        return emit.to_toml(self.term_tables(), self.block_tables, self.description)

    def glossary(self):
        return emit.glossary_of(self.term_tables(), self.block_tables)


def _as_pairs(pairs) -> list[tuple[str, str, str]]:
    out = []
    for k, p in enumerate(pairs):
        if isinstance(p, dict):
            p = (p.get("name", f"pair-{k + 1}"), p["raw"], p["ref"])
        p = tuple(p)
        if len(p) == 2:
            p = (f"pair-{k + 1}", *p)
        if len(p) != 3 or not all(isinstance(x, str) for x in p):
            raise TypeError(f"pair {k + 1}: expected (raw, ref) or (name, raw, ref) strings")
        out.append(p)
    return out


def _blocks(found: list[Block], taken: set[str]) -> list[dict]:
    """One entry per distinct edge block; a block whose lines another one holds is left out."""
    from ..boilerplate import normalize_line

    keyed = {}
    for b in found:
        key = (b.where, frozenset(normalize_line(x) for x in b.lines))
        keyed.setdefault(key, []).append(b)
    tables, used = [], set(taken)
    for key in sorted(keyed, key=lambda k: (k[0], sorted(k[1]))):
        if any(k != key and k[0] == key[0] and key[1] < k[1] for k in keyed):
            continue
        bs = keyed[key]
        bid = emit.block_id(used, key[0])
        used.add(bid)
        tables.append(emit.block_table(bid, bs[0], len({b.doc for b in bs})))
    return tables


def learn(pairs, *, bundled: bool = True, glossaries=(), extend=(), keep_corpus=(),
          min_support: int = MIN_SUPPORT, disable=()) -> Learned:
    """Learn a glossary from ``pairs`` of (raw, ref) or (name, raw, ref) texts.

    ``bundled``/``glossaries``/``extend``: the glossaries already in use (what they fix is not
    learned again, and their ids are not reused; ``disable`` switches entries of them off);
    ``keep_corpus``: texts of correct Portuguese
    (a wrong form found there is ambiguous or left out); ``min_support``: corrections needed
    before one is trusted (a name-like right form, seen consistently, needs one)."""
    pairs = sorted(_as_pairs(pairs))  # the same pairs in any order give the same file
    keep_texts = [str(t) for t in keep_corpus]
    base_files = [*glossaries, *extend]
    # the pairs are machine translation: the glossaries in use make their ambiguous edits too
    base = (Cleaner(None if bundled else [], extra=base_files, disable=disable, stages=_STAGES,
                    check_examples=False, assume_mt=True) if bundled or base_files else None)
    taken = set(base.compiled.entry_ids) if base else set()
    # the bundled ids are taken even when they are off: the file may be loaded beside them later
    taken |= {e.id for p in bundled_paths() for e in load_glossary(p).entries}
    # what the glossaries in use already fix is not learned again: learn from what they leave
    texts = [(name, base.clean(raw).text if base else raw, ref) for name, raw, ref in pairs]
    tables = load_glossary(bundled_dir() / "pt" / "agreement.toml").agreement
    occs, found = [], []
    for k, (_, raw, ref) in enumerate(texts):
        occs += occurrences(k, raw, ref, tables)
        found += blocks(k, raw, ref)
    candidates = group(occs, tables, min_support)
    if base:  # what a loaded entry writes is not learned as wrong: the two would chain
        writes = {right.casefold(): e.id for e in base.entries if e.kind == "term" for _, _, right in e.forms}
        has = {wrong.casefold(): e.id for e in base.entries if e.kind == "term" for wrong, _, _ in e.forms}
        for c in candidates:
            hit = next((writes[f.casefold()] for f in c.forms() if f.casefold() in writes), None)
            if hit and c.status == "candidate":
                c.status = f"left out: the loaded entry '{hit}' writes {c.wrong!r} (switch it off with --disable)"
            had = next((has[f.casefold()] for f in c.forms() if f.casefold() in has), None)
            if had and c.status == "candidate":  # it did not fire here (its context): still covered
                c.status = f"left out: the loaded entry '{had}' already corrects {c.wrong!r}"
    emit.assign_ids([c for c in candidates if c.status == "candidate"], taken)
    refs = [ref for _, _, ref in texts]
    for c in candidates:
        add_evidence(c, refs, keep_texts, tables)
    emit.choose_cases(candidates)
    block_tables = _blocks(found, taken | {c.id for c in candidates if c.id})
    live = [c for c in candidates if c.status == "candidate"]
    live, block_tables = _drop_harmful(live, block_tables, texts)
    live, block_tables = _loadable(live, block_tables, base_files, bundled)
    live.sort(key=lambda c: c.id)
    for c in live:
        c.status = "emitted"
    out = Learned(live, candidates, block_tables)
    out.report = _report(out, pairs, occs)
    return out


def _drop_harmful(live: list[Candidate], block_tables: list[dict], texts):
    """Entries whose edits take their own pairs further from the references are dropped
    (``scoring.rule_impact``, as ``cleanmt eval --by-rule``), until none is left. The pairs are
    machine translation by definition, so ambiguous entries are measured where they fire."""
    for _ in range(4):
        if not live and not block_tables:
            break
        g = emit.glossary_of([emit.term_table(c) for c in live], block_tables)
        cleaner = Cleaner([g], stages=_STAGES, check_examples=False, assume_mt=True)
        impact: dict[str, int] = {}
        for _, raw, ref in texts:
            for rid, d in rule_impact(raw, ref, cleaner.clean(raw).edits).items():
                impact[rid] = impact.get(rid, 0) + d
        for c in live:
            c.impact = impact.get(c.id, 0)
        harmful = {rid for rid, d in impact.items() if d < 0}
        if not harmful:
            break
        for c in live:
            if c.id in harmful:
                c.status = f"left out: lowers the score of its own pairs by {-c.impact} word edit(s)"
        live = [c for c in live if c.id not in harmful]
        block_tables = [b for b in block_tables if b["id"] not in harmful]
    return live, block_tables


def _loadable(live: list[Candidate], block_tables: list[dict], base_files, bundled: bool):
    """Load the emitted file as a user would (every example and keep-case run, chains and ids
    checked against the loaded glossaries); the entries the loader refuses are dropped, all of
    them at once, deterministically, and the rest loaded again until it loads."""
    with tempfile.TemporaryDirectory(prefix="cleanmt-learn-") as tmp:
        path = Path(tmp) / "learned.toml"
        for _ in range(len(live) + len(block_tables) + 1):
            path.write_text(emit.to_toml([emit.term_table(c) for c in live], block_tables, "check"),
                            encoding="utf-8")
            try:
                cleaner = Cleaner(None if bundled else [], extra=[*base_files, os.fspath(path)], check_examples=False)
                failures = cleaner.example_failures() + cleaner.chain_failures()
            except GlossaryError as exc:  # the shape or an id: one error at a time
                failures = [exc]
            if not failures:
                return live, block_tables
            ours = {c.id for c in live} | {b["id"] for b in block_tables}
            bad: dict[str, str] = {}
            for exc in failures:
                rid = exc.entry
                if rid not in ours:  # a loaded entry's right form that one of ours rewrites: ours goes
                    rid = next((x for x in regex.findall(r"entry '([^']+)'", exc.message) if x in ours), None)
                if rid is None:
                    raise exc
                bad.setdefault(rid, exc.message)
            for c in live:
                if c.id in bad:
                    c.status = f"left out: refused by the loader: {bad[c.id]}"
            live = [c for c in live if c.id not in bad]
            block_tables = [b for b in block_tables if b["id"] not in bad]
    return live, block_tables


def _report(out: Learned, pairs, occs) -> dict:
    return {
        "pairs": len(pairs),
        "corrections": len(occs),
        "entries": [{"id": c.id, "wrong": c.wrong, "right": c.right, "support": c.support, "documents": c.docs,
                     "unchanged_in_refs": c.unchanged_refs, "unchanged_in_keep_corpus": c.unchanged_keep,
                     "ambiguous": c.ambiguous, "impact": c.impact}
                    # ranked: the best supported first (the file itself is sorted by id)
                    for c in sorted(out.entries, key=lambda c: (-c.docs, -c.support, -c.impact, c.id))],
        "blocks": [{"id": b["id"], "where": b["where"], "lines": b["lines"]} for b in out.block_tables],
        "left_out": [{"wrong": c.wrong, "right": c.right, "support": c.support, "why": c.status[len("left out: "):]}
                     for c in out.candidates if c.status.startswith("left out")],
    }
