"""Where the whole pipeline spends its time: ms per MB for each stage on the speed benchmark's
generated corpus and glossary, next to a bare str.lower() pass measured in the same run.

Usage: python benchmarks/stages.py [--mb 2] [--entries 10000]

Stages are timed by wrapping their ``propose`` and ``review`` methods, after a warm-up call (automaton built,
langdetect loaded); "fixpoint" is the re-reading of changed paragraphs (it runs the stages again on
them; their time there is counted as fixpoint, not as theirs). A Document's derived fields
(protected spans, the view) are counted in the stage that first asks for them.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # noqa: E402  (the same generated inputs)

import cleanmt  # noqa: E402
from cleanmt import pipeline, stages  # noqa: E402
from cleanmt.glossary import load_glossary  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=2.0)
    ap.add_argument("--entries", type=int, default=10000)
    args = ap.parse_args()
    toml, wrongs = speed.make_glossary(args.entries)
    corpus = speed.make_corpus(args.mb, wrongs)
    mb = len(corpus.encode()) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "g.toml"
        p.write_text(toml, encoding="utf-8")
        cleaner = cleanmt.Cleaner([load_glossary(p)], check_examples=False)
    spent: dict[str, float] = {}
    depth = [0]

    def wrap(obj, name, label):
        fn = getattr(obj, name)

        def timed(*a, **k):
            depth[0] += 1
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                if depth[0] == 1:  # time inside another timed call belongs to that one
                    spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
                depth[0] -= 1
        setattr(obj, name, timed)

    wrap(stages.GlossaryStage, "propose", "glossary")
    wrap(stages.rules.RuleStage, "propose", "typography, markdown, casing")
    wrap(stages.GlossaryStage, "review", "source findings")
    wrap(stages.ChecksStage, "review", "checks")
    wrap(stages.LanguageStage, "review", "language")
    wrap(stages.BoilerplateStage, "propose", "boilerplate")
    wrap(pipeline, "run_on_windows", "fixpoint")
    cleaner.clean(speed.WARM_UP)
    spent.clear()
    t = time.perf_counter()
    cleaner.clean(corpus)
    total = time.perf_counter() - t
    t = time.perf_counter()
    corpus.lower()
    lower = time.perf_counter() - t
    print(f"corpus {mb:.1f} MB, {args.entries} entries: whole pipeline {total * 1000 / mb:.0f} ms/MB "
          f"({mb / total:.2f} MB/s); str.lower() {lower * 1000 / mb:.1f} ms/MB")
    for label, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:30s} {s * 1000 / mb:6.1f} ms/MB")


if __name__ == "__main__":
    main()
