"""Hostile inputs: each gets an exact result or a clear error, and the file is left as it was."""
from __future__ import annotations

import os

import pytest

from cleanmt import apply_edits, cli
from cleanmt.batch import process_file

from .conftest import write


@pytest.mark.parametrize("text", ["", " ", "\n", "  \n\t \n\n", "\u200b\u200f", "\ufeff"])
def test_empty_and_blank_texts_come_out_unchanged(cleaner, text):
    r = cleaner.clean(text)
    assert r.text == text and r.edits == ()


def test_many_tiny_lines_and_one_long_line(cleaner):
    lines = "a\n" * 200_000
    assert cleaner.clean(lines).text == lines
    line = "A Xiaomi e o novo painço, hoje. " * 20_000
    r = cleaner.clean(line)
    assert r.text == ("A Xiaomi e a nova Xiaomi, hoje. " * 20_000)
    assert apply_edits(line, r.edits) == r.text


def test_nul_bytes_in_text_are_kept(cleaner):
    text = "A Xiaomi\x00 e o novo painço\x00."
    r = cleaner.clean(text)
    assert r.text == "A Xiaomi\x00 e a nova Xiaomi\x00."


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only file")
def test_read_only_file_is_reported_and_untouched(tmp_path, capsys):  # pragma: no cover - CI runs as root
    p = write(tmp_path, "ro.md", "A Xiaomi e o novo painço.\n")
    os.chmod(tmp_path, 0o555)
    try:
        assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_INPUT
    finally:
        os.chmod(tmp_path, 0o755)
    assert p.read_text(encoding="utf-8") == "A Xiaomi e o novo painço.\n"


def test_unwritable_folder_is_reported_and_the_file_untouched(tmp_path, capsys, monkeypatch):
    import cleanmt.files as F

    p = write(tmp_path, "a.md", "A Xiaomi e o novo painço.\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(F.tempfile, "mkstemp", refuse)
    assert cli.main(["fix", str(p)]) == cli.EXIT_INPUT
    assert "cannot be written" in capsys.readouterr().err
    assert p.read_text(encoding="utf-8") == "A Xiaomi e o novo painço.\n"


def test_symlink_loop_and_missing_files(tmp_path, capsys):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "self").symlink_to(tmp_path / "d")
    write(tmp_path / "d", "ok.md", "texto correto.\n")
    assert cli.main(["check", str(loop)]) == cli.EXIT_INPUT
    assert "cannot be read" in capsys.readouterr().err
    assert cli.main(["check", str(tmp_path / "d")]) == cli.EXIT_OK  # the folder loop is not followed
    assert cli.main(["check", str(tmp_path / "gone.md")]) == cli.EXIT_INPUT
    assert "no such file" in capsys.readouterr().err


def test_file_vanishing_between_discovery_and_reading(tmp_path, cleaner):
    import cleanmt.files as F

    p = write(tmp_path, "a.md", "x")
    p.unlink()
    r = process_file(str(p), cleaner, F.Options("fix"))
    assert r.status == "error" and "cannot be read" in r.message


def test_a_200k_entry_glossary_loads_checks_and_works(tmp_path):
    """A big user list: loaded, every pair checked, one automaton; about 20 s here."""
    import random

    from cleanmt import Cleaner, load_glossary

    rng = random.Random(3)
    syl = "ba be bi bo bu da de di do du fa fe fi la le li lo lu ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo ção ã õe ça".split()
    seen, rows = set(), []
    while len(rows) < 200_000:
        w = " ".join("".join(rng.choice(syl) for _ in range(rng.randint(2, 4))) for _ in range(rng.choice((1, 2, 3))))
        if w not in seen:
            seen.add(w)
            rows.append((w, "k" + "".join(rng.choice(syl) for _ in range(3))))
    p = tmp_path / "big.tsv"
    p.write_text("".join(f"{w}\t{r}\n" for w, r in rows), encoding="utf-8")
    c = Cleaner([load_glossary(p)])
    (w1, r1), (w2, r2) = rows[5], rows[150_000]
    assert c.clean(f"o {w1} e {w2}.").text == f"o {r1} e {r2}."
