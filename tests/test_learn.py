"""cleanmt learn: corrections grouped across inflections, evidence from a keep corpus, files the
loader accepts, byte-identical output, --extend, and the done-when figures on the fixtures
(learned from the sample article alone, applied to the MT pages, nothing changed in text that
must not change)."""
from __future__ import annotations

import json
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleanmt
from cleanmt import cli
from cleanmt.align import tokens, word_diff
from cleanmt.learning.evaluate import kfold
from cleanmt.scoring import word_edits

from .conftest import FIXTURES, load_cases, write

SEED_RAW = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
SEED_REF = (FIXTURES / "seed" / "article.ref.txt").read_text(encoding="utf-8")
PAGES = [(p.name, p.read_text(encoding="utf-8"), p.with_name(p.name.replace(".raw.", ".ref.")).read_text(encoding="utf-8"))
         for p in sorted((FIXTURES / "mt-pages").glob("*.raw.txt"))]
KEEP = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "keep").iterdir())]
NEGATIVE = [c["text"] for c in load_cases("negative")]

# text of our own: one correction in three inflections and agreement contexts
PAINCO = [
    ("a", "Hoje o novo painço lançou um telefone. A equipe do painço cresceu.\n\nO painço vende bem na Europa.",
     "Hoje a nova Xiaomi lançou um telefone. A equipe da Xiaomi cresceu.\n\nA Xiaomi vende bem na Europa."),
    ("b", "As novas lascas rápidas chegaram ao mercado. Uma lasca moderna consome pouco.",
     "Os novos chips rápidos chegaram ao mercado. Um chip moderno consome pouco."),
]


@pytest.fixture(scope="module")
def from_seed():
    return cleanmt.learn([("article", SEED_RAW, SEED_REF)], bundled=False)


def _changed(cleaner, text: str) -> int:
    out = cleaner.clean(text).text
    return sum(max(s.i1 - s.i0, s.j1 - s.j0) for s in word_diff(tokens(text), tokens(out)))


def _load(tmp_path, learned, name="learned.toml", **kw):
    path = write(tmp_path, name, learned.toml())
    return path, cleanmt.Cleaner([path], check_examples=True, **kw)


def test_inflections_and_agreement_contexts_are_one_entry_with_gender(tmp_path):
    learned = cleanmt.learn(PAINCO, bundled=False)
    entries = {e["wrong"]: e for e in learned.term_tables()}
    painco = entries["painço"]
    assert (painco["right"], painco["gender"], painco["right-gender"]) == ("Xiaomi", "m", "f")
    assert "3 correction(s)" in painco["note"]
    assert sum(1 for e in learned.entries if e.right == "Xiaomi") == 1
    lasca = entries["lasca"]  # seen in the plural and the singular: one singular entry that inflects
    assert (lasca["right"], lasca["inflect"], lasca["gender"], lasca["right-gender"]) == ("chip", True, "f", "m")
    _, c = _load(tmp_path, learned, assume_mt=True)
    # the article changes are left to the agreement tables
    assert c.clean("Ontem o novo painço abriu uma loja do painço.").text == "Ontem a nova Xiaomi abriu uma loja da Xiaomi."
    assert c.clean("Duas lascas novas.").text == "Dois chips novos."


def test_a_wrong_form_found_in_the_keep_corpus_is_ambiguous_with_that_context_kept():
    keep = ["Uma lasca de madeira saltou do machado quando ele cortava lenha no quintal."]
    learned = cleanmt.learn(PAINCO, bundled=False, keep_corpus=keep)
    lasca = next(e for e in learned.entries if e.wrong == "lasca")
    assert lasca.ambiguous and lasca.unchanged_keep == 1
    assert any("machado" in k for k in lasca.keep)
    assert {"machado", "madeira"} & set(lasca.not_near)
    # found more often right than corrected: left out, and said why
    learned = cleanmt.learn(PAINCO, bundled=False, keep_corpus=keep * 3)
    assert "lasca" not in {e.wrong for e in learned.entries}
    assert any(x["wrong"] == "lasca" and x["why"].startswith("often right") for x in learned.report["left_out"])


def test_a_wrong_form_left_unchanged_in_the_references_is_kept_alone(from_seed):
    cena = next(e for e in from_seed.entries if e.wrong == "cena")
    assert cena.unchanged_refs >= 1 and cena.ambiguous  # "entra em cena" stays in the reference
    c = cleanmt.Cleaner([from_seed.glossary()], assume_mt=True)
    kept = next(k for k in cena.keep if "em cena" in k)
    assert c.clean(kept).text == kept


