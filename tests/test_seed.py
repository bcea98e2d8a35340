"""The seed article against its reference: error sites fixed, edit distance, chrF."""
from __future__ import annotations

import tomllib

import pytest
import sacrebleu
from rapidfuzz.distance import Levenshtein

from .conftest import FIXTURES

SEED = FIXTURES / "seed"
RAW = (SEED / "article.raw.txt").read_text(encoding="utf-8")
REF = (SEED / "article.ref.txt").read_text(encoding="utf-8")
with open(SEED / "sites.toml", "rb") as f:
    SITES = tomllib.load(f)["site"]


def site_fixed(site: dict, out: str) -> bool:
    if not site["ref"]:
        return site["raw"] not in out
    return site["ref"] in out and out.count(site["raw"]) < RAW.count(site["raw"])


def word_edits(a: str, b: str) -> int:
    return Levenshtein.distance(a.split(), b.split())


def test_sites_rebuild_the_reference_exactly():
    out, pos = [], 0
    for s in SITES:
        i = RAW.find(s["raw"], pos)
        assert i >= 0, s
        out += [RAW[pos:i], s["ref"]]
        pos = i + len(s["raw"])
    assert "".join(out) + RAW[pos:] == REF


@pytest.fixture(scope="module")
def cleaned(cleaner):
    return cleaner.clean(RAW).text


def test_at_least_90_percent_of_term_sites_fixed(cleaned):
    terms = [s for s in SITES if s["kind"] == "term"]
    missed = [s["raw"] for s in terms if not site_fixed(s, cleaned)]
    assert len(terms) >= 50
    assert 1 - len(missed) / len(terms) >= 0.90, missed


def test_word_edit_distance_to_reference_at_least_halved(cleaned):
    before, after = word_edits(RAW, REF), word_edits(cleaned, REF)
    assert before > 0
    assert after <= before / 2, (before, after)


def test_chrf_rises(cleaned):
    raw = sacrebleu.corpus_chrf([RAW], [[REF]]).score
    out = sacrebleu.corpus_chrf([cleaned], [[REF]]).score
    assert out > raw


def test_no_site_is_made_worse(cleaned):
    """Text the reference keeps must survive: every reference snippet still present in the output
    was present in the raw text or is a fix."""
    for s in SITES:
        if s["raw"] in cleaned:
            assert cleaned.count(s["raw"]) <= RAW.count(s["raw"])


def test_the_reference_itself_is_left_alone_by_the_glossary(cleaner):
    """Cleaning the corrected article must not undo or redo corrections (precision)."""
    r = cleaner.clean(REF)
    assert [e.before for e in r.edits if e.stage in ("glossary", "agreement")] == []
