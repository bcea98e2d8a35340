"""Candidates to a glossary the loader accepts: each entry's examples and keep-cases chosen among
the ones the engine really reproduces, entries that harm their own pairs dropped, and the TOML
written deterministically (sorted, fixed key order, JSON-style strings, which TOML reads too)."""
from __future__ import annotations

import json

from ..pipeline import Cleaner
from ..schema import Glossary, build_glossary
from .extract import Block
from .group import Candidate, slug

MAX_EXAMPLES = 2
MAX_KEEP = 3
_SOLO_STAGES = ("glossary",)


def _q(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def note(c: Candidate) -> str:
    n = f"Learned from {c.support} correction(s) in {c.docs} document pair(s)"
    u = c.unchanged_refs + c.unchanged_keep
    if u:
        n += f"; the wrong form is left unchanged {c.unchanged_refs} time(s) in the references"
        n += f" and {c.unchanged_keep} in the keep corpus"
    if c.ambiguous:
        n += "; ambiguous: made only with its own evidence of machine translation (family-evidence = false)"
    return n + "."


def term_table(c: Candidate) -> dict:
    d: dict = {"id": c.id, "wrong": c.wrong, "right": c.right}
    if c.inflect:
        d["inflect"] = True
        if c.right_plural:
            d["right-plural"] = c.right_plural
    if c.gender:
        d["gender"] = c.gender
        if c.right_gender:
            d["right-gender"] = c.right_gender
            if c.agree_after:
                d["agree-after"] = True
    if c.force_case:
        d["case"] = "force"
    if c.case_sensitive:
        d["case-sensitive"] = True
    if c.ambiguous:
        d["ambiguous"] = True
        # learned, not reviewed: made only with its own evidence (its words in the sentence, the
        # source term, --assume-mt), not because another learned entry fixed something nearby
        d["family-evidence"] = False
        if c.evidence:
            d["evidence"] = c.evidence
    if c.not_before:
        d["not-before"] = c.not_before
    if c.not_after:
        d["not-after"] = c.not_after
    if c.not_near:
        d["not-near"] = c.not_near
    d["note"] = note(c)
    d["examples"] = [list(e) for e in c.examples] or [[c.wrong, c.right]]
    d["keep"] = c.keep or [c.right]
    return d


def block_table(bid: str, b: Block, docs: int) -> dict:
    return {"id": bid, "where": b.where, "lines": list(dict.fromkeys(b.lines)), "anchor": list(dict.fromkeys(b.lines)),
            "min-lines": min(3, len(set(b.lines))),
            "note": f"Lines the references drop whole at the document {b.where} ({docs} document(s)).",
            "examples": [list(b.example)], "keep": [b.example[1].strip()]}


def to_toml(terms: list[dict], block_tables: list[dict], description: str) -> str:
    out = ["# Learned by `cleanmt learn` from pairs of machine translation and its correction.",
           "# Review before use: every entry says where it comes from (note), what it does (examples)",
           "# and what it leaves alone (keep).", "", "[glossary]", f"description = {_q(description)}", ""]
    for kind, tables in (("term", terms), ("block", block_tables)):
        for d in tables:
            out.append(f"[[{kind}]]")
            out += [f"{k} = {_q(v)}" for k, v in d.items()]
            out.append("")
    return "\n".join(out)


def glossary_of(terms: list[dict], block_tables: list[dict], path: str = "learned.toml") -> Glossary:
    data: dict = {"glossary": {"description": "learned"}}
    if terms:
        data["term"] = terms
    if block_tables:
        data["block"] = block_tables
    return build_glossary(path, data, "learned")


def choose_cases(candidates: list[Candidate]) -> None:
    """Examples the entry reproduces exactly (or, failing that, what it makes of the raw text, when
    that holds the right form) and keep-cases it leaves alone; an ambiguous entry that changes one
    of its unchanged contexts is left out."""
    live = [c for c in candidates if c.status == "candidate"]
    if not live:
        return
    cleaner = Cleaner([glossary_of([_draft(c) for c in live], [])], check_examples=False)
    by_id = {e.id: e for e in cleaner.entries}
    for c in live:
        solo = cleaner.solo([by_id[c.id]], _SOLO_STAGES)
        good, fallback = [], []
        ordered = sorted(c.occurrences, key=lambda o: (o.partial, o.doc, o.order))
        for o in ordered:
            inp, exp = o.example
            got = solo.clean(inp).text
            if solo.clean(got).text != got or got == inp or (inp, got) in good + fallback:
                continue
            if got == exp:
                good.append((inp, got))
            elif c.right.casefold() in got.casefold():
                fallback.append((inp, got))
            if len(good) >= MAX_EXAMPLES:
                break
        c.examples = good[:MAX_EXAMPLES] or fallback[:1]
        if not c.examples:
            c.status = "left out: the engine does not reproduce any of its corrections"
            continue
        keep = []
        for text in c.unchanged:
            if solo.clean(text).text != text:
                c.status = f"left out: it would change a context where the wrong form is right: {text!r}"
                break
            keep.append(text)
        if c.status != "candidate":
            continue
        keep = keep[:MAX_KEEP]
        if not keep:
            # the corrected text of its own example must stay as it is
            keep = [c.examples[0][1]]
        c.keep = keep


def _draft(c: Candidate) -> dict:
    d = term_table(c)
    d["examples"], d["keep"] = [[c.wrong, c.right]], [c.right]
    return d


def assign_ids(candidates: list[Candidate], taken: set[str]) -> None:
    used = set(taken)
    for c in candidates:
        base = slug(c.wrong)
        cid, k = base, 2
        while cid in used:
            cid, k = f"{base}-{k}", k + 1
        c.id = cid
        used.add(cid)


def block_id(taken: set[str], where: str) -> str:
    base = f"learned-{'footer' if where == 'end' else 'header'}"
    cid, k = base, 2
    while cid in taken:
        cid, k = f"{base}-{k}", k + 1
    return cid