def test_names_keep_their_forced_spelling_and_one_off_rewrites_are_dropped(from_seed):
    by_wrong = {e.wrong: e for e in from_seed.entries}
    assert by_wrong["C-autoritária"].right == "C-Eval" and by_wrong["C-autoritária"].force_case
    assert by_wrong["Qubit See More"].right == "QbitAI" and by_wrong["Qubit See More"].force_case
    assert "pequeno colega de classe Ai" in by_wrong  # a multi-word calque
    left = {x["wrong"] for x in from_seed.report["left_out"]}
    assert "custa quatro ou dois mil libras" in left  # a clause rewritten once does not transfer
    assert all(e.impact >= 0 for e in from_seed.entries)  # none lowers its own pairs' score
    for e in from_seed.term_tables():
        assert e["examples"] and e["keep"] and "Learned from" in e["note"]


def test_the_loader_accepts_every_emitted_file(tmp_path):
    sets = {"seed": [("article", SEED_RAW, SEED_REF)], "pages": PAGES, "all": [("article", SEED_RAW, SEED_REF), *PAGES],
            "painco": PAINCO}
    for name, pairs in sets.items():
        for bundled in (False, True):
            learned = cleanmt.learn(pairs, bundled=bundled)
            path = write(tmp_path, f"{name}-{bundled}.toml", learned.toml())
            g = cleanmt.load_glossary(path)
            assert len(g.entries) == len(learned.entries) + len(learned.block_tables)
            cleanmt.Cleaner(None if bundled else [], extra=[path], check_examples=True)


_WORDS = ["relatório", "equipe", "cliente", "sistema", "mercado", "produto", "versão", "cidade", "governo", "escola"]
_VERBS = ["apresentou", "melhorou", "recebeu", "perdeu", "vendeu"]


@st.composite
def _pairs(draw):
    wrong = draw(st.sampled_from(["bandeja", "lasca", "painço", "fornalha", "trilho"]))
    right = draw(st.sampled_from(["plataforma", "chip", "Xiaomi", "servidor", "Huawei"]))
    rows = []
    for k in range(draw(st.integers(1, 3))):
        sent = []
        for _ in range(draw(st.integers(1, 4))):
            subj, obj = draw(st.sampled_from(_WORDS)), draw(st.sampled_from(_WORDS))
            art = draw(st.sampled_from(["o", "a", "do", "da", "um", ""]))
            noun = wrong if draw(st.booleans()) else obj
            sent.append((f"O {subj} {draw(st.sampled_from(_VERBS))} {art} {noun}.".replace("  ", " "), noun == wrong))
        raw = " ".join(s for s, _ in sent)
        ref = " ".join(s.replace(wrong, right) if hit else s for s, hit in sent)
        rows.append((f"p{k}", raw, ref))
    return rows


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pairs())
def test_the_loader_accepts_what_is_learned_from_generated_pairs(tmp_path_factory, pairs):
    learned = cleanmt.learn(pairs, bundled=False)
    path = tmp_path_factory.mktemp("gen") / "learned.toml"
    path.write_text(learned.toml(), encoding="utf-8")
    cleanmt.Cleaner([path], check_examples=True)
    assert learned.toml() == cleanmt.learn(pairs, bundled=False).toml()


def test_the_same_input_gives_the_same_file_byte_for_byte(tmp_path, capsys):
    outs = []
    for k in range(2):
        out = tmp_path / f"out{k}.toml"
        assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), str(FIXTURES / "mt-pages"),
                         "--keep-corpus", str(FIXTURES / "keep"), "-o", str(out)]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0]
    assert "entries" in capsys.readouterr().err


def test_output_does_not_depend_on_hash_seeds(tmp_path):
    """A real subprocess run each time, with different string-hash seeds: no set order leaks out."""
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.toml"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "cleanmt", "learn", "--no-bundled", str(FIXTURES / "seed"),
                        str(FIXTURES / "mt-pages"), "-o", str(out)], check=True, env=env, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_a_name_at_a_sentence_start_and_inside_one_is_one_entry():
    pairs = [("a", "Jinshan anunciou lucros. A empresa Jinshan cresceu. Ele voltou para a Jinshan ontem.",
              "Kingsoft anunciou lucros. A empresa Kingsoft cresceu. Ele voltou para a Kingsoft ontem.")]
    learned = cleanmt.learn(pairs, bundled=False)
    [entry] = learned.entries
    assert (entry.wrong, entry.right, entry.support, entry.ambiguous) == ("Jinshan", "Kingsoft", 3, False)


