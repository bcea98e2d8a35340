"""Scoring: sacrebleu parity with its own command line, hand-checked word edits, alignment,
term accuracy, the eval report and per-rule impact."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cleanmt
from cleanmt import cli
from cleanmt.scoring import align, segments, word_edits

from .conftest import FIXTURES, write

PAIRS = [(FIXTURES / "seed" / "article.raw.txt", FIXTURES / "seed" / "article.ref.txt")] + [
    (p, p.with_name(p.name.replace(".raw.txt", ".ref.txt"))) for p in sorted((FIXTURES / "mt-pages").glob("*.raw.txt"))]


@pytest.mark.parametrize("raw_path, ref_path", PAIRS, ids=[p.name for p, _ in PAIRS])
def test_document_scores_match_the_sacrebleu_command_line(tmp_path, cleaner, raw_path, ref_path):
    ref = ref_path.read_text(encoding="utf-8")
    for hyp in (cleaner.clean(raw_path.read_text(encoding="utf-8")).text, raw_path.read_text(encoding="utf-8")):
        s = cleanmt.score(hyp, ref)
        # the same segments, one aligned group per line, as sacrebleu's command line reads them
        H, R = segments(hyp), segments(ref)

        def line(units, first, count):
            return " ".join(units[first:first + count]) if first is not None else ""

        (tmp_path / "h.txt").write_text("\n".join(line(H, x.hyp, x.hyp_count) for x in s.segments) + "\n",
                                        encoding="utf-8")
        (tmp_path / "r.txt").write_text("\n".join(line(R, x.ref, x.ref_count) for x in s.segments) + "\n",
                                        encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "sacrebleu", str(tmp_path / "r.txt"), "-i", str(tmp_path / "h.txt"),
                              "-m", "bleu", "chrf", "ter", "-b", "-w", "4"], capture_output=True, text=True, check=True)
        bleu, chrf, ter = json.loads(out.stdout)
        assert (round(s.bleu, 2), round(s.chrf, 2), round(s.ter, 2)) == (round(bleu, 2), round(chrf, 2), round(ter, 2))


def test_parallel_paragraphs_are_what_the_command_line_sees(cleaner):
    raw = (FIXTURES / "mt-pages" / "byd-vendas.raw.txt").read_text(encoding="utf-8")
    ref = (FIXTURES / "mt-pages" / "byd-vendas.ref.txt").read_text(encoding="utf-8")
    s = cleanmt.score(cleaner.clean(raw).text, ref)
    assert [(x.hyp, x.ref) for x in s.segments] == [(k, k) for k in range(len(segments(ref)))]


@pytest.mark.parametrize("hyp, ref, expected", [
    ("a b c", "a b d", 1),
    ("o gato", "o gato preto", 1),
    ("o gato preto", "o gato", 1),
    ("um dois três", "três dois um", 2),
    ("a\n\nb c\n\nd", "a\n\nd", 2),  # a paragraph missing from the reference: its two words
    ("", "a b", 2),
])
def test_word_edits_hand_computed(hyp, ref, expected):
    assert word_edits(hyp, ref) == expected
    if ref.strip():
        assert cleanmt.score(hyp, ref).word_edits == expected


def test_word_edit_rate_and_edits_removed():
    s = cleanmt.score("o novo cenário da Xiaomi", "o novo cenário da Xiaomi hoje", raw="o novo cena do painço hoje")
    assert s.word_edits == 1 and s.ref_words == 6
    assert s.word_edit_rate == pytest.approx(1 / 6)
    assert s.raw.word_edits == 3
    assert s.edits_removed == pytest.approx(1 - 1 / 3)


def test_alignment_survives_a_removed_and_a_merged_paragraph():
    ref = ["Primeiro parágrafo sobre a Xiaomi.", "Segundo parágrafo, que sumiu.", "Terceiro parágrafo aqui.",
           "Quarto parágrafo.", "Quinto parágrafo fica."]
    hyp = [ref[0], ref[2], ref[3] + " " + ref[4]]
    pairs = [(list(h), list(r)) for h, r in align(hyp, ref)]
    assert pairs == [([0], [0]), ([1], [2]), ([2], [3, 4])]  # the merged paragraph pairs with both
    s = cleanmt.score("\n\n".join(hyp), "\n\n".join(ref))
    assert 1 in s.unaligned_ref
    assert s.unaligned_hyp == []


def test_term_accuracy_by_segment():
    ref = "A nova Xiaomi lançou o CyberDog 2.\n\nO Xiao Ai responde."
    hyp = "A nova Xiaomi lançou o Robot Dog II Iron Egg.\n\nO Xiao Ai responde."
    t = cleanmt.score(hyp, ref).terms
    assert t.expected == 3 and t.found == 2
    assert t.missing == [("CyberDog 2", 0)]
    assert ("Robot Dog II Iron Egg", "cyberdog-2") in t.leftover


def test_score_command_text_and_json(tmp_path, capsys):
    ref = write(tmp_path, "ref.txt", "A nova Xiaomi lançou o modelo.\n")
    hyp = write(tmp_path, "hyp.txt", "A nova Xiaomi lançou o modelo.\n")
    raw = write(tmp_path, "raw.txt", "O novo painço lançou o modelo .\n")
    assert cli.main(["score", "--ref", str(ref), str(hyp), "--raw", str(raw)]) == 0
    out = capsys.readouterr().out
    assert "BLEU 100.00" in out and "cleaning removed 100.0%" in out and "nrefs:1" in out
    assert cli.main(["score", "--ref", str(ref), str(hyp), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["bleu"] == pytest.approx(100.0) and data["word_edits"] == 0 and "signatures" in data


def test_score_command_errors(tmp_path, capsys):
    hyp = write(tmp_path, "hyp.txt", "texto")
    empty = write(tmp_path, "empty.txt", "  \n")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    assert cli.main(["score", "--ref", str(tmp_path / "missing.txt"), str(hyp)]) == cli.EXIT_INPUT
    assert "no such file" in capsys.readouterr().err
    assert cli.main(["score", "--ref", str(empty), str(hyp)]) == cli.EXIT_INPUT
    assert "empty" in capsys.readouterr().err
    assert cli.main(["score", "--ref", str(bad), str(hyp)]) == cli.EXIT_INPUT
    assert "not UTF-8" in capsys.readouterr().err


def test_eval_prints_the_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "eval.json"
    assert cli.main(["eval", str(FIXTURES / "seed"), "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "article" in table and "TOTAL" in table and "→" in table
    data = json.loads(out.read_text(encoding="utf-8"))
    doc = data["documents"]["article"]
    assert doc["word_edits"] < doc["raw"]["word_edits"] / 2
    assert doc["chrf"] > doc["raw"]["chrf"]


def test_by_rule_flags_a_harmful_rule(tmp_path, capsys):
    harmful = write(tmp_path, "harmful.toml", """
[[term]]
id = "harmful-molde"
wrong = "modelo"
right = "molde"
note = "a deliberately harmful rule for the test"
examples = [["o modelo", "o molde"]]
keep = ["a cena"]
""")
    out = tmp_path / "eval.json"
    assert cli.main(["eval", str(FIXTURES / "seed"), "--by-rule", "--glossary", str(harmful), "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "harmful-molde  HARMFUL" in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["harmful_rules"] == ["harmful-molde"]
    assert data["by_rule"]["xiaomi-painco"] > 0


def test_eval_errors(tmp_path, capsys):
    assert cli.main(["eval", str(tmp_path / "nope")]) == cli.EXIT_INPUT
    assert cli.main(["eval", str(tmp_path)]) == cli.EXIT_INPUT
    assert "no NAME.raw.txt" in capsys.readouterr().err
