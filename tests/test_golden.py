"""Golden outputs: the engine's text, edits and findings on a fixed corpus, frozen before a
restructuring (see tests/golden.py for what the corpus holds and how to regenerate it)."""
from __future__ import annotations

import pytest

from . import golden


@pytest.fixture(scope="module")
def frozen() -> dict[str, dict]:
    return {r["name"]: r for r in golden.load()}


def test_golden_corpus_is_the_frozen_one(frozen):
    names = [name for name, _, _ in golden.cases()]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(frozen), "the golden corpus changed: regenerate it in a commit saying why"


def test_outputs_are_byte_identical_to_the_frozen_ones(frozen):
    diffs = []
    for name, how, payload in golden.cases():
        got = golden.record(name, golden.run(how, payload))
        want = frozen.get(name)
        if got != want:
            diffs.append(name)
            for key in ("text", "edits", "findings"):
                if want is None or got[key] != want[key]:
                    diffs.append(f"  {key}: got {got[key]!r}\n  want {None if want is None else want[key]!r}")
    assert not diffs, f"{sum(not d.startswith(' ') for d in diffs)} outputs differ:\n" + "\n".join(diffs[:60])
