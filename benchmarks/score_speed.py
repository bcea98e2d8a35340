"""Time `cleanmt.score` on a ~1 MB document pair, next to sacrebleu scoring the same segments
directly (the three metrics, one process: roughly what its command line does) in the same run.

Usage: python benchmarks/score_speed.py [MEGABYTES]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER

import cleanmt
from cleanmt.scoring import segments

ROOT = Path(__file__).resolve().parent.parent


def main(mb: float = 1.0) -> None:
    raw = (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    ref = (ROOT / "fixtures" / "seed" / "article.ref.txt").read_text(encoding="utf-8")
    hyp = cleanmt.clean(raw).text
    n = max(1, round(mb * 1e6 / len(ref.encode())))
    # number each copy's segments so that copies are not identical to each other
    def big(text: str) -> str:
        return "\n\n".join(f"{k}. {p}" for k in range(n) for p in segments(text))
    H, R, W = big(hyp), big(ref), big(raw)
    print(f"hypothesis {len(H.encode()) / 1e6:.2f} MB, reference {len(R.encode()) / 1e6:.2f} MB, "
          f"{len(segments(R))} segments (sentences)")
    t = time.perf_counter()
    hs, rs = segments(H), segments(R)
    for m in (BLEU(), CHRF(), TER()):
        m.corpus_score(hs, [rs])
    base = time.perf_counter() - t
    print(f"baseline: sacrebleu BLEU+chrF+TER on the same segments, one process: {base:.2f} s")
    t = time.perf_counter()
    s = cleanmt.score(H, R)
    one = time.perf_counter() - t
    print(f"cleanmt.score (alignment, 3 metrics doc + segment level, rapidfuzz, word edits, terms): {one:.2f} s "
          f"(BLEU {s.bleu:.2f}, chrF {s.chrf:.2f}, TER {s.ter:.2f})")
    t = time.perf_counter()
    s = cleanmt.score(H, R, raw=W)
    two = time.perf_counter() - t
    print(f"cleanmt.score with --raw (scores the raw text too): {two:.2f} s "
          f"(cleaning removed {100 * s.edits_removed:.1f}% of the word edits)")


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
