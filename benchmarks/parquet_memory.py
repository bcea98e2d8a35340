"""Time and peak memory of `cleanmt fix` on a Parquet corpus (cleaned row group by row group), next
to `cleanmt fix` on the same text as one plain .txt file (cleaned in chunks), in the same run.

The corpus is made from the seed article's paragraphs: each row one to four paragraphs from a
rotating start, with its row number, in row groups of ROWS_PER_GROUP rows, plus an id and a
metadata column passed through. Each command runs in a subprocess of its own; its peak RSS is that
process's alone (/usr/bin/time, else os.wait4).

Usage: python benchmarks/parquet_memory.py [--mb MEGABYTES of text, default 200] [--rows-per-group N]
                                          [--dask local:2]
With --dask, the same file is also cleaned split by row groups across the workers of a cluster
(`cleanmt fix --dask ADDRESS`), its output compared byte for byte with the single process's; the
peak RSS given is then the largest of the client and its workers (GNU time counts the largest
process waited for).
The corpus is written to a temporary folder under /tmp (about 1.5× the text in all) and deleted at the end.
The load averages printed beside each figure say how busy the machine was (a shared machine's
figures are noisy).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS_PER_GROUP = 20_000


def _rows(paras: list[str], start: int, n: int) -> list[str]:
    out = []
    for i in range(start, start + n):
        k = i % len(paras)
        out.append("\n\n".join(paras[k:k + 1 + i % 4]) + f" ({i})")
    return out


def _run(args: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB of that process alone, exit code). /usr/bin/time measures a process
    it starts itself; os.wait4 on a child of this (large) process would count the memory the child
    had between fork and exec."""
    t = time.perf_counter()
    if os.path.exists("/usr/bin/time"):
        with tempfile.NamedTemporaryFile("r") as out:
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *args],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            el = time.perf_counter() - t
            return el, int(out.read().split()[-1]) / 1024, proc.returncode
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(mb: float = 200, rows_per_group: int = ROWS_PER_GROUP, dask: str | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw = (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    body = raw[: raw.index("\n\nVer original")]
    paras = [p for p in body.split("\n\n") if p.strip()]
    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        pqf, txt = Path(tmp) / "corpus.parquet", Path(tmp) / "corpus.txt"
        schema = pa.schema([("id", pa.int64()), ("text", pa.string()), ("source", pa.string())],
                           metadata={"made-by": "benchmarks/parquet_memory.py"})
        text_bytes, row, groups = 0, 0, 0
        with pq.ParquetWriter(pqf, schema, compression="zstd") as w, open(txt, "w", encoding="utf-8") as t:
            while text_bytes < mb * 1e6:
                rows = _rows(paras, row, rows_per_group)
                w.write_table(pa.table({"id": range(row, row + len(rows)), "text": rows,
                                        "source": [f"https://example.com/{i}" for i in range(row, row + len(rows))]},
                                       schema=schema), row_group_size=len(rows))
                t.write("\n\n".join(rows) + "\n\n")
                text_bytes += sum(len(r.encode()) for r in rows)
                row += len(rows)
                groups += 1
        print(f"corpus: {row:,} rows in {groups} row groups, {text_bytes / 1e6:.1f} MB of text; "
              f"Parquet file {pqf.stat().st_size / 1e6:.1f} MB (zstd); plain text file {txt.stat().st_size / 1e6:.1f} MB; {_load()}", flush=True)
        cmd = [sys.executable, "-m", "cleanmt"]
        el, rss, _ = _run([sys.executable, "-c", "import cleanmt.cli, pyarrow.parquet"])
        print(f"python + import cleanmt.cli and pyarrow alone: {el:.2f} s, peak RSS {rss:.0f} MB", flush=True)
        el, rss, rc = _run([*cmd, "fix", "-q", "-j", "1", str(pqf), "--out-dir", str(Path(tmp) / "out")])
        out = pq.ParquetFile(Path(tmp) / "out" / "corpus.parquet").metadata
        print(f"cleanmt fix corpus.parquet --out-dir: {el:.1f} s, {text_bytes / 1e6 / el:.2f} MB/s of text, "
              f"peak RSS {rss:.0f} MB (exit {rc}; output: {out.num_rows:,} rows, {out.num_row_groups} row groups; {_load()})", flush=True)
        if dask:
            d_el, d_rss, d_rc = _run([*cmd, "fix", "-q", "--dask", dask, str(pqf), "--out-dir", str(Path(tmp) / "dask")])
            same = (Path(tmp) / "dask" / "corpus.parquet").read_bytes() == (Path(tmp) / "out" / "corpus.parquet").read_bytes()
            print(f"cleanmt fix corpus.parquet --out-dir --dask {dask} (split by row groups): {d_el:.1f} s, "
                  f"{text_bytes / 1e6 / d_el:.2f} MB/s of text ({el / d_el:.2f}x one process, cluster start included), "
                  f"peak RSS of the largest process {d_rss:.0f} MB (exit {d_rc}; byte-identical: {same}; {_load()})",
                  flush=True)
            shutil.rmtree(Path(tmp) / "dask")
        el, rss, rc = _run([*cmd, "fix", "-q", "-j", "1", str(txt)])
        print(f"baseline: cleanmt fix corpus.txt (same text, one document in 1 MB chunks): {el:.1f} s, "
              f"{txt.stat().st_size / 1e6 / el:.2f} MB/s, peak RSS {rss:.0f} MB (exit {rc}; {_load()})", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("mb_pos", nargs="?", type=float, metavar="MEGABYTES", help="as --mb (kept for old command lines)")
    ap.add_argument("--mb", type=float, default=None, help="megabytes of text (default 200)")
    ap.add_argument("--rows-per-group", type=int, default=ROWS_PER_GROUP)
    ap.add_argument("--dask", metavar="ADDRESS", help="also clean the file split across a cluster (local:2)")
    a = ap.parse_args()
    main(a.mb or a.mb_pos or 200, a.rows_per_group, a.dask)
