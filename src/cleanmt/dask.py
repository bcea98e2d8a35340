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
"""
from __future__ import annotations

import json

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
    (default: the bundled glossaries)."""
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
