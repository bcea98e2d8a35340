"""Markdown emphasis broken by machine translation: "** texto **", "palavra** texto**", a lone "**".

Markers are paired per paragraph, in order. A balanced pair gets its inner spaces moved outside;
a marker left without a partner (an odd count) is removed when there is only one, and reported as a
finding when there are more (guessing which one is stray would be unsafe). Code and other
protected spans are never touched (the stage runner drops any edit that overlaps them).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

import regex

from .document import as_document
from .typography import Span, rule



def paragraphs(doc):
    """(start, end) of each paragraph: text between blank lines."""
    return zip(*as_document(doc).paragraphs)


# a run of exactly 2 asterisks / underscores, or exactly one asterisk that is not a list bullet
_MARKERS = {
    "**": regex.compile(r"(?<![*\\])\*\*(?!\*)"),
    "__": regex.compile(r"(?<![_\w\\])__(?!_)|(?<=\w)__(?![_\w])"),
    "*": regex.compile(r"(?<![*\\])(?<!^[ \t]*)\*(?!\*)", regex.MULTILINE),
}


_ARITH = regex.compile(r".*(?:\d|\b\w)[ \t]*\*[ \t]*(?:\d|\w\b)")


def _marker_edits(text: str, a: int, b: int, mk: str) -> list[Span]:
    """Edits for one pair of markers at a (opening) and b (closing)."""
    out = []
    n = len(mk)
    i = a + n
    j = i
    while j < len(text) and text[j] in " \t":
        j += 1
    if j > i:  # "** texto" -> "**texto", keeping a space before the marker
        needs_space = a > 0 and not text[a - 1].isspace() and text[a - 1] not in "([“«\"'"
        if needs_space:
            out.append((a, j, " " + mk))
        else:
            out.append((i, j, ""))
    k = b
    while k > i and text[k - 1] in " \t":
        k -= 1
    if k < b:  # "texto **" -> "texto**", keeping a space after the marker
        after = text[b + n:b + n + 1]
        needs_space = after.isalnum()
        out.append((k, b + n, mk + (" " if needs_space else "")))
    return out


def _lone_marker_edit(text: str, a: int, mk: str) -> Span | None:
    """Remove a marker glued to a word ("Xiaomi**, e"); one between spaces may be an operator."""
    n = len(mk)
    before = text[a - 1:a] if a else ""
    after = text[a + n:a + n + 1]
    if not (before.isalnum() or before in ".!?)»”\"'") and not after.isalnum():
        return None
    if before.isdigit() or after.isdigit():
        return None
    return a, a + n, ""


def _marker_hits(text: str, mk: str, pat) -> list[int]:
    """The matches of ``pat`` (a marker with lookarounds), found from str.find of the marker and
    tried there: the same positions as ``pat.finditer`` without scanning every character."""
    out = []
    i = text.find(mk)
    while i >= 0:
        if pat.match(text, i):
            out.append(i)
            i = text.find(mk, i + len(mk))
        else:
            i = text.find(mk, i + 1)
    return out


def emphasis_pairs(doc, mk: str):
    """(pairs, lone) marker offsets per paragraph, skipping protected spans."""
    text = doc.text
    pat = _MARKERS[mk]
    pairs, lone, ambiguous = [], [], []
    if mk not in text:
        return pairs, lone, ambiguous
    hits = _marker_hits(text, mk, pat)  # only paragraphs with markers are read
    if not hits:
        return pairs, lone, ambiguous
    starts, ends = doc.paragraphs
    protected = doc.protected
    k = 0
    while k < len(hits):
        i = bisect_right(starts, hits[k]) - 1
        if i < 0 or hits[k] >= ends[i]:  # in a blank line between paragraphs
            k += 1
            continue
        lo, hi = starts[i], ends[i]
        j = k
        while j < len(hits) and hits[j] < hi:
            j += 1
        found = [p for p in hits[k:j] if not (protected and protected.overlaps(p, p + len(mk)))]
        k = j
        if mk == "*" and any(_ARITH.match(text, max(0, p - 3), p + 4) for p in found):
            continue  # "2 * 3", "a * b": arithmetic, not emphasis
        if len(found) % 2 == 0:
            pairs += list(zip(found[::2], found[1::2]))
        elif len(found) == 1:
            lone.append(found[0])
        else:
            ambiguous.append((lo, hi))
    return pairs, lone, ambiguous


def _repair(mk: str):
    def find(doc) -> Iterator[Span]:
        """Pair emphasis markers per paragraph; move inner spaces out; drop a lone glued marker."""
        text = doc.text
        pairs, lone, _ = emphasis_pairs(doc, mk)
        for a, b in pairs:
            yield from _marker_edits(text, a, b, mk)
        if mk != "*":  # a lone single asterisk may be a footnote mark or a wildcard
            for a in lone:
                e = _lone_marker_edit(text, a, mk)
                if e:
                    yield e
    return find


rule("markdown-bold", stage="markdown", gates=(re.compile(r"\*\*"),),
     examples=[("**Quais são os benefícios? **\n", "**Quais são os benefícios?**\n"),
               ("** Em abril deste ano. **", "**Em abril deste ano.**"),
               ("da Xiaomi** implantou 12 campos técnicos**, incluindo", "da Xiaomi **implantou 12 campos técnicos**, incluindo"),
               ("a fórmula de IA da Xiaomi**, e a IA", "a fórmula de IA da Xiaomi, e a IA"),
               ("o ** qubit também obteve a qualificação**.", "o **qubit também obteve a qualificação**.")],
     keep=["**negrito** e __também__", "`a ** b`", "2 ** 10 = 1024 em `python`", "***"])(_repair("**"))

rule("markdown-underline-bold", stage="markdown", gates=(re.compile("__"),),
     examples=[("__ texto __ e", "__texto__ e")],
     keep=["a variável __init__ e nome_de_ficheiro", "__negrito__"])(_repair("__"))

rule("markdown-italic", stage="markdown", gates=(re.compile(r"\*"),),
     examples=[("como modelo carregado, * atualização do modelo*, nova", "como modelo carregado, *atualização do modelo*, nova")],
     keep=["* item de lista\n* outro item", "*itálico* correto", "2 * 3 * 4", "nota*"])(_repair("*"))
