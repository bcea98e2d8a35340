"""The lazily computed protected spans answer exactly like spans computed over the whole text."""
from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cleanmt import protect

ROOT = Path(__file__).resolve().parent.parent


def eager(text: str):
    """Every kind over the whole text, one finditer per kind, merged (the definition)."""
    spans = [sp for name, p, _ in protect._PASSES for sp in protect._pass_spans(name, p, text)]
    spans += protect._anchored_spans(text)
    return protect._merge(spans)


def eager_overlaps(ss, ee, start, end):
    if start == end:
        i = bisect_right(ss, start - 1) - 1
        return i >= 0 and ee[i] > start
    i = bisect_left(ss, end) - 1
    return i >= 0 and ee[i] > start


def check(text: str, queries) -> None:
    ss, ee = eager(text)
    lazy = protect.Protected(text)
    for s, e in queries:
        assert lazy.overlaps(s, e) == eager_overlaps(ss, ee, s, e), (text, s, e)
    assert list(protect.Protected(text)) == list(zip(ss, ee))


PIECES = ["`x`", "```\nco de\n\n```", "~~~", "    indentado", "\t", "\n", "\n\n", " ", "palavra", "1.5", "3,2 GB",
          "https://ex.org/a(b)", "www.Site.pt", "a@b.pt", "/usr/bin", "~/a", "C:\\x", "nota.txt", "--force", "-x",
          "$ ls", ">>> 1", "...", "…", "(...)", ":)", " :-(", "<b>", "<!--\n\nc-->", "](http://x)", "[a]: x",
          "U.S.A.", "etc.", "p. ex.", "Dr.", "---\na: 1\n---\n", "e", ",", ".",
          # every abbreviation (and case variants): the per-kind gates must let them all through
          *"Dra. SRA. Srta. Prof. Profa. Eng. Av. vol. cf. aprox. Séc. tel. fig. cap. art. máx. Jr. Ltda. Inc. "
           "Corp. vs. i.e. E.G. n.º nº. S.A. págs. pág. ex. p.ex. A.B. X.y. a.MD b.Py .txt".split()]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.randoms(use_true_random=False))
def test_lazy_equals_eager_on_generated_texts(pieces, rnd):
    text = "".join(pieces)
    queries = [(a, a + rnd.randint(0, 6)) for a in range(0, len(text) + 1)]
    check(text, [(s, min(e, len(text))) for s, e in queries])


def test_lazy_equals_eager_on_the_fixtures():
    rng = random.Random(3)
    for path in sorted((ROOT / "fixtures").glob("*/*.*")):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        queries = [(s, s + rng.randint(0, 8)) for s in (rng.randrange(len(text)) for _ in range(400))]
        check(text, [(s, min(e, len(text))) for s, e in queries])


def test_untouched_paragraphs_are_not_computed():
    text = "\n\n".join(f"Parágrafo {i} com `código` e https://x.org/{i}." for i in range(200))
    p = protect.Protected(text)
    at = text.index("código", len(text) // 2)
    assert p.overlaps(at, at + 3)
    assert len(p._local) == 1


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.randoms(use_true_random=False))
def test_a_span_judged_free_without_computing_touches_no_span(pieces, rnd):
    """The shortcut of dense text (no paragraph computed) is a sound necessary condition: every
    span it calls free touches no protected span, whatever else was asked before."""
    text = "".join(pieces)
    ss, ee = eager(text)
    p = protect.Protected(text)
    for a in range(len(text)):
        b = min(len(text), a + rnd.randint(1, 8))
        k = bisect_right(p._ps, a) - 1
        if k < 0 or b > p._pe[k] or (k + 1 < len(p._ps) and p._ps[k + 1] <= b):
            continue
        if p._surely_free(k, a, b) and not p.has_global(a, b):  # (the global kinds are asked apart)
            assert not eager_overlaps(ss, ee, a, b), (text, a, b)


def test_the_shortcut_answers_most_questions_in_prose():
    names = ["Ana", "Rui", "Eva", "Zé", "Lia"]
    paras = [f"O gato de {names[i % 5]} viu o cão no jardim, e o cão fugiu… Depois voltou: bem." for i in range(50)]
    paras[7] += " Veja https://exemplo.pt/gato agora."
    text = "\n\n".join(paras)
    p = protect.Protected(text)
    url = text.index("https://")
    url = (url, text.index(" ", url))
    for m in __import__("re").finditer(r"\w+", text):
        assert p.overlaps(*m.span()) == (url[0] <= m.start() < url[1]), m
    assert list(p._local) == [7]  # the other paragraphs' spans were never computed
