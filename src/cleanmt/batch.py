"""Running over files: one file (read whole, streamed when it is large, or a Parquet file row
group by row group) and many files in
worker processes, each given the compiled Cleaner once."""
from __future__ import annotations

import pickle
from pathlib import Path

from .columnar import is_parquet, process_parquet
from .files import FileResult, Options, _copy_out, _write_out, atomic_write, paired_source, process_bytes
from .formats import kind_of
from .streaming import process_stream

STREAM_FROM = 16 * 2**20  # files larger than this are cleaned in chunks, in bounded memory


def process_file(path: str, cleaner, opts: Options) -> FileResult:
    p = Path(path)
    try:
        st = p.stat()
        if is_parquet(path):
            return process_parquet(p, st, cleaner, opts)
        if (st.st_size > STREAM_FROM and kind_of(path) == "text" and opts.source is None and not opts.bitext
                and opts.mode != "clean" and paired_source(path) is None):
            res = process_stream(p, st, cleaner, opts)
            if res.status == "skipped" and opts.mode == "fix" and opts.out_dir is not None:
                try:
                    _copy_out(p, st.st_mode, opts)
                except OSError as exc:
                    res.status, res.message = "error", f"{res.message}; cannot be copied: {exc.strerror or exc}"
            return res
        data = p.read_bytes()
    except OSError as exc:
        return FileResult(path, "error", f"cannot be read: {exc.strerror or exc}")
    res, new = process_bytes(path, data, cleaner, opts)
    if opts.mode != "fix" or (new is None and opts.out_dir is None):
        return res
    try:
        if opts.out_dir is not None:
            # the mirror gets every file taken: unchanged and skipped ones are copied as they are
            _write_out(p, new if new is not None else data, st.st_mode, opts)
        else:
            atomic_write(p, new, st.st_mode)
    except OSError as exc:
        res.status, res.message = "error", f"cannot be written: {exc.strerror or exc}"
    return res


# -- many files ----------------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(blob: bytes, opts: Options) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _WORKER["cleaner"] = pickle.loads(blob)
    _WORKER["opts"] = opts
    import gc

    gc.freeze()  # as the parent does (cli.py): the glossaries stay out of full collections


def _work(path: str) -> FileResult:
    return process_file(path, _WORKER["cleaner"], _WORKER["opts"])


def run_many(files: list[str], cleaner, opts: Options, jobs: int, progress=None):
    """Yield a FileResult per file, in the order given; ``jobs`` > 1 uses worker processes, each
    receiving the compiled cleaner once."""
    if jobs <= 1 or len(files) < 2:
        for f in files:
            r = process_file(f, cleaner, opts)
            if progress:
                progress(r)
            yield r
        return
    from concurrent.futures import ProcessPoolExecutor

    blob = pickle.dumps(cleaner)
    chunk = max(1, min(64, len(files) // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(blob, opts))
    try:
        for r in pool.map(_work, files, chunksize=chunk):
            if progress:
                progress(r)
            yield r
    finally:  # on Ctrl-C: stop handing out files; a file being written finishes or is untouched
        pool.shutdown(wait=True, cancel_futures=True)

def _dask_work(path: str, cleaner, opts: Options) -> FileResult:
    return process_file(path, cleaner, opts)


def run_on_dask(files: list[str], cleaner, opts: Options, address: str, progress=None):
    """Yield a FileResult per file, in the order given, each file cleaned by a worker of a Dask
    cluster: ``local:N`` starts a LocalCluster of N worker processes, ``tcp://host:port`` connects
    to a running scheduler (its workers must see the same files at the same paths). The compiled
    cleaner is sent to every worker once (scattered, broadcast), not once per file. A big Parquet
    file is split by row groups across the workers and written here (cleanmt.dask.clean_split);
    every other file is one task, written by its worker."""
    from distributed import Client, LocalCluster

    from .dask import clean_split, split_plan

    cluster = None
    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address.split(":", 1)[1]), threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        shared = client.scatter(cleaner, broadcast=True)
        plans = [split_plan(f, opts) for f in files]
        whole = [f for f, plan in zip(files, plans) if plan is None]
        futures = iter(client.map(_dask_work, whole, cleaner=shared, opts=opts, pure=False))
        in_flight = 2 * max(1, sum(client.nthreads().values()))
        for f, plan in zip(files, plans):
            r = (clean_split(client, f, plan, cleaner, shared, opts, in_flight) if plan is not None
                 else next(futures).result())
            if progress:
                progress(r)
            yield r
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
