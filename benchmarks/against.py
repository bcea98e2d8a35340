"""The engine of this checkout against the engine of another git revision, in one process, on
the speed benchmark's inputs: each timed call alternates between the two, and the best of
several runs is printed (machine noise hits both alike).

Usage: python benchmarks/against.py REV [--mb 3] [--entries 10000] [--runs 5]

REV's ``src/cleanmt`` is extracted with ``git archive`` into a temporary folder and imported under
another package name (the package uses relative imports only), beside this checkout's cleanmt.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # noqa: E402  (the same generated inputs)

import cleanmt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def import_revision(rev: str, where: Path):
    """REV's cleanmt package, imported as ``cleanmt_<rev>``."""
    data = subprocess.run(["git", "archive", rev, "src/cleanmt", "glossary"], cwd=ROOT, check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(where, filter="data")
    name = "cleanmt_" + "".join(c for c in rev if c.isalnum())
    pkg = where / "src" / name
    (where / "src" / "cleanmt").rename(pkg)
    if not (pkg / "data").exists():  # the bundled glossaries, where either layout looks for them
        (pkg / "data").symlink_to(where / "glossary")
    if not (pkg / "glossary").exists():
        (pkg / "glossary").symlink_to(where / "glossary")
    sys.path.insert(0, str(where / "src"))
    return importlib.import_module(name)


def best(fn, runs: int) -> float:
    out = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("rev")
    ap.add_argument("--mb", type=float, default=3.0)
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", help="run only the setups whose label holds this text (e.g. dense)")
    ap.add_argument("--findings", action="store_true",
                    help="read each Result's findings too (they are computed when first read)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = import_revision(args.rev, Path(tmp))
        toml, wrongs = speed.make_glossary(args.entries)
        g = Path(tmp) / "g.toml"
        g.write_text(toml, encoding="utf-8")
        corpora = {"prose": speed.make_corpus(args.mb, wrongs),
                   "markdown": speed.make_corpus(args.mb, wrongs, markdown=True)}
        seed = (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8")
        dense, pairs = speed.dense_inputs(args.mb, args.entries)
        tsv = Path(tmp) / "dense.tsv"
        tsv.write_text("".join(f"{a}\t{b}\n" for a, b in pairs), encoding="utf-8")
        corpora["dense"] = dense
        corpora["seed article repeated"] = "\n\n".join([seed] * max(1, int(args.mb * 1e6 / len(seed.encode()))))
        setups = {
            "10k entries, whole pipeline": lambda m: m.Cleaner([m.load_glossary(g)], check_examples=False),
            "10k entries, glossary stage": lambda m: m.Cleaner([m.load_glossary(g)], stages=("glossary",),
                                                               check_examples=False),
            "bundled glossaries, whole pipeline": lambda m: m.Cleaner(),
            "dense 10k TSV, whole pipeline": lambda m: m.Cleaner([tsv], check_examples=False),
            "dense 10k TSV, glossary stage": lambda m: m.Cleaner([tsv], stages=("glossary",), check_examples=False),
        }
        only = {"dense 10k TSV, whole pipeline": "dense", "dense 10k TSV, glossary stage": "dense"}
        print(f"this checkout vs {args.rev}, best of {args.runs} alternating runs (MB/s)"
              + (", findings read" if args.findings else ", findings not read"))
        for label, make in setups.items():
            if args.only and args.only not in label:
                continue
            new_c, old_c = make(cleanmt), make(old)
            for cname, text in corpora.items():
                if label in only and cname != only[label] or label not in only and cname == "dense":
                    continue
                if cname != "prose" and not label.startswith("bundled") and cname.startswith("seed"):
                    continue
                mb = len(text.encode()) / 1e6
                new_c.clean(speed.WARM_UP), old_c.clean(speed.WARM_UP)
                tn, to = [], []
                if args.findings:
                    run_old, run_new = (lambda: old_c.clean(text).findings), (lambda: new_c.clean(text).findings)
                else:
                    run_old, run_new = (lambda: old_c.clean(text)), (lambda: new_c.clean(text))
                for _ in range(args.runs):
                    to.append(best(run_old, 1))
                    tn.append(best(run_new, 1))
                a, b = mb / min(to), mb / min(tn)
                print(f"  {label:38s} {cname:22s} {args.rev}: {a:6.2f}  now: {b:6.2f}  ({(b / a - 1) * 100:+.1f}%)",
                      flush=True)


if __name__ == "__main__":
    main()
