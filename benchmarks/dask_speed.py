"""Scale-out on Dask against one process, in the same run: a Parquet corpus of machine-translated
paragraphs (the seed article's, each varied) cleaned by one process (``Cleaner.clean`` row by
row) and by a LocalCluster of N worker processes (``cleanmt.dask.clean``), outputs compared.

Usage: python benchmarks/dask_speed.py [--mb 50] [--workers 2] [--partitions 16]
Needs the dask extra (pip install "cleanmt[dask]"). Cluster start-up is timed apart.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(mb: float, seed: int = 5) -> list[str]:
    paras = [p for p in (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8").split("\n\n")
             if p.strip()]
    rng = random.Random(seed)
    out, size = [], 0
    while size < mb * 1e6:
        words = rng.choice(paras).split(" ")
        i = rng.randrange(len(words))
        words.insert(i, words[rng.randrange(len(words))])  # varied: no two rows alike
        out.append(" ".join(words))
        size += len(out[-1].encode())
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=16)
    args = ap.parse_args()
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    import cleanmt
    import cleanmt.dask

    rows = corpus(args.mb)
    mb = sum(len(r.encode()) for r in rows) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        # a corpus as data engineers keep one: a folder of Parquet files
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        step = -(-len(rows) // args.partitions)
        for k in range(0, len(rows), step):
            pd.DataFrame({"id": range(k, min(k + step, len(rows))), "text": rows[k:k + step]}).to_parquet(
                folder / f"part-{k // step:03d}.parquet")
        cleaner = cleanmt.Cleaner()
        cleaner.clean("aquecimento.")
        import gc

        gc.freeze()  # as the command line and the Dask workers do: the same footing for both
        t = time.perf_counter()
        one = [cleaner.clean(r).text for r in pd.read_parquet(folder)["text"]]
        t_one = time.perf_counter() - t
        t = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            t_start = time.perf_counter() - t
            t = time.perf_counter()
            got = cleanmt.dask.clean(dd.read_parquet(folder), "text", cleaner=cleaner).compute()
            t_dask = time.perf_counter() - t
    same = list(got.sort_values("id")["text"]) == one
    print(f"{mb:.1f} MB, {len(rows)} rows: one process {mb / t_one:.2f} MB/s ({t_one:.1f} s); "
          f"dask, {args.workers} local workers {mb / t_dask:.2f} MB/s ({t_dask:.1f} s, cluster start {t_start:.1f} s); "
          f"{t_one / t_dask:.2f}x; outputs identical: {same}")


if __name__ == "__main__":
    main()
