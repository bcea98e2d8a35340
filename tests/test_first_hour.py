"""Issue 15: what a new user meets in the first hour of the command line (points 1-3 and 5-9;
point 4, the README's code blocks, is tests/test_readme.py)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cleanmt
from cleanmt import cli
from cleanmt.files import FileResult
from cleanmt.report import summary

from .conftest import write

GARBLED = "A Xiaomi e o novo painço , hoje.\n"
CLEAN = "A Xiaomi e a nova Xiaomi, hoje.\n"
LATIN1 = "A Xiaomi e o novo painço , hoje.\n".encode("latin-1")
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10painco"


def _run(*args, data: bytes):
    return subprocess.run([sys.executable, "-m", "cleanmt", *args], input=data, capture_output=True, check=False)


# -- 1. standard input that is not text is passed through, and the exit code says so ---------------

@pytest.mark.parametrize("command", ["fix", "clean"])
@pytest.mark.parametrize("data", [LATIN1, BINARY], ids=["latin-1", "binary"])
def test_stdin_that_is_not_text_comes_out_unchanged_with_exit_4(command, data):
    r = _run(command, "-", data=data)
    assert r.stdout == data
    assert r.returncode == cli.EXIT_INPUT
    assert b"copied to standard output unchanged" in r.stderr


def test_stdin_keeps_its_newlines_and_bom():
    r = _run("fix", "-q", "-", data=b"\xef\xbb\xbf" + GARBLED.replace("\n", "\r\n").encode())
    assert r.stdout == b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode()
    assert r.returncode == cli.EXIT_CHANGES


# -- 2. a file that cannot be cleaned: an error when named, a warning when found -------------------

@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_named_file_that_is_not_text_exits_4(tmp_path, capsys, command):
    p = tmp_path / "latin1.txt"
    p.write_bytes(LATIN1)
    assert cli.main([command, str(p)]) == cli.EXIT_INPUT
    assert "not UTF-8" in capsys.readouterr().err
    assert p.read_bytes() == LATIN1


def test_a_found_file_that_is_not_text_is_a_warning_unless_strict(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    bad = tmp_path / "docs" / "latin1.txt"
    bad.write_bytes(LATIN1)
    write(tmp_path / "docs", "ok.md", CLEAN)
    assert cli.main(["check", str(tmp_path / "docs")]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "latin1.txt: skipped: not UTF-8" in err and "1 skipped" in err
    assert cli.main(["check", "--strict", str(tmp_path / "docs")]) == cli.EXIT_INPUT
    assert "latin1.txt: error: not UTF-8" in capsys.readouterr().err
    assert bad.read_bytes() == LATIN1


# -- 3. NUL characters: one behaviour in files and in the API --------------------------------------

def test_nul_characters_in_a_file_are_kept_and_the_text_around_them_cleaned(tmp_path, capsys):
    text = "A Xiaomi e o novo painço\0 , hoje.\n\0fim\n"
    p = write(tmp_path, "nul.md", text)
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == cleanmt.clean(text).text
    out = p.read_text(encoding="utf-8")
    assert out.startswith("A Xiaomi e a nova Xiaomi\0") and out.count("\0") == 2


def test_utf16_without_a_bom_is_binary_not_cleaned_as_utf8(tmp_path, capsys):
    data = "Texto simples , com espaço antes da vírgula.\n".encode("utf-16-le")
    p = tmp_path / "u16.txt"
    p.write_bytes(data)
    assert cli.main(["fix", str(p)]) == cli.EXIT_INPUT
    assert "binary" in capsys.readouterr().err
    assert p.read_bytes() == data


# -- 5. .cleanmt.toml takes the [tool.cleanmt] table copied from pyproject.toml --------------------

def test_cleanmt_toml_takes_a_tool_cleanmt_table(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    cfg = write(tmp_path, ".cleanmt.toml", '[tool.cleanmt]\ndisable = ["xiaomi-painco"]\nassume-mt = true\n\n'
                                           '[tool.other]\nx = 1\n')
    assert cli.main(["clean", "--config", str(cfg), str(p)]) == cli.EXIT_OK
    assert capsys.readouterr().out == "A Xiaomi e o novo painço, hoje.\n"  # the entry is off


def test_cleanmt_toml_with_both_shapes_is_refused(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    cfg = write(tmp_path, ".cleanmt.toml", 'exclude = ["x"]\n\n[tool.cleanmt]\ndisable = ["xiaomi-painco"]\n')
    assert cli.main(["clean", "--config", str(cfg), str(p)]) == cli.EXIT_GLOSSARY
    assert "use one of the two shapes" in capsys.readouterr().err


# -- 6. fix lists its findings ---------------------------------------------------------------------

def test_fix_lists_the_findings_it_counts(tmp_path, capsys):
    p = write(tmp_path, "a.md", "A Xiaomi e o novo painço , hoje.\n\nOs outros campos. no mercado são grandes.\n")
    assert cli.main(["fix", str(p)]) == cli.EXIT_CHANGES
    captured = capsys.readouterr()
    findings = [line for line in captured.err.splitlines() if line.startswith(f"{p}:3:")]
    assert findings and all(line.endswith("]") for line in findings)
    assert "1 finding;" in captured.err or f"{len(findings)} findings;" in captured.err
    assert captured.out == ""


def test_fix_of_stdin_lists_findings_on_stderr_only():
    text = "Os outros campos. no mercado são grandes.\n"
    r = _run("fix", "-", data=text.encode())
    assert r.stdout.decode() == cleanmt.clean(text).text
    assert b"-:1:" in r.stderr


# -- 7. --out-dir: one rule ------------------------------------------------------------------------

@pytest.mark.parametrize("inputs, expected", [
    (["docs"], ["x.md", "sub/y.md"]),  # one folder: its tree
    (["docs/x.md"], ["x.md"]),  # one file: beside nothing else
    (["docs/x.md", "docs/sub/y.md"], ["x.md", "sub/y.md"]),  # files: from the folder holding both
    (["docs", "other"], ["docs/x.md", "docs/sub/y.md", "other/z.md"]),  # folders: from their parent
], ids=["one-folder", "one-file", "two-files", "two-folders"])
def test_out_dir_mirrors_from_the_deepest_common_folder(tmp_path, monkeypatch, inputs, expected):
    work = tmp_path / "work"
    (work / "docs" / "sub").mkdir(parents=True)
    (work / "other").mkdir()
    for rel in ("docs/x.md", "docs/sub/y.md", "other/z.md"):
        write(work, rel, GARBLED)
    monkeypatch.chdir(tmp_path)  # the working folder does not matter
    out = tmp_path / "out"
    assert cli.main(["fix", "-q", *[str(work / i) for i in inputs], "--out-dir", str(out)]) == cli.EXIT_CHANGES
    got = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert got == sorted(expected)
    assert all((out / e).read_text(encoding="utf-8") == CLEAN for e in expected)
    assert (work / "docs" / "x.md").read_text(encoding="utf-8") == GARBLED


def test_out_dir_gets_files_that_cannot_be_cleaned_unchanged_and_skips_its_own_output(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "a.md", GARBLED)
    (docs / "latin1.txt").write_bytes(LATIN1)
    out = docs / "clean"
    assert cli.main(["fix", "-q", str(docs), "--out-dir", str(out)]) == cli.EXIT_CHANGES
    assert (out / "latin1.txt").read_bytes() == LATIN1
    assert (out / "a.md").read_text(encoding="utf-8") == CLEAN
    assert cli.main(["fix", "-q", str(docs), "--out-dir", str(out)]) == cli.EXIT_CHANGES
    assert not (out / "clean").exists()  # the copies of the first run are not inputs of the second


# -- 8. bilingual numbers: the scale words of both languages ---------------------------------------

NUMBER_PAIRS = [
    ("9亿用户", "900 milhões de utilizadores"),
    ("100万台", "1 milhão de unidades"),
    ("1000万台", "10 milhões de unidades"),
    ("150万台", "1,5 milhão de unidades"),
    ("150万台", "1,5 milhões de unidades"),
    ("30亿元", "3 mil milhões de yuan"),
    ("15亿元", "1,5 mil milhões de yuan"),
    ("30亿元", "3 bilhões de yuan"),
    ("10亿元", "1 bilhão de yuan"),
    ("30亿元", "3 biliões de yuan"),  # pt-PT writers use "biliões" for the English billion
    ("3万亿元", "3 biliões de yuan"),  # ... and for the long-scale 10^12
    ("3万亿元", "3 trilhões de yuan"),
    ("3万人", "30 mil pessoas"),
    ("25万人", "250 mil pessoas"),
    ("0.7亿元", "70 milhões de yuan"),
    ("3千万元", "30 milhões de yuan"),
    ("2500万", "25 milhões"),
    ("12亿", "1.200 milhões"),
]


@pytest.mark.parametrize("zh, pt", NUMBER_PAIRS, ids=[f"{z}={p}" for z, p in NUMBER_PAIRS])
def test_scale_words_match_across_languages(cleaner, zh, pt):
    r = cleaner.clean(f"A empresa anunciou {pt}.", source=f"公司宣布{zh}。")
    assert [f.message for f in r.findings if f.rule_id == "number-mismatch"] == []


@pytest.mark.parametrize("zh, pt", [
    ("9亿用户", "90 milhões de utilizadores"),
    ("100万台", "1 mil unidades"),
    ("30亿元", "3 milhões de yuan"),
    ("3万人", "3 mil pessoas"),
], ids=["9亿≠90 milhões", "100万≠1 mil", "30亿≠3 milhões", "3万≠3 mil"])
def test_a_wrong_scale_is_still_a_number_mismatch(cleaner, zh, pt):
    r = cleaner.clean(f"A empresa anunciou {pt}.", source=f"公司宣布{zh}。")
    assert [f.rule_id for f in r.findings].count("number-mismatch") == 1


# -- 9. small things ------------------------------------------------------------------------------

def test_summary_counts_in_singular_and_plural_and_shows_the_rules_left_out():
    one = FileResult("a.md", "changed", rules={"r1": 1}, records=[{"kind": "finding"}])
    assert summary([one], "fix", 1.0).startswith("1 file, 1 fixed; 1 edit (r1×1), 1 finding;")
    many = FileResult("b.md", "changed", rules={f"r{i:02}": 20 - i for i in range(11)})
    line = summary([many, FileResult("c.md", "error", "x")], "check", 1.0)
    assert line.startswith("2 files, 1 needs fixes, 1 error;")
    assert "r07×13, … 3 more rules)" in line and "r08" not in line


def test_json_and_sarif_reports_include_files_that_could_not_be_read(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    missing = str(tmp_path / "missing.md")
    assert cli.main(["check", "-q", "--format", "json", missing, str(p)]) == cli.EXIT_INPUT
    data = json.loads(capsys.readouterr().out)
    assert {"path": missing, "status": "error", "message": "no such file or folder", "records": []} in data
    assert any(d["path"] == str(p) and d["status"] == "changed" for d in data)
    assert cli.main(["check", "-q", "--format", "sarif", missing]) == cli.EXIT_INPUT
    inv = json.loads(capsys.readouterr().out)["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "no such file or folder"


def test_an_unreadable_input_beside_a_file_to_fix_exits_4_and_the_fix_is_written(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    assert cli.main(["fix", str(tmp_path / "missing.md"), str(p)]) == cli.EXIT_INPUT  # 4 before 1
    err = capsys.readouterr().err
    assert "missing.md: error: no such file or folder" in err and "2 files, 1 fixed, 1 error" in err
    assert p.read_text(encoding="utf-8") == CLEAN


def test_clean_format_json_gives_the_cleaned_text_instead_of_printing_it(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    assert cli.main(["clean", "--format", "json", str(p)]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)  # nothing else on standard output
    assert data[0]["text"] == CLEAN and data[0]["records"]


@pytest.mark.parametrize("argv", [
    ["fix", "-", "--out-dir", "x"],
    ["fix", "-", "--format", "json"],
    ["check", "-j", "0", "."],
    ["check", "-j", "-1", "."],
    ["check", "-j", "many", "."],
    ["fix", "--bitext-per-row", "x.tsv"],
])
def test_options_that_would_be_ignored_are_usage_errors(argv, capsys):
    assert cli.main(argv) == cli.EXIT_USAGE
    assert "error:" in capsys.readouterr().err


def test_jobs_one_works(tmp_path):
    p = write(tmp_path, "a.md", GARBLED)
    assert cli.main(["check", "-q", "-j", "1", str(p)]) == cli.EXIT_CHANGES


def test_clean_of_several_files_marks_where_each_begins(tmp_path, capsys):
    write(tmp_path, "a.md", GARBLED)
    write(tmp_path, "b.md", "sem fim de linha，aqui")  # Chinese punctuation: machine translation
    write(tmp_path, "c.md", CLEAN)
    assert cli.main(["clean", str(tmp_path)]) == cli.EXIT_OK
    a, b, c = (str(tmp_path / n) for n in ("a.md", "b.md", "c.md"))
    assert capsys.readouterr().out == (f"==> {a} <==\n{CLEAN}\n==> {b} <==\nsem fim de linha, aqui\n\n"
                                       f"==> {c} <==\n{CLEAN}")
    assert cli.main(["clean", a]) == cli.EXIT_OK
    assert capsys.readouterr().out == CLEAN  # one file: its text alone


def test_every_argument_of_every_command_has_help():
    parser = cli._parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [f"{name} {a.dest}" for name, p in sub.choices.items() for a in p._actions
               if not a.help or a.help == "==SUPPRESS=="]
    assert missing == []


def test_bitext_rows_of_a_file_are_one_document(tmp_path, capsys):
    rows = ("小米发布了新手机\tA Xiaomi lançou um novo telemóvel\n"
            "他说小爱同学回答了\tEle disse que o pequeno colega de classe Ai respondeu\n")
    tsv = write(tmp_path, "pares.tsv", rows)
    assert cli.main(["fix", "-q", "--bitext", str(tsv)]) == cli.EXIT_CHANGES
    assert tsv.read_text(encoding="utf-8").splitlines()[1] == "他说小爱同学回答了\tEle disse que o Xiao Ai respondeu"
    tsv.write_text(rows, encoding="utf-8")
    assert cli.main(["fix", "-q", "--bitext", "--bitext-per-row", str(tsv)]) == cli.EXIT_OK
    assert tsv.read_text(encoding="utf-8") == rows  # row 2 alone names no Xiaomi product


# -- 10. mojibake repaired with ftfy, before the glossary sees the words -------------------------

@pytest.mark.parametrize("raw, fixed", [
    ("Mais informaÃ§Ã£o nÃ£o estÃ¡ aqui.", "Mais informação não está aqui."),
    ("â€œOlÃ¡â€\x9d, disse ele.", "“Olá”, disse ele."),
    ("NÃƒO ENTRE", "NÃO ENTRE"),
])
def test_mojibake_is_repaired_with_a_rule_per_ftfy_fixer(cleaner, raw, fixed):
    r = cleaner.clean(raw)
    assert r.text == fixed
    assert {e.rule_id for e in r.edits} == {"ftfy-fix-encoding"} and {e.stage for e in r.edits} == {"encoding"}


def test_after_repair_the_glossary_sees_the_repaired_word(cleaner):
    assert cleaner.clean("A Xiaomi e o novo painÃ§o , hoje.").text == "A Xiaomi e a nova Xiaomi, hoje."


@pytest.mark.parametrize("text", [
    "O “olá” e «sim» ficam como estão — e o café» também.",
    "Ligaduras ﬁ e largura ＡＢＣ e aspas ‘simples’ não mudam.",
    "Â pode ser uma letra, e 100Â ºC também não é mojibake certo.",
])
def test_correct_text_is_never_touched_by_the_encoding_stage(cleaner, text):
    assert [e for e in cleaner.clean(text).edits if e.stage == "encoding"] == []


def test_a_repair_into_another_script_is_not_made(cleaner):
    text = "o café»“* e mais"  # decodes to a Han character if read as inconsistent UTF-8
    assert [e for e in cleaner.clean(text).edits if e.stage == "encoding"] == []
