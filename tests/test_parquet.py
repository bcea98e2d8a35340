"""Parquet corpora (#16 point 3): one text column cleaned row by row, row group by row group, with
the other columns, the schema and the row groups kept, and nothing written from a broken file."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from cleanmt import Edit, apply_edits, cli  # noqa: E402

from .conftest import FIXTURES, write  # noqa: E402

GARBLED = "A Xiaomi e o novo painço , hoje."
CLEAN = "A Xiaomi e a nova Xiaomi, hoje."
SUGGESTION_ONLY = "Um texto , sem nada."  # no machine-translation evidence: a suggestion, not an edit


def _paragraphs() -> list[str]:
    text = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if p.strip()]


def _texts(n: int) -> list[str | None]:
    """Rows of every kind: garbled, clean, suggestion only, null, article paragraphs (varied)."""
    paras = _paragraphs()
    out = []
    for i in range(n):
        k = i % 6
        out.append(GARBLED if k == 0 else None if k == 1 else "Olá, mundo." if k == 2
                   else SUGGESTION_ONLY if k == 3 else f"{paras[i % len(paras)]} ({i})" if k == 4
                   else "\n\n".join(paras[i % len(paras):i % len(paras) + 3]))
    return out


def _corpus(path, n=300, group=100, text_type=None, **extra):
    texts = _texts(n)
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("text", text_type or pa.string(), metadata={b"note": b"the document"}),
        pa.field("score", pa.float64()),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("meta", pa.struct([("url", pa.string()), ("lang", pa.string())])),
        *[pa.field(k, v.type) for k, v in extra.items()],
    ], metadata={b"origin": b"crawl 2026", b"pandas": b"{}"})
    table = pa.table({
        "id": list(range(n)), "text": texts, "score": [i / 7 for i in range(n)],
        "tags": [["a", "painço , x"][: i % 3] for i in range(n)],
        "meta": [{"url": f"https://x.example/{i}", "lang": "pt"} for i in range(n)], **extra}, schema=schema)
    pq.write_table(table, path, row_group_size=group, compression="zstd")
    return table


def _clean_rows(cleaner, texts):
    return [None if t is None else cleaner.clean(t).text for t in texts]


def test_round_trip_keeps_columns_schema_row_groups_and_order(tmp_path, cleaner):
    src = tmp_path / "in" / "corpus.parquet"
    src.parent.mkdir()
    table = _corpus(src)
    before = src.read_bytes()
    schema = pq.ParquetFile(src).schema_arrow  # as Parquet gives it back (list items are "element")
    out = tmp_path / "clean"
    assert cli.main(["fix", "-q", str(src), "--column", "text", "--out-dir", str(out)]) == cli.EXIT_CHANGES
    assert src.read_bytes() == before  # --out-dir: the input is left alone
    got = pq.ParquetFile(out / "corpus.parquet")
    assert got.schema_arrow.equals(schema, check_metadata=True)  # field and schema metadata too
    assert got.schema_arrow.metadata[b"origin"] == b"crawl 2026"
    assert got.metadata.num_row_groups == 3
    assert [got.metadata.row_group(g).num_rows for g in range(3)] == [100, 100, 100]
    result = got.read()
    for name in ("id", "score", "tags", "meta"):
        assert result.column(name).to_pylist() == table.column(name).to_pylist(), name
    texts = table.column("text").to_pylist()
    # every row is a document of its own: what Cleaner.clean makes of its value alone
    assert result.column("text").to_pylist() == _clean_rows(cleaner, texts)
    assert result.column("text").to_pylist()[0] == CLEAN
    assert result.column("text").to_pylist()[3] == SUGGESTION_ONLY
    assert got.metadata.row_group(0).column(1).compression == "ZSTD"


def test_rows_are_cleaned_in_slices_of_a_row_group(tmp_path, cleaner, monkeypatch):
    """A row group is held as Python strings one slice at a time; changed and unchanged slices
    (the latter kept as they were read) join into the same column, in order."""
    from cleanmt import columnar

    monkeypatch.setattr(columnar, "SLICE", 7)
    p = tmp_path / "c.parquet"
    texts = ["Olá, mundo."] * 10 + [GARBLED] + [None] * 9 + ["Bom dia."] * 3 + [GARBLED]
    pq.write_table(pa.table({"i": range(len(texts)), "text": texts}), p, row_group_size=12)
    assert cli.main(["fix", "-q", str(p), "--edits-column", "e"]) == cli.EXIT_CHANGES
    t = pq.read_table(p)
    assert t.column("text").to_pylist() == _clean_rows(cleaner, texts)
    assert t.column("i").to_pylist() == list(range(len(texts)))
    assert t.column("e_count").to_pylist() == [None if x is None else 4 if x == GARBLED else 0 for x in texts]
    assert pq.ParquetFile(p).metadata.num_row_groups == 2


def test_fix_in_place_is_atomic_and_an_unchanged_file_is_not_rewritten(tmp_path, cleaner):
    p = tmp_path / "c.parquet"
    table = _corpus(p, n=30, group=10)
    os.chmod(p, 0o640)
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    assert sorted(x.name for x in tmp_path.iterdir()) == ["c.parquet"]  # no temporary file left
    assert oct(p.stat().st_mode & 0o777) == oct(0o640)
    assert pq.read_table(p).column("text").to_pylist() == _clean_rows(cleaner, table.column("text").to_pylist())
    data, mtime = p.read_bytes(), p.stat().st_mtime_ns
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_OK  # idempotent: nothing left to fix
    assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime


def test_unchanged_file_is_copied_as_it_is_to_the_out_dir(tmp_path):
    p = tmp_path / "ok.parquet"
    pq.write_table(pa.table({"text": ["Olá, mundo.", None]}), p)
    assert cli.main(["fix", "-q", str(p), "--out-dir", str(tmp_path / "o")]) == cli.EXIT_OK
    assert (tmp_path / "o" / "ok.parquet").read_bytes() == p.read_bytes()


def test_nulls_stay_null_and_large_strings_stay_large(tmp_path):
    p = tmp_path / "n.parquet"
    pq.write_table(pa.table({"text": pa.array([None, GARBLED, None], pa.large_string())}), p)
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    t = pq.read_table(p)
    assert t.schema.field("text").type == pa.large_string()
    assert t.column("text").to_pylist() == [None, CLEAN, None]


def test_edits_column(tmp_path, cleaner):
    p = tmp_path / "c.parquet"
    table = _corpus(p, n=12, group=4)
    out = tmp_path / "o"
    assert cli.main(["fix", "-q", str(p), "--edits-column", "edits", "--out-dir", str(out)]) == cli.EXIT_CHANGES
    t = pq.read_table(out / "c.parquet")
    assert t.schema.names == [*table.schema.names, "edits", "edits_count"]
    assert t.schema.field("edits").type == pa.string() and t.schema.field("edits_count").type == pa.int32()
    texts = table.column("text").to_pylist()
    for raw, new, edits, count in zip(texts, t.column("text").to_pylist(), t.column("edits").to_pylist(),
                                      t.column("edits_count").to_pylist()):
        if raw is None:
            assert new is None and edits is None and count is None
            continue
        listed = json.loads(edits)
        assert count == len(listed) and listed == [
            {"start": e.start, "end": e.end, "before": e.before, "after": e.after, "rule_id": e.rule_id,
             "stage": e.stage} for e in cleaner.clean(raw).edits]
        # the edits replay on the row's input
        assert apply_edits(raw, [Edit(**e) for e in listed]) == new
    assert t.column("edits_count").to_pylist()[0] == 4
    # running again on the output replaces the earlier run's columns (now: no edits)
    again = out / "c.parquet"
    assert cli.main(["fix", "-q", str(again), "--edits-column", "edits"]) == cli.EXIT_OK
    t2 = pq.read_table(again)
    assert t2.schema.names == t.schema.names
    assert t2.column("text").equals(t.column("text"))
    assert set(t2.column("edits_count").to_pylist()) == {0, None}


def test_edits_column_never_overwrites_a_column_of_the_user(tmp_path, capsys):
    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [GARBLED], "edits": ["mine"]}), p)
    data = p.read_bytes()
    assert cli.main(["fix", "-q", str(p), "--edits-column", "edits"]) == cli.EXIT_INPUT
    assert "'edits' already exists" in capsys.readouterr().err
    assert p.read_bytes() == data


def _truncated(p):
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _random(p):
    p.write_bytes(os.urandom(4096))


def _bad_page(p):
    """Footer intact, the page header of the second row group's text column overwritten."""
    md = pq.ParquetFile(p).metadata
    off = md.row_group(1).column(1).data_page_offset
    data = bytearray(p.read_bytes())
    data[off:off + 64] = b"\xff" * 64
    p.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncated, _random, _bad_page], ids=["truncated", "random-bytes", "bad-page"])
