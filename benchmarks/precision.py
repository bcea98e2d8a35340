"""Precision on human-written Portuguese: how much cleanmt changes text that has nothing to fix.

Usage: python benchmarks/precision.py [--max-mb MB] [--source NAME ...] [--examples N]
                                      [--json FILE] [--jobs N]

Runs the bundled glossaries with default settings (``cleanmt.Cleaner()``) over every document
tests/human_text.py extracts from the installed Debian packages (install them with
``.ci/install-corpora``). Plain-text sources go through ``Cleaner.clean``; the "po-file" source
goes through the CLI's own .po handling (``formats.clean_text`` with the kind the CLI gives a .po
path), so that what a user running ``cleanmt fix`` on a catalog would get is what is counted.

Every applied edit on this corpus is a false positive (the text is correct, human-written), so
the figures are a precision baseline: applied edits, lines changed and findings per MB, per
source and per rule, with sample edits in context to show the failure classes. ``--max-mb`` caps
each source (MB of extracted text), for quick runs.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import human_text  # noqa: E402

import cleanmt  # noqa: E402
from cleanmt.formats import clean_text, kind_of  # noqa: E402  (what the CLI uses per file kind)

PO_KIND = kind_of("catalog.po")  # the CLI's kind for a .po path
CONTEXT = 60


def _visible(s: str) -> str:
    return s.replace("\n", "⏎").replace("\t", "⇥")


def _shown(s: str) -> str:
    """An edit's side with its whitespace made visible (most false positives are about spaces)."""
    return _visible(s).replace(" ", "␣").replace("\u00a0", "⍽") or "∅"


def example(text: str, e) -> str:
    left = _visible(text[max(0, e.start - CONTEXT):e.start])
    right = _visible(text[e.end:e.end + CONTEXT])
    return f"…{left}[{_shown(e.before)}→{_shown(e.after)}]{right}…"


def _line_starts(text: str) -> list[int]:
    out = [0]
    i = text.find("\n")
    while i >= 0:
        out.append(i + 1)
        i = text.find("\n", i + 1)
    return out


def changed_lines(text: str, edits) -> int:
    """Input lines touched by at least one edit (an edit across a line break touches both)."""
    from bisect import bisect_right

    starts = _line_starts(text)
    lines: set[int] = set()
    for e in edits:
        a = bisect_right(starts, e.start) - 1
        b = bisect_right(starts, max(e.start, e.end - 1)) - 1
        lines.update(range(a, b + 1))
    return len(lines)


def clean_doc(cleaner, source: str, text: str):
    if source == "po-file":
        return clean_text(cleaner, text, PO_KIND)
    return cleaner.clean(text)


def run(sources, max_bytes, n_examples: int, jobs: int | None, level: str = "sure"):
    t0 = time.perf_counter()
    cleaner = cleanmt.Cleaner(level=level)
    t_init = time.perf_counter() - t0
    per_source: dict[str, Counter] = defaultdict(Counter)
    rules: Counter = Counter()
    rules_by_source: dict[str, Counter] = defaultdict(Counter)
    finding_rules: Counter = Counter()
    finding_rules_by_source: dict[str, Counter] = defaultdict(Counter)
    samples: dict[str, list[dict]] = defaultdict(list)  # rule -> examples, one per document first
    spare: dict[str, list[dict]] = defaultdict(list)  # more from documents already sampled
    sampled_docs: dict[str, set] = defaultdict(set)
    crashes: list[dict] = []
    t_extract = t_clean = 0.0
    t = time.perf_counter()
    for doc in human_text.documents(sources, max_bytes=max_bytes, jobs=jobs):
        t_extract += time.perf_counter() - t
        c = per_source[doc.source]
        c["documents"] += 1
        c["bytes"] += len(doc.text.encode("utf-8"))
        t = time.perf_counter()
        try:
            r = clean_doc(cleaner, doc.source, doc.text)
        except Exception as exc:  # a crash is a finding of this benchmark, not its end
            crashes.append({"source": doc.source, "doc": doc.doc_id, "error": repr(exc)})
            t_clean += time.perf_counter() - t
            t = time.perf_counter()
            continue
        spent = time.perf_counter() - t
        t_clean += spent
        c["clean_ms"] += round(spent * 1000)
        c["edits"] += len(r.edits)
        c["findings"] += sum(not f.suggestion for f in r.findings)
        c["suggestions"] += sum(f.suggestion for f in r.findings)
        c["lines_changed"] += changed_lines(doc.text, r.edits)
        c["documents_changed"] += bool(r.edits)
        for f in r.findings:
            if f.suggestion:
                continue
            finding_rules[f.rule_id] += 1
            finding_rules_by_source[f.rule_id][doc.source] += 1
        for e in r.edits:
            rules[e.rule_id] += 1
            rules_by_source[e.rule_id][doc.source] += 1
            if n_examples:
                item = {"source": doc.source, "doc": doc.doc_id, "example": example(doc.text, e)}
                if doc.doc_id not in sampled_docs[e.rule_id] and len(samples[e.rule_id]) < n_examples:
                    samples[e.rule_id].append(item)
                    sampled_docs[e.rule_id].add(doc.doc_id)
                elif len(spare[e.rule_id]) < n_examples:
                    spare[e.rule_id].append(item)
        t = time.perf_counter()
    for rule, got in samples.items():
        got += spare[rule][:max(0, n_examples - len(got))]
    wall = time.perf_counter() - t0
    return {
        "cleanmt_version": cleanmt.__version__,
        "level": level,
        "max_bytes_per_source": max_bytes,
        "wall_s": wall, "init_s": t_init, "extract_s": t_extract, "clean_s": t_clean,
        "sources": {s: dict(c) for s, c in per_source.items()},
        "rules": {r: {"edits": n, "by_source": dict(rules_by_source[r])} for r, n in rules.most_common()},
        "finding_rules": {r: {"findings": n, "by_source": dict(finding_rules_by_source[r])}
                          for r, n in finding_rules.most_common()},
        "examples": {r: samples[r] for r, _ in rules.most_common() if samples.get(r)},
        "crashes": crashes,
    }


