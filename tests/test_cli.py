from __future__ import annotations

import subprocess
import sys

from cleanmt import cli

from .conftest import FIXTURES, write

SAMPLE = "A Xiaomi e o novo painço.\n"


def test_clean_prints_the_cleaned_text(tmp_path, capsys):
    p = write(tmp_path, "a.txt", SAMPLE)
    assert cli.main(["clean", str(p)]) == cli.EXIT_OK
    assert capsys.readouterr().out == "A Xiaomi e a nova Xiaomi.\n"
    assert p.read_text(encoding="utf-8") == SAMPLE  # clean never writes the file


def test_explain_lists_edits_with_location_and_rule(tmp_path, capsys):
    p = write(tmp_path, "a.txt", "linha\n" + SAMPLE)
    assert cli.main(["explain", str(p)]) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert f"{p}:2:12: 'o' → 'a' [xiaomi-painco]" in out
    assert f"{p}:2:19: 'painço' → 'Xiaomi' [xiaomi-painco]" in out


def test_check_exit_codes(tmp_path, capsys):
    bad = write(tmp_path, "bad.txt", SAMPLE)
    good = write(tmp_path, "good.txt", "A Xiaomi e a nova Xiaomi.\n")
    assert cli.main(["check", str(good)]) == cli.EXIT_OK
    assert cli.main(["check", str(good), str(bad)]) == cli.EXIT_CHANGES
    assert "2 files, 1 needs fixes" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == SAMPLE


def test_glossary_options(tmp_path, capsys):
    extra = write(tmp_path, "x.tsv", "nova Xiaomi\tXiaomi renovada\n")
    p = write(tmp_path, "a.txt", SAMPLE)
    assert cli.main(["clean", "--no-bundled", "--glossary", str(extra), str(p)]) == 0
    assert capsys.readouterr().out == SAMPLE
    assert cli.main(["clean", "--disable", "xiaomi-painco", str(p)]) == 0
    assert capsys.readouterr().out == SAMPLE


def test_errors_have_their_own_exit_codes(tmp_path, capsys):
    broken = write(tmp_path, "g.toml", "[[term]\n")
    p = write(tmp_path, "a.txt", SAMPLE)
    assert cli.main(["clean", "--glossary", str(broken), str(p)]) == cli.EXIT_GLOSSARY
    assert "g.toml" in capsys.readouterr().err
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x89PNG\x00\x00painco")
    assert cli.main(["check", str(binary)]) == cli.EXIT_INPUT  # named explicitly: not cleaned is an error
    assert "binary" in capsys.readouterr().err
    assert cli.main(["clean", str(tmp_path / "missing.txt")]) == cli.EXIT_INPUT
    assert cli.main(["nonsense"]) == cli.EXIT_USAGE


def test_real_subprocess_on_the_seed_article():
    raw = FIXTURES / "seed" / "article.raw.txt"
    r = subprocess.run([sys.executable, "-m", "cleanmt", "clean", str(raw)],
                       capture_output=True, text=True, encoding="utf-8", check=True)
    assert "da nova Xiaomi" in r.stdout and "painço" not in r.stdout
    r = subprocess.run([sys.executable, "-m", "cleanmt", "clean", "-"], input=SAMPLE,
                       capture_output=True, text=True, encoding="utf-8", check=True)
    assert r.stdout == "A Xiaomi e a nova Xiaomi.\n"


def test_readme_python_example_runs():
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block, "README.md", "exec"), {})
