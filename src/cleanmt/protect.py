"""Spans of a document that no stage may edit: code, URLs, commands, numbers, markup.

Computed once per document with one combined pattern; stages drop any candidate edit that
touches one of them.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import regex

_FLAGS = regex.VERBOSE | regex.MULTILINE | regex.DOTALL
# Alternatives that start with a rare character or at a line start: one pass over the text.
_PROTECT = regex.compile(
    r"""
    (?P<front>\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z))   # YAML/TOML front matter
  | (?P<fence>(?<=^[ ]{0,3})(?P<f>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ ]{0,3}(?P=f)[`~]*[ \t]*(?:\n|\Z)
      |(?<=^[ ]{0,3})(?:`{3,}|~{3,})[^\n]*(?:\n.*)?\Z)                    # an unclosed fence: to the end
  | (?:\A|\n[ \t]*\n)(?P<indented>(?:(?:[ ]{4}|\t)[^\n]*(?:\n|\Z))+)
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
# word-led pattern at every position of the text).
_ANCHORED = [
    # URL: "://" or "www."
    (regex.compile(r"://|(?<![\w.])www\.", regex.IGNORECASE),
     regex.compile(r"[a-z][a-z0-9+.-]*\Z", regex.IGNORECASE),
     regex.compile(r"[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]")),
    # e-mail address
    (regex.compile(r"@"), regex.compile(r"[\w.+-]+\Z"), regex.compile(r"[\w-]+(?:\.[\w-]+)+")),
    # file path: /usr/bin/x, ~/x, ./x, ../x, C:\x  (anchored on the slash, widened to the left)
    (regex.compile(r"(?<![\w/<])/(?=[\w.-])|(?<=\b[A-Za-z]:)\\"),
     regex.compile(r"(?:(?<![\w/])~|(?<![\w.])\.{1,2}|\b[A-Za-z]:)?\Z"), regex.compile(r"[\w.~:\\/-]*[\w/]")),
    # file name: name.ext
    (regex.compile(r"(?<=\w)\.(?:txt|md|py|js|ts|json|toml|yaml|yml|sh|html|css|csv|tsv|pdf|png|jpg|zip|tar|gz|"
                   r"rs|go|java|po|srt|exe|docx?|xlsx?)\b", regex.IGNORECASE),
     regex.compile(r"[\w-]+\Z"), None),
]
# A line with command-line options (-name, --force, -exec) is a command: the whole line.
_OPTION = regex.compile(r"(?<=[ \t])--?[A-Za-z][\w-]*(?=[ \t=]|$)", regex.MULTILINE)


def _anchored_spans(text: str):
    for anchor, left, right in _ANCHORED:
        for m in anchor.finditer(text):
            s, e = m.span()
            if left is not None:
                lm = left.search(text, max(0, s - 200), s)
                if lm is None:
                    continue  # the anchor alone is not enough ("." after an ordinary word)
                s = lm.start()
            if right is not None:
                rm = right.match(text, e)
                if rm:
                    e = rm.end()
                elif s == m.start():
                    continue
            if e > s:
                yield s, e
    for m in _OPTION.finditer(text):
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        yield ls, (len(text) if le < 0 else le)


class Protected:
    """Sorted, merged spans with an overlap test in O(log n)."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __iter__(self):
        return iter(zip(self.starts, self.ends))

    def shifted(self, edits) -> "Protected":
        """The same spans after applying ``edits`` (which never touch a protected span)."""
        if not edits:
            return self
        out = Protected(())
        d = 0
        k = 0
        edits = sorted(edits, key=lambda e: (e.start, e.end))
        for s, e in zip(self.starts, self.ends):
            while k < len(edits) and edits[k].end <= s:
                d += len(edits[k].after) - (edits[k].end - edits[k].start)
                k += 1
            out.starts.append(s + d)
            out.ends.append(e + d)
        return out

    def overlaps(self, start: int, end: int) -> bool:
        """True if [start, end) touches a span; an insertion (start == end) only strictly inside."""
        if start == end:
            i = bisect_right(self.starts, start - 1) - 1
            return i >= 0 and self.ends[i] > start
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start


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


def _pass_spans(name: str, pattern: regex.Pattern, text: str):
    for m in pattern.finditer(text):
        s, e = m.span(name)
        if name == "emoticon":  # only a free-standing emoticon, with the spaces before it
            if s and not text[s - 1].isspace():
                continue
            while s and text[s - 1] in " \t":
                s -= 1
        yield s, e


def protected_spans(text: str) -> Protected:
    spans = [span for name, p, needs in _PASSES
             if (text.startswith(needs) if name == "front" else (not needs or any(n in text for n in needs)))
             for span in _pass_spans(name, p, text)]
    spans += _anchored_spans(text)
    return Protected(spans)