def test_extend_leaves_out_what_it_covers_and_never_reuses_an_id(tmp_path, capsys):
    ext = write(tmp_path, "mine.toml", """
[[term]]
id = "cena"
wrong = "palco"
right = "cenário"
note = "an entry of the user's own that takes the id the learner would give to 'cena'"
examples = [["o palco do show", "o cenário do show"]]
keep = ["a cena final"]

[[term]]
id = "meu-layout"
wrong = "layout"
right = "estratégia"
gender = "m"
right-gender = "f"
note = "covers layout already"
examples = [["o layout técnico", "a estratégia técnico"]]
keep = ["a estratégia"]
""")
    out = tmp_path / "learned.toml"
    assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), "--extend", str(ext), "-o", str(out)]) == 0
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    terms = {t["wrong"]: t for t in data["term"]}
    assert terms["cena"]["id"] == "cena-2"
    assert "layout" not in terms
    ids = [t["id"] for t in data["term"]]
    assert len(ids) == len(set(ids)) and not {"cena", "meu-layout"} & set(ids)
    cleanmt.Cleaner([ext, out], check_examples=True)  # both together load
    # ids of the bundled glossaries are not reused either, even when they are off ("ai-four-tigers"
    # is one): the file loads beside them
    bundled_ids = {e.id for e in cleanmt.Cleaner().entries}
    for bundled in (True, False):
        learned = cleanmt.learn([("a", SEED_RAW, SEED_REF)], bundled=bundled)
        assert not bundled_ids & ({e.id for e in learned.entries} | {b["id"] for b in learned.block_tables})
    path = write(tmp_path, "nb.toml", learned.toml())
    cleanmt.Cleaner(extra=[path], check_examples=True)


def test_what_a_loaded_entry_writes_is_not_learned_as_wrong():
    """Bundled 'cena' -> 'cenário' and a learned 'cenário' -> 'palco' would chain."""
    pairs = [("a", "O cenário mudou. Um cenário novo surgiu. O cenário antigo acabou.",
              "O palco mudou. Um palco novo surgiu. O palco antigo acabou.")]
    learned = cleanmt.learn(pairs)
    assert learned.entries == []
    assert "cena-cenario" in learned.report["left_out"][0]["why"]
    assert [e.wrong for e in cleanmt.learn(pairs, disable=["cena-cenario"]).entries] == ["cenário"]


def test_an_entry_the_loader_refuses_is_dropped_and_said_why():
    from cleanmt.learning import _loadable
    from cleanmt.learning.group import Candidate

    good = Candidate(wrong="lasca", right="chip", occurrences=[], id="lasca",
                     examples=[("uma lasca nova", "uma chip nova")], keep=["o chip"])
    bad = Candidate(wrong="fornalha", right="servidor", occurrences=[], id="fornalha",
                    examples=[("a fornalha", "o servidor")], keep=["o servidor"])  # no gender: "a servidor"
    live, blocks = _loadable([good, bad], [], [], bundled=False)
    assert [c.id for c in live] == ["lasca"] and blocks == []
    assert bad.status.startswith("left out: refused by the loader") and "fornalha" in bad.status


def test_done_when_learned_from_the_seed_alone_applied_to_the_mt_pages(tmp_path, from_seed):
    path, learned = _load(tmp_path, from_seed)
    baseline = cleanmt.Cleaner([])
    raw = sum(word_edits(r, f) for _, r, f in PAGES)
    before = sum(word_edits(baseline.clean(r).text, f) for _, r, f in PAGES)
    after = sum(word_edits(learned.clean(r).text, f) for _, r, f in PAGES)
    assert after < before < raw
    ids = {e.id for e in learned.entries}
    for text in NEGATIVE + KEEP:
        assert _changed(learned, text) == 0, text[:80]
        assert not {e.rule_id for e in learned.clean(text).edits} & ids


def test_kfold_on_the_fixtures_is_honest():
    pairs = [("article", SEED_RAW, SEED_REF), *PAGES]
    ev = kfold(pairs, 4, cleanmt.learn, bundled=False)
    assert [f["held_out"] for f in ev["folds"]] == [[p[0]] for p in pairs]
    t = ev["total"]
    assert t["raw"] == sum(word_edits(r, f) for _, r, f in pairs)
    assert t["learned"] <= t["baseline"] < t["raw"] and t["removed"] == t["baseline"] - t["learned"]
    assert t["needless"] == 0


