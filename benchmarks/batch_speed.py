"""Batch throughput: `cleanmt check` over a folder of generated documents with -j 1 and -j 2,
next to a baseline in the same run (reading every file and decoding it, nothing else).

Usage: python benchmarks/batch_speed.py [FILES]
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

from cleanmt import cli

ROOT = Path(__file__).resolve().parent.parent


def main(n: int = 2000) -> None:
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").rglob("*.txt"))]
    sources += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "keep").iterdir())]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        total = 0
        for k in range(n):
            text = sources[k % len(sources)]
            # documents of 1-8 KB: a slice of a fixture, cut at a paragraph
            start = (k * 997) % max(1, len(text) - 1)
            start = text.rfind("\n\n", 0, start) + 2 if "\n\n" in text[:start] else 0
            piece = text[start:start + 1000 + (k % 8) * 1000]
            (folder / f"d{k:05d}.md").write_text(piece, encoding="utf-8")
            total += len(piece.encode())
        print(f"{n} files, {total / 1e6:.2f} MB")
        t = time.perf_counter()
        for p in folder.iterdir():
            p.read_bytes().decode("utf-8")
        base = time.perf_counter() - t
        print(f"baseline (read + decode only): {base:.2f} s, {n / base:.0f} files/s, {total / 1e6 / base:.1f} MB/s")
        for jobs in (1, 2):
            t = time.perf_counter()
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                cli.main(["check", "-q", "-j", str(jobs), str(folder)])
            el = time.perf_counter() - t
            print(f"cleanmt check -j {jobs}: {el:.2f} s, {n / el:.0f} files/s, {total / 1e6 / el:.2f} MB/s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
