"""Score a cleaned text against a reference correction: sacrebleu BLEU/chrF/TER, rapidfuzz
similarity, word edit rate, and whether the glossary's right forms landed where the reference has
them. Segments are paragraphs aligned with rapidfuzz, so one removed or merged paragraph does not
shift every later comparison."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

_BLANK = regex.compile(r"\n[ \t]*\n")
_MIN_SIMILARITY = 40.0  # below this two paragraphs are not the same paragraph
_BAND = 48  # alignment looks this many paragraphs off the diagonal inside a gap
_PARALLEL_CHARS = 150_000  # from this size the three sacrebleu metrics run in worker processes


def segments(text: str) -> list[str]:
    """Paragraphs (text between blank lines), stripped; lines when there is one paragraph only."""
    paras = [p.strip() for p in _BLANK.split(text) if p.strip()]
    if len(paras) == 1 and "\n" in paras[0]:
        paras = [line.strip() for line in paras[0].split("\n") if line.strip()]
    return paras


def _key(s: str) -> str:
    return " ".join(s.split()).lower()


def align(hyp: list[str], ref: list[str]) -> list[tuple[int, int]]:
    """Monotonic pairs (i, j) of similar segments: identical ones anchor, gaps use a banded DP."""
    pairs: list[tuple[int, int]] = []
    sm = SequenceMatcher(None, [_key(h) for h in hyp], [_key(r) for r in ref], autojunk=False)
    pi = pj = 0
    for a, b, size in sm.get_matching_blocks():
        pairs += _align_gap(hyp, ref, pi, a, pj, b)
        pairs += [(a + k, b + k) for k in range(size)]
        pi, pj = a + size, b + size
    return pairs


def _align_gap(hyp, ref, i0, i1, j0, j1) -> list[tuple[int, int]]:
    n, m = i1 - i0, j1 - j0
    if not n or not m:
        return []
    # best[i][j]: best total similarity aligning hyp[i0:i0+i] with ref[j0:j0+j]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 = pair, 2 = skip hyp, 3 = skip ref
    for i in range(1, n + 1):
        centre = i * m / n
        for j in range(1, m + 1):
            skip_h, skip_r = best[i - 1][j], best[i][j - 1]
            v, mv = (skip_h, 2) if skip_h >= skip_r else (skip_r, 3)
            if abs(j - centre) <= _BAND + abs(n - m):
                sim = fuzz.ratio(hyp[i0 + i - 1], ref[j0 + j - 1], score_cutoff=_MIN_SIMILARITY)
                if sim and best[i - 1][j - 1] + sim / 100 > v:
                    v, mv = best[i - 1][j - 1] + sim / 100, 1
            best[i][j], move[i][j] = v, mv
    out = []
    i, j = n, m
    while i and j:
        mv = move[i][j]
        if mv == 1:
            out.append((i0 + i - 1, j0 + j - 1))
            i, j = i - 1, j - 1
        elif mv == 2:
            i -= 1
        else:
            j -= 1
    out.reverse()
    return out


@dataclass
class SegmentScore:
    hyp: int | None  # segment indexes; None: the other side has no counterpart
    ref: int | None
    bleu: float
    chrf: float
    ter: float
    ratio: float
    token_set_ratio: float
    word_edits: int
    ref_words: int


@dataclass
class TermAccuracy:
    expected: int = 0  # right forms in the reference, counted per aligned segment
    found: int = 0  # of those, present in the hypothesis's aligned segment
    missing: list[tuple[str, int]] = field(default_factory=list)  # (right form, reference segment)
    leftover: list[tuple[str, str]] = field(default_factory=list)  # (wrong form still there, rule id)

    @property
    def accuracy(self) -> float | None:
        return self.found / self.expected if self.expected else None


@dataclass
class Score:
    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str]
    ratio: float  # rapidfuzz normalized Indel similarity, 0-100, weighted by reference length
    token_set_ratio: float
    word_edits: int
    ref_words: int
    segments: list[SegmentScore]
    unaligned_hyp: list[int]
    unaligned_ref: list[int]
    terms: TermAccuracy | None = None
    raw: "Score | None" = None

    @property
    def word_edit_rate(self) -> float:  # noqa: D401
        return self.word_edits / self.ref_words if self.ref_words else 0.0

    @property
    def edits_removed(self) -> float | None:
        """Share of the raw text's word edits (to the reference) that cleaning removed."""
        if self.raw is None or not self.raw.word_edits:
            return None
        return 1 - self.word_edits / self.raw.word_edits

    def to_dict(self) -> dict:
        d = asdict(self)
        d["word_edit_rate"] = self.word_edit_rate
        d["edits_removed"] = self.edits_removed
        if self.terms is not None:
            d["terms"]["accuracy"] = self.terms.accuracy
        if self.raw is not None:
            d["raw"]["word_edit_rate"] = self.raw.word_edit_rate
            d["raw"].pop("raw", None)
        return d


