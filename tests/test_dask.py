"""Scale-out on Dask: a 2-worker LocalCluster of processes, results identical to one process, and
one Cleaner per worker (not one per task)."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed", reason="needs the dask extra: pip install 'cleanmt[dask]'")
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import cleanmt  # noqa: E402
import cleanmt.dask  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

TEXTS = (["A Xiaomi e o novo painço , hoje.", "Um texto correto, sem nada a mudar.", None,
          "O pequeno colega de classe Ai da Xiaomi responde。"]
         + [p for p in (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()])


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def test_a_dataframe_column_is_cleaned_as_one_process_would(client):
    one = cleanmt.Cleaner()
    pdf = pd.DataFrame({"id": range(len(TEXTS) * 3), "text": TEXTS * 3})
    out = cleanmt.dask.clean(dd.from_pandas(pdf, npartitions=7), "text", edits_column="edits").compute()
    assert list(out["id"]) == list(pdf["id"])  # other columns and row order unchanged
    want = [one.clean(t).text if isinstance(t, str) else None for t in TEXTS * 3]
    assert [v if isinstance(v, str) else None for v in out["text"]] == want  # a missing value stays missing
    edits = [json.loads(e) for e in out["edits"] if isinstance(e, str)]
    assert edits[0] == [[e.start, e.end, e.before, e.after, e.rule_id, e.stage] for e in one.clean(TEXTS[0]).edits]


def test_each_worker_holds_one_cleaner_for_all_its_partitions(client):
    client.run(lambda: cleanmt.dask._SEEN.clear())
    pdf = pd.DataFrame({"text": [t for t in TEXTS if t] * 10})
    cleanmt.dask.clean(dd.from_pandas(pdf, npartitions=20), "text").compute()
    seen = client.run(lambda: len(cleanmt.dask._SEEN))
    assert len(seen) == 2 and set(seen.values()) == {1}


def test_bags_of_texts_and_of_records(client):
    one = cleanmt.Cleaner(disable=["xiaomi-painco"])
    texts = [t for t in TEXTS if t]
    got = cleanmt.dask.clean(db.from_sequence(texts, npartitions=4), cleaner=one).compute()
    assert got == [one.clean(t).text for t in texts]
    records = [{"id": k, "body": t} for k, t in enumerate(texts)] + [{"id": -1}]
    got = cleanmt.dask.clean(db.from_sequence(records, npartitions=3), "body", cleaner=one).compute()
    assert got[:-1] == [{"id": k, "body": one.clean(t).text} for k, t in enumerate(texts)] and got[-1] == {"id": -1}


def test_the_command_line_cleans_files_on_a_local_cluster(tmp_path, capsys):
    from cleanmt import cli

    from .conftest import write

    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {f"a{k}.md": t for k, t in enumerate(t for t in TEXTS if t)}
    for name, t in texts.items():
        write(docs, name, t + "\n")
    (docs / "bin.txt").write_bytes(b"\xff\xfe\x00binary")
    one, many = tmp_path / "one", tmp_path / "many"
    assert cli.main(["fix", "-q", "-j", "1", str(docs), "--out-dir", str(one)]) == cli.main(
        ["fix", "-q", "--dask", "local:2", str(docs), "--out-dir", str(many)])
    for name in texts:
        assert (many / name).read_bytes() == (one / name).read_bytes()
    assert (many / "a0.md").read_text(encoding="utf-8") == "A Xiaomi e a nova Xiaomi, hoje.\n"
    assert cli.main(["check", "--dask", "nowhere", str(docs)]) == cli.EXIT_USAGE
    assert "--dask takes local:N" in capsys.readouterr().err


def _big_parquet(path, groups=6, rows=30):
    """A Parquet file of several row groups: garbled, clean and null rows, and a column passed through."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [TEXTS[i % len(TEXTS)] for i in range(groups * rows)]
    table = pa.table({"id": list(range(len(texts))), "text": texts}, schema=pa.schema(
        [("id", pa.int64()), ("text", pa.string())], metadata={b"origin": b"test"}))
    pq.write_table(table, path, row_group_size=rows, compression="zstd")


@pytest.fixture()
def split_small(monkeypatch):
    """Small files split as big ones are: every row group a part of its own (decided on the client)."""
    monkeypatch.setattr(cleanmt.dask, "SPLIT_FROM", 0)
    monkeypatch.setattr(cleanmt.dask, "PART_BYTES", 1)


