"""Do no harm (issue 14): edits need evidence that the spot is machine-translated prose and that
the mark is a defect. Each case below is written for these tests, one per failure class the
issue lists; the real-corpus check is tests/test_precision.py."""
from __future__ import annotations

import pytest

import cleanmt
from cleanmt import Cleaner, cli
from cleanmt.formats import clean_text

from .conftest import write


@pytest.fixture(scope="module")
def mt():
    """A cleaner told that its input is machine translation: only the prose map, mention-versus-use
    and markup checks stand between a rule and the text."""
    return Cleaner(assume_mt=True)


# -- unfenced code and notation; punctuation mentioned, not used; other formats' markup ----------
UNTOUCHED_EVEN_IN_MT = [
    ("c-comment", "Declare a variável assim: int n;   /* contador */", "markdown"),
    ("grammar", "A regra é definida como regra = [ forma | outra ] no manual.", "plain"),
    ("grammar-bracket", "( EXPRESSÃO )", "plain"),
    ("basic-call", "Use Mid$( sTexto ,3) para extrair.", "plain"),
    ("method-call", "Chame oArquivo.LerLinha() para ler a linha.", "plain"),
    ("table-field", "O valor fica em Tabela.Campo quando salvo.", "plain"),
    ("printf-braces", "Os formatos %{ e %[ são aceitos.", "plain"),
    ("aligned-label", "Dono          : %s", "plain"),
    ("symbols-listed", "Os caracteres ?, * e { têm significado especial.", "plain"),
    ("symbols-between", "Os itens entre [ e ] são opcionais.", "plain"),
    ("stop-mentioned", "Os nomes que começam com . ficam ocultos.", "plain"),
    ("hyphen-mentioned", "O nome de arquivo - indica a entrada padrão.", "plain"),
    ("command-argument", "Use find . -name '*.txt' -exec rm {} ; para apagar.", "plain"),
    ("range-days", "Aberto de seg..sex, das 9h às 18h.", "plain"),
    ("range-numbers", "Escolha um mês em 1..12 para continuar.", "plain"),
    ("emoticon", "Não funcionou :( mas vamos tentar de novo.", "plain"),
    ("rest-role", "Veja :ref:`instalacao` , que explica os passos.", "plain"),
    ("printf-colons", "Formato: %s :: %d registros", "plain"),
    ("python-format", "Arquivo %(nome)s . Tamanho %(tam)d", "plain"),
    ("icu-placeholder", "Foram {0} , de um total de {1}.", "plain"),
    ("english-line", "This release is available now - see the news page for details.", "plain"),
    ("japanese-line", "これは日本語の文です。", "plain"),
    ("c-pointer-not-markdown", "A função main recebe char **argv e char **envp como argumentos.", "plain"),
    ("identifier-underscores", "O símbolo __rtinit e o __imp_sym vêm do ligador.", "plain"),
    ("ldap-dn", "Use a base dc=skole,dc=skolelinux,dc=no na configuração.", "plain"),
]


@pytest.mark.parametrize("text, fmt", [pytest.param(t, f, id=i) for i, t, f in UNTOUCHED_EVEN_IN_MT])
def test_code_notation_and_mentioned_marks_are_never_touched(mt, text, fmt):
    r = mt.clean(text, format=fmt)
    assert r.text == text
    assert [f for f in r.findings if f.suggestion] == []  # not even suggested


# -- a human writer's style, and marks that are right or wrong depending on the writer ------------
HUMAN_STYLE = [
    ("menu-path", "Escolha Formatar - Caractere - Fonte para mudar a fonte."),
    ("name-line", "sort - ordena linhas de arquivos de texto"),
    ("informal-slip", "Você viu isso , né ? Foi ótimo ."),
    ("trailing-dots", "Hmmm.. não sei se vai dar certo."),
    ("url-then-stop", "O site é https://exemplo.com.br ."),
    ("semicolon-capital", "Lisboa; Porto; A cidade mais bonita."),
]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in HUMAN_STYLE])
def test_style_in_a_document_with_no_machine_translation_damage_is_only_suggested(cleaner, text):
    r = cleaner.clean(text)
    assert r.edits == () and r.text == text


