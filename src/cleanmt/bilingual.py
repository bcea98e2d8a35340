"""Bilingual mode: the source text (Chinese, usually) aligned paragraph by paragraph with the
translation, so that an entry tied to a source term fires only where the source has that term,
and so that terms and numbers the source has but the translation lost can be reported."""
from __future__ import annotations

from bisect import bisect_right

import regex

from .model import Finding

STAGE = "bilingual"
_BLANK = regex.compile(r"\n[ \t]*\n")
_ANCHOR = regex.compile(r"\d+(?:[.,]\d+)*|[A-Za-z][A-Za-z0-9+-]+")
# A number with its scale word. Chinese counts in 万 (10^4) and 亿 (10^8), possibly with a
# multiplier (千万 = 10^7, 万亿 = 10^12); Portuguese in mil / milhão / bilhão, and pt-PT says "mil
# milhões" for 10^9. The Portuguese words are tried longest first and must end a word: "mil" is
# the start of "milhões" ("900 milhões" is not 900 mil).
_ZH_UNIT = r"[十百千]?万亿|[十百千]?[万亿]|千"
_PT_UNIT = (r"mil\s+mil(?:hões|hão)|mil(?:hões|hão)|bilhões|bilhão|biliões|bilião|trilhões|trilhão|"
            r"triliões|trilião|mil")
_NUMBER = regex.compile(r"(?<![\d.,])(\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+)(?:([.,])(\d+))?(?!\d)"
                        rf"(?:\s*({_ZH_UNIT})|[\s\u00a0]*({_PT_UNIT})(?!\w))?")
_ZH_SCALE = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}
# pt-PT "bilião" is 10^12 (long scale) where pt-BR "bilhão" is 10^9, but pt-PT writers and MT
# often use "biliões" for the English billion: both readings are taken.
_PT_SCALES = {"mil": (1e3,), "milhão": (1e6,), "milhões": (1e6,), "bilhão": (1e9,), "bilhões": (1e9,),
              "bilião": (1e9, 1e12), "biliões": (1e9, 1e12), "trilhão": (1e12,), "trilhões": (1e12,),
              "trilião": (1e12, 1e18), "triliões": (1e12, 1e18)}


def _scales(zh_unit: str | None, pt_unit: str | None) -> tuple[float, ...]:
    if zh_unit:
        f = 1.0
        for ch in zh_unit:
            f *= _ZH_SCALE[ch]
        return (f,)
    if pt_unit:
        words = pt_unit.split()
        if len(words) == 2:  # "mil milhões": a thousand million
            return tuple(1e3 * x for x in _PT_SCALES[words[1]])
        return _PT_SCALES[pt_unit]
    return (1.0,)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the non-empty paragraphs (text between blank lines), or of the lines when
    the text has one paragraph only."""
    spans, pos = [], 0
    for m in _BLANK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    spans = [(s, e) for s, e in spans if text[s:e].strip()]
    if len(spans) == 1 and "\n" in text[spans[0][0]:spans[0][1]]:
        s0, e0 = spans[0]
        spans, pos = [], s0
        for line in text[s0:e0].split("\n"):
            if line.strip():
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
    return spans


def _anchors(s: str) -> set[str]:
    return {m.group().lower() for m in _ANCHOR.finditer(s)}


def align(target: str, source: str) -> list[tuple[tuple[int, int], str]]:
    """For each translation paragraph, (its span, the aligned source paragraph or "")."""
    tp, sp = paragraphs(target), paragraphs(source)
    tt = [target[s:e] for s, e in tp]
    ss = [source[s:e] for s, e in sp]
    if len(tt) == len(ss):
        return list(zip(tp, ss))
    n, m = len(tt), len(ss)
    ta, sa = [_anchors(t) for t in tt], [_anchors(s) for s in ss]
    tl = [len(t) for t in tt]
    sl = [len(s) * 2.5 for s in ss]  # Chinese is about 2.5 times denser than Portuguese

    def sim(i, j):
        shared = len(ta[i] & sa[j]) / (len(ta[i] | sa[j]) or 1)
        ratio = min(tl[i], sl[j]) / (max(tl[i], sl[j]) or 1)
        return 0.6 * shared + 0.4 * ratio

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cands = [(best[i - 1][j], 2), (best[i][j - 1], 3)]
            if abs(i / n - j / m) < 0.3:
                cands.append((best[i - 1][j - 1] + sim(i - 1, j - 1), 1))
            best[i][j], move[i][j] = max(cands)
    pairs: dict[int, int] = {}
    i, j = n, m
    while i and j:
        mv = move[i][j]
        if mv == 1:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif mv == 2:
            i -= 1
        else:
            j -= 1
    return [(tp[k], ss[pairs[k]] if k in pairs else "") for k in range(n)]


class SourceMap:
    """The aligned source paragraph for any offset of the translation."""

    def __init__(self, target: str, source: str):
        self.pairs = align(target, source)
        self.starts = [s for (s, _), _ in self.pairs]

    def at(self, offset: int) -> str:
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            return ""
        (s, e), src = self.pairs[i]
        return src if offset <= e else ""


def _values(text: str, chinese: bool) -> set[float]:
    out = set()
    for m in _NUMBER.finditer(text):
        whole, sep, frac, zh_unit, pt_unit = m.groups()
        digits = regex.sub(r"[.,\u00a0 ]", "", whole)
        if sep and frac:
            if chinese or sep in ",." and len(frac) != 3:
                value = float(f"{digits}.{frac}")
            else:
                value = float(digits + frac)
        else:
            value = float(digits)
        for scale in _scales(zh_unit, pt_unit):
            # 12 significant digits: 0.7亿 and 70 milhões must meet (0.7 * 1e8 is 70000000.00000001)
            out.add(float(f"{value * scale:.12g}"))
    return out


def source_findings(target: str, smap: SourceMap, terms) -> list[Finding]:
    """Findings: a glossary source term in the source paragraph whose right form is missing from
    the translation paragraph; a number of the source paragraph missing from the translation."""
    out: list[Finding] = []
    for (s, e), src in smap.pairs:
        if not src:
            continue
        para = target[s:e]
        low = para.lower()
        seen: set[str] = set()
        for source_term, right, wrongs in terms:
            if source_term in src and source_term not in seen:
                if right.lower() not in low and not any(w in low for w in wrongs):
                    seen.add(source_term)
                    out.append(Finding(s, e, "missing-term", STAGE,
                                       f"the source has {source_term!r}: expected {right!r} in this paragraph"))
        src_values = _values(src, chinese=True)
        tgt_values = _values(para, chinese=False)
        for v in sorted(src_values - tgt_values):
            if v < 10 and v == int(v):
                continue  # small counts are often written out in words ("quatro")
            shown = int(v) if v == int(v) else v
            out.append(Finding(s, e, "number-mismatch", STAGE,
                               f"the source has the number {shown}, which this paragraph does not"))
    return out
