"""Spans of a document that no stage may edit: code, URLs, commands, numbers, markup.

Computed once per document with one combined pattern; stages drop any candidate edit that
touches one of them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import regex

from .textview import SPACE_CHARS

_BLANK = re.compile(r"\n[ \t]*\n")


def paragraph_bounds(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the non-empty paragraphs (text between blank lines)."""
    cuts = [0, *(x for m in _BLANK.finditer(text) for x in m.span()), len(text)]
    starts, ends = [], []
    for a, b in zip(cuts[::2], cuts[1::2]):
        if b > a:
            starts.append(a)
            ends.append(b)
    return starts, ends


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


def _merge(spans) -> tuple[list[int], list[int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [s for s, _ in merged], [e for _, e in merged]


# A paragraph where a span may reach far from its literal: code spans, tags, link targets and
# reference definitions (which may hold spaces), prompt lines and lines with command-line options
# (protected whole).
_FAR_KINDS = ("code", "tag", "link", "refdef")
_FAR_CHARS = re.compile("[" + re.escape("".join(sorted({_KEY_OF[n] for k in _FAR_KINDS for n in _NEEDS[k]}))) + "]")
_FAR_PROMPT = re.compile(r"^[ \t]*(?:\$|>>>|%|PS>)[ \t]", re.MULTILINE)
_FAR_OPTION = re.compile(r"[ \t]--?[A-Za-z]")


def _far_reaching(text: str, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] (one paragraph) may hold a kind that reaches far from its literal. Three
    stdlib scans, each behind a literal test: one alternation of them costs several times more."""
    if _FAR_CHARS.search(text, lo, hi):
        return True
    part = text[lo:hi]
    if ("$" in part or ">>>" in part or "%" in part or "PS>" in part) and _FAR_PROMPT.search(text, lo, hi):
        return True
    return ("-" in part) and _FAR_OPTION.search(text, lo, hi) is not None


# Elsewhere a span is a run of non-space characters holding one of these (a number's digit, a URL's
# or file name's stop, an e-mail's @, a path's slash, an emoticon's eyes, an ellipsis) or, for an
# emoticon, the spaces before it.
_TOKEN_KEYS = re.compile(r"[\d.:;=^/\\@…]|[xX]D")
_TOKEN_END = regex.compile(r"\S*")
_TOKEN_START = regex.compile(r"\S*", regex.REVERSE)
_SPACES_END = regex.compile(r"\s*")
_SPACES_START = regex.compile(r"\s*", regex.REVERSE)
_ABBR = dict((name, p) for name, p, _ in _LOCAL_PASSES)["abbr"]


def _space(c: str) -> bool:
    """``\\s`` as the regex module reads it (str.isspace also takes U+001C-U+001F, which a URL
    may hold)."""
    return c.isspace() and c not in "\x1c\x1d\x1e\x1f"


# ... as a set: the overlap test asks about four characters per question, and a set lookup costs a
# third of a call (tests/test_protect.py checks it against _space over every code point)
_SPACES = frozenset(SPACE_CHARS) - set("\x1c\x1d\x1e\x1f")


class Protected:
    """The protected spans of one text, with an overlap test in O(log n).

    Computed lazily: the kinds that can cross a blank line once for the whole text, the others one
    paragraph at a time when an overlap test first touches that paragraph. Most paragraphs of a
    corpus are never asked about (no rule proposes an edit there), so they cost nothing; in dense
    text, where every paragraph is asked about, most questions are answered from the words around
    the span alone (see ``_surely_free``), and the paragraph's spans are still not computed.
    """

    __slots__ = ("text", "_ps", "_pe", "_gs", "_ge", "_local", "_far")

    def __init__(self, text: str, bounds: tuple[list[int], list[int]] | None = None):
        self.text = text
        # the Document's paragraph bounds; empty paragraphs hold no span: left out
        self._ps, self._pe = bounds if bounds is not None else paragraph_bounds(text)
        self._gs, self._ge = _merge(_global_spans(text))
        self._local: dict[int, tuple[list[int], list[int]]] = {}
        self._far: dict[int, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.text) or bool(self._gs)

    @classmethod
    def from_spans(cls, spans) -> "Protected":
        """A fixed set of spans (no text behind it) with the same overlap test."""
        p = cls.__new__(cls)
        p.text, p._ps, p._pe, p._local, p._far = "", [], [], {}, {}
        p._gs, p._ge = _merge(spans)
        return p

    def _para(self, k: int) -> tuple[list[int], list[int]]:
        got = self._local.get(k)
        if got is None:
            got = self._local[k] = _merge(_local_spans(self.text, self._ps[k], self._pe[k]))
        return got

    def _surely_free(self, k: int, start: int, end: int) -> bool:
        """True if no span of paragraph ``k``'s own kinds can touch [start, end) (start < end,
        inside the paragraph), decided without computing them: the paragraph holds no kind that
        reaches far, and the words around the span hold no character a nearby kind needs, apart
        from a sentence's closing punctuation after it (a stop that ends an abbreviation counts)."""
        far = self._far.get(k)
        lo, hi = self._ps[k], self._pe[k]
        text = self.text
        if far is None:
            far = self._far[k] = _far_reaching(text, lo, hi)
        if far:
            return False
        spaces = _SPACES
        a = start if text[start] not in spaces else _SPACES_START.match(text, lo, start).start()
        if a > lo and text[a - 1] not in spaces:  # (most spans are whole words: no search)
            a = _TOKEN_START.match(text, lo, a).start()
        b = end if text[end - 1] not in spaces else _SPACES_END.match(text, end, hi).end()
        if b < hi and text[b] not in spaces:
            b = _TOKEN_END.match(text, b, hi).end()
        if _TOKEN_KEYS.search(text, a, b) is None:
            return True
        t = b
        while t > end and text[t - 1] in ",;:!?…":
            t -= 1
        if t > end and text[t - 1] == "." and text[t - 2] != ".":
            if _ABBR.search(text, a, min(hi, b + 8)) or text[max(a, t - 4):t - 1].lower() == "www":
                return False
            t -= 1
        return t < b and _TOKEN_KEYS.search(text, a, t) is None

    def _lists(self, lo: int, hi: int):
        """The merged span lists that may hold a span touching [lo, hi]."""
        yield self._gs, self._ge
        k = max(0, bisect_right(self._ps, lo) - 1)
        last = bisect_right(self._ps, hi) - 1
        while k <= last:
            if self._pe[k] >= lo:
                yield self._para(k)
            k += 1

    def overlaps(self, start: int, end: int) -> bool:
        """True if [start, end) touches a span; an insertion (start == end) only strictly inside
        a span or at a point where two spans meet."""
        if start == end:
            ends_here = starts_here = False
            for ss, ee in self._lists(start, start):
                i = bisect_right(ss, start - 1) - 1
                if i >= 0 and ee[i] > start:
                    return True
                j = bisect_left(ee, start)
                ends_here = ends_here or (j < len(ee) and ee[j] == start)
                j = bisect_left(ss, start)
                starts_here = starts_here or (j < len(ss) and ss[j] == start)
            return ends_here and starts_here
        ps = self._ps
        k = bisect_right(ps, start) - 1
        if k >= 0 and end <= self._pe[k] and (k + 1 == len(ps) or ps[k + 1] > end):
            # the common case, a span inside one paragraph: no generator, two lists
            if k not in self._local and self._surely_free(k, start, end):
                i = bisect_left(self._gs, end) - 1
                return i >= 0 and self._ge[i] > start
            for ss, ee in ((self._gs, self._ge), self._para(k)):
                i = bisect_left(ss, end) - 1
                if i >= 0 and ee[i] > start:
                    return True
            return False
        for ss, ee in self._lists(start, end):
            i = bisect_left(ss, end) - 1
            if i >= 0 and ee[i] > start:
                return True
        return False

    def _global_in(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The global spans touching [lo, hi), found by bisection (a document may hold thousands
        of code blocks: a scan of them all per paragraph was quadratic)."""
        out = []
        i = bisect_right(self._ge, lo)
        while i < len(self._gs) and self._gs[i] < hi:
            out.append((self._gs[i], self._ge[i]))
            i += 1
        return out

    def has_global(self, lo: int, hi: int) -> bool:
        """True if a span of the kinds found over the whole text (fences, indented blocks, front
        matter, comments) touches [lo, hi)."""
        i = bisect_left(self._gs, hi) - 1
        return i >= 0 and self._ge[i] > lo

    def kind_spans(self, lo: int, hi: int, kinds) -> list[tuple[int, int]]:
        """Spans touching [lo, hi) (one paragraph) of the given local kinds only, plus the global
        ones: for a question only some kinds can answer ("is this bracket protected?"), much
        cheaper than all of them. Not cached."""
        return self._global_in(lo, hi) + _local_spans(self.text, lo, hi, kinds)

    def spans(self, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
        """The merged spans touching [lo, hi) (computing the paragraphs concerned)."""
        hi = len(self.text) if hi is None else hi
        out = self._global_in(lo, hi)
        for ss, ee in list(self._lists(lo, hi))[1:]:  # the paragraphs' own (short) lists
            out += ((s, e) for s, e in zip(ss, ee) if s < hi and e > lo)
        ss, ee = _merge(out)
        return list(zip(ss, ee))

    def __iter__(self):
        return iter(self.spans())


def protected_spans(text: str) -> Protected:
    return Protected(text)
