"""The file commands: safe in-place writes, formats, discovery, configuration, workers, reports."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cleanmt import cli

from .conftest import write

GARBLED = "A Xiaomi e o novo painço , hoje.\n"
CLEAN = "A Xiaomi e a nova Xiaomi, hoje.\n"


def test_fix_in_place_keeps_crlf_bom_and_mode(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"\xef\xbb\xbf" + GARBLED.replace("\n", "\r\n").encode() * 2)
    os.chmod(p, 0o640)
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    assert p.read_bytes() == b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode() * 2
    assert oct(p.stat().st_mode & 0o777) == oct(0o640)
    assert [x.name for x in tmp_path.iterdir()] == ["a.md"]  # no temporary file left behind


def test_unchanged_file_is_not_rewritten(tmp_path):
    p = write(tmp_path, "ok.md", CLEAN)
    os.utime(p, (1_000_000_000, 1_000_000_000))
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_OK
    assert p.stat().st_mtime == 1_000_000_000


def test_utf16_with_bom_round_trips(tmp_path):
    p = tmp_path / "u.txt"
    p.write_bytes(GARBLED.encode("utf-16"))
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    assert p.read_bytes() == CLEAN.encode("utf-16")


@pytest.mark.parametrize("data, why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR painco", "binary"),
    ("o novo painço em latin-1".encode("latin-1"), "not UTF-8"),
])
def test_binary_and_undecodable_files_are_reported_and_untouched(tmp_path, capsys, data, why):
    p = tmp_path / "x.txt"
    p.write_bytes(data)
    assert cli.main(["fix", str(p)]) == cli.EXIT_INPUT  # named explicitly: an error (see test_first_hour.py)
    assert why in capsys.readouterr().err
    assert p.read_bytes() == data


def test_mixed_newlines_are_kept(tmp_path):
    p = tmp_path / "m.txt"
    p.write_bytes("Xiaomi: o novo painço , hoje.\r\nlinha dois\n".encode())
    cli.main(["fix", "-q", str(p)])
    assert p.read_bytes() == "Xiaomi: a nova Xiaomi, hoje.\r\nlinha dois\n".encode()


def test_out_dir_mirrors_the_tree(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    write(src / "sub", "a.md", GARBLED)
    write(src, "b.md", CLEAN)
    out = tmp_path / "out"
    assert cli.main(["fix", "-q", str(src), "--out-dir", str(out)]) == cli.EXIT_CHANGES
    assert (out / "sub" / "a.md").read_text(encoding="utf-8") == CLEAN
    assert (out / "b.md").read_text(encoding="utf-8") == CLEAN
    assert (src / "sub" / "a.md").read_text(encoding="utf-8") == GARBLED


def test_stdin_to_stdout():
    r = subprocess.run([sys.executable, "-m", "cleanmt", "fix", "-q", "-"], input=GARBLED.encode(),
                       capture_output=True, check=False)
    assert r.stdout.decode() == CLEAN and r.returncode == cli.EXIT_CHANGES


def test_diff_and_explain(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    assert cli.main(["diff", "-q", str(p)]) == cli.EXIT_CHANGES
    out = capsys.readouterr().out
    assert f"--- a/{p}" in out and "-A Xiaomi e o novo painço , hoje." in out and "+" + CLEAN.strip() in out
    assert cli.main(["explain", "-q", str(p)]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert f"{p}:1:19: 'painço' → 'Xiaomi' [xiaomi-painco]" in lines
    assert f"{p}:1:25: ' ' → '' [space-before-punctuation]" in lines
    assert p.read_text(encoding="utf-8") == GARBLED


def test_po_only_translations_are_cleaned(tmp_path):
    po = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "The new Xiaomi, today"
msgstr "A Xiaomi e o novo painço , hoje"

#. painço in a comment stays
msgid "millet , painço"
msgstr ""
"O novo painço chegou"
'''
    p = write(tmp_path, "pt.po", po)
    cli.main(["fix", "-q", str(p)])
    out = p.read_text(encoding="utf-8")
    assert 'msgstr "A Xiaomi e a nova Xiaomi, hoje"' in out
    # "painço" is also the cereal, and this message's msgid says millet: nothing shows the MT reading
    assert '"O novo painço chegou"' in out
    assert 'msgid "The new Xiaomi, today"' in out and 'msgid "millet , painço"' in out
    assert "#. painço in a comment stays" in out


def test_srt_only_subtitle_text_is_cleaned(tmp_path):
    srt = "1\n00:00:01,000 --> 00:00:02,500\nA Xiaomi e o novo\npainço , hoje.\n\n2\n00:00:03,000 --> 00:00:04,000\nFim .\n"
    p = write(tmp_path, "a.srt", srt)
    cli.main(["fix", "-q", str(p)])
    assert p.read_text(encoding="utf-8") == (
        "1\n00:00:01,000 --> 00:00:02,500\nA Xiaomi e a nova\nXiaomi, hoje.\n\n2\n00:00:03,000 --> 00:00:04,000\nFim.\n")


def test_jsonl_field(tmp_path):
    rows = [{"id": 1, "text": "A Xiaomi e o novo painço , hoje.", "meta": "painço , x"}, {"id": 2, "text": "ok."}]
    p = write(tmp_path, "c.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n")
    cli.main(["fix", "-q", str(p)])
    lines = p.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"id": 1, "text": "A Xiaomi e a nova Xiaomi, hoje.", "meta": "painço , x"}
    assert lines[1] == json.dumps(rows[1], ensure_ascii=False) and lines[2] == "not json"
    other = write(tmp_path, "d.jsonl", json.dumps({"body": "Xiaomi: o novo painço"}, ensure_ascii=False) + "\n")
    cli.main(["fix", "-q", "--jsonl-field", "body", str(other)])
    assert json.loads(other.read_text(encoding="utf-8")) == {"body": "Xiaomi: a nova Xiaomi"}


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_folders_include_exclude_and_gitignore(tmp_path, capsys):
    _git(tmp_path, "init", "-q")
    write(tmp_path, ".gitignore", "ignored/\n*.gen.md\n")
    for name in ("a.md", "b.txt", "c.py", "x.gen.md", "ignored/d.md", "drafts/e.md", "pt.po"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        write(tmp_path / name.rsplit("/", 1)[0] if "/" in name else tmp_path, name.rsplit("/", 1)[-1],
              'msgid "x"\nmsgstr "o novo painço , Xiaomi"\n' if name.endswith(".po") else GARBLED)
    assert cli.main(["check", "--exclude", "drafts", str(tmp_path)]) == cli.EXIT_CHANGES
    out = capsys.readouterr().out
    seen = {line.split(":")[0].replace(str(tmp_path) + "/", "") for line in out.splitlines()}
    assert seen == {"a.md", "b.txt", "pt.po"}


def test_force_exclude_applies_to_explicit_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    p = write(tmp_path, "skip.md", GARBLED)
    assert cli.main(["check", "--exclude", "skip.md", "skip.md"]) == cli.EXIT_CHANGES  # explicit wins
    assert cli.main(["check", "--exclude", "skip.md", "--force-exclude", "skip.md"]) == cli.EXIT_OK
    assert p.read_text(encoding="utf-8") == GARBLED


def test_config_file_found_walking_up(tmp_path, monkeypatch, capsys):
    # with the painço entry off nothing shows machine translation: level = "suggest" makes the rest
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.cleanmt]\ndisable = ["xiaomi-painco"]\n'
                                      'exclude = ["drafts"]\nlevel = "suggest"\n')
    sub = tmp_path / "docs" / "deep"
    sub.mkdir(parents=True)
    p = write(sub, "a.md", GARBLED)
    monkeypatch.chdir(sub)
    assert cli.main(["fix", "-q", "a.md"]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == "A Xiaomi e o novo painço, hoje.\n"  # painço rule off
    write(tmp_path / "docs", ".cleanmt.toml", 'stages = ["glossary"]\n')
    p.write_text(GARBLED, encoding="utf-8")
    assert cli.main(["fix", "-q", "a.md"]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == "A Xiaomi e a nova Xiaomi , hoje.\n"  # nearer file wins


def test_config_unknown_key_is_refused_with_the_valid_ones(tmp_path, capsys):
    cfg = write(tmp_path, "bad.toml", 'disabel = ["x"]\n')
    p = write(tmp_path, "a.md", GARBLED)
    assert cli.main(["check", "--config", str(cfg), str(p)]) == cli.EXIT_GLOSSARY
    err = capsys.readouterr().err
    assert "disabel" in err and "valid keys are" in err and "jsonl-field" in err


def test_json_and_sarif_reports(tmp_path, capsys):
    p = write(tmp_path, "a.md", GARBLED)
    cli.main(["check", "-q", "--format", "json", str(p)])
    data = json.loads(capsys.readouterr().out)
    assert data[0]["path"] == str(p) and data[0]["status"] == "changed"
    assert {"kind": "edit", "line": 1, "col": 19, "end_line": 1, "end_col": 25, "before": "painço",
            "after": "Xiaomi", "rule_id": "xiaomi-painco", "stage": "glossary"} in data[0]["records"]
    cli.main(["check", "-q", "--format", "sarif", str(p)])
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0" and log["runs"][0]["tool"]["driver"]["name"] == "cleanmt"
    res = log["runs"][0]["results"]
    assert any(r["ruleId"] == "xiaomi-painco" and r["locations"][0]["physicalLocation"]["region"]["startColumn"] == 19
               for r in res)
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} >= {"xiaomi-painco", "space-before-punctuation"}


def test_many_files_with_workers_equal_each_file_alone(tmp_path, cleaner):
    texts = [GARBLED, CLEAN, "Na cena do telefone, a Xiaomi .\n", "nada a fazer\n", "O novo painço , e a Xiaomi\r\n"]
    folder = tmp_path / "many"
    folder.mkdir()
    for k in range(2000):
        write(folder, f"f{k:04d}.md", texts[k % len(texts)] * (1 + k % 3))
    expected = {}
    for f in folder.iterdir():
        from cleanmt.files import Options, process_bytes
        _, new = process_bytes(str(f), f.read_bytes(), cleaner, Options("fix"))
        expected[f.name] = new if new is not None else f.read_bytes()
    assert cli.main(["fix", "-q", "-j", "2", str(folder)]) == cli.EXIT_CHANGES
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == expected
