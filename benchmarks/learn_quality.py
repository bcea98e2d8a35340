"""Print the README figures of `cleanmt learn`, each next to its baseline measured in the same run.

Usage: python benchmarks/learn_quality.py [fixtures]

(a) A glossary learned from the sample article and its reference alone, bundled glossaries off,
    applied (bundled glossaries still off) to the MT pages of fixtures/mt-pages: word edits to the
    references of the raw pages, of the pages cleaned without the learned glossary (the baseline:
    the typography and Markdown stages still run) and with it; words it changed in the negative
    cases and the keep corpus (texts that must not change).
(b) K-fold evaluation on the four pairs of the fixtures (the seed and the three MT pages): learn
    on three, measure on the one held out; with the bundled glossaries off, then on.
(c) The same within one domain: the sample article cut into four parts.
"""
from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

import cleanmt
from cleanmt.align import align_texts
from cleanmt.learning.evaluate import changed_words, kfold, measure
from cleanmt.learning.report import format_eval


def _pairs(folder: Path):
    return [(p.name[: -len(".raw.txt")], p.read_text(encoding="utf-8"),
             p.with_name(p.name.replace(".raw.", ".ref.")).read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.raw.txt"))]


def _parts(name: str, raw: str, ref: str, k: int):
    """The pair cut into ``k`` pairs of consecutive aligned sentences (units without a
    counterpart go with the part before them)."""
    al = align_texts(raw, ref)
    cuts = [al.pairs[len(al.pairs) * i // k] for i in range(k)]
    a_bounds = [al.a_units[p.a0].start if i else 0 for i, p in enumerate(cuts)] + [len(raw)]
    b_bounds = [al.b_units[p.b0].start if i else 0 for i, p in enumerate(cuts)] + [len(ref)]
    return [(f"{name}-{i + 1}", raw[a_bounds[i]:a_bounds[i + 1]], ref[b_bounds[i]:b_bounds[i + 1]]) for i in range(k)]


def main(root: str = "fixtures") -> None:
    fx = Path(root)
    seed = _pairs(fx / "seed")
    pages = _pairs(fx / "mt-pages")
    with open(fx / "cases" / "negative.toml", "rb") as f:
        negative = [c["text"] for c in tomllib.load(f)["case"]]
    keep = [p.read_text(encoding="utf-8") for p in sorted((fx / "keep").iterdir()) if p.is_file()]

    t0 = time.perf_counter()
    learned = cleanmt.learn(seed, bundled=False)
    t1 = time.perf_counter()
    g = learned.glossary()
    print(f"(a) learned from the sample article alone (--no-bundled) in {t1 - t0:.2f} s: "
          f"{len(learned.entries)} entries, {len(learned.block_tables)} scraper block(s), "
          f"{len(learned.report['left_out'])} candidates left out")
    base = cleanmt.Cleaner([])
    own = measure(g, seed, base, False, [])
    print(f"    on its own pair (in-sample, for reference): word edits raw {own['raw']} -> baseline "
          f"{own['baseline']} -> with it {own['learned']}")
    row = measure(g, pages, base, False, [])
    print(f"    applied to fixtures/mt-pages ({len(pages)} pages), word edits to the references:")
    print(f"      raw {row['raw']}  ->  cleaned, no learned glossary (baseline) {row['baseline']}"
          f"  ->  cleaned with it {row['learned']}")
    share = row["removed"] / row["baseline"] if row["baseline"] else 0.0
    print(f"      the learned glossary removed {row['removed']} of the {row['baseline']} word edits the baseline "
          f"leaves ({100 * share:.1f}%); {row['needless']} word(s) changed that the references keep")
    with_learned = cleanmt.Cleaner([g])
    ids = {e.id for e in g.entries}
    neg = sum(changed_words(t, with_learned, ids) for t in negative)
    kept = sum(changed_words(t, with_learned, ids) for t in keep)
    all_ids = {e.id for e in with_learned.entries} | {r.id for r in cleanmt.pipeline.RULES}
    neg_all = sum(changed_words(t, with_learned, all_ids) for t in negative)
    kept_all = sum(changed_words(t, with_learned, all_ids) for t in keep)
    print(f"    words changed by learned entries: {neg} in the {len(negative)} negative cases, {kept} in the "
          f"{len(keep)} keep-corpus texts (by any stage: {neg_all} and {kept_all})")

    for bundled in (False, True):
        print(f"\n(b) bundled glossaries {'on' if bundled else 'off'}:")
        ev = kfold(seed + pages, 4, cleanmt.learn, bundled=bundled)
        print(format_eval(ev))

    parts = _parts(*seed[0], 4)
    print("\n(c) one domain: the sample article cut into 4 parts of consecutive sentences, bundled glossaries off "
          "(terms repeat across parts, as across the pages of one site):")
    ev = kfold(parts, 4, cleanmt.learn, bundled=False)
    print(format_eval(ev))
    with_keep = kfold(parts, 4, cleanmt.learn, bundled=False, keep=keep)
    t = with_keep["total"]
    print(f"with --keep-corpus fixtures/keep: learned {t['learned']}, removed {t['removed']}, "
          f"{t['needless']} needless")


if __name__ == "__main__":
    import cleanmt.pipeline  # noqa: F401  (RULES for the "by any stage" count)

    main(*sys.argv[1:])
