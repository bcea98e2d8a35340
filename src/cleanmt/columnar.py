"""Parquet corpora: one string column cleaned row by row, read and written one row group at a time.

pyarrow is imported here on first use (a Parquet file taken), so runs over text files never pay
its import time. Each row is a document of its own, as a JSON Lines record is: corpus rows are
usually unrelated texts (web pages, samples), and a row's result then depends on the row alone,
so it is the same whatever the row groups, shards or workers. Memory is bounded by one row group:
it is read whole (every column, so the others can be passed through), cleaned, written as one row
group of the output, and dropped.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .files import FileResult, Options, _copy_out, _mirror_path, _records, atomic_write

SUFFIXES = (".parquet",)
SLICE = 2048  # rows of a row group held as Python strings at a time
MAX_RECORDS = 10_000  # edits and findings listed per file (a corpus has millions); counts stay exact
_MARK = {b"cleanmt": b"edits"}  # field metadata of the columns --edits-column writes


class _Refused(Exception):
    """The file is a Parquet file but not one we can clean as asked (no such column, not strings)."""


class _Unreadable(Exception):
    """The file is not readable Parquet (malformed, truncated, corrupt)."""


class _Unchanged(Exception):
    """Raised inside the atomic write to drop the temporary file: nothing to write."""


def is_parquet(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


def process_parquet(p: Path, st, cleaner, opts: Options, cleaned_groups=None) -> FileResult:
    """Clean column ``opts.jsonl_field`` of a Parquet file; for fix, write the result atomically
    (in place, or mirrored under ``--out-dir``): a file that cannot be read leaves no output.
    ``cleaned_groups(pf, column, extra, res)``, when given, yields the cleaned row groups in order
    in place of cleaning them here (cleanmt.dask: parts of the file cleaned by workers)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    res = FileResult(str(p), "unchanged")
    column = opts.jsonl_field
    if opts.mode == "clean":
        return FileResult(str(p), "error", "clean does not print Parquet files; use fix --out-dir DIR, "
                                           "or check/explain for the edits of each row")
    if opts.source is not None or opts.bitext:
        return FileResult(str(p), "error", "--source and --bitext do not apply to Parquet files "
                                           "(each row is cleaned alone)")
    try:
        pf = pq.ParquetFile(str(p))
    except (pa.ArrowException, OSError) as exc:
        return FileResult(str(p), "error", f"not a readable Parquet file: {_one_line(exc)}")
    try:
        try:
            idx, out_schema, extra = _schemas(pa, pf.schema_arrow, column, opts.edits_column)
        except _Refused as exc:  # left untouched, as a text file that is not text is
            res.status, res.message = "skipped", str(exc)
            if opts.mode == "fix" and opts.out_dir is not None:
                _copy_out(p, st.st_mode, opts)
            return res
        groups = (cleaned_groups(pf, column, extra, res) if cleaned_groups is not None
                  else _cleaned_groups(pa, pf, column, extra, cleaner, res))
        if opts.mode != "fix":
            for _ in groups:
                pass
        else:
            target = p if opts.out_dir is None else _mirror_path(p, opts)
            # with --edits-column every output has the column (shards of a corpus keep one schema)
            keep = opts.edits_column is not None
            if opts.out_dir is not None:
                target.parent.mkdir(parents=True, exist_ok=True)

            def write(f) -> None:
                writer = pq.ParquetWriter(f, out_schema, compression=_codec(pf))
                try:
                    for table in groups:
                        writer.write_table(table, row_group_size=max(1, table.num_rows))
                finally:
                    writer.close()
                if not keep and res.status != "changed":
                    raise _Unchanged

            try:
                atomic_write(target, write, st.st_mode)
            except _Unchanged:
                if opts.out_dir is not None:  # the mirror gets every file taken, as it was
                    _copy_out(p, st.st_mode, opts)
    except _Unreadable as exc:
        return FileResult(str(p), "error", f"not a readable Parquet file: {exc}")
    except (pa.ArrowException, OSError) as exc:
        return FileResult(str(p), "error", f"cannot be written: {getattr(exc, 'strerror', None) or _one_line(exc)}")
    finally:
        pf.close()
    if res.status == "changed" and opts.mode == "diff":
        res.message = "no diff is shown for a Parquet file: the edits are listed by row"
    if len(res.records) >= MAX_RECORDS:
        res.message = f"only the first {MAX_RECORDS} edits and findings are listed"
    return res


def _schemas(pa, schema, column: str, edits_column: str | None):
    """(index of the text column, output schema, the edits fields or None)."""
    idx = schema.get_field_index(column)
    if idx < 0:
        names = ", ".join(schema.names[:20]) + (", …" if len(schema.names) > 20 else "")
        if column in schema.names:
            raise _Refused(f"column {column!r} appears more than once")
        raise _Refused(f"no column {column!r} (columns: {names}); name the text column with --column")
    typ = schema.field(idx).type
    if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
        raise _Refused(f"column {column!r} is {typ}, not a string column")
    if edits_column is None:
        return idx, schema, None
    fields = [pa.field(edits_column, pa.string(), metadata=_MARK),
              pa.field(f"{edits_column}_count", pa.int32(), metadata=_MARK)]
    out = schema
    for f in fields:
        i = out.get_field_index(f.name)
        if i >= 0 or f.name in out.names:
            if i < 0 or out.field(i).metadata != _MARK or out.field(i).type != f.type:
                raise _Refused(f"column {f.name!r} already exists and was not written by cleanmt "
                               "--edits-column; choose another --edits-column name")
            out = out.remove(i)  # an earlier run's edits: replaced by this run's
    for f in fields:
        out = out.append(f)
    return idx, out.with_metadata(schema.metadata), fields