def _metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    # document scores use sacrebleu's defaults (the same as its command line); segment BLEU uses
    # effective order, as sacrebleu's sentence_bleu does
    return {"bleu": BLEU(), "chrf": CHRF(), "ter": TER()}, BLEU(effective_order=True)


def _stats(name: str, hyps: list[str], refs: list[str]):
    """Per-segment sufficient statistics of one metric (what sacrebleu sums for a corpus score)."""
    metric = _metrics()[0][name]
    return metric._extract_corpus_statistics(hyps, [refs])


def _all_stats(hyps, refs, parallel: bool):
    names = ("bleu", "chrf", "ter")
    if not parallel:
        return {n: _stats(n, hyps, refs) for n in names}
    half = len(hyps) // 2
    jobs = [(n, hyps[a:b], refs[a:b]) for n in names for a, b in ((0, half), (half, len(hyps)))]
    with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
        results = list(pool.map(_stats, *zip(*jobs)))
    out = {}
    for k, n in enumerate(names):
        out[n] = list(results[2 * k]) + list(results[2 * k + 1])
    return out


def score(hypothesis: str, reference: str, *, raw: str | None = None, cleaner=None, terms: bool = True) -> Score:  # noqa: E501
    """Score ``hypothesis`` against ``reference``; with ``raw``, score the raw text too and say how
    much of its distance to the reference cleaning removed."""
    if not reference.strip():
        raise ValueError("the reference is empty")
    result = _score(hypothesis, reference, cleaner if terms else None, terms)
    if raw is not None:
        result.raw = _score(raw, reference, None, False)
    return result


def _score(hypothesis: str, reference: str, cleaner, terms: bool) -> Score:
    hyp, ref = segments(hypothesis), segments(reference)
    pairs = align(hyp, ref)
    hi = {i for i, _ in pairs}
    rj = {j for _, j in pairs}
    un_h = [i for i in range(len(hyp)) if i not in hi]
    un_r = [j for j in range(len(ref)) if j not in rj]
    # every segment takes part in the document score; one without a counterpart meets ""
    rows = [(i, j) for i, j in pairs] + [(i, None) for i in un_h] + [(None, j) for j in un_r]
    rows.sort(key=lambda p: (p[1] if p[1] is not None else -1, p[0] if p[0] is not None else -1))
    H = [hyp[i] if i is not None else "" for i, _ in rows]
    R = [ref[j] if j is not None else "" for _, j in rows]
    metrics, sent_bleu = _metrics()
    for m in metrics.values():
        m.num_refs = 1  # what corpus_score would record; the statistics may come from workers
    stats = _all_stats(H, R, parallel=len(hypothesis) + len(reference) > 2 * _PARALLEL_CHARS)
    doc = {n: metrics[n]._aggregate_and_compute(stats[n]) for n in metrics}
    segs: list[SegmentScore] = []
    total_w = 0
    ratio_sum = tset_sum = 0.0
    word_edits = 0
    for k, (i, j) in enumerate(rows):
        h, r = H[k], R[k]
        hw, rw = h.split(), r.split()
        we = Levenshtein.distance(hw, rw)
        word_edits += we
        ratio, tset = fuzz.ratio(h, r), fuzz.token_set_ratio(h, r)
        weight = max(len(r), len(h))
        ratio_sum += ratio * weight
        tset_sum += tset * weight
        total_w += weight
        segs.append(SegmentScore(
            i, j,
            sent_bleu._aggregate_and_compute([stats["bleu"][k]]).score,
            metrics["chrf"]._aggregate_and_compute([stats["chrf"][k]]).score,
            metrics["ter"]._aggregate_and_compute([stats["ter"][k]]).score,
            ratio, tset, we, len(rw)))
    out = Score(
        bleu=doc["bleu"].score, chrf=doc["chrf"].score, ter=doc["ter"].score,
        signatures={n: str(metrics[n].get_signature()) for n in metrics},
        ratio=ratio_sum / total_w if total_w else 100.0,
        token_set_ratio=tset_sum / total_w if total_w else 100.0,
        word_edits=word_edits, ref_words=sum(len(r.split()) for r in ref),
        segments=segs, unaligned_hyp=un_h, unaligned_ref=un_r,
    )
    if terms:
        out.terms = term_accuracy(hypothesis, hyp, ref, pairs, cleaner)
    return out