def test_learn_command_inputs_and_errors(tmp_path, capsys):
    raw_dir, ref_dir = tmp_path / "raw", tmp_path / "ref"
    (raw_dir / "sub").mkdir(parents=True)
    (ref_dir / "sub").mkdir(parents=True)
    for d, (_, r, f) in zip(("a.txt", "sub/b.txt"), PAINCO):
        (raw_dir / d).write_text(r, encoding="utf-8")
        (ref_dir / d).write_text(f, encoding="utf-8")
    out = tmp_path / "o.toml"
    assert cli.main(["learn", "--no-bundled", "--raw", str(raw_dir), "--ref", str(ref_dir), "-o", str(out)]) == 0
    by_folders = out.read_bytes()
    assert b'wrong = "pain\xc3\xa7o"' in by_folders
    tsv = write(tmp_path, "pairs.tsv", "".join(f"{r.replace(chr(10), chr(92) + 'n')}\t{f.replace(chr(10), chr(92) + 'n')}\n"
                                              for _, r, f in PAINCO))
    jsonl = write(tmp_path, "pairs.jsonl", "".join(json.dumps({"mt": r, "fixed": f}) + "\n" for _, r, f in PAINCO))
    capsys.readouterr()
    assert cli.main(["learn", "--no-bundled", "--bitext", str(tsv), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {e["wrong"] for e in report["entries"]} == {"painço", "lasca"} and "[[term]]" in report["toml"]
    assert cli.main(["learn", "--no-bundled", "--bitext", str(jsonl), "--fields", "mt,fixed"]) == 0
    assert "[[term]]" in capsys.readouterr().out
    # errors: nothing is written, the file is named
    bad = tmp_path / "bin.raw.txt"
    bad.write_bytes(b"\x00\x01" * 100)
    (tmp_path / "bin.ref.txt").write_text("texto", encoding="utf-8")
    none = tmp_path / "none.toml"
    assert cli.main(["learn", str(bad), "-o", str(none)]) == cli.EXIT_INPUT
    assert "bin.raw.txt" in capsys.readouterr().err and not none.exists()
    assert cli.main(["learn", "--bitext", str(jsonl)]) == cli.EXIT_INPUT  # no 'raw' field
    assert "pairs.jsonl:1" in capsys.readouterr().err
    assert cli.main(["learn", "--raw", str(raw_dir / "a.txt")]) == cli.EXIT_USAGE
    assert cli.main(["learn"]) == cli.EXIT_USAGE
    assert cli.main(["learn", "--bitext", str(tsv), "--eval", "5"]) == cli.EXIT_USAGE
    assert cli.main(["learn", str(tmp_path / "x.raw.txt")]) == cli.EXIT_INPUT
    broken = write(tmp_path, "broken.toml", "[[term]]\nid = 'x'\n")
    assert cli.main(["learn", "--bitext", str(tsv), "--extend", str(broken)]) == cli.EXIT_GLOSSARY
    assert "broken.toml" in capsys.readouterr().err


def test_eval_command_prints_the_folds(capsys):
    assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), str(FIXTURES / "mt-pages"), "--eval", "4"]) == 0
    out = capsys.readouterr().out
    assert "4-fold" in out and "article" in out and "needed no change" in out