def test_one_parquet_file_is_split_across_the_workers_into_the_same_output(client, tmp_path, capsys, split_small):
    from cleanmt import cli

    src = tmp_path / "in" / "big.parquet"
    src.parent.mkdir()
    _big_parquet(src)
    assert cleanmt.dask.split_plan(str(src), cli.Options(mode="fix")) == [(g, g + 1, g * 30) for g in range(6)]
    client.run(lambda: cleanmt.dask._SEEN.clear())
    address = client.scheduler.address  # an existing cluster, as --dask tcp://HOST:8786 gives it
    for extra in ([], ["--edits-column", "edits"]):
        one, many = tmp_path / "one", tmp_path / "many"
        assert cli.main(["fix", "-q", "-j", "1", str(src), "--column", "text", "--out-dir", str(one), *extra]) \
            == cli.EXIT_CHANGES
        assert cli.main(["fix", "-q", "--dask", address, str(src), "--column", "text", "--out-dir", str(many),
                         *extra]) == cli.EXIT_CHANGES
        assert (many / "big.parquet").read_bytes() == (one / "big.parquet").read_bytes()  # schema, order, groups
        assert sorted(x.name for x in many.iterdir()) == ["big.parquet"]  # no part or temporary file left
    seen = client.run(lambda: len(cleanmt.dask._SEEN))
    assert len(seen) == 2 and min(seen.values()) >= 1  # both workers cleaned parts of the one file
    capsys.readouterr()
    assert cli.main(["check", "--format", "json", "-j", "1", str(src)]) == cli.EXIT_CHANGES
    alone = json.loads(capsys.readouterr().out)
    assert cli.main(["check", "--format", "json", "--dask", address, str(src)]) == cli.EXIT_CHANGES
    split = json.loads(capsys.readouterr().out)
    assert split == alone and len(alone[0]["records"]) > 10  # the same rows, edits and findings
    assert cli.main(["fix", "-q", "--dask", "local:2", str(src), "--out-dir", str(tmp_path / "local"),
                     "--edits-column", "edits"]) == cli.EXIT_CHANGES  # local:N starts its own cluster
    assert (tmp_path / "local" / "big.parquet").read_bytes() == (tmp_path / "one" / "big.parquet").read_bytes()
    inplace = tmp_path / "inplace" / "big.parquet"  # fix in place: the parts are read from the file it replaces
    inplace.parent.mkdir()
    inplace.write_bytes(src.read_bytes())
    assert cli.main(["fix", "-q", "--dask", address, str(inplace), "--edits-column", "edits"]) == cli.EXIT_CHANGES
    assert inplace.read_bytes() == (tmp_path / "one" / "big.parquet").read_bytes()
    assert [x.name for x in inplace.parent.iterdir()] == ["big.parquet"]


def test_a_damaged_row_group_of_a_split_file_is_an_error_and_leaves_no_output(client, tmp_path, capsys, split_small):
    import pyarrow.parquet as pq

    from cleanmt import cli

    folder = tmp_path / "in"
    folder.mkdir()
    bad, cut = folder / "bad.parquet", folder / "cut.parquet"
    for p in (bad, cut):
        _big_parquet(p)
    off = pq.ParquetFile(bad).metadata.row_group(4).column(1).data_page_offset
    data = bytearray(bad.read_bytes())
    data[off:off + 64] = b"\xff" * 64  # footer intact: split, and the fifth part fails on its worker
    bad.write_bytes(bytes(data))
    cut.write_bytes(cut.read_bytes()[:cut.stat().st_size // 2])  # no footer: one task, reported by its worker
    before = {p.name: p.read_bytes() for p in (bad, cut)}
    assert cleanmt.dask.split_plan(str(bad), cli.Options(mode="fix")) and not cleanmt.dask.split_plan(
        str(cut), cli.Options(mode="fix"))
    for out in ([], ["--out-dir", str(tmp_path / "o")]):
        capsys.readouterr()
        assert cli.main(["fix", "--dask", client.scheduler.address, str(bad), str(cut), *out]) == cli.EXIT_INPUT
        err = capsys.readouterr().err
        assert f"{bad}: error: not a readable Parquet file: row group 4" in err
        assert f"{cut}: error: not a readable Parquet file" in err
        assert {p.name: p.read_bytes() for p in (bad, cut)} == before  # the originals untouched
        assert sorted(x.name for x in folder.iterdir()) == ["bad.parquet", "cut.parquet"]  # no temporary file
        assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())
