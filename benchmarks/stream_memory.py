"""Peak memory and time of `cleanmt fix` on one large file (cleaned in chunks), next to the same
file cleaned whole in memory with `cleanmt.clean`, in the same run.

Usage: python benchmarks/stream_memory.py [MEGABYTES]   (the in-memory baseline runs up to 100 MB)
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(mb: float = 30) -> None:
    raw = (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    body = raw[: raw.index("\n\nVer original")]
    n = max(1, int(mb * 1e6 / len(body.encode())))
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "big.md"
        with open(p, "w", encoding="utf-8") as f:
            for _ in range(n):
                f.write(body + "\n\n")
        size = p.stat().st_size / 1e6
        print(f"file: {size:.1f} MB")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cleanmt", "fix", "-q", str(p)], check=False)
        el = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"cleanmt fix (chunks of 1 MB): {el:.1f} s, {size / el:.2f} MB/s, peak RSS {rss:.0f} MB")
        if size > 100:
            print("baseline (whole text in memory) skipped above 100 MB: it needs ~10x the file in RAM")
            return
        code = ("import sys, cleanmt; t = open(sys.argv[1], encoding='utf-8').read(); cleanmt.clean(t)")
        p.write_text((body + "\n\n") * n, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(p)], check=False)
        el = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"baseline: cleanmt.clean on the whole text in memory: {el:.1f} s, peak RSS {max(rss, before):.0f} MB "
              f"(the peak of all children so far)")


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
