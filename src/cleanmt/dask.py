"""Scale-out on Dask: clean a column of a Dask DataFrame, or a Bag of texts or records, on a
cluster (``pip install "cleanmt[dask]"``).

    import dask.dataframe as dd
    from distributed import Client
    import cleanmt.dask

    client = Client("tcp://scheduler:8786")           # or Client(LocalCluster(n_workers=4))
    df = dd.read_parquet("corpus/*.parquet")
    cleaned = cleanmt.dask.clean(df, "text")           # same partitions, other columns unchanged
    cleaned.to_parquet("clean/")

The compiled Cleaner is one task of the graph: computed once, held by the worker that ran it and
copied to each other worker once, so every partition on a worker shares one Cleaner (not one copy
per task). Each text is cleaned as ``Cleaner.clean`` would clean it alone, so the result is the
same as a single-process run, whatever the partitioning.

The command line's ``--dask`` (cleanmt.batch.run_on_dask) also splits one big Parquet file across
the workers here: its row groups are cleaned in parts by the workers, and the client writes them
in order, as they come back, into the one output file a single process would write.
"""
from __future__ import annotations

import json
from collections import deque
from pathlib import Path

SPLIT_FROM = 16 * 2**20  # a Parquet file of more bytes than this (decompressed) is split across workers
PART_BYTES = 8 * 2**20  # ... in parts of consecutive row groups of at least this many bytes each

_SEEN: set[int] = set()  # ids of the Cleaners this process cleaned with (tests: one per worker)


def _cleaner_task(cleaner):
    return cleaner


def _clean_value(cleaner, value):
    if not isinstance(value, str):
        return value  # a missing value stays missing
    return cleaner.clean(value).text


def _first_use(cleaner) -> None:
    """A worker's first partition with this Cleaner: its objects live as long as the worker, so
    they are moved out of the garbage collector's way, as the command line does (gc.freeze)."""
    if id(cleaner) not in _SEEN:
        _SEEN.add(id(cleaner))
        import gc

        gc.freeze()


def _clean_partition(pdf, column: str, cleaner, edits_column: str | None):
    _first_use(cleaner)
    values = pdf[column].tolist()
    results = [cleaner.clean(v) if isinstance(v, str) else None for v in values]
    new = {column: [r.text if r is not None else v for r, v in zip(results, values)]}
    if edits_column:
        new[edits_column] = [json.dumps([[e.start, e.end, e.before, e.after, e.rule_id, e.stage] for e in r.edits],
                                        ensure_ascii=False) if r is not None else None for r in results]
    return pdf.assign(**new)  # the other columns are shared, not copied


def _clean_records(records, field: str | None, cleaner):
    _first_use(cleaner)
    out = []
    for rec in records:
        if field is None:
            out.append(_clean_value(cleaner, rec))
        elif isinstance(rec, dict) and isinstance(rec.get(field), str):
            out.append({**rec, field: cleaner.clean(rec[field]).text})
        else:
            out.append(rec)
    return out


def clean(collection, column: str | None = None, *, cleaner=None, edits_column: str | None = None):
    """``collection`` cleaned: a Dask DataFrame with ``column`` cleaned (and, with
    ``edits_column``, a column of each row's edits as JSON), or a Dask Bag of texts (``column``
    None) or of dict records (``column`` names their text field). ``cleaner``: a ``Cleaner``
    (default: the bundled glossaries). Write a corpus with ``to_parquet``: the workers write their
    partitions, where ``compute()`` would send every cleaned row to the client."""
    import dask
    import dask.bag as db

    if cleaner is None:
        from .pipeline import default_cleaner

        cleaner = default_cleaner()
    shared = dask.delayed(_cleaner_task, pure=True)(cleaner)  # one task: one copy per worker
    if isinstance(collection, db.Bag):
        return collection.map_partitions(_clean_records, column, shared)
    if column is None:
        raise TypeError("a DataFrame needs the name of its text column")
    meta = collection._meta.copy()
    if edits_column:
        meta[edits_column] = meta[column].astype(object)
    return collection.map_partitions(_clean_partition, column, shared, edits_column, meta=meta)


# -- one big Parquet file across the workers (the command line's --dask) -------------------------

def split_plan(path: str, opts) -> list[tuple[int, int, int]] | None:
    """The parts (first row group, stop, first row) a Parquet file is cleaned in, or None when it is
    one task: not Parquet, small, one row group, or not readable here (the worker reports why)."""
    from .columnar import is_parquet

    if not is_parquet(path) or opts.mode == "clean" or opts.source is not None or opts.bitext:
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as pf:
            md = pf.metadata
    except (pa.ArrowException, OSError):
        return None
    sizes = [(md.row_group(g).total_byte_size, md.row_group(g).num_rows) for g in range(md.num_row_groups)]
    if len(sizes) < 2 or sum(b for b, _ in sizes) <= SPLIT_FROM:
        return None
    parts, first, row, acc, start_row = [], 0, 0, 0, 0
    for g, (nbytes, nrows) in enumerate(sizes):
        acc, row = acc + nbytes, row + nrows
        if acc >= PART_BYTES or g == len(sizes) - 1:
            parts.append((first, g + 1, start_row))
            first, acc, start_row = g + 1, 0, row
    return parts


def _clean_part(path: str, first: int, stop: int, row: int, column: str, extra, cleaner, held: int):
    from .columnar import clean_row_groups

    _first_use(cleaner)
    return clean_row_groups(path, first, stop, row, column, extra, cleaner, held)


def clean_split(client, path: str, parts, cleaner, shared, opts, in_flight: int):
    """One Parquet file cleaned part by part on the workers (``shared``: the Cleaner's future) and
    written here in row order, as ``process_parquet`` writes it in one process, so the output is
    the same file. At most ``in_flight`` parts are submitted and not yet written at a time: the
    client holds one part, the workers a few, whatever the file's size."""
    from .columnar import process_parquet
    from .files import FileResult

    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        return FileResult(path, "error", f"cannot be read: {exc.strerror or exc}")

    def cleaned_groups(pf, column, extra, res):
        todo, pending = iter(parts), deque()

        def submit() -> None:
            for first, stop, row in todo:
                pending.append(client.submit(_clean_part, path, first, stop, row, column, extra, shared,
                                             len(res.records), pure=False))
                return

        try:
            for _ in range(in_flight):
                submit()
            while pending:
                tables, tally = pending.popleft().result()  # the worker's copy is released with the future
                submit()
                tally.add_to(res)
                yield from tables
                del tables
        finally:  # a damaged row group, an error writing, Ctrl-C: the other parts are dropped
            try:
                client.cancel(list(pending))
            except Exception:  # noqa: BLE001 - best effort: released futures are dropped anyway
                pass

    return process_parquet(p, st, cleaner, opts, cleaned_groups)
