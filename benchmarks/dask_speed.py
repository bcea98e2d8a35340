"""Scale-out on Dask against one process, in the same run: a Parquet corpus of machine-translated
paragraphs (the seed article's, each varied) in a folder of Parquet files, taken as a user would:
``dd.read_parquet`` → ``cleanmt.dask.clean`` → ``to_parquet``, written by the workers. The baseline
is the same graph on the synchronous scheduler (one process, one thread); outputs compared byte
for byte. The workers' task stream says where the cluster's time goes: the share of the wall time
the workers computed, and their cost per MB next to the single process's.

Usage: python benchmarks/dask_speed.py [--mb 50] [--workers 2] [--partitions 16] [--gather] [--cli]
  --gather  also time .compute() (every cleaned row sent back to the client), the old way
  --cli     also time `cleanmt fix FOLDER --out-dir --dask local:N` against `-j 1`
Needs the dask extra (pip install "cleanmt[dask]"). Cluster start-up is timed apart. The machine's
load averages are printed beside the figures: on a shared machine they are noisy.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
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


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


def _stream_summary(stream, wall: float, workers: int, mb: float) -> str:
    """Compute time per task kind on the workers, and the share of workers × wall it fills."""
    by_kind: dict[str, float] = {}
    other = 0.0
    for task in stream:
        for ss in task.get("startstops", ()):
            d = ss["stop"] - ss["start"]
            if ss["action"] == "compute":
                kind = task["key"][0] if isinstance(task["key"], tuple) else task["key"]
                kind = str(kind).rsplit("-", 1)[0]
                by_kind[kind] = by_kind.get(kind, 0.0) + d
            else:
                other += d
    busy = sum(by_kind.values())
    kinds = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])[:4])
    return (f"workers computed {busy:.1f} s of {workers} × {wall:.1f} s = {100 * busy / (workers * wall):.0f}% "
            f"({busy / mb:.2f} s/MB; {kinds}; transfers and disk {other:.1f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=16)
    ap.add_argument("--gather", action="store_true")
    ap.add_argument("--cli", action="store_true")
    args = ap.parse_args()
    import dask
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    import cleanmt
    import cleanmt.dask

    rows = corpus(args.mb)
    mb = sum(len(r.encode()) for r in rows) / 1e6
    print(f"{mb:.1f} MB, {len(rows)} rows in {args.partitions} Parquet files; {_load()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        # a corpus as data engineers keep one: a folder of Parquet files
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        step = -(-len(rows) // args.partitions)
        for k in range(0, len(rows), step):
            pd.DataFrame({"id": range(k, min(k + step, len(rows))), "text": rows[k:k + step]}).to_parquet(
                folder / f"part-{k // step:03d}.parquet")
        del rows
        cleaner = cleanmt.Cleaner()
        cleaner.clean("aquecimento.")
        import gc

        gc.freeze()  # as the command line and the Dask workers do: the same footing for both
        t, cpu = time.perf_counter(), time.process_time()
        with dask.config.set(scheduler="synchronous"):
            cleanmt.dask.clean(dd.read_parquet(folder), "text", cleaner=cleaner).to_parquet(Path(tmp) / "one")
        t_one, cpu_one = time.perf_counter() - t, time.process_time() - cpu
        print(f"one process (same graph, synchronous scheduler): {mb / t_one:.2f} MB/s ({t_one:.1f} s, "
              f"CPU {cpu_one:.1f} s; {_load()})", flush=True)
        t = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            t_start = time.perf_counter() - t
            client.run(gc.collect)  # the workers start from the same state for every run
            from distributed import get_task_stream

            with get_task_stream(client) as ts:
                w_cpu, cpu = client.run(time.process_time), time.process_time()
                t = time.perf_counter()
                cleanmt.dask.clean(dd.read_parquet(folder), "text", cleaner=cleaner).to_parquet(Path(tmp) / "dask")
                t_dask = time.perf_counter() - t
                cpu_client = time.process_time() - cpu
                w_cpu = {k: v - w_cpu[k] for k, v in client.run(time.process_time).items()}
            same = _files(Path(tmp) / "dask") == _files(Path(tmp) / "one")
            print(f"dask, {args.workers} local workers, written by the workers: {mb / t_dask:.2f} MB/s "
                  f"({t_dask:.1f} s, cluster start {t_start:.1f} s); {t_one / t_dask:.2f}x one process; "
                  f"output files byte-identical: {same}; {_load()}", flush=True)
            print("  " + _stream_summary(ts.data, t_dask, args.workers, mb) + f"; one process {t_one / mb:.2f} s/MB",
                  flush=True)
            # CPU time does not depend on what else the machine runs: what the cluster costs, and
            # the speed-up two free cores would give (the busiest worker's CPU time against one process's)
            busiest = max(w_cpu.values())
            print(f"  CPU: workers {' + '.join(f'{v:.1f}' for v in w_cpu.values())} s (one process: {cpu_one:.1f} s), "
                  f"client and scheduler {cpu_client:.1f} s; one process's CPU / busiest worker's CPU = "
                  f"{cpu_one / busiest:.2f}x", flush=True)
            if args.gather:
                t = time.perf_counter()
                got = cleanmt.dask.clean(dd.read_parquet(folder), "text", cleaner=cleaner).compute()
                t_gather = time.perf_counter() - t
                same = list(got.sort_values("id")["text"]) == list(pd.read_parquet(Path(tmp) / "one")
                                                                   .sort_values("id")["text"])
                print(f"dask, .compute() to the client instead: {mb / t_gather:.2f} MB/s ({t_gather:.1f} s); "
                      f"{t_one / t_gather:.2f}x; identical: {same}; {_load()}", flush=True)
                del got
    if args.cli:
        _cli(args, mb)


def _cli(args, mb: float) -> None:
    """`cleanmt fix` over the same kind of folder: -j 1 against --dask local:N (cluster start included)."""
    import pandas as pd

    rows = corpus(args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        step = -(-len(rows) // args.partitions)
        for k in range(0, len(rows), step):
            pd.DataFrame({"id": range(k, min(k + step, len(rows))), "text": rows[k:k + step]}).to_parquet(
                folder / f"part-{k // step:03d}.parquet")
        cmd = [sys.executable, "-m", "cleanmt", "fix", "-q", str(folder)]
        times = {}
        for name, extra in (("-j 1", ["-j", "1"]), (f"--dask local:{args.workers}", ["--dask", f"local:{args.workers}"])):
            t = time.perf_counter()
            subprocess.run([*cmd, "--out-dir", str(Path(tmp) / name.replace(" ", "_")), *extra],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name] = time.perf_counter() - t
        a, b = (_files(Path(tmp) / n.replace(" ", "_")) for n in times)
        (n1, t1), (n2, t2) = times.items()
        print(f"cleanmt fix FOLDER --out-dir: {n1} {mb / t1:.2f} MB/s ({t1:.1f} s), {n2} {mb / t2:.2f} MB/s "
              f"({t2:.1f} s, cluster start included); {t1 / t2:.2f}x; byte-identical: {a == b and bool(a)}; {_load()}")


if __name__ == "__main__":
    main()
