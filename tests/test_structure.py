"""The shape of the engine: one Document per text, one Stage interface, findings about the
cleaned output, modules and classes of a readable size, every package shipped."""
from __future__ import annotations

import ast
import tomllib
from importlib.metadata import EntryPoint

import pytest

import cleanmt
from cleanmt import Cleaner, apply_edits, document, stages
from cleanmt.model import Edit, Finding
from cleanmt.resolve import to_input
from cleanmt.stages import Stage

from .conftest import ROOT

SRC = ROOT / "src" / "cleanmt"


def test_public_api_is_at_most_ten_names():
    assert len(cleanmt.__all__) <= 10
    assert all(hasattr(cleanmt, n) for n in cleanmt.__all__)


def test_no_module_over_500_lines_and_no_class_over_200():
    big_modules = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
                   if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    big_classes = {}
    for p in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 200:
                big_classes[f"{p.name}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert big_modules == {} and big_classes == {}


def test_every_package_is_listed_in_pyproject():
    """A package missing from pyproject installs in editable mode and breaks `pip install .`."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        listed = set(tomllib.load(f)["tool"]["setuptools"]["packages"])
    found = {"cleanmt" + "".join("." + part for part in p.parent.relative_to(SRC).parts)
             for p in SRC.rglob("__init__.py")}
    assert found <= listed
    assert "cleanmt.data" in listed  # the bundled glossaries


def test_the_loop_names_no_stage():
    """pipeline.py runs whatever stages it is given: no stage name appears in its code."""
    tree = ast.parse((SRC / "pipeline.py").read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    strings = {n.value for n in ast.walk(tree)
               if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings}
    assert strings & set(stages.STAGES) == set()


def test_a_clean_derives_paragraph_bounds_once_per_document(monkeypatch):
    """The stages share the Document's paragraph bounds (no stage recomputes them)."""
    c = Cleaner()
    calls = []
    real = document.paragraph_bounds
    monkeypatch.setattr(document, "paragraph_bounds", lambda t: calls.append(t) or real(t))
    text = ("Um texto correto (com parênteses) e “aspas”.\n\n" * 3) + "Outro parágrafo **em negrito**."
    r = c.clean(text)
    assert r.edits == ()
    assert calls == [text]


class Shout(Stage):
    """A third-party stage: upper-cases the word 'atenção'."""

    def propose(self, doc):
        i = doc.text.find("atenção")
        return ([Edit(i, i + 7, "atenção", "ATENÇÃO", "shout", self.name)] if i >= 0 else []), []

    def review(self, doc):
        return [Finding(0, 0, "shout-seen", self.name, "reviewed")] if "ATENÇÃO" in doc.text else []


def test_a_third_party_stage_registered_by_entry_point_runs_where_it_says(monkeypatch):
    ep = EntryPoint(name="shout", value=f"{__name__}:Shout", group="cleanmt.stages")
    monkeypatch.setattr(stages, "_PLUGINS", {"shout": ep})
    c = Cleaner(stages=(*stages.STAGES, "shout"), assume_mt=True)
    assert c.stages.index("shout") == c.stages.index("casing") + 1
    r = c.clean("Uma nota de atenção ,aqui.")
    assert r.text == "Uma nota de ATENÇÃO, aqui."
    assert ("shout", "shout") in {(e.rule_id, e.stage) for e in r.edits}
    assert [f.rule_id for f in r.findings] == ["shout-seen"]  # review reads the cleaned text
    with pytest.raises(ValueError, match="unknown stage"):
        Cleaner(stages=("glossary", "nope"))


# -- findings describe what is still wrong ---------------------------------------------------------

def test_no_finding_about_english_an_edit_replaced(cleaner):
    r = cleaner.clean("A Xiaomi anunciou o modelo.\n\nFonte: Qubit See More")
    assert "Fonte: QbitAI" in r.text
    assert [f for f in r.findings if f.rule_id == "untranslated-english"] == []


def test_no_finding_about_han_punctuation_an_edit_replaced(cleaner):
    r = cleaner.clean("Xiaomi丨A nova Xiaomi lançou um modelo.")
    assert "丨" not in r.text
    assert [f for f in r.findings if f.rule_id == "untranslated-script"] == []


TWO_WAYS = """
[[term]]
id = "hongmeng"
wrong = "Hongmeng"
right = "HarmonyOS"
case = "force"
source = "鸿蒙"
note = "n"
examples = [["o Hongmeng", "o HarmonyOS"]]
keep = ["o HarmonyOS"]

[[term]]
id = "harmonia-os"
wrong = "Harmonia OS"
right = "HarmonyOS"
case = "force"
note = "another garbling of the same name, with no source term"
examples = [["o Harmonia OS", "o HarmonyOS"]]
keep = ["a harmonia"]
"""


def test_no_missing_term_finding_when_an_edit_writes_the_term(tmp_path):
    from .conftest import write

    c = Cleaner([write(tmp_path, "g.toml", TWO_WAYS)])
    r = c.clean("O sistema Harmonia OS da Huawei já roda.", source="华为的鸿蒙系统已经运行。")
    assert r.text == "O sistema HarmonyOS da Huawei já roda."
    assert [f for f in r.findings if f.rule_id == "missing-term"] == []
    r = c.clean("O sistema da Huawei já roda.", source="华为的鸿蒙系统已经运行。")
    assert [f.rule_id for f in r.findings] == ["missing-term"]


def test_findings_in_untouched_text_keep_their_input_offsets():
    text = "O novo painço lançou um modelo. depois cresceu.\n\nO ( parêntese nunca fecha. Fim ,aqui."
    r = Cleaner(assume_mt=True).clean(text)
    assert r.edits and r.text != text
    lower = [f for f in r.findings if f.rule_id == "lowercase-after-stop"]
    assert [text[f.start:f.end] for f in lower] == ["depois"]
    unbalanced = [f for f in r.findings if f.rule_id == "unbalanced"]
    assert [text[f.start:f.end] for f in unbalanced] == ["("]


def test_a_finding_inside_a_replacement_points_at_what_it_replaced():
    text = "aa XX bb"
    edits = [Edit(3, 5, "XX", "Y（Y", "r", "s")]
    out = apply_edits(text, edits)
    f = Finding(out.index("（"), out.index("（") + 1, "k", "s", "m")
    after = Finding(out.index("bb"), out.index("bb") + 2, "k", "s", "m")
    moved = to_input([f, after], edits)
    assert (moved[0].start, moved[0].end) == (3, 5)
    assert text[moved[1].start:moved[1].end] == "bb"
    deleted = [Edit(2, 5, " XX", "", "r", "s")]
    out = apply_edits(text, deleted)  # "aa bb"
    (g,) = to_input([Finding(2, 5, "k", "s", "m")], deleted)  # " bb" in the output
    assert text[g.start:g.end] == " bb"


def test_reviewing_only_the_changed_paragraphs_equals_reviewing_the_whole_output(monkeypatch):
    """Unchanged paragraphs keep the input's findings; only changed ones are reviewed again. The
    same findings as a review of the whole cleaned text (forced by a stage that asks for it)."""
    import random

    from cleanmt import pipeline

    from . import golden

    fast = Cleaner()
    full = Cleaner()
    for stage in full._stages:
        stage.review_by_paragraph = False
    windowed = []
    real = pipeline.findings_on_windows
    monkeypatch.setattr(pipeline, "findings_on_windows", lambda *a: windowed.append(1) or real(*a))
    mutated = [p["text"] for name, how, p in golden.cases() if how == "default" and name.startswith("mutated:")]
    steady = [c["text"] for c in golden._cases("negative")] + [
        "O (parêntese nunca fecha.", "Um **negrito** e outro ** sem par.", "The English sentence stays here "
        "for the language check to see, with the words that make it English.", "Fim. depois continua."]
    rng = random.Random(5)
    for text in mutated[:150]:
        paras = rng.sample(steady, 12)
        paras.insert(rng.randrange(13), text)
        doc = "\n\n".join(paras)
        a, b = fast.clean(doc), full.clean(doc)
        assert (a.text, a.edits, a.findings) == (b.text, b.edits, b.findings), text[:80]
    assert len(windowed) > 50  # the partial review was taken


def test_findings_are_computed_when_first_read_and_once(monkeypatch):
    import pickle

    from cleanmt.stages.checks import ChecksStage

    calls = []
    real = ChecksStage.review
    monkeypatch.setattr(ChecksStage, "review", lambda self, doc: calls.append(1) or real(self, doc))
    c = Cleaner()
    text = "A Xiaomi disse que o novo painço lançou o modelo. depois cresceu ( sem fechar."
    r = c.clean(text)
    assert "a nova Xiaomi" in r.text and calls == []  # the text, without the review
    first = r.findings
    assert calls == [1] and r.findings is first and calls == [1]
    assert {f.rule_id for f in first} >= {"lowercase-after-stop", "unbalanced"}
    again = pickle.loads(pickle.dumps(c.clean(text)))  # a pickled Result carries its findings
    assert again == r and again.findings == first
    with pytest.raises(AttributeError):
        r.text = "x"
