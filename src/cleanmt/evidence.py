"""Do no harm: the evidence an edit of a typography, Markdown or casing rule needs before it is
made.

A rule that is right on machine-translated prose damages correct text elsewhere: code and
notation in plain text, a punctuation mark that is talked about rather than used, a human
writer's own style. So every edit of a registered rule (``typography.rule``) is judged here:

- **dropped** (never made, not even suggested) where the spot is not Portuguese prose (the
  Document's prose map: code, notation, tables, option lists, other languages), where the mark is
  *mentioned* (quoted, standing alone after a word that introduces a symbol — "com .", "entre [
  e ]" —, in a list of symbols, a range "1..12"), next to a placeholder or markup of another format
  (``%s``, ``%(nome)s``, ``{0}``, ``%1``, reST ``:ref:``), where a .po message's original shows
  the same spacing, or (Markdown rules) where the document is not Markdown;
- **sure** (made) when the document shows machine-translation damage: an edit of a glossary entry
  that is not ambiguous, a scraper block, Chinese punctuation in prose, a source text given
  (bilingual mode), or the user saying so (``assume_mt``);
- a **suggestion** otherwise: a finding that carries the replacement, made only at
  ``level="suggest"``.

Edits of other stages (glossary entries, scraper blocks, third-party stages) pass unjudged: a
glossary entry decides its own evidence (see ``stages/glossary.py``).
"""
from __future__ import annotations

import re

import regex

from .model import Edit, Finding
from .prose import is_markdown
from .typography import RULES

_RULES = {r.id: r for r in RULES}
_CJK_MARKS = re.compile(r"[，。：；！？、（）【】「」『』《》〈〉丨｜]|——|－－")
_PUNCT = regex.compile(r"[^\w\s]")
# words after which a lone mark is a symbol being talked about ("começam com .", "entre [ e ]")
_INTRODUCERS = frozenset("""
com de entre caractere caracteres carácter caráter sinal sinais símbolo símbolos ponto pontos barra barras
hífen hifen traço traços vírgula vírgulas asterisco til cifrão arroba cerquilha parêntese parênteses
colchete colchetes chave chaves aspas apóstrofo operador operadores delimitador separador prefixo sufixo
nome arquivo ficheiro opção argumento parâmetro valor por como tecla letra use usar escreva digite pressione
seguido seguida o a um uma
""".split())
_SYMBOL_LIST = regex.compile(r"(?<!\S)[^\w\s]{1,2}(?:,?[ \t]+(?:e|ou)[ \t]+|,[ \t]+)[^\w\s]{1,2}(?!\S)")
_QUOTES = {"'": "'", '"': '"', "`": "`", "“": "”", "«": "»", "‘": "’"}
_EMOTICON = regex.compile(r"(?<!\S)[:;=8][-']?[()DPpOo3|/\\]")
_RANGE = regex.compile(r"\w\.\.\w")
# placeholders and markup of other formats: an edit next to one is not made
_PLACEHOLDER = regex.compile(
    r"%(?:\([\w.-]+\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?[hlLqjzt]*[diouxXeEfFgGcrsaAp%]"  # printf, Python %
    r"|%L?\d|%\{|%\[|\{[\w.]*(?:[,:][^{}\n]*)?\}|\$\{\w+\}|\$[A-Za-z_]\w*"             # Qt %1, {0}, $VAR
    r"|:[a-z][\w-]*(?::[a-z][\w-]*)?:(?:`[^`\n]*`)?"                                        # reST roles
)


def _mt_sign(e: Edit) -> str | None:
    """"sure" if the edit is machine-translation damage by itself (a glossary entry sure of
    itself, a scraper block), "cjk" if it replaces Chinese punctuation (damage where it is prose),
    None otherwise."""
    r = _RULES.get(e.rule_id)
    if r is None:
        return "sure" if e.stage in ("glossary", "agreement", "boilerplate") else None
    return "cjk" if r.id == "cjk-punctuation" and _CJK_MARKS.search(e.before) else None


def shows_mt(edits) -> bool:
    """Whether the edits a clean made show machine-translation damage (they were made, so a
    Chinese punctuation edit among them was in prose)."""
    return any(_mt_sign(e) for e in edits)


def document_shows_mt(doc, proposals) -> bool:
    """Whether the document shows machine-translation damage, from what the stages proposed."""
    if doc.source:
        return True
    for edits, _ in proposals:
        for e in edits:
            sign = _mt_sign(e)
            if sign == "sure" or (sign == "cjk" and doc.prose.is_prose(e.start, e.end)):
                return True
    return False


