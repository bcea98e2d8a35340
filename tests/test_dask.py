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
