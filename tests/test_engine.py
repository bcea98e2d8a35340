"""Engine behaviour on small glossaries written for each test."""
from __future__ import annotations

import pickle
import unicodedata

import pytest

import cleanmt
from cleanmt import Cleaner, Edit, GlossaryError, apply_edits, load_glossary

from .conftest import write

BASIC = """
[glossary]
trigger = ["Xiaomi"]

[[term]]
id = "painco"
wrong = "painço"
right = "Xiaomi"
gender = "m"
right-gender = "f"
note = "teste"
examples = [["o painço", "a Xiaomi"]]
keep = ["o painçoal"]

[[term]]
id = "qbit"
wrong = "qubit"
right = "QbitAI"
case = "force"
note = "teste"
examples = [["qubit", "QbitAI"]]
keep = ["qubits"]

[[term]]
id = "colega"
wrong = ["colega de classe Xiaoai"]
right = "Xiao Ai"
case = "force"
note = "teste"
examples = [["o colega de classe Xiaoai", "o Xiao Ai"]]
keep = ["o colega de classe"]

[[term]]
id = "xiaoai"
wrong = "Xiaoai"
right = "Xiao Ai"
case = "force"
source = "小爱"
note = "teste"
examples = [["Xiaoai", "Xiao Ai"]]
keep = ["Xiao Ai"]
"""


@pytest.fixture
def basic(tmp_path):
    return Cleaner([write(tmp_path, "basic.toml", BASIC)])


def run(c, text):
    r = c.clean(text)
    assert apply_edits(text, r.edits) == r.text
    return r.text


@pytest.mark.parametrize("text, expected", [
    ("A Xiaomi e o painço.", "A Xiaomi e a Xiaomi."),
    ("Xiaomi: Painço lança", "Xiaomi: Xiaomi lança"),
    ("XIAOMI: O PAINÇO", "XIAOMI: A XIAOMI"),
    ("Xiaomi e o qubit, o Qubit, o QUBIT", "Xiaomi e o QbitAI, o QbitAI, o QbitAI"),
])
def test_case_shape_is_carried_over_unless_forced(basic, text, expected):
    assert run(basic, text) == expected


@pytest.mark.parametrize("text", [
    "Xiaomi: o painçoal", "Xiaomi: o supainço", "Xiaomi: painço-miúdo", "Xiaomi: o painço_x",
    "Xiaomi: 3painço", "Xiaomi: qubits",
])
def test_unicode_word_boundaries(basic, text):
    assert run(basic, text) == text


def test_accented_letters_are_word_characters(basic):
    # "ç" and "ã" inside words must not be seen as boundaries
    assert run(basic, "Xiaomi: painçoão e painço.") == "Xiaomi: painçoão e Xiaomi."


def test_leftmost_longest(basic):
    assert run(basic, "Xiaomi: o colega de classe Xiaoai e Xiaoai") == "Xiaomi: o Xiao Ai e Xiao Ai"


def test_multiword_term_across_spaces_and_a_hard_wrap(basic):
    assert run(basic, "Xiaomi: o colega  de\nclasse Xiaoai") == "Xiaomi: o Xiao\nAi"


def test_paragraph_break_does_not_join_a_term(basic):
    text = "Xiaomi: o colega de\n\nclasse Xiaoai"
    assert run(basic, text) == "Xiaomi: o colega de\n\nclasse Xiao Ai"


def test_document_trigger(basic):
    assert run(basic, "o painço é bom") == "o painço é bom"
    assert run(basic, "o painço da Xiaomi") == "a Xiaomi da Xiaomi"


def test_decomposed_input_is_matched_with_exact_offsets(basic):
    text = unicodedata.normalize("NFD", "Xiaomi: do painço.")
    r = basic.clean(text)
    assert r.text == "Xiaomi: da Xiaomi."
    assert [e.before for e in r.edits] == ["do", unicodedata.normalize("NFD", "painço")]


def test_length_changing_lowercase_does_not_shift_offsets(basic):
    text = "Xiaomi İİİ o painço"
    assert run(basic, text) == "Xiaomi İİİ a Xiaomi"


def test_protected_spans_are_never_edited(basic):
    text = "Xiaomi `painço` e https://x.org/painço e\n\n    painço\n\ne o painço"
    assert run(basic, text) == "Xiaomi `painço` e https://x.org/painço e\n\n    painço\n\ne a Xiaomi"


def test_source_gates_entries_with_a_source_term(basic):
    text = "Xiaomi: Xiaoai"
    assert basic.clean(text, source="小米的小爱同学").text == "Xiaomi: Xiao Ai"
    assert basic.clean(text, source="别的东西").text == text
    assert basic.clean(text).text == "Xiaomi: Xiao Ai"


