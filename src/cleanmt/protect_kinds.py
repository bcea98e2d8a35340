"""The kinds of protected span and how each is found: a pattern per kind, the literals it
needs (a pass is skipped without them), which kinds are found over the whole text and which one
paragraph at a time (see protect.Protected, which asks them lazily)."""
from __future__ import annotations

import re

import regex

_FLAGS = regex.VERBOSE | regex.MULTILINE | regex.DOTALL
# Alternatives that start with a rare character or at a line start: one pass over the text.
_PROTECT = regex.compile(
    r"""
    (?P<front>\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z))   # YAML/TOML front matter
  | (?P<fence>(?<=^[ ]{0,3})(?P<f>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ ]{0,3}(?P=f)[`~]*[ \t]*(?:\n|\Z)
      |(?<=^[ ]{0,3})(?:`{3,}|~{3,})[^\n]*(?:\n.*)?\Z)                    # an unclosed fence: to the end
  | (?:\A|(?<=\n[ \t]*\n))(?P<indented>(?:(?:[ ]{4}|\t)[^\n]*(?:\n|\Z))+)  # also right after another block
  | (?P<code>(?P<bt>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=bt)(?!`))
  | (?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--.*?-->)
  | (?P<link>\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"]*")?\))       # Markdown link target
  | (?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+[^\n]*)
  | (?:\A|\n)(?P<prompt>[ \t]*(?:\$|>>>|%|PS>)[ \t]+\S[^\n]*)              # shell or REPL prompt ("# " is a heading)
  | (?P<number>(?<!\w)\d+(?:[.,:]\d+)+(?:[A-Za-z%]+\b)?|(?<!\w)\d+(?:[.,]\d+)?[BMKTG]\b)  # 6,4 1.3B 2.3.27
  | (?P<ellipsis>\.\.\.+|…|[\[(]\.\.\.[\])])
  | (?P<emoticon>(?:[:;=8][-']?[)(\]\[DPpOo3|/\\*]+|<3|\^_?\^|[xX]D)(?!\w))     # checked: after a space
  | (?P<initials>(?<!\w)(?:\p{Lu}\.){2,})                               # U.S.A., E.U.A.
  | (?P<abbr>(?<!\w)(?:Dr|Dra|Sr|Sra|Srta|Prof|Profa|Eng|Av|etc|p\.\s?ex|pág|págs|vol|nº|n\.º|cf|ex|aprox|séc|tel
      |fig|cap|art|máx|Jr|Ltda|S\.A|Inc|Corp|vs|i\.e|e\.g)\.)
    """,
    _FLAGS,
)
# Alternatives found from a literal "anchor" and widened around it (much faster than trying a
# word-led pattern at every position of the text). The left parts search backwards (REVERSE):
# a forward search would try every start in the 200-character window.
_ANCHORED = [
    # URL: "://" or "www."
    (regex.compile(r"://|(?<![\w.])www\.", regex.IGNORECASE),
     regex.compile(r"[a-z][a-z0-9+.-]*\Z", regex.IGNORECASE | regex.REVERSE),
     regex.compile(r"[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]")),
    # e-mail address
    (regex.compile(r"@"), regex.compile(r"[\w.+-]+\Z", regex.REVERSE), regex.compile(r"[\w-]+(?:\.[\w-]+)+")),
    # file path: /usr/bin/x, ~/x, ./x, ../x, C:\x  (anchored on the slash, widened to the left)
    (regex.compile(r"(?<![\w/<])/(?=[\w.-])|(?<=\b[A-Za-z]:)\\"),
     regex.compile(r"(?:(?<![\w/])~|(?<![\w.])\.{1,2}|\b[A-Za-z]:)?\Z", regex.REVERSE), regex.compile(r"[\w.~:\\/-]*[\w/]")),
    # file name: name.ext
    (regex.compile(r"(?<=\w)\.(?:txt|md|py|js|ts|json|toml|yaml|yml|sh|html|css|csv|tsv|pdf|png|jpg|zip|tar|gz|"
                   r"rs|go|java|po|srt|exe|docx?|xlsx?)\b", regex.IGNORECASE),
     regex.compile(r"[\w-]+\Z", regex.REVERSE), None),
]
_ANCHOR_NEEDS = [("://", "www."), ("@",), ("/", "\\"), (".",)]
# A line with command-line options (-name, --force, -exec) is a command: the whole line.
_OPTION = regex.compile(r"(?<=[ \t])--?[A-Za-z][\w-]*(?=[ \t=]|$)", regex.MULTILINE)


