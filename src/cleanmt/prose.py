"""The prose map: what kind of text each line of a document is.

Typography, Markdown and casing rules are right only in Portuguese prose. Man pages, help pages,
scraped documentation and .po messages mix prose with unfenced code, grammar notation, tables,
option lists and text in other languages; a rule that fires there damages correct text. Each line
is classified from cheap signals, only when a rule proposes an edit on it (most lines are never
asked about):

- ``code``: C/shell/program syntax (``/* */``, ``==``, ``&&``, ``$(``, ``[[``, a trailing ``{``,
  ``}`` or ``;`` after code, calls ``f()``, identifiers with ``_`` or ``.`` between letters);
- ``notation``: grammar and synopsis notation (``=`` definitions, ``|`` alternatives with
  brackets, a command followed by options), or a line that is mostly symbols;
- ``table``: box-drawing characters, or cells separated by runs of three or more spaces;
- ``options``: an option list item (``-a, --all``);
- ``foreign``: mostly Han/Kana/Hangul, or English with no Portuguese word;
- ``prose``: everything else.
"""
from __future__ import annotations

import re

import regex

_BOX = re.compile(r"[─━│┃┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬]")
_CELLS = re.compile(r"\S[ \t]{3,}\S.*\S[ \t]{3,}\S|\S[ \t]{4,}\S")
# Code and notation signs, one pattern each behind what it needs (one of these strings in the
# line, or a cheap pattern that hits it): one alternation with no common start was tried at every
# position of a line (~60 us on a 400-character paragraph of news); these cost a microsecond or two.
_NOT_A_NAME = (r"Em|Com|Os?|As?|N[oa]s?|Para|D[eoa]s?|Se|E|Mas|Por|Uma?|Isso|Est[ea]|El[ae]s?|Segundo|Depois|Além|"
               r"Aos?|Também|Já|Ainda|Assim|Então|Hoje|Agora|Neste|Nesta|Nesse|Nessa")
_CODE_PARTS = [(need, re.compile(p)) for need, p in [
    (None, r"/\*"), (None, r"\*/"), (None, r"^\s*//"), (None, r"^\s*#\s*(?:include|define|if|endif)\b"),
    (("=",), r"[=!<>]="), (None, r"&&"), (None, r"\|\|"), (None, r"->"), (None, r"=>"), (None, r"::"),
    (None, r"\$[({]"), (None, r"\[\["), (None, r"\]\]"), (("{", "}"), r"[{}]\s*$"), (None, r"\)\s*;\s*$"),
    (("()",), r"\w\(\)"), ((";", "{"), r"\b[a-z]\w*\([^)\s]*\)\s*[;{]"), (None, r"^\s*#!"),
    (("_",), r"\b[A-Za-z]\w*_\w"), (("__",), r"\b__\w"), (("__",), r"\w__\b"),  # identifiers with "_"
    (("\\",), r"(?<![\\\w])\\[a-zA-Z]{2,}\b"),  # \override, \section: TeX, LilyPond
    (re.compile("[a-z][A-Z]"), r"\b[a-z]+[A-Z]\w*(?:\.\w|\()"),  # camelCase before .x or (
    (re.compile(r"\.[a-z]\w*\("), r"\b[A-Za-z]\w*\.[a-z]\w*\("),  # obj.method(
    (re.compile(r"\.[A-Z]"), rf"\b[A-Z][a-z]+\.(?!(?:{_NOT_A_NAME})\b)[A-Z][a-z]+\b"),  # Tabela.Campo
]]
_NOTATION_PARTS = [(need, re.compile(p)) for need, p in [
    (("=",), r"\s=\s.*[\[|]"), (None, r"::="), (None, r"\[\s*-{1,2}\w"), (None, r"\[[A-ZÁÉÍÓÚÂÊÔÃÕÇ_]{3,}\]"),
    (None, r"<[a-z_]+>"), (None, r"\.\.\.\]"), (None, r"^\s*[a-z][\w.-]*\s+(?:\[[-A-Z<]|-{1,2}[A-Za-z])"),
    (("|",), r"\s\|\s.*\s\|\s.*[\[\]=]"), (None, r"\[[^\]\n]*\s\|\s[^\]\n]*\]"), (("=",), r"\b\w+=[^\s,]+,\w+="),
    (None, r"[(\[{]\s+[A-ZÁÉÍÓÚÂÊÔÃÕÇ_]{3,}\s+[)\]}]"), (None, r"^\s*[(\[{]\s*[\w.-]+\s*[)\]}]\s*$"),  # ( EXPR )
    (("-",), r"(?:\s-{1,2}[A-Za-z][\w-]*\b.*){2}"),  # two options: a command
]]
# ... as one pattern each: the definition the parts are tested against
_CODE = re.compile("|".join(p.pattern for _, p in _CODE_PARTS))
_NOTATION = re.compile("|".join(p.pattern for _, p in _NOTATION_PARTS))
_OPTION_ITEM = re.compile(r"^\s*-{1,2}[A-Za-z0-9?]")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _any(parts, line: str) -> bool:
    """Whether one of ``parts`` hits ``line`` (each tried only if what it needs is there)."""
    for need, p in parts:
        if need is not None and not (need.search(line) if isinstance(need, re.Pattern) else any(n in line for n in need)):
            continue
        if p.search(line):
            return True
    return False


