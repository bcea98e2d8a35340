"""Time of cleanmt.clean against input size for the worst inputs found, to show it stays linear:
for each input kind, seconds per MB at doubling sizes (a quadratic step would double each time).

Usage: python benchmarks/linearity.py [MAX_MB]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import cleanmt

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8")

KINDS = {
    "seed article (dense edits)": lambda n: (SEED + "\n\n") * (n // len(SEED) + 1),
    "tiny lines": lambda n: "a\n" * (n // 2),
    "one long line": lambda n: "A Xiaomi e o novo painço , hoje " * (n // 33),
    "punctuation storm": lambda n: "a , . ; : ! ? ( ) . . ,, ——" * (n // 27),
    "emphasis markers": lambda n: "** texto ** palavra** x**\n\n" * (n // 27),
    "one long word": lambda n: "a" * n,
    "agreement chains": lambda n: "Xiaomi: dos novos muitos outros todos painços e cenas " * (n // 55),
    # thousands of code blocks: a per-paragraph scan of all of them was quadratic (fixed)
    "code blocks (Markdown)": lambda n: ("Texto (com `código`) e [x]. \n\n```python\nx = [1, 2 ,3]\n```\n\n"
                                         * (n // 60)),
    "indented code": lambda n: "Texto (a).\n\n    código ( 1 , 2 )\n\n" * (n // 36),
}


def main(max_mb: float = 1.0) -> None:
    cleaner = cleanmt.Cleaner()
    sizes = []
    s = 0.125
    while s <= max_mb + 1e-9:
        sizes.append(s)
        s *= 2
    print("input".ljust(28) + "".join(f"{s:>10.3g} MB" for s in sizes) + "   (seconds per MB)")
    for name, make in KINDS.items():
        row = []
        for mb in sizes:
            text = make(int(mb * 1e6))[: int(mb * 1e6)]
            t = time.perf_counter()
            cleaner.clean(text)
            row.append((time.perf_counter() - t) / (len(text.encode()) / 1e6))
        print(name.ljust(28) + "".join(f"{x:>13.2f}" for x in row))


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