_ANCHOR_KINDS = ("url", "email", "path", "filename")


def _anchored_spans(text: str, lo: int = 0, hi: int | None = None, part: str | None = None,
                    kinds=(*_ANCHOR_KINDS, "option")):
    hi = len(text) if hi is None else hi
    part = text[lo:hi] if part is None else part
    for kind, (anchor, left, right), needs in zip(_ANCHOR_KINDS, _ANCHORED, _ANCHOR_NEEDS):
        if kind not in kinds:
            continue
        if kind == "url":  # "www." in any case: lower-cased only if there is a w at all
            if "://" not in part and not (("w" in part or "W" in part) and "www." in part.lower()):
                continue
        elif not any(n in part for n in needs):
            continue
        elif kind == "filename" and not _SHARPER["filename"].search(text, lo, hi):
            continue
        for m in anchor.finditer(text, lo, hi):
            s, e = m.span()
            if left is not None:
                lm = left.search(text, max(0, s - 200), s)
                if lm is not None:
                    s = lm.start()
                elif kind != "url" or m.group() == "://":
                    continue  # the anchor alone is not enough ("." after an ordinary word)
                # (a "www." address needs no scheme before it)
            if right is not None:
                rm = right.match(text, e)
                if rm:
                    e = rm.end()
                elif s == m.start():
                    continue
            if e > s:
                yield s, e
    if "option" not in kinds or "-" not in part:
        return
    for m in _OPTION.finditer(text, lo, hi):
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        yield ls, (len(text) if le < 0 else le)


# A pass is skipped when none of its literal characters is in the text (a str search is ~100x
# faster than a regex scan).
_NEEDS = {"front": ("---", "+++"), "fence": ("```", "~~~"), "indented": ("    ", "\t"),
          "code": ("`",), "tag": ("<",), "link": ("](",), "refdef": ("]:",), "prompt": ("$", ">>>", "%", "PS>"),
          "number": ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "ellipsis": ("..", "…"),
          "emoticon": (":", ";", "=", "8", "<3", "^", "xD", "XD"), "initials": (".",), "abbr": (".",)}


_CASELESS = {"tag", "abbr"}


def _split_alternatives(pattern: regex.Pattern) -> list[tuple[regex.Pattern, tuple[str, ...]]]:
    """One compiled pattern per top-level alternative: the regex module runs a dozen small scans
    several times faster than one alternation of them."""
    out = []
    for part in regex.split(r"\n  \| ", pattern.pattern.strip()):
        name = regex.search(r"\?P<(\w+)>", part).group(1)
        flags = pattern.flags | (regex.IGNORECASE if name in _CASELESS else 0)
        out.append((name, regex.compile(part, flags), _NEEDS.get(name, ())))
    return out


_PASSES = _split_alternatives(_PROTECT)
_LOCAL_PASSES = [x for x in _PASSES if x[0] not in ("front", "fence", "indented")]


def _pass_spans(name: str, pattern: regex.Pattern, text: str, pos: int = 0, endpos: int | None = None):
    for m in pattern.finditer(text, pos, len(text) if endpos is None else endpos):
        s, e = m.span(name)
        if name == "emoticon":  # only a free-standing emoticon, with the spaces before it
            if s and not text[s - 1].isspace():
                continue
            while s and text[s - 1] in " \t":
                s -= 1
        yield s, e


# Kinds that can span blank lines are found over the whole text (each behind a cheap gate); the
# rest never cross a blank line and are found paragraph by paragraph, only where asked.
_GLOBAL_KINDS = ("front", "fence", "indented")
_COMMENT = regex.compile(r"<!--.*?-->", regex.DOTALL)
_INDENT_GATE = re.compile(r"\n[ \t]*\n(?=[ ]{4}|\t)")
_INDENT_BODY = regex.compile(r"(?:(?:[ ]{4}|\t)[^\n]*(?:\n|\Z))+")
_FENCE_GATE = re.compile(r"`{3,}|~{3,}")


