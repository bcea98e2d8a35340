"""Fuzzing with hypothesis: the glossary loader only ever returns a glossary or raises
GlossaryError; clean() never raises on any text and its edits always replay. A longer run:
FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py"""
from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanmt import Cleaner, GlossaryError, apply_edits, load_glossary
from cleanmt.glossary import TERM_KEYS, PATTERN_KEYS

N = int(os.environ.get("FUZZ_EXAMPLES", "500"))
KEYS = sorted(TERM_KEYS | PATTERN_KEYS) + ["bogus", "wrong-gendr"]
scalars = st.one_of(st.text(max_size=12), st.integers(-5, 5), st.booleans(),
                    st.sampled_from(["m", "f", "s", "p", "force", "keep", "(", "[a-", "\\\\1", "painço"]))
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.lists(st.lists(st.text(max_size=8), max_size=3), max_size=2))


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    return "[" + ", ".join(_toml(x) for x in v) + "]"


entries = st.lists(st.tuples(st.sampled_from(["term", "pattern", "block", "junk"]),
                             st.dictionaries(st.sampled_from(KEYS), values, max_size=8)), max_size=4)


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries, st.text(max_size=30))
def test_loader_returns_a_glossary_or_a_glossary_error(tmp_path_factory, items, garbage):
    d = tmp_path_factory.mktemp("fuzz")
    body = "".join(f"\n[[{kind}]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in fields.items())
                   for kind, fields in items)
    for text in (body, body + garbage):
        p = d / "g.toml"
        p.write_text(text, encoding="utf-8")
        try:
            g = load_glossary(p)
            Cleaner([g])
        except GlossaryError:
            pass


@settings(max_examples=N * 4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=300))
def test_clean_never_fails_on_any_text(cleaner, text):
    r = cleaner.clean(text)
    assert apply_edits(text, r.edits) == r.text
    assert cleaner.clean(r.text).text == r.text