def test_disable_by_id(tmp_path):
    c = Cleaner([write(tmp_path, "b.toml", BASIC)], disable=["qbit"])
    assert c.clean("Xiaomi qubit painço").text == "Xiaomi qubit Xiaomi"
    with pytest.raises(GlossaryError, match="no-such-id"):
        Cleaner([write(tmp_path, "c.toml", BASIC)], disable=["no-such-id"])


def test_edits_are_ordered_non_overlapping_and_explained(basic):
    text = "Xiaomi: do novo painço e do colega de classe Xiaoai; qubit."
    r = basic.clean(text)
    assert r.text == "Xiaomi: da nova Xiaomi e do Xiao Ai; QbitAI."
    ends = 0
    for e in r.edits:
        assert isinstance(e, Edit) and e.start >= ends and text[e.start:e.end] == e.before
        ends = e.end
    assert {(e.rule_id, e.stage) for e in r.edits} == {
        ("painco", "agreement"), ("painco", "glossary"), ("colega", "glossary"), ("qbit", "glossary")}


def test_apply_edits_refuses_edits_that_do_not_fit():
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(0, 1, "x", "y", "r", "s")])
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(1, 2, "b", "", "r", "s"), Edit(0, 1, "a", "", "r", "s")])


def test_cleaner_pickles_and_behaves_the_same(basic):
    text = "Xiaomi: o novo painço e Xiaoai"
    again = pickle.loads(pickle.dumps(basic))
    assert again.clean(text) == basic.clean(text)
    bundled = pickle.loads(pickle.dumps(Cleaner()))
    assert bundled.clean("Xiaomi: do novo painço").text == "Xiaomi: da nova Xiaomi"


def test_tsv_and_csv_glossaries(tmp_path):
    tsv = write(tmp_path, "mine.tsv", "# wrong\tright\nmáquina de lavar louça\tlava-louça\nmodelo grande\tgrande modelo\n")
    csv = write(tmp_path, "mine.csv", "\ufeffpequeno amor,Xiao Ai\n")
    c = Cleaner([tsv, csv])
    assert c.clean("A Máquina de lavar louça e o modelo grande; pequeno amor.").text == (
        "A Lava-louça e o grande modelo; Xiao Ai.")
    bad = write(tmp_path, "bad.tsv", "só uma coluna\n")
    with pytest.raises(GlossaryError, match=r"bad\.tsv.*line 1"):
        Cleaner([bad])


def test_user_glossary_without_agreement_tables_still_gets_agreement(tmp_path):
    g = write(tmp_path, "g.toml", """
[[term]]
id = "cena"
wrong = "cena"
right = "cenário"
inflect = true
gender = "f"
right-gender = "m"
note = "n"
examples = [["muitas cenas", "muitos cenários"]]
keep = ["o cenário"]
""")
    assert Cleaner([g]).clean("Na cena do telefone, muitas cenas.").text == "No cenário do telefone, muitos cenários."


@pytest.mark.parametrize("text, expected", [
    ("do novo painço", "da nova Xiaomi"),
    ("Na cena do telefone", "No cenário do telefone"),
    ("muitas cenas", "muitos cenários"),
    ("o pouso acelerado", "a implementação acelerada"),
    ("todas estas cenas típicas", "todos estes cenários típicos"),
    ("o AI Four Tigers doméstico", "os Quatro Tigres da IA domésticos"),
])
def test_agreement_examples_from_the_issue(eager_cleaner, text, expected):
    assert eager_cleaner.clean(text).text == expected


def test_agreement_leaves_a_preposition_alone(eager_cleaner):
    # "a" here is a preposition: it does not agree with the masculine "painço", so it stays
    assert eager_cleaner.clean("ele voltou a painço").text == "ele voltou a Xiaomi"


def test_findings_report_partially_overlapping_matches(tmp_path):
    g = write(tmp_path, "g.toml", """
[[term]]
id = "ab"
wrong = "alfa beta"
right = "AB"
note = "n"
examples = [["alfa beta", "AB"]]
keep = ["alfa"]

[[term]]
id = "bc"
wrong = "beta gama"
right = "BG"
note = "n"
examples = [["beta gama", "BG"]]
keep = ["gama"]
""")
    r = Cleaner([g]).clean("alfa beta gama")
    assert r.text == "AB gama"
    assert [(f.rule_id, f.stage) for f in r.findings] == [("bc", "glossary")]
    assert "overlaps ab" in r.findings[0].message


def test_clean_function_caches_by_paths(tmp_path):
    p = write(tmp_path, "b.toml", BASIC)
    assert cleanmt.clean("Xiaomi painço", glossaries=[p]).text == "Xiaomi Xiaomi"
    assert cleanmt.clean("Xiaomi painço", glossaries=[str(p)]).text == "Xiaomi Xiaomi"
    assert cleanmt.clean("Xiaomi painço", glossaries=[load_glossary(p)]).text == "Xiaomi Xiaomi"


def test_clean_rejects_bytes():
    with pytest.raises(TypeError):
        cleanmt.clean("painço".encode())