@pytest.mark.parametrize("where", ["in-place", "out-dir"])
def test_malformed_file_is_an_error_and_leaves_no_output(tmp_path, capsys, damage, where):
    folder = tmp_path / "in"
    folder.mkdir()
    p = folder / "c.parquet"
    _corpus(p, n=300, group=100)
    damage(p)
    data = p.read_bytes()
    args = ["fix", str(p)] + (["--out-dir", str(tmp_path / "o")] if where == "out-dir" else [])
    assert cli.main(args) == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert f"{p}: error: not a readable Parquet file" in err
    assert p.read_bytes() == data  # the original is untouched
    assert [x.name for x in folder.iterdir()] == ["c.parquet"]  # no temporary file left
    assert not (tmp_path / "o" / "c.parquet").exists()
    assert not list((tmp_path / "o").glob("*")) if (tmp_path / "o").exists() else True
    assert cli.main(["check", "-q", str(p)]) == cli.EXIT_INPUT


def test_check_exits_1_and_reports_rows(tmp_path, capsys):
    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": ["Olá, mundo.", GARBLED, SUGGESTION_ONLY]}), p)
    data = p.read_bytes()
    assert cli.main(["check", "-q", str(p)]) == cli.EXIT_CHANGES
    assert p.read_bytes() == data
    lines = capsys.readouterr().out.splitlines()
    assert f"{p}:row 1:1:19: 'painço' → 'Xiaomi' [xiaomi-painco]" in lines
    assert any(x.startswith(f"{p}:row 2:1:9: suggestion: ' ' → ''") for x in lines)
    assert cli.main(["check", "-q", "--format", "json", str(p)]) == cli.EXIT_CHANGES
    records = json.loads(capsys.readouterr().out)[0]["records"]
    assert {r["row"] for r in records} == {1, 2}
    assert {(r["row"], r["kind"]) for r in records} >= {(1, "edit"), (2, "suggestion")}
    assert cli.main(["check", "-q", "--format", "sarif", str(p)]) == cli.EXIT_CHANGES
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert {r["locations"][0]["logicalLocations"][0]["name"] for r in results} == {"row 1", "row 2"}
    assert all("fixes" not in r and r["properties"]["row"] in (1, 2) for r in results)
    ok = tmp_path / "ok.parquet"
    pq.write_table(pa.table({"text": ["Olá, mundo."]}), ok)
    assert cli.main(["check", "-q", str(ok)]) == cli.EXIT_OK
    assert cli.main(["explain", "-q", str(p)]) == cli.EXIT_OK