class Gate:
    """Judges the edits of registered rules (see the module's docstring)."""

    def __init__(self, doc, proposals):
        if not doc.mt:  # unknown, or not shown yet: a later round may show it (a repaired word)
            doc.mt = document_shows_mt(doc, proposals)
        self.doc = doc
        self._lines: dict[int, tuple[list, list]] = {}  # line start -> (placeholders, symbol lists)

    def _line(self, ls: int, line: str) -> tuple[list, list]:
        got = self._lines.get(ls)
        if got is None:
            got = self._lines[ls] = ([m.span() for m in _PLACEHOLDER.finditer(line)] if "%" in line or "{" in line
                                     or ":" in line or "$" in line else [],
                                     [m.span() for m in _SYMBOL_LIST.finditer(line)])
        return got

    def judge(self, edits: list[Edit]) -> tuple[list[Edit], list[Finding]]:
        """(edits to make, suggestions)."""
        doc = self.doc
        sure: list[Edit] = []
        suggested: list[Finding] = []
        for e in edits:
            rule = _RULES.get(e.rule_id)
            if rule is None:
                sure.append(e)
                continue
            if not self._fits(e, rule):
                continue
            if doc.mt or doc.level == "suggest":
                sure.append(e)
            else:
                suggested.append(Finding(
                    e.start, e.end, e.rule_id, e.stage,
                    f"suggestion: {e.before!r} → {e.after!r} (not made: this document shows no machine-translation "
                    f"damage; use --level suggest, or --assume-mt)", e.after))
        return sure, suggested

    def _fits(self, e: Edit, rule) -> bool:
        """Whether the edit is in prose, on a mark that is used, away from other formats' markup."""
        doc = self.doc
        text = doc.text
        lo, hi = max(0, e.start - 1), min(len(text), e.end + 1)
        if not doc.prose.is_prose(lo, e.end):
            return False
        if rule.stage == "markdown" and not is_markdown(doc):
            return False
        ls, le = doc.prose.line_at(e.start)
        line = text[ls:le]
        placeholders, lists = self._line(ls, line)
        for a, b in placeholders:
            if a + ls <= hi and e.start - 1 <= b + ls:
                return False
        marks = [p for p in range(lo, hi) if _PUNCT.match(text, p)]
        if any(_mentioned(text, p, ls, le, line, lists) for p in marks):
            return False
        if doc.original is not None and _same_in_original(text, e, doc.original):
            return False
        return True


def _mentioned(text: str, p: int, ls: int, le: int, line: str, lists) -> bool:
    """Whether the mark at ``p`` is a symbol being talked about, not punctuation in use."""
    before, after = text[p - 1:p] if p > ls else "", text[p + 1:p + 2] if p + 1 < le else ""
    if before in _QUOTES and after == _QUOTES[before]:
        return True  # '.', "-", «;»
    if _RANGE.match(text, p - 1) or _RANGE.match(text, p - 2):
        return True  # seg..sex, 1..12
    rel = p - ls
    if any(a <= rel < b for a, b in lists):
        return True  # os caracteres ?, * e {
    for m in _EMOTICON.finditer(line, max(0, rel - 2), rel + 3):
        if m.start() <= rel < m.end():
            return True
    alone = (not before or before.isspace()) and (not after or after.isspace() or after in ",.;:")
    if alone:
        k = p
        while k > ls and text[k - 1] in " \t":
            k -= 1
        j = k
        while j > ls and text[j - 1].isalpha():
            j -= 1
        if (j == ls or text[j - 1] in " \t(") and text[j:k].lower() in _INTRODUCERS:
            return True  # a whole word ("com ."), not the end of an address ("baidu.com .")
    return False


def _same_in_original(text: str, e: Edit, original: str) -> bool:
    """Whether the message's original shows the spacing and punctuation the edit would change
    (``Owner     : %s`` keeps ``Dono     : %s``; ``sim,não`` stays when the msgid says ``yes,no``)."""
    window = text[max(0, e.start - 1):e.end + 1]
    parts = []
    for ch in window:
        if ch.isalnum():
            part = r"\w"
        elif ch in " \t":
            part = "[ \\t]+"
        else:
            part = re.escape(ch)
        if not parts or parts[-1] != part or part != "[ \\t]+":
            parts.append(part)
    return re.search("".join(parts), original) is not None