_PT = frozenset("""
a à ao aos as às com como da das de do dos e é em entre essa esse esta este isso isto já mais mas na nas
não no nos o os ou para pela pelo por que se sem seu sua são um uma também quando onde foi ser está
""".split())
_EN = frozenset("""
the and of to is are with for from this that which was were has have be by it its not you your an on in
will can if all any or as at
""".split())

_PT_WORD = regex.compile(r"(?i)(?<!\w)(?:" + "|".join(sorted(_PT, key=len, reverse=True)) + r")(?!\w)")
_EN_WORD = regex.compile(r"(?i)(?<!\w)(?:" + "|".join(sorted(_EN, key=len, reverse=True)) + r")(?!\w)")

KINDS = ("prose", "code", "notation", "table", "options", "foreign", "blank")


def line_kind(line: str) -> str:
    """What kind of text one line is (see the module's docstring)."""
    s = line.strip()
    if not s:
        return "blank"
    if _BOX.search(s):
        return "table"
    if _OPTION_ITEM.match(s):
        return "options"
    if _any(_CODE_PARTS, line):
        return "code"
    if _any(_NOTATION_PARTS, line):
        return "notation"
    if ("   " in s or "\t" in s) and _CELLS.search(s):  # (cells need a run of three spaces or a tab)
        return "table"
    letters = sum(map(str.isalpha, s))
    visible = len(s) - s.count(" ") - s.count("\t")
    if not letters or visible >= 10 and letters < 0.55 * visible:
        return "notation"
    if max(s) >= "\u2e80":
        cjk = len(_CJK.findall(s))
        if cjk and cjk * 3 > letters:
            return "foreign"
    if _PT_WORD.search(s):
        return "prose"
    if len(_EN_WORD.findall(s)) >= 2:
        return "foreign"
    return "prose"


class ProseMap:
    """The kind of each line of a Document, computed when first asked about. ``kinds``: the
    classifications already made while cleaning the same document (a piece of it, or its output,
    shares them: a line is classified once per clean)."""

    __slots__ = ("_text", "_kinds")

    def __init__(self, doc, kinds: dict[str, str] | None = None):
        self._text = doc.text
        self._kinds: dict[str, str] = {} if kinds is None else kinds

    def line_at(self, offset: int) -> tuple[int, int]:
        text = self._text
        a = text.rfind("\n", 0, offset) + 1
        b = text.find("\n", offset)
        return a, len(text) if b < 0 else b

    def kind(self, offset: int) -> str:
        a, b = self.line_at(offset)
        line = self._text[a:b]
        k = self._kinds.get(line)
        if k is None:
            k = self._kinds[line] = line_kind(line)
        return k

    @property
    def kinds(self) -> dict[str, str]:
        return self._kinds

    def is_prose(self, start: int, end: int | None = None) -> bool:
        """Whether every line that [start, end) touches is prose."""
        end = start if end is None else end
        pos = start
        while True:
            if self.kind(pos) != "prose":
                return False
            nxt = self._text.find("\n", pos, end)
            if nxt < 0:
                return True
            pos = nxt + 1


_MD_SIGNS = regex.compile(
    r"(?m)^#{1,6}[ \t]+\S|^[ \t]*(?:[-*+]|\d+\.)[ \t]+\S.*\n[ \t]*(?:[-*+]|\d+\.)[ \t]+\S|\[[^\]\n]+\]\([^)\s]+\)"
    r"|(?<![*\w])\*\*[^\s*][^*\n]*[^\s*]\*\*(?![*\w])|(?<![_\w])__[^\s_][^_\n]*[^\s_]__(?![_\w])|^```"
    r"|^[ \t]*\*\*[^*\n]*\w[^*\n]*\*\*[ \t]*$"  # a bold line, even with its markers' spaces broken
    # a pair on one line whose spaces machine translation moved ("DM-i** reduz ... km**", "** Em abril. **");
    # C pointers ("char **argv, char **envp") have the marker after a space and before the name
    r"|\S\*\*[ \t]+\w[^*\n]*\w\*\*(?!\w)|(?<!\S)\*\*[ \t]+\w[^*\n]*[\w.!?:][ \t]+\*\*(?!\w)"
)


def is_markdown(doc) -> bool:
    """Whether the document is Markdown: said by its format (the file's extension), or shown by
    its content (headings, lists, links, fences, emphasis paired correctly somewhere)."""
    if doc.format == "markdown":
        return True
    if doc.format not in ("plain", "jsonl"):
        return False
    return doc.cached("prose.markdown", lambda d: _MD_SIGNS.search(d.text) is not None)