def test_column_option_jsonl_field_alias_and_configuration(tmp_path):
    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": ["painço"], "body": [GARBLED]}), p)
    assert cli.main(["fix", "-q", "--column", "body", str(p)]) == cli.EXIT_CHANGES
    assert pq.read_table(p).to_pylist() == [{"text": "painço", "body": CLEAN}]
    q = tmp_path / "d.parquet"
    pq.write_table(pa.table({"body": [GARBLED]}), q)
    assert cli.main(["fix", "-q", "--jsonl-field", "body", str(q)]) == cli.EXIT_CHANGES
    assert pq.read_table(q).column("body").to_pylist() == [CLEAN]
    cfg = write(tmp_path, ".cleanmt.toml", 'jsonl-field = "body"\n')
    r = tmp_path / "e.parquet"
    pq.write_table(pa.table({"body": [GARBLED]}), r)
    assert cli.main(["fix", "-q", "--config", str(cfg), str(r)]) == cli.EXIT_CHANGES
    assert pq.read_table(r).column("body").to_pylist() == [CLEAN]
    # JSON Lines takes the general name too
    j = write(tmp_path, "c.jsonl", json.dumps({"body": GARBLED}, ensure_ascii=False) + "\n")
    assert cli.main(["fix", "-q", "--column", "body", str(j)]) == cli.EXIT_CHANGES
    assert json.loads(j.read_text(encoding="utf-8")) == {"body": CLEAN}


def test_missing_or_non_string_column_is_a_clear_error(tmp_path, capsys):
    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [1, 2], "body": ["x", "y"]}), p)
    data = p.read_bytes()
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_INPUT
    assert "column 'text' is int64, not a string column" in capsys.readouterr().err
    assert cli.main(["fix", "-q", "--column", "nope", str(p)]) == cli.EXIT_INPUT
    assert "no column 'nope' (columns: text, body)" in capsys.readouterr().err
    assert p.read_bytes() == data and sorted(x.name for x in tmp_path.iterdir()) == ["c.parquet"]