def _global_spans(text: str) -> list[tuple[int, int]]:
    out = []
    passes = {name: p for name, p, _ in _PASSES}
    if text.startswith(("---", "+++")):
        out += _pass_spans("front", passes["front"], text)
    if "```" in text or "~~~" in text:
        fence, end = passes["fence"], 0
        for m in _FENCE_GATE.finditer(text):
            if m.start() < end:
                continue
            f = fence.match(text, m.start())
            if f:
                out.append(f.span("fence"))
                end = f.end()
    if text.startswith(("    ", "\t")) or "\n\n" in text or "\n " in text or "\n\t" in text:
        starts = ([0] if text.startswith(("    ", "\t")) else []) + [m.end() for m in _INDENT_GATE.finditer(text)]
        end = 0
        for s in starts:
            if s < end:
                continue
            m = _INDENT_BODY.match(text, s)
            if m:
                out.append(m.span())
                end = m.end()
    if "<!--" in text:
        out += (m.span() for m in _COMMENT.finditer(text))
    return out


_ALL_LOCAL = frozenset(name for name, _, _ in _LOCAL_PASSES) | {*_ANCHOR_KINDS, "option"}


# Each literal a local kind needs has a key character (its rarest); a paragraph's key characters are
# found with one scan, and a kind is tried only if one of its keys is there (then its literals are
# checked exactly, when longer than the key). A dozen ``any(n in part ...)`` loops per paragraph
# cost more than the scans themselves on short paragraphs.
_KEY_OF = {"`": "`", "<": "<", "](": "]", "]:": "]", "$": "$", ">>>": ">", "%": "%", "PS>": ">", "..": ".",
           "…": "…", ":": ":", ";": ";", "=": "=", "8": "8", "<3": "<", "^": "^", "xD": "D", "XD": "D", ".": ".",
           **{d: d for d in "0123456789"}, "://": ":", "www.": ".", "@": "@", "/": "/", "\\": "\\", "-": "-"}
_KEYS = re.compile("[" + re.escape("".join(sorted(set(_KEY_OF.values())))) + "]")


# Kinds whose literal ("." for most) is in nearly every paragraph get a sharper necessary condition,
# a stdlib scan led by that literal (a stdlib literal-led scan is several times cheaper than the
# kind's own pattern, whose look-behinds are tried at every position): two capitals with stops
# for initials, an abbreviation's last two letters before the stop, a stop and two letters for a
# file extension.
_ABBR_TAILS = ("dr ra sr ta of fa ng av tc ex ág gs ol nº .º cf ox éc el ig ap rt áx jr da .a nc rp vs .e .g")
_SHARPER = {
    "initials": re.compile(r"\.[^\W\d_]\."),
    "abbr": re.compile(r"\.(?<=(?i:" + "|".join(re.escape(t) for t in _ABBR_TAILS.split()) + r")\.)"),
    "filename": re.compile(r"\.(?=[^\W\d_]{2})"),
}


def _gate(needs) -> tuple[frozenset, tuple[str, ...]]:
    """(key characters, the literals to check exactly when a key is there: all of them if one is
    longer than its key, else none) of a kind's literals."""
    return frozenset(_KEY_OF[n] for n in needs), (tuple(needs) if any(len(n) > 1 for n in needs) else ())


_LOCAL_GATED = [(name, p, *_gate(needs), _SHARPER.get(name)) for name, p, needs in _LOCAL_PASSES]


def _local_spans(text: str, lo: int, hi: int, kinds=_ALL_LOCAL) -> list[tuple[int, int]]:
    """The spans of the kinds that stay inside a paragraph, in text[lo:hi] (one paragraph)."""
    present = set(_KEYS.findall(text, lo, hi))
    if not present:
        return []
    part = text[lo:hi]
    spans = []
    for name, p, keys, exact, sharper in _LOCAL_GATED:
        if name not in kinds or present.isdisjoint(keys):
            continue
        if exact and not any(n in part for n in exact):
            continue
        if sharper is not None and not sharper.search(text, lo, hi):
            continue
        spans += _pass_spans(name, p, text, max(0, lo - 1), hi)
    spans += _anchored_spans(text, lo, hi, part, kinds)
    return spans