def _per_mb(n: int, nbytes: int) -> str:
    return f"{n / (nbytes / 1e6):.1f}" if nbytes else "-"


def report(res: dict, n_examples: int, top: int = 40) -> None:
    src = res["sources"]
    print(f"cleanmt {res['cleanmt_version']}, bundled glossaries, level {res.get('level', 'sure')}"
          + (f"; at most {res['max_bytes_per_source'] / 1e6:g} MB per source" if res["max_bytes_per_source"] else ""))
    head = (f"{'source':<18}{'docs':>6}{'MB':>7}{'changed':>8}{'edits':>8}{'edits/MB':>10}{'lines/MB':>10}"
            f"{'findings/MB':>12}{'suggest/MB':>11}{'clean s':>9}")
    print("\n" + head + "\n" + "-" * len(head))
    tot = Counter()
    for s, c in src.items():
        tot.update(c)
        print(f"{s:<18}{c['documents']:>6}{c['bytes'] / 1e6:>7.2f}{c.get('documents_changed', 0):>8}"
              f"{c.get('edits', 0):>8}{_per_mb(c.get('edits', 0), c['bytes']):>10}"
              f"{_per_mb(c.get('lines_changed', 0), c['bytes']):>10}{_per_mb(c.get('findings', 0), c['bytes']):>12}"
              f"{_per_mb(c.get('suggestions', 0), c['bytes']):>11}{c.get('clean_ms', 0) / 1000:>9.1f}")
    print("-" * len(head))
    print(f"{'all':<18}{tot['documents']:>6}{tot['bytes'] / 1e6:>7.2f}{tot['documents_changed']:>8}{tot['edits']:>8}"
          f"{_per_mb(tot['edits'], tot['bytes']):>10}{_per_mb(tot['lines_changed'], tot['bytes']):>10}"
          f"{_per_mb(tot['findings'], tot['bytes']):>12}{_per_mb(tot['suggestions'], tot['bytes']):>11}"
          f"{tot['clean_ms'] / 1000:>9.1f}")
    print("(\"po-file\" and \"po-msgstr\" are two views of the same catalogs: do not add them up "
          "when reading per-catalog damage)")

    names = list(src)
    print(f"\napplied edits per rule (top {top}), by source")
    print(f"{'rule_id':<44}{'edits':>7}  " + "  ".join(f"{s[:10]:>10}" for s in names))
    for rule, info in list(res["rules"].items())[:top]:
        print(f"{rule:<44}{info['edits']:>7}  " + "  ".join(f"{info['by_source'].get(s, 0):>10}" for s in names))
    if len(res["rules"]) > top:
        print(f"... {len(res['rules']) - top} more rules")
    if res["finding_rules"]:
        print("\nfindings per rule (top 20), by source")
        for rule, info in list(res["finding_rules"].items())[:20]:
            print(f"{rule:<44}{info['findings']:>7}  "
                  + "  ".join(f"{info['by_source'].get(s, 0):>10}" for s in names))
    if n_examples:
        print(f"\nsample edits (up to {n_examples} per rule, from different documents first)")
        for rule in list(res["rules"])[:top]:
            print(f"\n{rule}")
            for ex in res["examples"].get(rule, []):
                print(f"  {ex['source']}:{ex['doc']}\n    {ex['example']}")
    if res["crashes"]:
        print(f"\n{len(res['crashes'])} document(s) crashed the cleaner:")
        for c in res["crashes"][:20]:
            print(f"  {c['source']}:{c['doc']}: {c['error']}")
    mb = tot["bytes"] / 1e6
    print(f"\nwall {res['wall_s']:.1f} s (cleaner built in {res['init_s']:.1f} s, extraction "
          f"{res['extract_s']:.1f} s, cleaning {res['clean_s']:.1f} s); "
          f"{mb / res['clean_s'] if res['clean_s'] else 0:.2f} MB/s cleaning, "
          f"{mb / res['wall_s'] if res['wall_s'] else 0:.2f} MB/s overall")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-mb", type=float, default=None, help="cap each source at this many MB of text")
    ap.add_argument("--source", action="append", choices=human_text.SOURCES,
                    help="only this source (repeatable); default: all")
    ap.add_argument("--examples", type=int, default=0, metavar="N", help="print N sample edits per rule")
    ap.add_argument("--top", type=int, default=40, help="rules to list (default 40)")
    ap.add_argument("--json", metavar="FILE", help="write the counts (and examples) as JSON")
    ap.add_argument("--jobs", type=int, default=None, help="extraction threads (man, msgunfmt)")
    ap.add_argument("--level", choices=("sure", "suggest"), default="sure",
                    help="suggest: make the suggestions too (to see what they are)")
    args = ap.parse_args(argv)
    ok, why = human_text.available()
    if not ok:
        print(f"precision: nothing to measure: {why}", file=sys.stderr)
        return 1
    max_bytes = int(args.max_mb * 1e6) if args.max_mb else None
    res = run(args.source, max_bytes, args.examples, args.jobs, args.level)
    report(res, args.examples, args.top)
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
