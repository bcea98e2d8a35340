"""Properties over generated text: edits replay exactly, never overlap, and cleaning is stable."""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanmt import apply_edits

PIECES = [
    "o novo painço", "Na cena do telefone", "muitas cenas", "o pouso acelerado", "AI", "IA",
    "colega de classe Xiaoai", "pequeno colega\nde classe Ai", "de ponta a ponta", "modelos",
    "C-autoritária", "`painço`", "https://painco.example/cena", "```\npainço\n```\n", "Xiaomi",
    "Lei Jun", "layout", "longboard", "o", "a", "do", "da", " ", "  ", "\n", "\n\n", ".", ",",
    "ç", "\u0327", "\u200b", "\u200f", "😀", "İ", "ß", "PAINÇO", "Painço", "-", "ponta", "cena",
]
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40
).map("".join)


def _check(cleaner, text):
    r = cleaner.clean(text)
    assert apply_edits(text, r.edits) == r.text
    pos = 0
    for e in r.edits:
        assert 0 <= pos <= e.start <= e.end <= len(text)
        assert text[e.start:e.end] == e.before
        pos = e.end
    assert cleaner.clean(r.text).text == r.text


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_replay_bounds_and_idempotence(cleaner, text):
    _check(cleaner, text)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts)
def test_decomposed_text_keeps_offsets(cleaner, text):
    _check(cleaner, unicodedata.normalize("NFD", text))
