"""A malformed glossary is refused with a message naming file, entry and field."""
from __future__ import annotations

import pytest

from cleanmt import Cleaner, GlossaryError, load_glossary

from .conftest import write

GOOD_ENTRY = """
[[term]]
id = "ok"
wrong = "painço"
right = "Xiaomi"
note = "n"
examples = [["painço", "Xiaomi"]]
keep = ["painçoal"]
"""


def refused(tmp_path, body, name="g.toml"):
    p = write(tmp_path, name, body)
    with pytest.raises(GlossaryError) as info:
        Cleaner([p])
    return info.value, p


def test_toml_syntax_error_names_the_file_and_line(tmp_path):
    err, p = refused(tmp_path, GOOD_ENTRY + "\n[[term]\nid = 'x'\n")
    assert err.file == str(p) and "TOML syntax error" in str(err) and "line" in str(err)


def test_unknown_key_lists_the_valid_ones(tmp_path):
    err, p = refused(tmp_path, GOOD_ENTRY.replace('note = "n"', 'note = "n"\nwrong-gendr = "m"'))
    assert (err.entry, err.field) == ("ok", "wrong-gendr")
    assert "valid keys are" in str(err) and "right-gender" in str(err)


def test_unknown_top_level_table(tmp_path):
    err, _ = refused(tmp_path, GOOD_ENTRY + "\n[[terms]]\nid = 'x'\n")
    assert "terms" in str(err)


def test_bad_regex_names_entry_and_field(tmp_path):
    body = """
[[pattern]]
id = "broken"
pattern = '(sem fecho'
replace = 'x'
note = "n"
examples = [["a", "a"]]
keep = ["b"]
"""
    err, p = refused(tmp_path, body)
    assert (err.file, err.entry, err.field) == (str(p), "broken", "pattern")
    assert "invalid regular expression" in str(err)


def test_bad_context_regex(tmp_path):
    err, _ = refused(tmp_path, GOOD_ENTRY.replace('note = "n"', 'note = "n"\nnot-after = "[a-"'))
    assert (err.entry, err.field) == ("ok", "not-after")


def test_replace_referring_to_a_missing_group(tmp_path):
    body = """
[[pattern]]
id = "grp"
pattern = '(a)b'
replace = '\\2'
note = "n"
examples = [["ab", "a"]]
keep = ["b"]
"""
    err, _ = refused(tmp_path, body)
    assert (err.entry, err.field) == ("grp", "replace")


def test_failing_example_names_input_expected_and_actual(tmp_path):
    err, p = refused(tmp_path, GOOD_ENTRY.replace('[["painço", "Xiaomi"]]', '[["o painço", "a Xiaomi"]]'))
    msg = str(err)
    assert err.file == str(p) and err.entry == "ok" and err.field == "examples"
    assert "'o painço'" in msg and "'a Xiaomi'" in msg and "'o Xiaomi'" in msg


def test_failing_keep_case(tmp_path):
    err, _ = refused(tmp_path, GOOD_ENTRY.replace('keep = ["painçoal"]', 'keep = ["o painço"]'))
    assert (err.entry, err.field) == ("ok", "keep")


def test_unstable_example_output_is_refused(tmp_path):
    body = GOOD_ENTRY.replace('right = "Xiaomi"', 'right = "painço painço"').replace(
        '[["painço", "Xiaomi"]]', '[["painço", "painço painço"]]')
    err, _ = refused(tmp_path, body)
    assert "painço painço painço painço" in str(err)


@pytest.mark.parametrize("field, body", [
    ("examples", GOOD_ENTRY.replace('examples = [["painço", "Xiaomi"]]\n', "")),
    ("keep", GOOD_ENTRY.replace('keep = ["painçoal"]\n', "")),
    ("note", GOOD_ENTRY.replace('note = "n"\n', "")),
    ("right", GOOD_ENTRY.replace('right = "Xiaomi"\n', "")),
    ("id", GOOD_ENTRY.replace('id = "ok"', 'id = "Not OK"')),
    ("gender", GOOD_ENTRY.replace('note = "n"', 'note = "n"\ngender = "x"')),
    ("examples", GOOD_ENTRY.replace('[["painço", "Xiaomi"]]', '[["painço"]]')),
])
def test_missing_or_invalid_fields(tmp_path, field, body):
    err, _ = refused(tmp_path, body)
    assert err.field == field


def test_duplicate_ids_within_and_across_files(tmp_path):
    err, _ = refused(tmp_path, GOOD_ENTRY + GOOD_ENTRY)
    assert err.entry == "ok"
    a = write(tmp_path, "a.toml", GOOD_ENTRY)
    b = write(tmp_path, "b.toml", GOOD_ENTRY)
    with pytest.raises(GlossaryError, match=r"id already used in .*a\.toml"):
        Cleaner([a, b])


