"""Labelled positive and negative cases, and the invariants every fixture must keep."""
from __future__ import annotations

import pytest

from cleanmt import apply_edits

from .conftest import FIXTURES, load_cases

POSITIVE = load_cases("positive")
NEGATIVE = load_cases("negative")


@pytest.mark.parametrize("case", POSITIVE, ids=[c["id"] for c in POSITIVE])
def test_positive_case(cleaner, case):
    assert cleaner.clean(case["input"]).text == case["expected"]


@pytest.mark.parametrize("case", NEGATIVE, ids=[c["id"] for c in NEGATIVE])
def test_correct_portuguese_is_byte_identical(cleaner, case):
    r = cleaner.clean(case["text"])
    assert r.edits == ()
    assert r.text == case["text"]


def _all_texts():
    for c in POSITIVE:
        yield pytest.param(c["input"], id=f"positive:{c['id']}")
    for c in NEGATIVE:
        yield pytest.param(c["text"], id=f"negative:{c['id']}")
    for p in sorted((FIXTURES / "seed").glob("*.txt")):
        yield pytest.param(p.read_text(encoding="utf-8"), id=f"seed:{p.name}")


@pytest.mark.parametrize("text", list(_all_texts()))
def test_idempotent_and_replayable(cleaner, text):
    r = cleaner.clean(text)
    assert apply_edits(text, r.edits) == r.text
    assert cleaner.clean(r.text).text == r.text
    assert all(a.end <= b.start for a, b in zip(r.edits, r.edits[1:]))
