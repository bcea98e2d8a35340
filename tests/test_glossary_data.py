"""The bundled glossary data: every example and keep-case, run with the whole bundled set."""
from __future__ import annotations

import pytest

import cleanmt
from cleanmt.glossary import bundled_dir, bundled_paths, load_glossary

GLOSSARIES = [(p.relative_to(bundled_dir()).as_posix(), load_glossary(p)) for p in bundled_paths()]
ENTRIES = [(name, e) for name, g in GLOSSARIES for e in g.entries]


def _cases(kind):
    for name, e in ENTRIES:
        if kind == "example":
            for n, (inp, out) in enumerate(e.examples):
                yield pytest.param(e.id, inp, out, id=f"{name}::{e.id}::example{n}")
        else:
            for n, k in enumerate(e.keep):
                yield pytest.param(e.id, k, k, id=f"{name}::{e.id}::keep{n}")


@pytest.mark.parametrize("entry_id, inp, expected", list(_cases("example")))
def test_entry_example_holds_among_all_bundled_entries(eager_cleaner, entry_id, inp, expected):
    """Other entries may fix more of the example; this entry's own edits must still give it."""
    r = eager_cleaner.clean(inp)
    own = [e for e in r.edits if e.rule_id == entry_id]
    assert cleanmt.apply_edits(inp, own) == expected


@pytest.mark.parametrize("entry_id, text, expected", list(_cases("keep")))
def test_keep_case_untouched_by_any_bundled_entry(eager_cleaner, entry_id, text, expected):
    assert eager_cleaner.clean(text).text == expected


def test_bundled_set_loads_and_checks_its_examples():
    c = cleanmt.Cleaner()
    assert len(c.entries) >= 40
    assert c.example_failures() == []


def test_every_entry_is_documented_and_tested():
    problems = []
    for name, e in ENTRIES:
        if not e.note:
            problems.append(f"{name}::{e.id}: no note")
        if not e.examples:
            problems.append(f"{name}::{e.id}: no examples")
        if not e.keep:
            problems.append(f"{name}::{e.id}: no keep-cases")
        if e.kind == "term" and any(w.strip() != w or "  " in w for w, _, _ in e.forms):
            problems.append(f"{name}::{e.id}: wrong form with stray spaces")
    assert problems == []


def test_ids_are_unique_across_files():
    seen: dict[str, str] = {}
    dupes = []
    for name, e in ENTRIES:
        if e.id in seen:
            dupes.append(f"{e.id} in {seen[e.id]} and {name}")
        seen[e.id] = name
    assert dupes == []


def test_no_right_form_is_rewritten_again(eager_cleaner):
    """No A -> B -> A cycles or chains: each right form is stable on its own and in context."""
    bad = []
    for name, e in ENTRIES:
        if e.kind != "term":
            continue
        for _, _, right in e.forms:
            for text in (right, f"o {right} novo", f"{right}."):
                out = eager_cleaner.clean(text).text
                if out != text:
                    bad.append(f"{name}::{e.id}: {text!r} -> {out!r}")
    assert bad == []


def test_no_wrong_form_listed_twice():
    """Two entries claiming the same wrong form would make the result depend on file order."""
    owners: dict[str, str] = {}
    clashes = []
    for name, e in ENTRIES:
        if e.kind != "term" or e.before or e.after or e.not_before or e.not_after:
            continue  # context-restricted forms may share a spelling with a general one
        for w, _, _ in e.forms:
            key = w.lower()
            if key in owners and owners[key] != e.id:
                clashes.append(f"{w!r}: {owners[key]} and {e.id}")
            owners[key] = e.id
    assert clashes == []
