"""Score a cleaned text against a reference correction: sacrebleu BLEU/chrF/TER, rapidfuzz
similarity, word edit rate, and whether the glossary's right forms landed where the reference has
them. Segments are sentences paired by ``align.py`` (merges and skipped sentences allowed), so
re-wrapped lines, a removed footer or merged paragraphs do not shift every later comparison."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .align import align as align_units
from .align import sentences

_PARALLEL_CHARS = 150_000  # from this size the three sacrebleu metrics run in worker processes


def segments(text: str) -> list[str]:
    """The units scores are computed on: sentences, headings and list items with whitespace
    folded (``align.sentences``), so line wrapping and paragraph breaks change no score."""
    return list(_segments(text))


@lru_cache(maxsize=8)
def _segments(text: str) -> tuple[str, ...]:
    """Cached: ``rule_impact`` scores many variants of one text against the same reference."""
    return tuple(u.text for u in sentences(text))


def align(hyp: list[str], ref: list[str]) -> list[tuple[range, range]]:
    """Monotone pairs of segment groups (1 to 3 on a side: a merged or split sentence) of similar
    text; see ``align.align``."""
    return [(range(p.a0, p.a1), range(p.b0, p.b1)) for p in align_units(hyp, ref)]


@dataclass
class SegmentScore:
    hyp: int | None  # first segment index; None: the other side has no counterpart
    ref: int | None
    bleu: float
    chrf: float
    ter: float
    ratio: float
    token_set_ratio: float
    word_edits: int
    ref_words: int
    hyp_count: int = 1  # segments in the group (a sentence merged or split on one side)
    ref_count: int = 1


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


def _rows(hyp: list[str], ref: list[str], pairs) -> list[tuple[range | None, range | None]]:
    """Every segment once: the aligned groups, and each unaligned segment against nothing."""
    hi = {i for h, _ in pairs for i in h}
    rj = {j for _, r in pairs for j in r}
    rows = [(h, r) for h, r in pairs]
    rows += [(range(i, i + 1), None) for i in range(len(hyp)) if i not in hi]
    rows += [(None, range(j, j + 1)) for j in range(len(ref)) if j not in rj]
    rows.sort(key=lambda p: (p[1].start if p[1] is not None else -1, p[0].start if p[0] is not None else -1))
    return rows


def _join(units: list[str], r: range | None) -> str:
    return " ".join(units[k] for k in r) if r is not None else ""


def _score(hypothesis: str, reference: str, cleaner, terms: bool) -> Score:
    hyp, ref = segments(hypothesis), segments(reference)
    pairs = align(hyp, ref)
    rows = _rows(hyp, ref, pairs)
    un_h = [h.start for h, r in rows if r is None]
    un_r = [r.start for h, r in rows if h is None]
    # every segment takes part in the document score; one without a counterpart meets ""
    H = [_join(hyp, h) for h, _ in rows]
    R = [_join(ref, r) for _, r in rows]
    metrics, sent_bleu = _metrics()
    for m in metrics.values():
        m.num_refs = 1  # what corpus_score would record; the statistics may come from workers
    stats = _all_stats(H, R, parallel=len(hypothesis) + len(reference) > 2 * _PARALLEL_CHARS)
    doc = {n: metrics[n]._aggregate_and_compute(stats[n]) for n in metrics}
    segs: list[SegmentScore] = []
    total_w = 0
    ratio_sum = tset_sum = 0.0
    word_edits = 0
    for k, (hr, rr) in enumerate(rows):
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
            hr.start if hr is not None else None, rr.start if rr is not None else None,
            sent_bleu._aggregate_and_compute([stats["bleu"][k]]).score,
            metrics["chrf"]._aggregate_and_compute([stats["chrf"][k]]).score,
            metrics["ter"]._aggregate_and_compute([stats["ter"][k]]).score,
            ratio, tset, we, len(rw), len(hr) if hr is not None else 0, len(rr) if rr is not None else 0))
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
        partner = {j: _join(hyp, h) for h, r in pairs for j in r}
        for j, r in enumerate(ref):
            wanted: dict[str, int] = {}
            for m in pat.finditer(r):
                wanted[m.group()] = wanted.get(m.group(), 0) + 1
            have: dict[str, int] = {}
            if j in partner:
                for m in pat.finditer(partner[j]):
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
    """Word-level edits between two documents, summed over aligned sentence groups, plus the words
    of sentences without a counterpart (fast: no sacrebleu)."""
    hyp, ref = segments(hypothesis), segments(reference)
    return sum(Levenshtein.distance(_join(hyp, h).split(), _join(ref, r).split())
               for h, r in _rows(hyp, ref, align(hyp, ref)))


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
