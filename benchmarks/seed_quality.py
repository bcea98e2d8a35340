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


def main(folder: str = "fixtures/seed") -> None:
    d = Path(folder)
    raw = (d / "article.raw.txt").read_text(encoding="utf-8")
    ref = (d / "article.ref.txt").read_text(encoding="utf-8")
    with open(d / "sites.toml", "rb") as f:
        sites = tomllib.load(f)["site"]
    t0 = time.perf_counter()
    cleaner = cleanmt.Cleaner()
    t1 = time.perf_counter()
    result = cleaner.clean(raw)
    t2 = time.perf_counter()
    out = result.text
    total, fixed = Counter(), Counter()
    for s in sites:
        ok = (s["raw"] not in out) if not s["ref"] else (s["ref"] in out and out.count(s["raw"]) < raw.count(s["raw"]))
        total[s["kind"]] += 1
        fixed[s["kind"]] += ok
    wr = Levenshtein.distance(raw.split(), ref.split())
    wc = Levenshtein.distance(out.split(), ref.split())
    print(f"glossary build {t1 - t0:.3f} s, clean {1000 * (t2 - t1):.1f} ms, "
          f"{len(result.edits)} edits, {len(result.findings)} findings")
    print("| error sites fixed | " + " | ".join(f"{k}: {fixed[k]}/{total[k]}" for k in sorted(total)) + " |")
    print(f"| word edits to reference | raw {wr} | cleaned {wc} | {100 * (1 - wc / wr):.1f}% fewer |")
    for name, metric in (("chrF", sacrebleu.metrics.CHRF()), ("BLEU", sacrebleu.metrics.BLEU()),
                         ("TER", sacrebleu.metrics.TER())):
        a = metric.corpus_score([raw], [[ref]]).score
        b = metric.corpus_score([out], [[ref]]).score
        print(f"| {name} | raw {a:.2f} | cleaned {b:.2f} | {metric.get_signature()} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