def test_the_same_slip_is_fixed_in_a_document_that_shows_machine_translation(cleaner):
    slip = "O evento foi em Pequim , ontem."
    assert cleaner.clean(slip).text == slip
    assert [f.replacement for f in cleaner.clean(slip).findings if f.suggestion] == [""]
    # Chinese punctuation elsewhere in the document is machine-translation damage
    doc = "A Huawei anunciou o Pangu 5.0。\n\n" + slip
    assert cleaner.clean(doc).text == "A Huawei anunciou o Pangu 5.0.\n\nO evento foi em Pequim, ontem."
    # a glossary entry sure of itself is too
    doc = "O Hongmeng da Huawei cresceu.\n\n" + slip
    assert cleaner.clean(doc).text == "O HarmonyOS da Huawei cresceu.\n\nO evento foi em Pequim, ontem."


def test_levels(cleaner):
    text = "Você viu isso , né ?"
    assert cleaner.clean(text).text == text
    assert Cleaner(level="suggest").clean(text).text == "Você viu isso, né?"
    with pytest.raises(ValueError, match="unknown level"):
        Cleaner(level="maybe")


def test_level_on_the_command_line_and_in_the_configuration(tmp_path, capsys):
    p = write(tmp_path, "a.txt", "Você viu isso , né ?\n")
    assert cli.main(["check", str(p)]) == cli.EXIT_OK
    out = capsys.readouterr()
    assert "suggestion: ' ' → ''" in out.out and "2 suggestions" in out.err
    assert cli.main(["check", "--format", "json", str(p)]) == cli.EXIT_OK
    import json

    recs = json.loads(capsys.readouterr().out)[0]["records"]
    assert [(r["kind"], r["before"], r["after"]) for r in recs] == [("suggestion", " ", "")] * 2
    assert cli.main(["fix", "-q", "--level", "suggest", str(p)]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == "Você viu isso, né?\n"
    p.write_text("Você viu isso , né ?\n", encoding="utf-8")
    cfg = write(tmp_path, ".cleanmt.toml", 'level = "suggest"\n')
    assert cli.main(["fix", "-q", "--config", str(cfg), str(p)]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == "Você viu isso, né?\n"
    p.write_text("Você viu isso , né ?\n", encoding="utf-8")
    assert cli.main(["fix", "-q", "--assume-mt", str(p)]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == "Você viu isso, né?\n"


def test_a_suggestion_is_a_sarif_fix(tmp_path, capsys):
    import json

    p = write(tmp_path, "a.txt", "Você viu isso , né?\n")
    cli.main(["check", "--format", "sarif", str(p)])
    (res,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert res["level"] == "note" and res["properties"] == {"suggestion": True}
    assert res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {"text": ""}


# -- Markdown repair only in Markdown -----------------------------------------------------------
def test_markdown_emphasis_is_repaired_only_in_markdown(mt):
    text = "Veja ** o resultado ** abaixo."
    assert mt.clean(text, format="markdown").text == "Veja **o resultado** abaixo."
    assert mt.clean(text, format="po").text == text
    # plain text that shows Markdown elsewhere (a heading) is Markdown
    assert mt.clean("# Título\n\n" + text).text == "# Título\n\nVeja **o resultado** abaixo."
    lone = "Sem marcas.\n\nVeja o resultado** abaixo."  # a lone marker: Markdown damage, or an operator
    assert mt.clean(lone).text == lone
    assert mt.clean(lone, format="markdown").text == "Sem marcas.\n\nVeja o resultado abaixo."


# -- ambiguous glossary entries need positive evidence ---------------------------------------------
def test_an_ambiguous_entry_needs_evidence_of_the_garbled_sense(cleaner):
    storage = "A Huawei vende o disco básico de 1 TB por 300 reais."
    assert cleaner.clean(storage).text == storage
    (s,) = [f for f in cleaner.clean(storage).findings if f.suggestion]
    assert s.rule_id == "disco-basico-base" and s.replacement == "a base"
    business = "A Huawei quer consolidar o disco básico de clientes no mercado."
    assert cleaner.clean(business).text == "A Huawei quer consolidar a base de clientes no mercado."
    # the source term is evidence
    r = cleaner.clean("A Huawei vende o disco básico.", source="华为的基本盘。")
    assert r.text == "A Huawei vende a base."


def test_the_same_family_of_errors_in_the_document_is_evidence(cleaner):
    alone = "A Huawei falou da cena de ontem."
    assert cleaner.clean(alone).text == alone
    with_family = "O Hongmeng roda em muitos aparelhos.\n\n" + alone
    assert cleaner.clean(with_family).text == ("O HarmonyOS roda em muitos aparelhos.\n\n"
                                               "A Huawei falou do cenário de ontem.")


def test_an_ambiguous_suggestion_carries_its_agreement(cleaner):
    text = "A Huawei mostrou a cena final."
    r = cleaner.clean("A Huawei mostrou a cena típica.")
    assert r.edits == ()
    (s,) = [f for f in r.findings if f.suggestion]
    assert s.replacement == "o cenário típico"
    assert cleaner.clean(text).findings == ()  # "a cena final" is a keep-case: not even suggested


# -- .po catalogs: the msgid is the source, messages are whole, comments are honoured ------------
PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Owner          : %s"
msgstr "Dono          : %s"

#. TRANSLATORS: do not add spaces around commas, the program splits this string
msgid "yes,no"
msgstr "sim,não"

msgid "A long message (with a bracket that opens here and closes on the next line) ok"
msgstr ""
"Uma mensagem longa (com um parêntese que abre aqui "
"e fecha na linha seguinte) ok"

msgid "The Xiaomi assistant"
msgstr "O pequeno colega de classe Ai da Xiaomi ,hoje"
'''


def test_po_msgid_spacing_comments_and_multiline_messages(cleaner):
    r = clean_text(cleaner, PO, "po")
    assert '"Dono          : %s"' in r.text  # the msgid has the same alignment
    assert '"sim,não"' in r.text  # the translators' comment says hands off
    assert '"O Xiao Ai da Xiaomi, hoje"' in r.text  # machine-translation damage is still fixed
    assert [f for f in r.findings if f.rule_id == "unbalanced"] == []  # one message over two lines


# -- a large file is one document ------------------------------------------------------------------
def test_evidence_late_in_a_large_file_counts_for_its_beginning(tmp_path, monkeypatch):
    from cleanmt import batch, streaming

    monkeypatch.setattr(batch, "STREAM_FROM", 20_000)
    monkeypatch.setattr(streaming, "CHUNK", 8_000)
    slip = "O evento foi em Pequim , ontem, e todos foram.\n\n"
    text = slip * 400 + "O Hongmeng da Huawei cresceu.\n"
    p = write(tmp_path, "big.txt", text)
    assert cli.main(["fix", "-q", str(p)]) == cli.EXIT_CHANGES
    assert p.read_text(encoding="utf-8") == Cleaner().clean(text).text
    assert p.read_text(encoding="utf-8").startswith("O evento foi em Pequim, ontem")


def test_an_entry_with_family_evidence_false_is_not_made_on_the_family_s_evidence(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text("""
[[term]]
id = "nome"
wrong = "Salto de Byte"
right = "ByteDance"
note = "um nome traduzido"
examples = [["a Salto de Byte", "a ByteDance"]]
keep = ["a ByteDance"]

[[term]]
id = "calco"
wrong = "grupo bonito"
right = "Meituan"
ambiguous = true
family-evidence = false
evidence = ["entregas"]
not-near = ["turistas"]
note = "um calco que também é português"
examples = [["o grupo bonito e as entregas", "o Meituan e as entregas"]]
keep = ["um grupo bonito de turistas"]
""", encoding="utf-8")
    c = cleanmt.Cleaner([g])
    text = "A Salto de Byte cresceu. Um grupo bonito de amigos chegou."
    assert c.clean(text).text == "A ByteDance cresceu. Um grupo bonito de amigos chegou."
    assert c.clean("Um grupo bonito e as entregas.").text == "Um Meituan e as entregas."  # its own evidence
    g.write_text(g.read_text(encoding="utf-8").replace("family-evidence = false\n", ""), encoding="utf-8")
    assert cleanmt.Cleaner([g]).clean(text).text == "A ByteDance cresceu. Um Meituan de amigos chegou."


def test_family_evidence_is_for_an_ambiguous_entry(tmp_path):
    g = tmp_path / "g.toml"
    g.write_text('[[term]]\nid = "x"\nwrong = "a"\nright = "b"\nfamily-evidence = false\nnote = "n"\n'
                 'examples = [["a", "b"]]\nkeep = ["b"]\n', encoding="utf-8")
    with pytest.raises(cleanmt.GlossaryError) as err:
        cleanmt.Cleaner([g])
    assert "'x'" in str(err.value) and "family-evidence" in str(err.value)