def test_non_utf8_and_unknown_format(tmp_path):
    p = tmp_path / "latin.toml"
    p.write_bytes("[glossary]\ndescription = 'painço'\n".encode("latin-1"))
    with pytest.raises(GlossaryError, match="not UTF-8"):
        load_glossary(p)
    with pytest.raises(GlossaryError, match="unknown glossary format"):
        load_glossary(write(tmp_path, "g.yaml", "x: y"))
    with pytest.raises(GlossaryError, match="cannot be read"):
        load_glossary(tmp_path / "missing.toml")


def test_a_refused_glossary_leaves_a_working_cleaner_untouched(tmp_path):
    good = Cleaner([write(tmp_path, "good.toml", GOOD_ENTRY)])
    refused(tmp_path, GOOD_ENTRY.replace('keep = ["painçoal"]', 'keep = ["painço"]'), name="bad.toml")
    assert good.clean("o painço").text == "o Xiaomi"


def test_chains_and_cycles_between_entries_are_refused(tmp_path):
    a = GOOD_ENTRY
    b = """
[[term]]
id = "back"
wrong = "xiaomi"
right = "painço"
note = "n"
examples = [["xiaomi", "painço"]]
keep = ["xiaomis"]
"""
    with pytest.raises(GlossaryError, match=r"rewritten by entry 'back'.*chain or a cycle") as info:
        Cleaner([write(tmp_path, "cycle.toml", a + b)])
    assert info.value.field == "right"


def test_catastrophic_pattern_times_out_as_a_finding(tmp_path):
    body = """
[[pattern]]
id = "slow"
pattern = '(a|aa)+$'
replace = 'x'
timeout = 0.2
note = "a pattern that backtracks"
examples = [["b", "b"]]
keep = ["c"]
"""
    c = Cleaner([write(tmp_path, "slow.toml", body)])
    r = c.clean("a" * 40 + "b")
    assert r.text == "a" * 40 + "b"
    assert [(f.rule_id, "longer than" in f.message) for f in r.findings] == [("slow", True)]


def test_deeply_nested_toml_is_refused_clearly(tmp_path):
    p = tmp_path / "deep.toml"
    p.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="deep.toml"):
        load_glossary(p)


def _toml_files():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return sorted([*root.glob("glossary/**/*.toml"), *root.glob("fixtures/**/*.toml")])


@pytest.mark.parametrize("path", _toml_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_toml_parser_reads_every_shipped_file_as_tomllib_does(path):
    import tomllib

    from cleanmt.glossary import _parse_toml

    text = path.read_text(encoding="utf-8")
    assert _parse_toml(text) == tomllib.loads(text)


def test_glossaries_load_the_same_without_the_fast_parser(tmp_path, monkeypatch):
    from cleanmt import glossary

    p = write(tmp_path, "g.toml", GOOD_ENTRY)
    with_fast = load_glossary(p)
    monkeypatch.setattr(glossary, "_RTOML", [None])
    assert load_glossary(p) == with_fast
    err, _ = refused(tmp_path, GOOD_ENTRY + "\n[[term]\nid = 'x'\n")
    assert "TOML syntax error" in str(err) and "line" in str(err)


def test_syntax_errors_read_as_tomllib_reports_them(tmp_path):
    """The fast parser's own messages never reach the user: tomllib re-reads what it refuses."""
    import tomllib

    body = GOOD_ENTRY + "\nid = 'again'\n"  # a duplicate key
    with pytest.raises(tomllib.TOMLDecodeError) as ref:
        tomllib.loads(body)
    err, _ = refused(tmp_path, body)
    assert str(ref.value) in str(err)


def test_a_pattern_timeout_bounds_all_its_paragraphs_together(monkeypatch):
    """A pattern run paragraph by paragraph gets what is left of its timeout in each, and stops
    when none is left (each paragraph under the timeout must not add up to many timeouts)."""
    from cleanmt.stages import glossary as stage

    clock = [100.0]
    monkeypatch.setattr(stage.time, "monotonic", lambda: clock[0])
    given = []

    class Slow:
        def finditer(self, text, pos, endpos, timeout=None):
            given.append(timeout)
            clock[0] += 0.3  # each paragraph takes 0.3 s, under a 0.5 s timeout
            return iter(())

    text = "\n\n".join(["parágrafo"] * 5)
    windows = [(k * 11, k * 11 + 9) for k in range(5)]
    with pytest.raises(TimeoutError):
        list(stage.windowed_matches(Slow(), text, windows, 0.5))
    assert given == [pytest.approx(0.5), pytest.approx(0.2)]
