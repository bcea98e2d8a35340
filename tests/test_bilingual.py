"""Bilingual mode, untranslated fragments, and termbase importers."""
from __future__ import annotations

import tomllib

import pytest

from cleanmt import Cleaner, GlossaryError, cli
from cleanmt.glossary import load_termbase

from .conftest import FIXTURES, load_cases, write

with open(FIXTURES / "bilingual" / "cases.toml", "rb") as f:
    BILINGUAL = tomllib.load(f)["case"]


@pytest.mark.parametrize("case", BILINGUAL, ids=[c["id"] for c in BILINGUAL])
def test_bilingual_case(cleaner, case):
    r = cleaner.clean(case["garbled"], source=case["source"])
    assert r.text == case["expected"]
    got = {f.rule_id for f in r.findings if f.stage == "bilingual"}
    assert got == set(case.get("findings", []))


def test_source_gating_is_per_aligned_paragraph(cleaner):
    case = next(c for c in BILINGUAL if c["id"] == "xiao-ai-so-onde-a-fonte-diz")
    without_source = cleaner.clean(case["garbled"]).text
    assert "colega de classe" not in without_source  # without the source both paragraphs change
    with_source = cleaner.clean(case["garbled"], source=case["source"]).text
    assert with_source.count("colega de classe") == 1 and with_source.startswith("O Xiao Ai da Xiaomi")


def test_missing_term_message_names_source_and_expected_form(cleaner):
    case = next(c for c in BILINGUAL if c["id"] == "termo-em-falta")
    msgs = [f.message for f in cleaner.clean(case["garbled"], source=case["source"]).findings]
    assert any("'金山'" in m and "'Kingsoft'" in m for m in msgs)


def test_paired_files_and_bitext_on_the_command_line(tmp_path, capsys):
    case = BILINGUAL[2]
    zh = write(tmp_path, "noticia.zh.md", case["source"])
    pt = write(tmp_path, "noticia.pt.md", case["garbled"])
    assert cli.main(["fix", "-q", str(pt)]) == cli.EXIT_CHANGES
    assert pt.read_text(encoding="utf-8") == case["expected"]
    assert zh.read_text(encoding="utf-8") == case["source"]
    tsv = write(tmp_path, "pares.tsv", "小爱同学升级了\tO colega de classe Xiaoai foi atualizado\tnota\n"
                                      "我的同学小艾来了\tO colega de classe Xiaoai chegou\tnota\n")
    assert cli.main(["fix", "-q", "--bitext", str(tsv)]) == cli.EXIT_CHANGES
    assert tsv.read_text(encoding="utf-8") == ("小爱同学升级了\tO Xiao Ai foi atualizado\tnota\n"
                                               "我的同学小艾来了\tO colega de classe Xiao Ai chegou\tnota\n")


# -- untranslated fragments ----------------------------------------------------------------------

def test_sample_article_english_fragments_are_flagged(cleaner):
    raw = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    r = cleaner.clean(raw)
    flagged = {raw[f.start:f.end] for f in r.findings if f.rule_id == "untranslated-english"}
    assert any("Xiaomi Robot Reinforcement Learning Platform" in x for x in flagged)
    # English that a glossary edit replaces (-> CyberDog 2, -> QbitAI) is no longer wrong: not flagged
    for fragment in ("Robot Dog II Iron Egg", "Qubit See More"):
        assert fragment in raw and fragment not in r.text
        assert not any(fragment in x for x in flagged), fragment


@pytest.mark.parametrize("text, rule_id", [
    ("O modelo 小米大模型 foi lançado.", "untranslated-script"),
    ("A palavra Привет мир ficou no texto.", "untranslated-script"),
    ("O assistente かわいい apareceu.", "untranslated-script"),
    ("Ela disse que o recurso Smart Home Control Center chega amanhã.", "untranslated-english"),
    ("A Xiaomi anunciou os resultados.\n\nThe company said that its new model runs on the phone without "
     "any connection to the cloud, which protects the privacy of users.", "untranslated-language"),
    ("A Xiaomi anunciou os resultados do trimestre, que foram bons para os acionistas. The company said that "
     "its new model runs on the phone without any connection to the internet at all. A bolsa subiu.",
     "untranslated-language"),
])
def test_language_findings(cleaner, text, rule_id):
    r = cleaner.clean(text)
    assert rule_id in {f.rule_id for f in r.findings}
    assert r.text == text  # findings only, never edits