def test_the_same_pairs_in_another_order_give_the_same_file(tmp_path, capsys):
    pairs = [("article", SEED_RAW, SEED_REF), *PAGES]
    assert cleanmt.learn(pairs, bundled=False).toml() == cleanmt.learn(pairs[::-1], bundled=False).toml()
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    seed, pages = str(FIXTURES / "seed"), str(FIXTURES / "mt-pages")
    assert cli.main(["learn", "--no-bundled", seed, pages, "-o", str(a)]) == 0
    assert cli.main(["learn", "--no-bundled", pages, seed, "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_extend_covers_an_ambiguous_entry_that_did_not_fire(tmp_path, capsys):
    """An entry of the extended glossary that stays silent in a pair (ambiguous, no evidence
    there) still covers its wrong form: it is not learned a second time."""
    pairs = [("a", "A tela nova brilha. Cada tela custa pouco.", "O ecrã novo brilha. Cada ecrã custa pouco."),
             ("b", "Uma tela grande. A tela dobra.", "Um ecrã grande. O ecrã dobra.")]
    first = cleanmt.learn(pairs, bundled=False)
    assert [e.wrong for e in first.entries] == ["tela"] and first.entries[0].ambiguous
    path = write(tmp_path, "first.toml", first.toml())
    assert cleanmt.learn(pairs, bundled=False, extend=[path]).entries == []
    # an entry whose context keeps it silent in these pairs covers its wrong form all the same
    mine = write(tmp_path, "mine.toml", '[[term]]\nid = "tela-ecra"\nwrong = "tela"\nright = "ecrã"\n'
                 'not-near = ["brilha", "dobra", "custa", "grande"]\nnote = "pt-PT: ecrã"\n'
                 'examples = [["a tela nova", "a ecrã nova"]]\nkeep = ["a tela brilha"]\n')
    again = cleanmt.learn(pairs, bundled=False, extend=[mine])
    assert again.entries == []
    assert any("'tela-ecra' already corrects 'tela'" in x["why"] for x in again.report["left_out"])


def test_the_output_file_gets_the_permissions_of_a_normal_write(tmp_path, capsys):
    import os
    import stat

    old = os.umask(0o022)
    try:
        out = tmp_path / "learned.toml"
        assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not the temporary file's 0600
        out.chmod(0o664)
        assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o664  # a replaced file keeps its mode
    finally:
        os.umask(old)


def test_learn_options_that_would_be_ignored_are_refused_or_reported(tmp_path, capsys):
    out = tmp_path / "x.toml"
    assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), str(FIXTURES / "mt-pages"), "--eval", "2",
                     "-o", str(out)]) == 2
    assert "writes no glossary" in capsys.readouterr().err and not out.exists()
    assert cli.main(["learn", "--no-bundled", str(FIXTURES / "seed"), "--eval", "1"]) == 2
    assert "2 or more" in capsys.readouterr().err
    folder = tmp_path / "pairs"
    folder.mkdir()
    write(folder, "a.raw.txt", "O painço lançou. O painço cresceu.")
    write(folder, "a.ref.txt", "A Xiaomi lançou. A Xiaomi cresceu.")
    write(folder, "b.raw.txt", "Sem referência ao lado.")
    assert cli.main(["learn", "--no-bundled", str(folder), "-o", str(out)]) == 0
    assert "b.raw.txt: no b.ref.txt beside it" in capsys.readouterr().err


def test_a_tsv_header_row_is_not_a_pair(tmp_path, capsys):
    tsv = write(tmp_path, "pairs.tsv", "raw\tref\nO painço lançou.\tA Xiaomi lançou.\nO painço cresceu.\tA Xiaomi cresceu.\n")
    assert cli.main(["learn", "--no-bundled", "--bitext", str(tsv), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pairs"] == 2 and all(x["wrong"] != "raw" for x in report["left_out"])


def test_a_learned_ambiguous_entry_needs_its_own_evidence_not_the_family(tmp_path):
    """A new user's trial: a page where a learned name was fixed also held a learned calque's
    phrase meant literally ("Um grupo bonito de turistas"), and the calque was made there on the
    name's evidence. Learned ambiguous entries carry family-evidence = false: suggested there."""
    pairs = [("a", "A Salto de Byte cresceu. O grupo bonito vende comida. A Salto de Byte compra.",
              "A ByteDance cresceu. A Meituan vende comida. A ByteDance compra."),
             ("b", "O grupo bonito entrega pratos. A Salto de Byte investe.",
              "A Meituan entrega pratos. A ByteDance investe.")]
    learned = cleanmt.learn(pairs, bundled=False)
    tables = {e["wrong"].lower(): e for e in learned.term_tables()}
    assert "ambiguous" not in tables["salto de byte"] and tables["grupo bonito"]["family-evidence"] is False
    _, cleaner = _load(tmp_path, learned)
    res = cleaner.clean("A Salto de Byte cresceu. Um grupo bonito de turistas visitou Lisboa.")
    assert res.text == "A ByteDance cresceu. Um grupo bonito de turistas visitou Lisboa."
    assert any(f.suggestion and "Meituan" in f.replacement for f in res.findings)
    assert "A Meituan" in cleaner.__class__([tmp_path / "learned.toml"], assume_mt=True).clean(
        "O grupo bonito entrega.").text
