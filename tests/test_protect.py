"""The lazily computed protected spans answer exactly like spans computed over the whole text."""
from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cleanmt import protect, protect_kinds

ROOT = Path(__file__).resolve().parent.parent


def eager(text: str):
    """Every kind over the whole text, one finditer per kind, merged (the definition)."""
    spans = [sp for name, p, _ in protect_kinds._PASSES for sp in protect_kinds._pass_spans(name, p, text)]
    spans += protect_kinds._anchored_spans(text)
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


# ... and characters where Python and the regex module disagree on what a space is (U+001C-U+001F),
# a tag across a blank line, emoticons, a path, an e-mail address glued to a word
FREE_PIECES = PIECES + ["\x1c", "\x1f", "\x85", "\u2003", "|", "~", "8)", "=P", "^_^", "<3", "xD", "<a\n\nb>",
                        "www.://", "a@b.pt", "../a", "Dr.", "p.", "...", "palavra", "9", "D"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(FREE_PIECES), max_size=25), st.randoms(use_true_random=False))
def test_a_span_judged_free_without_computing_touches_no_span(pieces, rnd):
    """The shortcut of dense text (a paragraph's spans not computed) is a sound necessary
    condition: every span it calls free touches none of the spans the paragraph has."""
    text = "".join(pieces)
    p, computed = protect.Protected(text), protect.Protected(text)
    for a in range(len(text)):
        b = min(len(text), a + rnd.randint(1, 8))
        k = bisect_right(p._ps, a) - 1
        if k < 0 or b > p._pe[k] or (k + 1 < len(p._ps) and p._ps[k + 1] <= b):
            continue
        if p._surely_free(k, a, b):
            ss, ee = computed._para(k)
            i = bisect_left(ss, b) - 1
            assert not (i >= 0 and ee[i] > a), (text, a, b)


def test_the_shortcut_reads_spaces_as_the_patterns_do():
    # U+001C is a space to str.isspace, not to the regex module: the URL runs on through it
    for text in ("ver www.exemplo.pt\x1c|caminho agora", "ver https://x.pt/a\x1fb|c agora"):
        at = text.index("|")
        p = protect.Protected(text)
        assert not p._surely_free(0, at, at + 1)
        assert p.overlaps(at, at + 1)


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


def test_an_address_that_starts_with_www_is_protected(tmp_path):
    """"www." needs no scheme before it (it was left unprotected: a glossary word inside it was
    replaced)."""
    text = "Veja www.painço.com.cn ou https://painço.com e o painço."
    p = protect.Protected(text)
    at = text.index("painço")
    assert p.overlaps(at, at + 6) and p.overlaps(text.index("painço", at + 1), text.index("painço", at + 1) + 6)
    assert not protect.Protected("o www. e a www").overlaps(2, 5)  # the word alone is no address
    tsv = tmp_path / "g.tsv"
    tsv.write_text("painço\tXiaomi\n", encoding="utf-8")
    import cleanmt
    out = cleanmt.Cleaner([tsv], check_examples=False).clean(text).text
    assert out == "Veja www.painço.com.cn ou https://painço.com e o Xiaomi."


def test_the_space_set_is_the_space_test():
    chars = (chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert {c for c in chars if protect._space(c)} == protect._SPACES


# words as glossary hits meet them: between spaces, after a bracket or a quote, before one or two
# marks; next to numbers, addresses, abbreviations and code
WORD_PIECES = FREE_PIECES + [" palavra ", "(palavra", "palavra.", "palavra,", "palavra).", "«palavra»", "*palavra*",
                             " Dr", " www", "etc", "xD ", "x", "3", "palavra:", "palavra…", " p", ". ex.", "\"",
                             "palavra.\n\n", "palavra;", "a.b", "—"]


def _word_spans(text: str, rnd) -> list[tuple[int, int]]:
    """Every run of word characters and every pair of them (as multiword terms), in text order,
    and a few arbitrary spans."""
    words = [m.span() for m in __import__("re").finditer(r"\w+", text)]
    spans = words + [(a, d) for (a, _), (_, d) in zip(words, words[1:])]
    spans += [(a, min(len(text), a + rnd.randint(1, 6))) for a in rnd.sample(range(len(text)), min(5, len(text)))]
    return sorted(sp for sp in spans if sp[0] < sp[1])


@settings(max_examples=2500, deadline=None)
@given(st.lists(st.sampled_from(WORD_PIECES), max_size=30), st.randoms(use_true_random=False), st.booleans())
def test_the_bulk_answer_is_the_overlap_test(pieces, rnd, sparse):
    """``free`` answers ``not overlaps`` for every span, with the far-reaching kinds found per
    paragraph (few spans) or over the whole text (many)."""
    text = "".join(pieces)
    spans = _word_spans(text, rnd)
    if sparse:
        spans = spans[:1]
    exact = protect.Protected(text)
    assert protect.Protected(text).free(spans) == [not exact.overlaps(s, e) for s, e in spans], text


def test_the_bulk_answer_is_the_overlap_test_on_the_fixtures():
    rng = random.Random(5)
    for path in sorted((ROOT / "fixtures").glob("*/*.*")):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        spans = _word_spans(text, rng)
        exact = protect.Protected(text)
        assert protect.Protected(text).free(spans) == [not exact.overlaps(s, e) for s, e in spans], path


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(FREE_PIECES + ["$ ", "\n$ x", " -x", "\t--y", "%", "PS> a", ">>> 2", "]", "<", "`"]),
                max_size=30))
def test_far_reaching_paragraphs_found_over_the_whole_text(pieces):
    text = "".join(pieces)
    ps, pe = protect.paragraph_bounds(text)
    assert protect._far_paragraphs(text, ps, pe) == {k for k in range(len(ps)) if protect._far_reaching(text, ps[k], pe[k])}


def test_the_bulk_answer_decides_most_words_of_prose_without_asking():
    """In prose with numbers and sentence marks, most words are answered without the
    paragraph's spans or the per-span test."""
    paras = [f"O gato ({i}) de Ana viu o cão, e o «cão» fugiu… Depois voltou: bem. Custa 3,5 euros." for i in range(40)]
    text = "\n\n".join(paras)
    spans = [m.span() for m in __import__("re").finditer(r"[^\W\d]+", text)]
    p = protect.Protected(text)
    assert all(p.free(spans))
    assert not p._local  # no paragraph's spans were computed