def test_folders_take_parquet_files_and_one_without_the_column_is_a_warning(tmp_path, capsys):
    d = tmp_path / "corpus"
    d.mkdir()
    pq.write_table(pa.table({"text": [GARBLED]}), d / "a.parquet")
    pq.write_table(pa.table({"other": [GARBLED]}), d / "b.parquet")
    assert cli.main(["fix", "-q", str(d), "--out-dir", str(tmp_path / "o")]) == cli.EXIT_CHANGES
    assert "b.parquet: skipped: no column 'text'" in capsys.readouterr().err
    assert pq.read_table(tmp_path / "o" / "a.parquet").column("text").to_pylist() == [CLEAN]
    assert (tmp_path / "o" / "b.parquet").read_bytes() == (d / "b.parquet").read_bytes()
    assert cli.main(["check", "-q", "--strict", str(d)]) == cli.EXIT_INPUT


def test_workers_give_the_same_output(tmp_path):
    for name in ("a", "b"):
        _corpus(tmp_path / f"{name}.parquet", n=24, group=8)
    assert cli.main(["fix", "-q", "-j", "1", str(tmp_path), "--out-dir", str(tmp_path / "one")]) == 1
    assert cli.main(["fix", "-q", "-j", "2", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"),
                     "--out-dir", str(tmp_path / "two")]) == 1
    for name in ("a", "b"):
        assert pq.read_table(tmp_path / "one" / f"{name}.parquet").equals(
            pq.read_table(tmp_path / "two" / f"{name}.parquet"))


def test_clean_and_source_do_not_apply(tmp_path, capsys):
    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [GARBLED]}), p)
    assert cli.main(["clean", str(p)]) == cli.EXIT_INPUT
    assert "clean does not print Parquet files" in capsys.readouterr().err
    src = write(tmp_path, "src.txt", "小米")
    assert cli.main(["fix", "-q", "--source", str(src), str(p)]) == cli.EXIT_INPUT
    assert pq.read_table(p).column("text").to_pylist() == [GARBLED]


def test_pyarrow_is_imported_only_for_parquet_files(tmp_path):
    md = write(tmp_path, "a.md", GARBLED + "\n")
    p = tmp_path / "c.parquet"
    pq.write_table(pa.table({"text": [GARBLED]}), p)
    code = ("import sys; from cleanmt import cli; cli.main(['check', '-q', sys.argv[1]]); "
            "print('pyarrow' in sys.modules)")
    run = [subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, check=True)
           for f in (md, p)]
    assert [r.stdout.splitlines()[-1] for r in run] == ["False", "True"]


def test_parts_cleaned_apart_add_up_to_one_pass(tmp_path, cleaner, monkeypatch):
    """A file cleaned in parts (as Dask workers clean a split file) gives the output and the
    report of one pass: the same bytes, records cut at the same row, the same counts."""
    from cleanmt import columnar
    from cleanmt.files import Options

    monkeypatch.setattr(columnar, "MAX_RECORDS", 70)  # reached in the second part (51 records in the first)
    src = tmp_path / "c.parquet"
    _corpus(src, n=120, group=20)
    st = src.stat()
    one = columnar.process_parquet(src, st, cleaner, Options(mode="fix", out_dir=tmp_path / "one", root=tmp_path))

    def in_parts(pf, column, extra, res):
        row = 0
        for first in range(0, pf.metadata.num_row_groups, 2):  # parts of two row groups
            stop = min(first + 2, pf.metadata.num_row_groups)
            held = len(res.records) if first == 2 else 0  # as sent: what the result held then, or fewer
            tables, tally = columnar.clean_row_groups(str(src), first, stop, row, column, extra, cleaner, held)
            tally.add_to(res)
            row += sum(t.num_rows for t in tables)
            yield from tables

    parts = columnar.process_parquet(src, st, None, Options(mode="fix", out_dir=tmp_path / "parts", root=tmp_path),
                                     in_parts)
    assert (tmp_path / "parts" / "c.parquet").read_bytes() == (tmp_path / "one" / "c.parquet").read_bytes()
    assert (parts.status, parts.records, parts.rules, parts.nbytes, parts.message) == (
        one.status, one.records, one.rules, one.nbytes, one.message)
    assert 51 < 70 <= len(one.records) < 94 and one.message.startswith("only the first 70")
