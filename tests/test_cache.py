from __future__ import annotations

from cleanmt import Cleaner
from cleanmt.cache import cached_cleaner

from .conftest import write

ENTRY = """
[[term]]
id = "painco"
wrong = "painço"
right = "Xiaomi"
note = "n"
examples = [["painço", "Xiaomi"]]
keep = ["painçoal"]
"""


def test_cache_builds_once_and_notices_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANMT_CACHE_DIR", str(tmp_path / "cache"))
    g = write(tmp_path, "g.toml", ENTRY)
    builds = []

    def build():
        builds.append(1)
        return Cleaner([], extra=[g])

    a = cached_cleaner(build, False, [g], ((), ("glossary",)))
    b = cached_cleaner(build, False, [g], ((), ("glossary",)))
    assert len(builds) == 1
    assert a.clean("o painço").text == b.clean("o painço").text == "o Xiaomi"
    g.write_text(ENTRY.replace('right = "Xiaomi"', 'right = "XIAOMI"').replace('"Xiaomi"]]', '"XIAOMI"]]'),
                 encoding="utf-8")
    c = cached_cleaner(build, False, [g], ((), ("glossary",)))
    assert len(builds) == 2 and c.clean("o painço").text == "o XIAOMI"
    cached_cleaner(build, False, [g], (("painco",), ("glossary",)))
    assert len(builds) == 3  # other options, other entry


def test_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CLEANMT_CACHE_DIR", str(blocker / "sub"))
    g = write(tmp_path, "g.toml", ENTRY)
    c = cached_cleaner(lambda: Cleaner([], extra=[g]), False, [g], ())
    assert c.clean("o painço").text == "o Xiaomi"


def test_cached_copy_cleans_like_the_original(tmp_path):
    """The slim, lazily unpickled copy the cache stores behaves exactly like the built Cleaner."""
    import dataclasses
    import pickle
    from pathlib import Path

    from cleanmt.pipeline import default_cleaner

    full = default_cleaner()
    slim = pickle.loads(pickle.dumps(full.without_examples(), pickle.HIGHEST_PROTOCOL))
    root = Path(__file__).resolve().parent.parent / "fixtures"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("*/*.txt")) + sorted(root.glob("*/*.md"))]
    assert texts
    for t in texts:
        a, b = full.clean(t), slim.clean(t)
        assert (a.text, a.edits, a.findings) == (b.text, b.edits, b.findings)
    assert len(slim.entries) == len(full.entries)
    for i in (0, len(full.entries) // 2, -1):
        assert slim.entries[i] == dataclasses.replace(full.entries[i], examples=[], keep=[], note="")


def test_a_broken_cache_file_is_rebuilt_and_old_ones_pruned(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CLEANMT_CACHE_DIR", str(cache))
    g = write(tmp_path, "g.toml", ENTRY)
    builds = []

    def build():
        builds.append(1)
        return Cleaner([], extra=[g])

    cached_cleaner(build, False, [g], ())
    (target,) = cache.glob("cleaner-*.pickle")
    target.write_bytes(target.read_bytes()[:100])  # truncated
    assert cached_cleaner(build, False, [g], ()).clean("o painço").text == "o Xiaomi"
    assert len(builds) == 2
    for k in range(12):
        cached_cleaner(build, False, [g], ((f"opt{k}",),))
    assert len(list(cache.glob("cleaner-*.pickle"))) <= 8