@pytest.mark.parametrize("text", [
    "A Xiaomi (小米) é chinesa.", "O nome 小米 (Xiaomi) quer dizer painço.",
    "O Snapdragon 8 Gen 2 e o Stable Diffusion rodam no GitHub Actions.",
    "A Apple Intelligence e a Galaxy AI chegaram; o Google AI Studio também.",
    "Autor: Meng Chen Mingmin", "O Human x Car x Home da Xiaomi.",
])
def test_known_names_and_glosses_are_not_flagged(cleaner, text):
    assert [f for f in cleaner.clean(text).findings if f.stage == "language"] == []


def test_language_findings_repeat(cleaner):
    text = "A Xiaomi anunciou.\n\nThe company said that its new model runs on the phone without any cloud."
    a = [(f.start, f.end, f.message) for f in cleaner.clean(text).findings]
    b = [(f.start, f.end, f.message) for f in cleaner.clean(text).findings]
    assert a == b and a


def test_no_language_flags_on_the_keep_corpus_and_negative_texts(cleaner):
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "keep").iterdir())]
    texts += [c["text"] for c in load_cases("negative")]
    flags = [(t[:30], f.message) for t in texts for f in cleaner.clean(t).findings if f.stage == "language"]
    assert flags == []


# -- termbases -----------------------------------------------------------------------------------

def test_deepl_csv_tsv_and_amazon_csv(tmp_path):
    deepl = write(tmp_path, "deepl.csv", "小米,Xiaomi\n金山,Kingsoft,zh,pt\n谷歌,Google,zh,en\n")
    assert [(e.source, e.forms[0][2]) for e in load_termbase(deepl).entries] == [("小米", "Xiaomi"), ("金山", "Kingsoft")]
    tsv = write(tmp_path, "deepl.tsv", "小爱同学\tXiao Ai\n")
    assert [(e.source, e.forms[0][2]) for e in load_termbase(tsv).entries] == [("小爱同学", "Xiao Ai")]
    amazon = write(tmp_path, "amazon.csv", "en,zh,pt\nXiaomi,小米,Xiaomi\nKingsoft,金山,Kingsoft\n")
    assert [(e.source, e.forms[0][2]) for e in load_termbase(amazon).entries] == [("小米", "Xiaomi"), ("金山", "Kingsoft")]


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="zh"><text><body>
<termEntry id="t1"><langSet xml:lang="zh"><tig><term>金山</term></tig></langSet>
<langSet xml:lang="pt-BR"><tig><term>Kingsoft</term></tig></langSet></termEntry>
<termEntry id="t2"><langSet xml:lang="zh"><tig><term>铁蛋</term></tig></langSet>
<langSet xml:lang="pt"><tig><term>CyberDog 2</term></tig></langSet></termEntry>
</body></text></martif>
"""
TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx style="dca" type="TBX-Basic" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><langSec xml:lang="zh"><termSec><term>小米</term></termSec></langSec>
<langSec xml:lang="pt"><termSec><term>Xiaomi</term></termSec></langSec></conceptEntry>
</body></text></tbx>
"""


def test_tbx_v2_and_v3(tmp_path):
    assert [(e.source, e.forms[0][2]) for e in load_termbase(write(tmp_path, "a.tbx", TBX)).entries] == [
        ("金山", "Kingsoft"), ("铁蛋", "CyberDog 2")]
    assert [(e.source, e.forms[0][2]) for e in load_termbase(write(tmp_path, "b.tbx", TBX3)).entries] == [
        ("小米", "Xiaomi")]


def test_termbase_drives_missing_term_findings(tmp_path):
    tb = write(tmp_path, "tb.tbx", TBX)
    c = Cleaner(extra=[load_termbase(tb)])
    r = c.clean("Lei Jun trabalhou numa empresa de software.", source="雷军在金山工作。")
    assert any(f.rule_id == "missing-term" and "Kingsoft" in f.message for f in r.findings)
    assert cli.main(["check", "-q", "--termbase", str(tb), "--source", str(write(tmp_path, "s.txt", "雷军在金山工作。")),
                     str(write(tmp_path, "t.txt", "Lei Jun trabalhou numa empresa de software.\n"))]) == cli.EXIT_OK


@pytest.mark.parametrize("name, body, match", [
    ("bad.csv", "só uma coluna\n", "two columns"),
    ("bad2.csv", "en,fr\nx,y\n", "no 'zh'"),
    ("bad3.csv", "zh,pt\n小米\n", "columns"),
    ("bad.tbx", "<martif><termEntry>", "not well-formed"),
    ("ent.tbx", '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><martif>&x;</martif>',
     "refused"),
    ("bomb.tbx", '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><martif>&b;</martif>',
     "refused"),
    ("x.json", "{}", "unknown termbase format"),
])
def test_malformed_termbases_are_refused_clearly(tmp_path, name, body, match):
    with pytest.raises(GlossaryError, match=match):
        load_termbase(write(tmp_path, name, body))
