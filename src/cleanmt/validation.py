"""Glossary validation that needs the engine: every entry's examples and keep-cases run with that
entry alone, each example's output checked to be stable, and right forms that another entry would
rewrite again (a chain A -> B -> C, or a cycle A -> B -> A that would never settle)."""
from __future__ import annotations

from bisect import bisect_right

from .document import Document
from .glossary import Entry, GlossaryError

_SEP = "\n\n\n"  # cases joined by blank lines, which no edit crosses


def _cases(e: Entry):
    cases = [(inp, out, "examples") for inp, out in e.examples] + [(k, k, "keep") for k in e.keep]
    # an example's output must be stable: cleaning it again changes nothing
    return cases + [(out, out, "examples") for _, out in e.examples]


def example_failures(cleaner) -> list[GlossaryError]:
    """Run every entry's examples and keep-cases with that entry alone; list what fails.

    Fast path for big glossaries: all term and pattern entries run together over all their cases
    at once; only an entry with a case that comes out differently there is run alone, and that
    run decides."""
    entries = cleaner.compiled.entries
    testable = [e for e in entries if e.kind in ("term", "pattern")]
    suspects: set[int] = set()
    if len(testable) > 20:
        owners, inputs, expected = [], [], []
        for k, e in enumerate(testable):
            for inp, out, _ in _cases(e):
                if _SEP in inp or "\n\n" in inp:
                    suspects.add(k)
                    continue
                owners.append(k)
                inputs.append(inp)
                expected.append(out)
        got = cleaner.solo(testable, ("glossary",)).clean(_SEP.join(inputs)).text.split(_SEP)
        if len(got) != len(inputs):
            suspects.update(range(len(testable)))
        else:
            suspects.update(k for k, g, x in zip(owners, got, expected) if g != x)
        check = [testable[k] for k in sorted(suspects)]
    else:
        check = testable
    check += [e for e in entries if e.kind == "block"]
    failures = []
    for e in check:
        solo = cleaner.solo([e], ("boilerplate",) if e.kind == "block" else ("glossary",))
        for inp, exp, kind in _cases(e):
            actual = solo.clean(inp).text
            if actual != exp:
                failures.append(GlossaryError(
                    e.file, f"example fails: input {inp!r}, expected {exp!r}, got {actual!r}", e.id, kind
                ))
    return failures


def chain_failures(cleaner) -> list[GlossaryError]:
    """A right form that another entry rewrites again: checked with all term entries together,
    triggers assumed, in one pass (a cycle would cancel out over several)."""
    terms = [e for e in cleaner.compiled.entries if e.kind == "term" and e.forms and e.forms[0][0]]
    if not terms:
        return []
    rights = sorted({r for e in terms for _, _, r in e.forms if r.strip()})
    if not rights:
        return []
    owner = {r: e for e in terms for _, _, r in e.forms}
    edits = cleaner.solo(terms, ("glossary",)).propose(Document(_SEP.join(rights)))[0]
    failures = []
    pos_starts, pos = [], 0
    for r in rights:
        pos_starts.append(pos)
        pos += len(r) + len(_SEP)
    for ed in edits:
        if ed.stage != "glossary":
            continue
        k = bisect_right(pos_starts, ed.start) - 1
        src = owner[rights[k]]
        if src.id == ed.rule_id:
            continue  # its own right form: caught by its examples' stability check
        failures.append(GlossaryError(
            src.file, f"its right form {rights[k]!r} is rewritten by entry '{ed.rule_id}' "
                      f"({ed.before!r} -> {ed.after!r}): a chain or a cycle", src.id, "right"))
    return failures


def check_examples(cleaner) -> None:
    """Refuse the glossary set if any entry fails its own examples, or if one entry's right form
    is rewritten by another (all failures listed)."""
    failures = example_failures(cleaner) + chain_failures(cleaner)
    if failures:
        first = failures[0]
        if len(failures) > 1:
            more = "\n".join(str(f) for f in failures[1:])
            first.args = (f"{first.args[0]}\n{len(failures) - 1} more:\n{more}",)
        raise first