class Tally:
    """What cleaning some rows found, to be added to the file's result in row order: each row's
    edits and findings as records (kept while fewer than MAX_RECORDS are held), counts by rule,
    whether anything changed, the bytes of text read. Small, so a worker can send it back.
    ``held``: the records the file's result holds already (or fewer), so that no row's records are
    made once the result is full."""

    def __init__(self, held: int = 0) -> None:
        self.rows: list[list[dict]] = []
        self.held = held
        self.rules: Counter = Counter()
        self.changed = False
        self.nbytes = 0

    def add_to(self, res: FileResult) -> None:
        for recs in self.rows:  # the same cut as one pass over the file makes
            if len(res.records) < MAX_RECORDS:
                res.records += recs
        res.rules = dict(Counter(res.rules) + self.rules)
        res.nbytes += self.nbytes
        if self.changed:
            res.status = "changed"


def _cleaned_groups(pa, pf, column: str, extra, cleaner, res: FileResult):
    """Yield each row group as a table with its text column cleaned (and the edits columns);
    edits, findings and counts go to ``res`` as the rows go by."""
    row = 0
    for g in range(pf.metadata.num_row_groups):
        tally = Tally(len(res.records))
        table = _clean_group(pa, _read_group(pa, pf, g), column, extra, cleaner, row, tally)
        tally.add_to(res)
        row += table.num_rows
        yield table


def clean_row_groups(path: str, first: int, stop: int, row: int, column: str, extra, cleaner, held: int = 0):
    """Row groups ``first`` to ``stop`` (excluded) of a Parquet file cleaned, as
    ``_cleaned_groups`` cleans them (``row``: the number of the first one's first row; ``held``:
    records the file's result held when the part was sent): a part of one file, for a worker.
    Returns (tables, Tally); raises _Unreadable for a damaged group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise _Unreadable(_one_line(exc)) from None
    tally, tables = Tally(held), []
    try:
        for g in range(first, stop):
            tables.append(_clean_group(pa, _read_group(pa, pf, g), column, extra, cleaner, row, tally))
            row += tables[-1].num_rows
    finally:
        pf.close()
    return tables, tally


def _read_group(pa, pf, g: int):
    try:
        return pf.read_row_group(g)
    except (pa.ArrowException, OSError) as exc:
        raise _Unreadable(f"row group {g}: {_one_line(exc)}") from None


def _clean_group(pa, table, column: str, extra, cleaner, row: int, tally: Tally):
    """One row group's table with its text column cleaned (and the edits columns)."""
    import pyarrow.compute as pc

    for name in [f.name for f in extra or ()]:
        if name in table.schema.names:
            table = table.drop_columns([name])
    idx = table.schema.get_field_index(column)  # an earlier run's edits columns may come before it
    col = table.column(idx)
    tally.nbytes += pc.sum(pc.binary_length(col)).as_py() or 0
    field = table.schema.field(idx)
    texts, edit_chunks, count_chunks = [], [], []
    for at in range(0, len(col), SLICE):
        part = col.slice(at, SLICE)
        new, edits, counts, changed = [], [], [], False
        for v in part.to_pylist():
            if v is None:
                new.append(None)
                if extra is not None:
                    edits.append(None)
                    counts.append(None)
                row += 1
                continue
            r = cleaner.clean(v)
            new.append(r.text)
            if r.edits:
                changed = True
                tally.rules.update(e.rule_id for e in r.edits)
            if (r.edits or r.findings) and tally.held < MAX_RECORDS:
                recs = [{"row": row, **rec} for rec in _records(v, r)]
                tally.rows.append(recs)
                tally.held += len(recs)
            if extra is not None:
                edits.append(json.dumps([{"start": e.start, "end": e.end, "before": e.before, "after": e.after,
                                          "rule_id": e.rule_id, "stage": e.stage} for e in r.edits],
                                        ensure_ascii=False))
                counts.append(len(r.edits))
            row += 1
        # an unchanged slice stays the input's (no copy); a changed one becomes an Arrow array at
        # once, so at most one slice of the group is held as Python strings
        texts += [pa.array(new, type=field.type)] if changed else part.chunks
        tally.changed = tally.changed or changed
        if extra is not None:
            edit_chunks.append(pa.array(edits, type=pa.string()))
            count_chunks.append(pa.array(counts, type=pa.int32()))
        del new, edits
    table = table.set_column(idx, field, pa.chunked_array(texts, type=field.type))
    del texts
    if extra is not None:
        table = table.append_column(extra[0], pa.chunked_array(edit_chunks, type=pa.string()))
        table = table.append_column(extra[1], pa.chunked_array(count_chunks, type=pa.int32()))
    return table


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _codec(pf) -> str:
    """The compression most of the input's column chunks use, for the output."""
    md = pf.metadata
    seen = Counter(md.row_group(g).column(c).compression
                   for g in range(min(md.num_row_groups, 4)) for c in range(md.num_columns))
    codec = seen.most_common(1)[0][0] if seen else "SNAPPY"
    codec = {"UNCOMPRESSED": "none", "LZ4_RAW": "lz4"}.get(codec, codec).lower()
    return codec if codec in ("none", "snappy", "gzip", "brotli", "lz4", "zstd") else "snappy"
