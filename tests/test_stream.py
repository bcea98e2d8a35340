"""Large files are cleaned in paragraph-aligned pieces: the result equals cleaning them whole."""
from __future__ import annotations

import pytest

import cleanmt.files as F
from cleanmt import batch, streaming
from cleanmt import cli

from .conftest import FIXTURES


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(batch, "STREAM_FROM", 50_000)
    monkeypatch.setattr(F, "CHUNK", 30_000)
    monkeypatch.setattr(streaming, "CHUNK", 30_000)  # the pieces a large file is cleaned in


def _big() -> str:
    raw = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    body, footer = raw[: raw.index("\n\nVer original")], raw[raw.index("\n\nVer original"):]
    return "\n\n".join([body] * 8) + footer


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_streamed_fix_equals_whole_file_cleaning(tmp_path, cleaner, small_pieces, newline):
    text = _big()
    p = tmp_path / "big.md"
    p.write_bytes(text.replace("\n", newline).encode())
    expected = cleaner.clean(text).text.replace("\n", newline).encode()
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    assert p.read_bytes() == expected
    assert [x.name for x in tmp_path.iterdir()] == ["big.md"]


def test_streamed_check_reports_with_global_line_numbers(tmp_path, cleaner, small_pieces, capsys):
    text = _big()
    p = tmp_path / "big.md"
    p.write_text(text, encoding="utf-8")
    expected = {f"{p}:{e['line']}:{e['col']}" for e in F._records(text, cleaner.clean(text)) if e["kind"] == "edit"}
    assert cli.main(["check", "-q", str(p)]) == cli.EXIT_CHANGES
    got = {":".join(line.split(":")[:3]) for line in capsys.readouterr().out.splitlines() if "→" in line}
    assert got == expected
    assert p.read_text(encoding="utf-8") == text


def test_undecodable_byte_deep_in_a_large_file_leaves_it_untouched(tmp_path, small_pieces, capsys):
    data = _big().encode() + b"\xff\xfe broken" + _big().encode()
    p = tmp_path / "big.md"
    p.write_bytes(data)
    assert cli.main(["fix", str(p)]) == cli.EXIT_INPUT  # named explicitly: not cleaned is an error
    assert "not UTF-8" in capsys.readouterr().err
    assert p.read_bytes() == data
    assert [x.name for x in tmp_path.iterdir()] == ["big.md"]


def test_one_huge_line_is_cut_at_sentence_ends(tmp_path, cleaner, small_pieces):
    line = ("A Xiaomi e o novo painço , hoje. " * 5000).strip()
    p = tmp_path / "line.txt"
    p.write_text(line, encoding="utf-8")
    cli.main(["fix", "-q", str(p)])
    assert p.read_text(encoding="utf-8") == cleaner.clean(line).text
