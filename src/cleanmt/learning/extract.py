"""Word-level corrections found in aligned (raw, reference) pairs, reduced to their core.

An edit span "do novo painço" -> "da nova Xiaomi" is reduced to the noun that changed ("painço" ->
"Xiaomi") and the facts the agreement tables need (the raw article is masculine, the reference's
feminine): articles, contractions and pre-nominal adjectives at the span's left edge, and agreeing
adjectives at its right edge, are the engine's job (``agreement.py``), not the entry's.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..agreement import AgreementTables
from ..align import Aligned, Token, align_texts, fold, sentences, tokens, word_diff
from ..boilerplate import normalize_line

MAX_SPAN = 6  # tokens on either side: a longer edit is a clause rewritten, which does not transfer
CONTEXT = 6  # tokens of context either side of an edit in an example
# function words an editor inserts or drops around a term ("fórmula AI" -> "fórmula de IA"); the
# entry cannot know where they belong, so they are left out of its forms
_FUNCTION = frozenset("de em por para com e ou".split())
# articles an editor adds or drops before a noun: the agreement tables give their gender; a
# contraction (no, da, pelo) carries a preposition and stays in the entry's forms
_ARTICLES = frozenset("o a os as um uma uns umas".split())
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"\w")
_PUNCT = regex.compile(r"[^\w\s-]")


@dataclass(frozen=True)
class Occurrence:
    """One correction seen in one pair: the core wrong -> right, and where it was seen."""

    doc: int
    wrong: str  # the raw core, whitespace folded
    right: str  # the reference core
    wrong_gn: tuple | None  # (gender, number) of the raw article or adjective, if one agreed with it
    right_gn: tuple | None
    agree_after: bool  # an adjective after the noun was re-inflected
    partial: bool  # the editor also inserted or dropped a function word the entry leaves out
    mid_sentence: bool  # the wrong form does not start its sentence (its capitals are its own)
    example: tuple[str, str]  # (raw window, the same window with only this correction made)
    sentence: str  # the raw sentence(s), for evidence words
    order: int  # position in the document, for stable ordering
    word_before: str = ""  # the raw words right before and after the core ("" at an edge)
    word_after: str = ""


@dataclass(frozen=True)
class Block:
    """Lines at a document's edge that the reference dropped whole (a scraper footer or header)."""

    doc: int
    where: str  # "start" | "end"
    lines: tuple[str, ...]
    example: tuple[str, str]


def _rows_of(tables: AgreementTables, word: str):
    return tables.index.get(word.casefold(), ())


def _same_lemma(tables: AgreementTables, a: str, b: str):
    """((g, n) of a, (g, n) of b) when a and b are forms of one determiner or adjective row."""
    ra, rb = _rows_of(tables, a), _rows_of(tables, b)
    for r, g, n in ra:
        for r2, g2, n2 in rb:
            if r == r2:
                return (g, n), (g2, n2)
    return None


def _stem(w: str) -> str:
    w = w.casefold()
    if w.endswith("s"):
        w = w[:-1]
    return w[:-1] if w.endswith(("o", "a")) else w


def _post_inflection(tables: AgreementTables, a: str, b: str) -> bool:
    """a and b are one adjective in two genders or numbers (técnico / técnica)."""
    if _same_lemma(tables, a, b):
        return True
    return a.isalpha() and b.isalpha() and len(a) > 3 and _stem(a) == _stem(b) and a.casefold() != b.casefold()


def _strip(tables: AgreementTables, R: list[Token], F: list[Token]):
    """The core of a span, and what was stripped from it."""
    wrong_gn = right_gn = None
    partial = agree_after = False
    while R and not _WORD.search(R[0].text):
        R = R[1:]
    while F and not _WORD.search(F[0].text):
        F = F[1:]
    while R and not _WORD.search(R[-1].text):
        R = R[:-1]
    while F and not _WORD.search(F[-1].text):
        F = F[:-1]
    while R and F and (len(R) > 1 or len(F) > 1):
        ra, rb = _rows_of(tables, R[0].text), _rows_of(tables, F[0].text)
        if len(R) > 1 and len(F) > 1 and ra and rb:  # do novo -> da nova, a -> à
            same = _same_lemma(tables, R[0].text, F[0].text)
            wrong_gn, right_gn = same if same else (ra[0][1:], rb[0][1:])
            R, F = R[1:], F[1:]
        elif len(F) > 1 and F[0].text.casefold() in _ARTICLES and rb and not ra:
            right_gn = rb[0][1:]  # an article the editor added
            F = F[1:]
        elif len(R) > 1 and R[0].text.casefold() in _ARTICLES and ra and not rb:
            wrong_gn = ra[0][1:]
            R = R[1:]
        elif len(F) > 1 and F[0].text.casefold() in _FUNCTION:
            F, partial = F[1:], True
        else:
            break
    while len(R) > 1 and len(F) > 1 and _post_inflection(tables, R[-1].text, F[-1].text):
        R, F, agree_after = R[:-1], F[:-1], True
    return R, F, wrong_gn, right_gn, partial, agree_after


