"""Alignment of a text with its correction (align.py): line wrapping, a dropped footer, merged
paragraphs and split sentences change which units pair, never the words compared."""
from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanmt
from cleanmt.align import align, align_texts, sentences, tokens, word_diff
from cleanmt.scoring import word_edits

from .conftest import FIXTURES

RAW = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
REF = (FIXTURES / "seed" / "article.ref.txt").read_text(encoding="utf-8")

PARAS = [
    "A empresa anunciou ontem um novo modelo de linguagem. O modelo roda no telefone, sem depender da nuvem, "
    "e responde em português e em inglês.",
    "Segundo o Dr. Silva, diretor do laboratório, a equipe treinou o modelo durante quatro meses. Os testes "
    "mostraram ganhos claros em tarefas de leitura.",
    "O lançamento para o público está previsto para o segundo semestre.",
]
FOOTER = "Curtir\nCompartilhar\nComentar"


def _wrap(paras, width):
    return "\n\n".join(textwrap.fill(p, width, break_on_hyphens=False) for p in paras) + "\n"


def test_units_are_sentences_whatever_the_wrapping():
    flat = "\n\n".join(PARAS)
    for text in (_wrap(PARAS, 30), _wrap(PARAS, 72), flat, "\n".join(PARAS)):
        assert [u.text for u in sentences(text)] == [u.text for u in sentences(flat)]
    units = [u.text for u in sentences(flat)]
    assert len(units) == 5
    assert units[2].startswith("Segundo o Dr. Silva, diretor")  # no stop after an abbreviation


def test_unit_offsets_point_into_the_text():
    text = _wrap(PARAS, 40)
    for u in sentences(text):
        assert " ".join(text[u.start:u.end].split()) == u.text


def test_headings_and_list_items_are_units():
    text = "# Título do texto\nPrimeira frase aqui.\n- item um\n- item dois\n"
    assert [u.text for u in sentences(text)] == ["# Título do texto", "Primeira frase aqui.", "- item um", "- item dois"]


def test_reflow_pairs_every_sentence_one_to_one():
    al = align_texts("\n\n".join(PARAS), _wrap(PARAS, 33))
    assert [(p.a0, p.a1, p.b0, p.b1) for p in al.pairs] == [(k, k + 1, k, k + 1) for k in range(5)]


def test_a_dropped_footer_is_left_unpaired():
    raw = "\n\n".join(PARAS) + "\n\n" + FOOTER + "\n"
    ref = _wrap([p.replace("ontem", "na terça-feira") for p in PARAS], 50)
    al = align_texts(raw, ref)
    assert al.unpaired("b") == []
    assert [al.a_units[k].text for k in al.unpaired("a")] == ["Curtir Compartilhar Comentar"]
    assert all(p.a1 - p.a0 == 1 and p.b1 - p.b0 == 1 for p in al.pairs)
    assert word_edits(raw, ref) == 2 + 3  # "ontem" -> "na terça-feira", and the footer's three words


def test_merged_paragraphs_and_a_split_sentence():
    raw = "\n\n".join(PARAS)
    merged = PARAS[0] + " " + PARAS[1] + "\n\n" + PARAS[2]
    al = align_texts(raw, merged)
    assert al.unpaired("a") == [] and al.unpaired("b") == []
    assert word_edits(raw, merged) == 0
    # one sentence of the raw text is two in the reference: a 1-2 pair
    split = raw.replace("no telefone, sem", "no telefone. Sem")
    al = align_texts(raw, split)
    assert any(p.a1 - p.a0 == 1 and p.b1 - p.b0 == 2 for p in al.pairs)
    assert al.unpaired("a") == [] and al.unpaired("b") == []


def test_unrelated_units_are_not_paired():
    # two units on a side: no forced pairing; a short menu line is no sentence's counterpart
    pairs = align(["Compartilhar", "Menu"], ["Receitas de bolo com fruta e canela, para o lanche.", "Outro assunto."])
    assert pairs == []


def test_word_diff_ignores_case_and_spots_spans():
    a, b = tokens("O Novo painço lançou."), tokens("o novo Xiaomi lançou.")
    spans = word_diff(a, b)
    assert [(a[s.i0].text, b[s.j0].text) for s in spans] == [("painço", "Xiaomi")]
    assert [t.text for t in tokens("a lista C-Eval, versão 5.0.")] == ["a", "lista", "C-Eval", ",", "versão", "5.0", "."]


@pytest.mark.parametrize("width", [40, 70])
def test_a_rewrapped_reference_scores_as_the_unwrapped_one(width):
    ref_paras = REF.split("\n\n")
    rewrapped = "\n\n".join(p if "\n" in p else textwrap.fill(p, width, break_on_hyphens=False) for p in ref_paras)
    one_per_line = "\n".join(ref_paras)  # no blank lines at all: one paragraph per line
    cleaned = cleanmt.clean(RAW).text
    base = cleanmt.score(cleaned, REF, raw=RAW)
    for ref in (rewrapped, one_per_line):
        s = cleanmt.score(cleaned, ref, raw=RAW)
        assert (s.word_edits, s.raw.word_edits) == (base.word_edits, base.raw.word_edits)
        assert (round(s.bleu, 6), round(s.chrf, 6), round(s.ter, 6)) == (
            round(base.bleu, 6), round(base.chrf, 6), round(base.ter, 6))


_VOCAB = ["modelo", "empresa", "telefone", "equipe", "dados", "nuvem", "lançou", "mostrou", "novo", "grande",
          "de", "da", "com", "para", "em", "o", "a", "um", "uma", "ontem", "hoje", "rápido", "sistema"]


@st.composite
def _document(draw):
    paras = []
    for _ in range(draw(st.integers(1, 4))):
        sents = []
        for _ in range(draw(st.integers(1, 4))):
            words = draw(st.lists(st.sampled_from(_VOCAB), min_size=3, max_size=16))
            sents.append(" ".join(words).capitalize() + draw(st.sampled_from([".", "!", "?", ".", ","])))
        paras.append(" ".join(sents).rstrip(",") + ".")
    return paras


@settings(max_examples=int(__import__('os').environ.get('ALIGN_EXAMPLES', 150)), deadline=None)
@given(_document(), st.integers(12, 80), st.booleans(), st.data())
def test_word_edits_do_not_depend_on_how_the_reference_is_wrapped(paras, width, blank_lines, data):
    # the raw text: the same words with about one in ten replaced (what MT and its correction look like)
    raw = "\n\n".join(" ".join("xyz" if data.draw(st.integers(0, 9)) == 9 else w for w in p.split()) for p in paras)
    flat = "\n\n".join(paras)
    sep = "\n\n" if blank_lines else "\n"
    wrapped = sep.join(textwrap.fill(p, width, break_on_hyphens=False) for p in paras)
    if not blank_lines and len(paras) > 1:
        # with no blank line at all, a paragraph ends where a line ends a sentence
        wrapped = "\n\n".join(textwrap.fill(p, width, break_on_hyphens=False) for p in paras)
    assert word_edits(raw, wrapped) == word_edits(raw, flat)
    if "\n\n" in wrapped:  # (in a text without one, a line break before a capital ends a unit)
        assert [u.text for u in sentences(wrapped)] == [u.text for u in sentences(flat)]
