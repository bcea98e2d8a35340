"""Print the seed article's figures for the README: error sites fixed, word edits, chrF, BLEU, TER.

Usage: python benchmarks/seed_quality.py [fixtures/seed]
Raw and cleaned are both scored against the same reference in the same run.
"""
from __future__ import annotations

import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import sacrebleu
from rapidfuzz.distance import Levenshtein

import cleanmt
import cleanmt.pipeline


def _site_fixed(site: dict, raw: str, out: str) -> bool:
    if not site["ref"]:
        return site["raw"] not in out
    return site["ref"] in out and out.count(site["raw"]) < raw.count(site["raw"])


def main(folder: str = "fixtures/seed") -> None:
    d = Path(folder)
    raw = (d / "article.raw.txt").read_text(encoding="utf-8")
    ref = (d / "article.ref.txt").read_text(encoding="utf-8")
    with open(d / "sites.toml", "rb") as f:
        sites = tomllib.load(f)["site"]
    wr = Levenshtein.distance(raw.split(), ref.split())
    metrics = (("chrF", sacrebleu.metrics.CHRF()), ("BLEU", sacrebleu.metrics.BLEU()), ("TER", sacrebleu.metrics.TER()))
    print(f"raw: word edits to reference {wr}; " + "; ".join(
        f"{n} {m.corpus_score([raw], [[ref]]).score:.2f}" for n, m in metrics))
    for label, stages in (("glossary stage only", ("glossary",)), ("all stages", cleanmt.pipeline.STAGES)):
        t0 = time.perf_counter()
        cleaner = cleanmt.Cleaner(stages=stages)
        t1 = time.perf_counter()
        result = cleaner.clean(raw)
        t2 = time.perf_counter()
        out = result.text
        total, fixed = Counter(), Counter()
        for s in sites:
            total[s["kind"]] += 1
            fixed[s["kind"]] += _site_fixed(s, raw, out)
        wc = Levenshtein.distance(out.split(), ref.split())
        print(f"\n{label}: glossary build {t1 - t0:.3f} s, clean {1000 * (t2 - t1):.1f} ms, "
              f"{len(result.edits)} edits, {len(result.findings)} findings")
        print("  error sites fixed: " + ", ".join(f"{k} {fixed[k]}/{total[k]}" for k in sorted(total)))
        print(f"  word edits to reference: {wc} ({100 * (1 - wc / wr):.1f}% fewer than raw)")
        for name, metric in metrics:
            print(f"  {name} {metric.corpus_score([out], [[ref]]).score:.2f}  ({metric.get_signature()})")


if __name__ == "__main__":
    main(*sys.argv[1:])