def _agreement_only(tables: AgreementTables, R: list[Token], F: list[Token]) -> bool:
    """Only function words or re-inflected agreeing words changed (de -> da, novo -> nova)."""
    if " ".join(t.text for t in R).casefold() == " ".join(t.text for t in F).casefold():
        return True
    if len(R) != len(F):
        return all(_rows_of(tables, t.text) or t.text.casefold() in _FUNCTION for t in R)
    return all(_rows_of(tables, a.text) or a.text.casefold() in _FUNCTION or _post_inflection(tables, a.text, b.text)
               for a, b in zip(R, F))


def _window(text: str, toks: list[Token], i0: int, i1: int) -> tuple[int, int]:
    """Character bounds of tokens [i0 - CONTEXT, i1 + CONTEXT) within their unit."""
    lo, hi = max(0, i0 - CONTEXT), min(len(toks), i1 + CONTEXT)
    return toks[lo].start, toks[hi - 1].end


def occurrences(doc: int, raw: str, ref: str, tables: AgreementTables, aligned: Aligned | None = None):
    """Every correction of ``raw`` that ``ref`` shows, reduced to its core."""
    al = aligned or align_texts(raw, ref)
    out: list[Occurrence] = []
    for p in al.pairs:
        a_lo, a_hi = al.a_units[p.a0].start, al.a_units[p.a1 - 1].end
        b_lo, b_hi = al.b_units[p.b0].start, al.b_units[p.b1 - 1].end
        A, B = tokens(raw, a_lo, a_hi), tokens(ref, b_lo, b_hi)
        if not A or not B:
            continue
        sentence = fold(raw[a_lo:a_hi])
        for s in word_diff(A, B):
            i1, j1 = s.i1, s.j1
            # a name that goes on past the edit: "pequeno colega de classe Ai" -> "Xiao Ai"
            while (i1 < len(A) and j1 < len(B) and j1 > s.j0 and A[i1].text == B[j1].text
                   and A[i1].text[:1].isupper() and B[j1 - 1].text[:1].isupper() and i1 - s.i0 < MAX_SPAN):
                i1, j1 = i1 + 1, j1 + 1
            R, F = A[s.i0:i1], B[s.j0:j1]
            if not R or not F or len(R) > MAX_SPAN or len(F) > MAX_SPAN:
                continue
            core_r, core_f, wgn, rgn, partial, after = _strip(tables, R, F)
            if not core_r or not core_f:
                continue  # agreement alone, an insertion or a deletion: nothing to name
            wrong, right = fold(raw[core_r[0].start:core_r[-1].end]), fold(ref[core_f[0].start:core_f[-1].end])
            if _PUNCT.search(wrong) or _PUNCT.search(right) or _agreement_only(tables, core_r, core_f):
                continue
            if f" {wrong.casefold()} " in f" {right.casefold()} ":
                continue  # the right form holds the wrong one: an insertion next to it, misaligned
            w0, w1 = _window(raw, A, s.i0, i1)
            ex_in = fold(raw[w0:w1])
            ex_out = fold(raw[w0:R[0].start] + ref[F[0].start:F[-1].end] + raw[R[-1].end:w1])
            k0, k1 = A.index(core_r[0]), A.index(core_r[-1])
            out.append(Occurrence(doc, wrong, right, wgn, rgn, after, partial, k0 > 0, (ex_in, ex_out), sentence,
                                  core_r[0].start, A[k0 - 1].text if k0 > 0 else "",
                                  A[k1 + 1].text if k1 + 1 < len(A) else ""))
    return out


def _edge_lines(raw: str, ref_lines: set[str], reverse: bool) -> list[str]:
    lines = raw.split("\n")
    if reverse:
        lines = lines[::-1]
    run: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        norm = normalize_line(line)
        if not norm or norm in ref_lines or len(norm.split()) > 5 or not _LETTER.search(norm):
            break
        run.append(line.strip())
    return run[::-1] if reverse else run


def blocks(doc: int, raw: str, ref: str) -> list[Block]:
    """Short lines at the start or end of ``raw`` that ``ref`` dropped, two or more of them."""
    ref_lines = {normalize_line(x) for x in ref.split("\n")}
    out = []
    for where, reverse in (("start", False), ("end", True)):
        run = _edge_lines(raw, ref_lines, reverse)
        if len({normalize_line(x) for x in run}) < 2:
            continue
        units = sentences(ref)
        if not units:
            continue
        edge = units[-1].text if where == "end" else units[0].text
        if len(edge) > 100:  # a few words of it are enough to show the block is at the edge
            edge = " ".join(edge.split()[-8:] if where == "end" else edge.split()[:8])
        if where == "end":
            example = (edge + "\n\n" + "\n".join(run) + "\n", edge + "\n")
        else:
            example = ("\n".join(run) + "\n\n" + edge + "\n", edge + "\n")
        out.append(Block(doc, where, tuple(run), example))
    return out



