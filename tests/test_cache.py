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
