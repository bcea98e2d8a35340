"""Typography: mechanical punctuation and spacing damage left by machine translation.

One small function per defect kind, each with its own rule id, examples and keep-cases (run by the
tests). Every rule changes only punctuation and spaces, never a letter: the text with punctuation
and spaces removed is the same before and after this stage. Portuguese conventions decide the
output (no space before , . ; : ! ?; «» and “” hug their content; an em dash between spaces).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import re

import regex

from .document import as_document

Span = tuple[int, int, str]  # (start, end, replacement)


@dataclass(frozen=True)
class Rule:
    id: str
    stage: str
    find: Callable[..., Iterator[Span]]  # (doc: Document) -> (start, end, replacement)...
    examples: tuple[tuple[str, str], ...] = ()
    keep: tuple[str, ...] = ()
    doc: str = ""
    #: a necessary condition: the rule proposes nothing in a paragraph none of these patterns hits
    #: (the fixpoint does not read such a paragraph again; None: no such promise). Tested.
    gates: tuple[re.Pattern, ...] | None = None


RULES: list[Rule] = []



def gated(pattern: regex.Pattern, gate: re.Pattern, doc):
    """``pattern.finditer(text)`` run only on the lines where ``gate`` (a cheap necessary condition
    of every match) hits. Patterns and gates never cross a line break, so the matches are the same
    as over the whole text. The gates of this module are all answered by one shared scan, done
    once per Document. ``doc``: a Document, or a plain string."""
    doc = as_document(doc)
    text = doc.text
    for a, b in gate_lines(gate, doc):  # (several rules share a gate: its lines are found once)
        yield from pattern.finditer(text, a, b)


def at_gates(pattern: regex.Pattern, gate: re.Pattern, doc, offset: int = 0):
    """The matches of ``pattern`` for a pattern whose every match is one character found
    ``offset`` characters into a hit of ``gate`` (a class-led stdlib scan of the gate's lines): the
    pattern is tried there only, not at every position of those lines (~20 ms/MB of dense text for
    a look-behind led pattern). The same matches as ``pattern.finditer`` over the text."""
    doc = as_document(doc)
    text = doc.text
    match = pattern.match
    for a, b in gate_lines(gate, doc):
        for g in gate.finditer(text, a, b):
            m = match(text, g.start() + offset)
            if m is not None:
                yield m


def gate_lines(gate: re.Pattern, doc) -> list[tuple[int, int]]:
    """The lines ``gate`` hits (a superset for a shared gate), found once per Document."""
    if gate in _SHARED_GATES:
        return doc.cached("typography.shared-gate-lines", _shared_lines)
    if gate is _CJK_GATE:  # its characters but the dashes are U+3000-U+FFFF (UTF-8 E3-EF) or 丨 (E4)
        return doc.cached("typography.cjk-lines", _cjk_lines)
    return doc.cached("typography.gate-lines." + gate.pattern, lambda d: lines_with(gate, d.text))


def lines_with(gate: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines where ``gate`` hits, each once, the end past its line break."""
    out: list[tuple[int, int]] = []
    search, n, pos = gate.search, len(text), 0
    while True:  # one search per line: the rest of a hit's line is skipped at C speed
        g = search(text, pos)
        if g is None:
            return out
        a = text.rfind("\n", 0, g.start()) + 1
        b = text.find("\n", g.start())
        pos = n if b < 0 else b + 1
        out.append((a, pos))
        if pos >= n:
            return out


# One scan answers all the shared gates below: its hits are a superset of theirs. It is led by one
# character class (the scan skips to those characters at C speed) and the rest of each gate is
# checked around the hit by look-arounds; ~10 ms/MB where an Aho-Corasick automaton of the gates'
# literal keys took ~15 (its root has too many branches) and separate scans ~5 ms/MB each.
_SHARED_GATE = re.compile(
    r"[,;:!?)\]»”.$\"(\[«“wW]"
    r"(?:(?<=[ \t\u00a0][,;:!?)\]»”.$])"      # a space before punctuation (or before "$")
    r"|(?<=[.!?])(?=[^\W\d_a-z])"             # a stop glued to a letter that may be a capital
    r"|(?<=[,;])(?=[^\W\d_])"                 # a comma glued to a letter
    r"|(?<=[.,;])(?=[ \t]?[.,;]|[ \t][ \t])"   # repeated punctuation
    r"|(?<=\")"                               # a straight double quote
    r"|(?<=[(\[«“])(?=[ \t])"                 # a space after an opening bracket or quote
    r"|(?<=[wW])(?=[wW]{2})"                  # www
    r")"
)


def lines_gated(gates, doc) -> list[tuple[int, int]]:
    """The lines that any of ``gates`` (see ``Rule.gates``) hits, each gate exactly: a gate the
    shared scan answers (or a narrower one, see ``_WITHIN``) is searched only in the lines the
    shared scan found, which are cached per Document."""
    text = doc.text
    out: set[tuple[int, int]] = set()
    for gate in gates:
        if gate in _SHARED_GATES or gate in _WITHIN:
            out.update(ln for ln in gate_lines(_WITHIN.get(gate, gate), doc) if gate.search(text, *ln))
        else:
            out.update(gate_lines(gate, doc))
    return sorted(out)


def _shared_lines(doc) -> list[tuple[int, int]]:
    """The lines the shared gate hits: every rule behind a shared gate reads only these."""
    return lines_with(_SHARED_GATE, as_document(doc).text)


def rule(id: str, *, stage: str = "typography", examples=(), keep=(), gates: tuple[re.Pattern, ...] | None = None):
    def deco(fn):
        RULES.append(Rule(id, stage, fn, tuple(examples), tuple(keep), (fn.__doc__ or "").strip(), gates))
        return fn
    return deco


# found from the punctuation mark (rare) rather than from the space (everywhere)
_SPACE_BEFORE_GATE = re.compile(r"[ \t\u00a0][,;:!?)\]»”.]")
_SPACE_BEFORE = regex.compile(
    r"(?<=[ \t\u00a0])(?:[,;:!?)\]»”](?![\w(])|[,;:!?](?=\w)|\.(?![.\d\w])(?![ \t]+\.)(?=\s|\Z|[)\]\"”»*_]))"
)


@rule("space-before-punctuation", gates=(_SPACE_BEFORE_GATE,),
      examples=[("o InflectionAI , uma empresa", "o InflectionAI, uma empresa"),
                ("fundado em 2017 ; da mesma forma", "fundado em 2017; da mesma forma"),
                ("Por quê ? Porque sim !", "Por quê? Porque sim!"),
                ("(como vimos )", "(como vimos)"), ("fim de frase .\n", "fim de frase.\n"),
                ("«texto »", "«texto»")],
      keep=["- [ ] tarefa por fazer", "Ele disse... e calou-se.", "Olá :)", "1 . 2", "o valor .5 do índice",
            "Uso: cleanmt [opções]", "— Vens? — perguntou ela."])
def space_before_punctuation(doc) -> Iterator[Span]:
    """A space before , ; : ! ? ) ] » ” or a final full stop."""
    text = doc.text
    for m in at_gates(_SPACE_BEFORE, _SPACE_BEFORE_GATE, doc, 1):
        end = m.start()
        start = end
        while start > 0 and text[start - 1] in " \t\u00a0":
            start -= 1
        if start == 0 or text[start - 1].isspace() or text[start - 1] in "[(":
            continue  # indentation, or "[ ]", "( )"
        if m.group() == "." and (text[start - 1].isdigit() or text[start - 1] == "."):
            continue
        yield start, end, ""


_SENTENCE_START = r"(?=\p{Lu}\p{Ll}|[AOEÉÀÓ][ \t]\p{Ll})"  # "Com um", "O número"
_STOP_NO_SPACE = regex.compile(r"[.!?]" + _SENTENCE_START)  # the left side is checked in Python
_SPACE_STOP_NO_SPACE = regex.compile(r"(?<=[ \t])([.!?])" + _SENTENCE_START)
_STOP_GATE = re.compile(r"[.!?][^\W\d_a-z]")  # a stop glued to a letter that may be a capital
_LEFT_OF_STOP = regex.compile(r"(?:\p{Ll}{2}|\d|[%)])\Z")
_LEFT_OF_SPACED_STOP = regex.compile(r"(?:\p{L}{2}|\d|[%)])[ \t]+\Z")


@rule("space-after-stop", gates=(_STOP_GATE,),
      examples=[("crescimento.Portanto, para", "crescimento. Portanto, para"),
                ("em pleno andamento.Com um algoritmo", "em pleno andamento. Com um algoritmo"),
                ("Será?Sim.", "Será? Sim."), ("o Pangu 5.0.Com capacidades", "o Pangu 5.0. Com capacidades"),
                ("mil usuários .O número", "mil usuários. O número"), ("caiu 50 % .Terceiro", "caiu 50 %. Terceiro")],
      keep=["o site exemplo.com.br", "o ficheiro config.Json", "a versão 2.3.27", "U.S.A.", "Node.js",
            "o framework .NET", "a extensão .Docx"])
def space_after_stop(doc) -> Iterator[Span]:
    """A missing space after . ! ? before a capitalised word (and a stray space before the stop)."""
    text = doc.text
    if not _STOP_GATE.search(text):
        return
    for m in at_gates(_SPACE_STOP_NO_SPACE, _STOP_GATE, doc):
        left = _LEFT_OF_SPACED_STOP.search(text, max(0, m.start() - 12), m.start())
        if not left or (m.group(1) == "." and _dotted_word(text, m.end())):
            continue
        yield m.start() - len(left.group()) + len(left.group().rstrip(" \t")), m.end(), m.group(1) + " "
    for m in at_gates(_STOP_NO_SPACE, _STOP_GATE, doc):
        if not _LEFT_OF_STOP.search(text, max(0, m.start() - 3), m.start()):
            continue
        # "config.Json", "obj.Method": a dotted identifier, not two sentences
        left = text[max(0, m.start() - 40):m.start()]
        word = regex.search(r"[\w.-]*\Z", left).group()
        if ("." in word and regex.search(r"\p{L}", word)) or "_" in word or _dotted_word(text, m.end()):
            continue
        yield m.end(), m.end(), " "


def _dotted_word(text: str, pos: int) -> bool:
    """True if the word at ``pos`` is a file extension (".Docx"), not a new sentence."""
    right = regex.match(r"\w+", text[pos:pos + 40])
    return bool(right) and right.group().lower() in _FILE_EXTENSIONS


_FILE_EXTENSIONS = {"json", "toml", "yaml", "yml", "txt", "md", "py", "js", "html", "css", "csv", "pdf", "png",
                    "jpg", "zip", "exe", "doc", "docx", "xls", "xlsx", "ppt", "pptx"}

_COMMA_GATE = re.compile(r"[,;][^\W\d_]")
_COMMA_NO_SPACE = regex.compile(r"(?<=(?<![\w+])\p{L}{2,}|[%)\]\"”»*])[,;](?=\p{L}{2}|[aoeé]\b)")


@rule("space-after-comma", gates=(_COMMA_GATE,),
      examples=[("em finanças ,governo e manufatura", "em finanças, governo e manufatura"),
                ("unidades ,um aumento", "unidades, um aumento"), ("depois;antes", "depois; antes"),
                ("o modelo ,que", "o modelo, que")],
      keep=["6,4 bilhões", "a função `f(a,b)`", "x = [1,2,3]", "U+00E7,U+00E3", "2017,a", "x,y"])
def space_after_comma(doc) -> Iterator[Span]:
    """A comma or semicolon glued to the next word (often after a stray space before it)."""
    for m in at_gates(_COMMA_NO_SPACE, _COMMA_GATE, doc):
        yield m.end(), m.end(), " "


_REPEATED_GATE = re.compile(r"[.,;][ \t]*[.,;]")
_REPEATED = regex.compile(r"(?<![.][ \t]*)\.[ \t]+\.(?![ \t]*\.)|(?<=\p{L})\.\.(?!\.)|,[ \t]*,|;[ \t]*;")


@rule("repeated-stop", gates=(_REPEATED_GATE,),
      examples=[("comercialização de IA. .", "comercialização de IA."), ("fim..", "fim."),
                ("a,, b", "a, b"), ("x;; y", "x; y")],
      keep=["Espere...", "e assim por diante . . .", "cd ..", "[...]"])
def repeated_stop(doc) -> Iterator[Span]:
    """A full stop, comma or semicolon typed twice (an ellipsis stays)."""
    for m in gated(_REPEATED, _REPEATED_GATE, doc):
        yield m.start(), m.end(), m.group()[0]


_CJK_MAP = {"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "、": ","}
_CJK = regex.compile(r"[ \t]*([，。：；！？、])([ \t]*)")  # the definitions; searched as below
_CJK_BRACKETS = {"（": "(", "）": ")", "【": "[", "】": "]", "「": "“", "」": "”", "『": "“", "』": "”",
                 "《": "“", "》": "”", "〈": "“", "〉": "”"}
_CJK_BRACKET = regex.compile(r"[（【「『《〈]|[）】」』》〉]")
_DOUBLE_DASH = regex.compile(r"[ \t]*(?:——|－－|──)(?:[ \t]*(?=\n|\Z)|[ \t]*)")
_BAR = regex.compile(r"[ \t]*[丨｜][ \t]*")
# ... without their leading [ \t]*: found from the sign, then widened to the left (a pattern that
# starts with [ \t]* is tried at every position)
_CJK_CORE = regex.compile(r"([，。：；！？、])([ \t]*)")
_DOUBLE_DASH_CORE = regex.compile(r"(?:——|－－|──)(?:[ \t]*(?=\n|\Z)|[ \t]*)")
_BAR_CORE = regex.compile(r"[丨｜][ \t]*")
# the lines these patterns can match on (one class-led scan: an em dash counts only doubled); the
# patterns that start with [ \t]* would otherwise be tried at every position of the text
_CJK_GATE = re.compile(r"[，。：；！？、（）【】「」『』《》〈〉丨｜—－─](?:(?<=—)—|(?<!—))")


def _left_spaced(core: regex.Pattern, doc):
    """(start, end, match) as ``[ \t]*`` + ``core`` would match with finditer: the spaces before
    each match of ``core``, down to the end of the previous match."""
    floor = 0
    doc = as_document(doc)
    text = doc.text
    for m in gated(core, _CJK_GATE, doc):
        s = m.start()
        while s > floor and text[s - 1] in " \t":
            s -= 1
        floor = m.end()
        yield s, m.end(), m


def _cjk_lines(doc) -> list[tuple[int, int]]:
    """The lines the CJK gate hits; none without a byte its characters start with."""
    text, raw = doc.text, doc.utf8
    if not (b"\xe3" in raw or b"\xef" in raw or b"\xe4" in raw or "——" in text or "──" in text):
        return []
    return lines_with(_CJK_GATE, text)


@rule("cjk-punctuation", gates=(_CJK_GATE,),
      examples=[("não é difícil sentir um fato——\n\nComo", "não é difícil sentir um fato:\n\nComo"),
                ("o modelo——e não o chip——é a chave", "o modelo — e não o chip — é a chave"),
                ("Xiaomi，Huawei e OPPO。", "Xiaomi, Huawei e OPPO."),
                ("o livro《Três Corpos》", "o livro “Três Corpos”"), ("Xiaomi丨MiLM", "Xiaomi | MiLM"),
                ("lançou（ontem）o", "lançou (ontem) o")],
      keep=["a Xiaomi — e não a Huawei — lidera", "um travessão — assim."])
def cjk_punctuation(doc) -> Iterator[Span]:
    """Chinese punctuation left in Portuguese text."""
    text = doc.text
    if not gate_lines(_CJK_GATE, doc):
        return
    for start, end, m in _left_spaced(_CJK_CORE, doc):
        nxt = text[end:end + 1]
        space = "" if (not nxt or nxt in "\n)]”»" or nxt in _CJK_MAP) else " "
        yield start, end, _CJK_MAP[m.group(1)] + space
    for m in gated(_CJK_BRACKET, _CJK_GATE, doc):
        ch = m.group()
        new = _CJK_BRACKETS[ch]
        if new in "([“":  # opening: a space before it after a word
            if m.start() > 0 and text[m.start() - 1].isalnum():
                new = " " + new
        elif m.end() < len(text) and text[m.end()].isalnum():
            new = new + " "
        yield m.start(), m.end(), new
    for start, end, _ in _left_spaced(_DOUBLE_DASH_CORE, doc):
        at_end = end == len(text) or text[end] == "\n"
        at_start = start == 0 or text[start - 1] == "\n"
        yield start, end, ":" if at_end and not at_start else ("— " if at_start else " — ")
    for start, end, _ in _left_spaced(_BAR_CORE, doc):
        yield start, end, " | "


_QUOTED_LINE = regex.compile(r"^[^\n\"]*\"[^\n]*", regex.MULTILINE)
_OPEN_SPACE = re.compile(r"[(\[«“]([ \t]+)(?=[^\s\])])")
_OPEN_GATE = re.compile(r"[(\[«“][ \t]")
# lines with a double quote are the only ones the pair check reads
_QUOTE_GATE = re.compile('"')
# ... and it edits only a pair with a space just inside: a quote, then a space before the next quote
# or right after the first (a necessary condition: the fixpoint's, see Rule.gates)
_SPACED_QUOTE = re.compile(r'"(?:[ \t][^"\n]*"|[^"\n]*[ \t]")')


@rule("bracket-spaces", gates=(_OPEN_GATE, _SPACED_QUOTE),
      examples=[("fundada em ( 2003 ) por", "fundada em (2003) por"), ("« texto »", "«texto»"),
                ("“ citação ”", "“citação”"), ('disse " olá " e saiu', 'disse "olá" e saiu')],
      keep=["- [ ] tarefa", "( )", 'um ecrã de 6" e outro de 7"', '"a" e "b"'])
def bracket_spaces(doc) -> Iterator[Span]:
    """Spaces just inside brackets and quotes."""
    text = doc.text
    for m in gated(_OPEN_SPACE, _OPEN_GATE, doc):
        yield m.start(1), m.end(1), ""
    if '"' not in text:
        return
    for line in gated(_QUOTED_LINE, _QUOTE_GATE, doc):
        s = line.group()
        quotes = [m.start() for m in _QUOTE_GATE.finditer(s)]
        if not quotes or len(quotes) % 2:
            continue
        for a, b in zip(quotes[::2], quotes[1::2]):
            inner = s[a + 1:b]
            if not inner.strip() or (a > 0 and not s[a - 1] in " \t([—") or (
                    b + 1 < len(s) and s[b + 1].isalnum()):
                break  # not a clean pair of quotes: leave the whole line alone
            lead = len(inner) - len(inner.lstrip(" \t"))
            trail = len(inner) - len(inner.rstrip(" \t"))
            base = line.start()
            if lead:
                yield base + a + 1, base + a + 1 + lead, ""
            if trail:
                yield base + b - trail, base + b, ""


_CURRENCY_GATE = re.compile(r"[ \t]\$")
_CURRENCY = regex.compile(r"\b(US|R|A|C|HK|NZ|S)[ \t]+\$(?=[ \t]*\d)")


@rule("currency-symbol", gates=(_CURRENCY_GATE,),
      examples=[("de até US $ 4 bilhões", "de até US$ 4 bilhões"), ("custa R $ 10", "custa R$ 10")],
      keep=["US$ 4 bilhões", "a variável $PATH"])
def currency_symbol(doc) -> Iterator[Span]:
    """A currency sign split from its country code."""
    text = doc.text
    if "$" not in text:
        return
    for m in gated(_CURRENCY, _CURRENCY_GATE, doc):
        yield m.start(), m.end(), m.group(1) + "$"


_TLDS = {"com", "org", "net", "br", "pt", "cn", "io", "ai", "gov", "edu", "co", "info", "dev", "app", "uk",
         "de", "fr", "es", "jp", "tv", "me"}
_WWW_GATE = re.compile(r"www", re.IGNORECASE)
_SPLIT_URL = regex.compile(
    r"\b(?:https?[ \t]*:[ \t]*/[ \t]*/[ \t]*)?www(?:[ \t]*\.[ \t]*[a-z0-9-]+){2,4}\b", regex.IGNORECASE)


@rule("split-url", gates=(_WWW_GATE,),
      examples=[("veja www .palantir .com hoje", "veja www.palantir.com hoje"),
                ("em https: //www. exemplo. com. br", "em https://www.exemplo.com.br")],
      keep=["www.palantir.com", "a www e a internet"])
def split_url(doc) -> Iterator[Span]:
    """A web address broken by spaces around its dots."""
    text = doc.text
    if "www" not in text and "WWW" not in text:
        return
    for m in gated(_SPLIT_URL, _WWW_GATE, doc):
        s = m.group()
        if not any(c in " \t" for c in s):
            continue
        labels = regex.split(r"[ \t]*\.[ \t]*", regex.sub(r"^https?[ \t]*:[ \t]*/[ \t]*/[ \t]*", "", s))
        if labels[-1].lower() not in _TLDS:
            continue
        yield m.start(), m.end(), regex.sub(r"[ \t]+", "", s)


_HYPHEN_DASH = regex.compile(r"(?<=[ \t])-(?=[ \t]+\p{L})")
_LEFT_OF_DASH = regex.compile(r"\p{L}{2},?[ \t]+\Z")


@rule("hyphen-as-dash", gates=(re.compile(r"-(?<=[ \t]-)(?=[ \t])"),),
      examples=[("a série foi ofuscada - mas, olhando para trás", "a série foi ofuscada — mas, olhando para trás"),
                ("para iteração de IA - os fãs", "para iteração de IA — os fãs")],
      keep=["- item de lista", "ls - lista o conteúdo de pastas", "de 2010 - 2020", "a - b",
            "Xiaomi - Wikipédia"])
def hyphen_as_dash(doc) -> Iterator[Span]:
    """A hyphen between spaces used as a dash in running prose."""
    text = doc.text
    for m in _HYPHEN_DASH.finditer(text):
        left = _LEFT_OF_DASH.search(text, max(0, m.start() - 12), m.start())
        if not left:
            continue
        start = m.start() - (len(left.group()) - len(left.group().rstrip(" \t")))
        end = m.end()
        while end < len(text) and text[end] in " \t":
            end += 1
        line_start = text.rfind("\n", max(0, m.start() - 200), m.start()) + 1
        before = text[max(line_start, m.start() - 200):m.start()]
        if len(before.split()) < 3:  # a title, a man-page NAME line, a short label
            continue
        yield start, end, " — "


_SUPER = "\u1d2c-\u1d6a\u2070-\u209f\u00b2\u00b3\u00b9"
_SUPER_SPACE = regex.compile(rf"(?<=[)\p{{L}}\d][ \t]+)[{_SUPER}]+(?![\p{{L}}\d])")
_ANY_SUPER = re.compile(f"[{_SUPER}×]")
_TIMES_GATE = re.compile("×")
_TIMES = regex.compile(r"(?<=\p{L}[ \t]*)×(?=[ \t]*\p{L})")
# necessary conditions of the two (see Rule.gates): a superscript after a space; a × spaced otherwise
# than " × " (glued to a letter, or with a tab or two spaces on a side)
_SPACED_SUPER = re.compile(f"[{_SUPER}](?<=[ \t].)")
_BAD_TIMES = re.compile(r"×(?:(?<=[^\W\d_]×)|(?<=\t×)|(?<=[ \t][ \t]×)|(?=[^\W\d_]|\t|[ \t][ \t]))")


@rule("superscript-spacing", gates=(_SPACED_SUPER, _BAD_TIMES),
      examples=[("(software × hardware) ᴬᴵ fornecida", "(software × hardware)ᴬᴵ fornecida"),
                ("a fórmula (software×hardware) ᴬᴵ, que", "a fórmula (software × hardware)ᴬᴵ, que")],
      keep=["512 × 512 pixels", "1920×1080", "E = mc²", "(a × b)ⁿ"])
def superscript_spacing(doc) -> Iterator[Span]:
    """A space before a superscript exponent; × glued to the words it multiplies."""
    text = doc.text
    if not _ANY_SUPER.search(text):  # one class scan (~3 ms/MB; eight bytes searches took ~7)
        return
    for m in gated(_SUPER_SPACE, _ANY_SUPER, doc):
        start = m.start()
        while text[start - 1] in " \t":
            start -= 1
        yield start, m.start(), ""
    for m in gated(_TIMES, _TIMES_GATE, doc):
        start, end = m.start(), m.end()
        while text[start - 1] in " \t":
            start -= 1
        while text[end] in " \t":
            end += 1
        if text[start:end] != " × ":
            yield start, end, " × "


_FUNCTION_WORDS = ("A|O|As|Os|Um|Uma|Uns|Umas|Da|Do|Das|Dos|De|Em|No|Na|Nos|Nas|E|Mas|Por|Para|Com|Isso|"
                   "Isto|Este|Esta|Esse|Essa|Se|Que|Como|Quando|Também|Já|Ainda|Porém|Contudo|Assim|Então|"
                   "Ao|À|Aos|Às|Pelo|Pela|Pelos|Pelas|Nesse|Nessa|Neste|Nesta|Desse|Dessa|Deste|Desta")
_AFTER_SEMICOLON = regex.compile(rf";[ \t]+({_FUNCTION_WORDS})(?=[ \t]+\p{{Ll}})")


@rule("lowercase-after-semicolon", stage="casing", gates=(re.compile(r";[ \t]+[A-ZÀ-Ý]"),),
      examples=[("no cão robô CyberDog; A direção autônoma", "no cão robô CyberDog; a direção autônoma"),
                ("em 2017; Da mesma forma, muitas", "em 2017; da mesma forma, muitas")],
      keep=["a Xiaomi; A Xiaomi Inc.", "Lisboa; Porto; Faro", "um; A", "a; O Globo publicou"])
def lowercase_after_semicolon(doc) -> Iterator[Span]:
    """A function word capitalised after a semicolon (proper names are left alone)."""
    text = doc.text
    if ";" not in text:
        return
    for m in _AFTER_SEMICOLON.finditer(text):
        yield m.start(1), m.end(1), m.group(1).lower()


_SHARED_GATES = {_SPACE_BEFORE_GATE, _STOP_GATE, _COMMA_GATE, _REPEATED_GATE, _QUOTE_GATE, _CURRENCY_GATE, _WWW_GATE,
                 _OPEN_GATE}
# gates narrower than a shared one (each hit is a hit of that one): searched in its lines only
_WITHIN = {_SPACED_QUOTE: _QUOTE_GATE}
