"""Typography, Markdown, casing rules; boilerplate blocks; findings."""
from __future__ import annotations

import random

import pytest
import regex

from cleanmt import Cleaner, apply_edits
from cleanmt.model import Edit, compose_edits
from cleanmt.typography import RULES

RULE_EXAMPLES = [pytest.param(r.id, i, o, id=f"{r.id}::example{n}") for r in RULES for n, (i, o) in enumerate(r.examples)]
RULE_KEEPS = [pytest.param(r.id, k, id=f"{r.id}::keep{n}") for r in RULES for n, k in enumerate(r.keep)]


class _RulesOnly:
    """The rule stages alone, on text known to be machine translation (in Markdown for the
    Markdown rules): a rule's examples test what it changes, not the evidence it needs."""

    def __init__(self):
        self.c = Cleaner([], stages=("markdown", "typography", "casing"), check_examples=False, assume_mt=True)

    def clean(self, text):
        return self.c.clean(text, format="markdown")


@pytest.fixture(scope="module")
def rules_only():
    return _RulesOnly()


def test_every_rule_has_examples_keep_cases_and_a_docstring():
    assert len(RULES) >= 10
    assert [r.id for r in RULES if not (r.examples and r.keep and r.doc)] == []
    assert len({r.id for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule_id, inp, expected", RULE_EXAMPLES)
def test_rule_example(rules_only, rule_id, inp, expected):
    r = rules_only.clean(inp)
    assert r.text == expected
    assert rule_id in {e.rule_id for e in r.edits}


@pytest.mark.parametrize("rule_id, text", RULE_KEEPS)
def test_rule_keep_case_untouched_by_the_whole_pipeline(cleaner, rule_id, text):
    assert cleaner.clean(text).text == text


def _letters(s: str) -> str:
    return regex.sub(r"[\p{P}\p{S}\s丨｜]", "", s)  # the CJK bar is punctuation in use


@pytest.mark.parametrize("rule_id, inp, expected", [p for p in RULE_EXAMPLES if not p.values[0].startswith("lowercase")])
def test_typography_and_markdown_change_no_letter(rules_only, rule_id, inp, expected):
    r = rules_only.clean(inp)
    assert _letters(r.text) == _letters(inp)


def test_code_and_commands_are_never_touched(cleaner):
    text = (
        "Use `a , b` e:\n\n```sh\nfind . -name '*.txt' -exec rm {} ;\necho \"x\" , y\n```\n\n"
        "    indented . code ,\n\n"
        "find . -name '*.md' -exec wc -l {} ;\n"
        "$ grep -r \"TODO\" . | wc -l\n"
        "Veja https://exemplo.com/a?b=1 , c\n"
    )
    # only the space before the comma after the URL is prose: on machine translation it is fixed,
    # elsewhere it is only suggested
    r = Cleaner(assume_mt=True).clean(text)
    assert [(e.before, e.after) for e in r.edits] == [(" ", "")]
    r = cleaner.clean(text)
    assert r.edits == ()
    assert [(text[f.start:f.end], f.replacement) for f in r.findings if f.suggestion] == [(" ", "")]


def test_boilerplate_block_only_at_the_edge(cleaner):
    footer = "\n\nVer original\n  • Recompensa\n  • Comentário\n  • Compartilhar\nComentário\nSem comentários"
    assert cleaner.clean("Texto final." + footer).text == "Texto final."
    assert cleaner.clean("Texto final." + footer + "\n").text == "Texto final.\n"
    middle = "Início." + footer + "\n\nMais texto depois."
    assert cleaner.clean(middle).text == middle
    prose = "Pediu para ver o original do contrato.\nVer o original do contrato foi útil."
    assert cleaner.clean(prose).text == prose


def test_boilerplate_removal_is_one_explained_edit(cleaner):
    r = cleaner.clean("Fim.\n\nCompartilhar\nComentário\nVer original\n")
    assert r.text == "Fim.\n"
    assert [(e.rule_id, e.stage) for e in r.edits] == [("rodape-interacao", "boilerplate")]


@pytest.mark.parametrize("text, rule_id", [
    ("vários outros campos. no mercado são baseados", "lowercase-after-stop"),
    ("o acúmulo e o acúmulo de energia", "repeated-phrase"),
    ("um parêntese (aberto e nunca fechado.", "unbalanced"),
    ("fecha) sem abrir", "unbalanced"),
    ('ele disse "olá e saiu', "unbalanced"),
    ("um **dois** três** quatro", "markdown-emphasis"),
])
def test_findings(cleaner, text, rule_id):
    r = cleaner.clean(text)
    assert rule_id in {f.rule_id for f in r.findings}
    assert all(f.stage == "checks" for f in r.findings if f.rule_id == rule_id)


@pytest.mark.parametrize("text", [
    "Vários campos. O mercado cresce.", "1) primeiro\n2) segundo", "a) um\nb) dois",
    "um (dois) três", "o iPhone. iPhone é a marca", "o acúmulo de energia e o gasto de energia",
    "Olá :) tudo bem", "ver `f(x` no código",
])
def test_no_false_findings(cleaner, text):
    assert cleaner.clean(text).findings == ()


def test_stage_switches(tmp_path):
    text = "A Xiaomi e o novo painço , hoje."
    assert Cleaner(stages=("glossary",)).clean(text).text == "A Xiaomi e a nova Xiaomi , hoje."
    # alone, the typography stage has no evidence that this is machine translation (the glossary
    # stage's edit was it): the space is only suggested, unless the user says the text is MT
    only = Cleaner(stages=("typography",)).clean(text)
    assert only.text == text and [f.replacement for f in only.findings] == [""]
    assert Cleaner(stages=("typography",), assume_mt=True).clean(text).text == "A Xiaomi e o novo painço, hoje."
    assert Cleaner(disable=["space-before-punctuation"]).clean(text).text == "A Xiaomi e a nova Xiaomi , hoje."
    with pytest.raises(ValueError, match="unknown stage"):
        Cleaner(stages=("spelling",))


def _random_edits(t, rng):
    out, pos = [], 0
    while pos <= len(t):
        if rng.random() < 0.3:
            e = min(len(t), pos + rng.randint(0, 3))
            new = "".join(rng.choice("xyz") for _ in range(rng.randint(0, 3)))
            if not (pos == e and not new):
                out.append(Edit(pos, e, t[pos:e], new, "r", "s"))
            pos = e + 1
        else:
            pos += 1
    return out


def test_compose_edits_equals_applying_both_rounds():
    rng = random.Random(7)
    for _ in range(5000):
        t = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        e1 = _random_edits(t, rng)
        t1 = apply_edits(t, e1)
        e2 = _random_edits(t1, rng)
        c = compose_edits(t, e1, e2)
        assert apply_edits(t, c) == apply_edits(t1, e2)
        assert all(a.end <= b.start and (a.start, a.end) != (b.start, b.end) for a, b in zip(c, c[1:]))
