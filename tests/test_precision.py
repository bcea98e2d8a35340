"""Precision on real human-written Portuguese: no edit is made to any of it (issue 14).

The text is read from where Debian's packages install it (man pages, the Debian Reference, the
Debian Edu manual, LilyPond's documentation, the pt_BR/pt gettext catalogs of installed
packages), extracted the way a scraper would (tests/human_text.py); `.ci/install-corpora`
installs the packages. Nothing of it is copied into the repository. Where the packages are not
installed the test is skipped with the reason. A human slip fixed on purpose goes in
tests/precision-allow.toml with its reason.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cleanmt import Cleaner
from cleanmt.formats import clean_text

from . import human_text

ALLOW = Path(__file__).resolve().parent / "precision-allow.toml"


def _allowed() -> list[dict]:
    with open(ALLOW, "rb") as f:
        entries = tomllib.load(f)["allow"]
    keys = {"source", "doc", "rule", "before", "after", "reason"}
    bad = [e for e in entries if set(e) != keys or not e["reason"].strip()]
    assert not bad, f"allow-list entries need exactly {sorted(keys)}, with a reason: {bad}"
    return entries


def test_allow_list_entries_have_reasons():
    _allowed()


@pytest.fixture(scope="module")
def corpus():
    ok, why = human_text.available()
    if not ok:
        pytest.skip(f"the human-text precision corpus is not installed: {why}")
    return list(human_text.documents())


def test_no_edit_is_made_to_human_written_portuguese(corpus):
    cleaner = Cleaner()
    allowed = _allowed()
    used = set()
    applied = []
    for doc in corpus:
        r = clean_text(cleaner, doc.text, "po") if doc.source == "po-file" else cleaner.clean(doc.text)
        for e in r.edits:
            key = [k for k, a in enumerate(allowed) if (a["source"], a["doc"], a["rule"], a["before"], a["after"])
                   == (doc.source, doc.doc_id, e.rule_id, e.before, e.after)]
            if key:
                used.update(key)
                continue
            context = doc.text[max(0, e.start - 50):e.end + 50].replace("\n", "⏎")
            applied.append(f"{doc.source} {doc.doc_id} [{e.rule_id}] {e.before!r} → {e.after!r}: …{context}…")
    assert len(corpus) > 100
    assert not applied, f"{len(applied)} edits made to human text:\n" + "\n".join(applied[:40])
    assert used == set(range(len(allowed))), "allow-list entries that no longer match an edit: remove them"