def term_accuracy(hypothesis: str, hyp: list[str], ref: list[str], pairs, cleaner=None) -> TermAccuracy:
    """Glossary right forms in each reference segment, looked for in the aligned hypothesis
    segment; and glossary wrong forms the glossary stage would still change in the hypothesis."""
    from .pipeline import Cleaner, default_cleaner

    if cleaner is None:
        cleaner = default_cleaner()
    forms = sorted({right for e in cleaner.entries if e.kind == "term" for _, _, right in e.forms
                    if len(right) >= 2}, key=len, reverse=True)
    acc = TermAccuracy()
    if forms:
        pat = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(f) for f in forms) + r")(?!\w)")
        partner = dict((j, i) for i, j in pairs)
        for j, r in enumerate(ref):
            wanted: dict[str, int] = {}
            for m in pat.finditer(r):
                wanted[m.group()] = wanted.get(m.group(), 0) + 1
            have: dict[str, int] = {}
            if j in partner:
                for m in pat.finditer(hyp[partner[j]]):
                    have[m.group()] = have.get(m.group(), 0) + 1
            for form, n in wanted.items():
                acc.expected += n
                got = min(n, have.get(form, 0))
                acc.found += got
                acc.missing += [(form, j)] * (n - got)
    glossary_only = Cleaner.__new__(Cleaner)
    glossary_only.__dict__.update(cleaner.__dict__)
    glossary_only.stages = ("glossary",)
    for e in glossary_only.clean(hypothesis).edits:
        if e.stage == "glossary":
            acc.leftover.append((e.before, e.rule_id))
    return acc


def format_text(s: Score, name: str = "") -> str:
    lines = []
    head = f"{name}: " if name else ""
    lines.append(f"{head}BLEU {s.bleu:.2f}  chrF {s.chrf:.2f}  TER {s.ter:.2f}  "
                 f"similarity {s.ratio:.1f}  token-set {s.token_set_ratio:.1f}  "
                 f"word edits {s.word_edits}/{s.ref_words} ({100 * s.word_edit_rate:.1f}%)")
    if s.raw is not None:
        lines.append(f"  raw: BLEU {s.raw.bleu:.2f}  chrF {s.raw.chrf:.2f}  TER {s.raw.ter:.2f}  "
                     f"word edits {s.raw.word_edits}; cleaning removed "
                     f"{100 * (s.edits_removed or 0):.1f}% of them")
    if s.terms is not None and s.terms.expected:
        lines.append(f"  terms: {s.terms.found}/{s.terms.expected} glossary right forms where the reference has them"
                     + (f"; {len(s.terms.leftover)} wrong forms left" if s.terms.leftover else ""))
    if s.unaligned_hyp or s.unaligned_ref:
        lines.append(f"  unaligned segments: hypothesis {s.unaligned_hyp}, reference {s.unaligned_ref}")
    for n, sig in s.signatures.items():
        lines.append(f"  {n} signature: {sig}")
    return "\n".join(lines)


def word_edits(hypothesis: str, reference: str) -> int:
    """Word-level edits between two documents, summed over aligned paragraphs (fast: no sacrebleu)."""
    hyp, ref = segments(hypothesis), segments(reference)
    pairs = align(hyp, ref)
    total = sum(Levenshtein.distance(hyp[i].split(), ref[j].split()) for i, j in pairs)
    hi, rj = {i for i, _ in pairs}, {j for _, j in pairs}
    total += sum(len(h.split()) for i, h in enumerate(hyp) if i not in hi)
    total += sum(len(r.split()) for j, r in enumerate(ref) if j not in rj)
    return total


def rule_impact(raw: str, reference: str, edits) -> dict[str, int]:
    """For each rule id among ``edits``: word edits to the reference without that rule's edits,
    minus word edits with all of them. Positive: the rule helps; negative: it does harm."""
    from .model import apply_edits

    base = word_edits(apply_edits(raw, edits), reference)
    out: dict[str, int] = {}
    for rid in sorted({e.rule_id for e in edits}):
        without = apply_edits(raw, [e for e in edits if e.rule_id != rid])
        out[rid] = word_edits(without, reference) - base
    return out
