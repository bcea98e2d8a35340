"""Glossary entries compiled for matching: each entry's context checks (lookarounds, near and
not-near words, required words) and, for a pattern entry, its regex with the literal or whole
word every match must hold (so that it is run only on the paragraphs holding it).
"""
from __future__ import annotations

import pickle
from collections.abc import Sequence

import regex

from .glossary import Entry
from .matcher import Words, prefixes

_FLEX_SPACE = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"
AFTER_REACH = 1000  # characters an after / not-after context may read past the match
# Where near/not-near words are looked for: (forward boundary, backward boundary, max reach).
_SCOPES = {
    "sentence": (regex.compile(r"[.!?;\n]"), regex.compile(r"(?r)[.!?;\n]"), 300),
    "paragraph": (regex.compile(r"\n[^\S\n]*\n"), regex.compile(r"(?r)\n[^\S\n]*\n"), 3000),
    "wrapped-sentence": (regex.compile(r"[.!?;]|\n[^\S\n]*\n"), regex.compile(r"(?r)[.!?;]|\n[^\S\n]*\n"), 300),
}


def flexible_spaces(pattern: str) -> str:
    """Let a literal space in a user pattern match a run of spaces or one line break."""
    out = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":  # "[]...]" : the first ] is literal
                out.append("[]")
                i += 2
                continue
        elif c == " ":
            j = i
            while j < len(pattern) and pattern[j] == " ":
                j += 1
            out.append(_FLEX_SPACE)
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


class CompiledEntry:
    """Per-entry compiled checks (context lookarounds, not-near words, pattern)."""

    __slots__ = ("before", "after", "not_before", "not_after", "near", "not_near", "scope", "pattern",
                 "literal", "word", "requires", "file", "evidence")

    def __init__(self, e: Entry, file_idx: int):
        # Context lookarounds are case-sensitive (a capital often is the context); use (?i:...)
        # inside one to relax it. not-near words are case-insensitive word prefixes.
        flags = regex.V0
        self.before = regex.compile(rf"(?<=(?:{e.before}))", flags) if e.before else None
        self.not_before = regex.compile(rf"(?<=(?:{e.not_before}))", flags) if e.not_before else None
        self.after = regex.compile(e.after, flags) if e.after else None
        self.not_after = regex.compile(e.not_after, flags) if e.not_after else None
        self.scope = _SCOPES[e.scope]
        self.near = prefixes(e.near) if e.near else None
        self.not_near = prefixes(e.not_near) if e.not_near else None
        self.requires = Words(e.requires) if e.requires else None
        self.evidence = prefixes(e.evidence) if e.evidence else None
        self.pattern = None
        self.literal = self.word = None
        if e.kind == "pattern":
            self.literal = required_literal(e.pattern)
            self.word = None if self.literal is not None else required_word(e.pattern)
            pflags = regex.V0 | (0 if e.case_sensitive else regex.IGNORECASE)
            self.pattern = regex.compile(flexible_spaces(e.pattern), pflags)
        self.file = file_idx

    def scope_window(self, text: str, s: int, e: int, scope=None) -> tuple[int, int]:
        """The sentence (or paragraph) around [s, e), bounded so that a long line stays cheap."""
        fwd, back, reach = scope or self.scope
        lo = max(0, s - reach)
        m = back.search(text, lo, s)
        ws = m.end() if m else lo
        m = fwd.search(text, e, e + reach)
        we = m.start() if m else min(len(text), e + reach)
        return ws, we

    def has_evidence(self, text: str, s: int, e: int) -> bool:
        """Whether words of the entry's garbled sense stand in the same sentence (a hard-wrapped
        sentence counts whole) or, for a paragraph-scoped entry, the same paragraph."""
        if self.evidence is None:
            return False
        scope = _SCOPES["wrapped-sentence"] if self.scope is _SCOPES["sentence"] else self.scope
        ws, we = self.scope_window(text, s, e, scope)
        return bool(self.evidence.search(text, ws, s) or self.evidence.search(text, e, we))

    def context_ok(self, text: str, s: int, e: int, lo: int = 0, hi: int | None = None) -> bool:
        """Whether the entry's context allows a match at [s, e) of ``text``. ``lo``, ``hi``: the
        paragraph holding the match; the context is read inside it only. The fixpoint reads a
        changed paragraph again joined to other changed ones, not to its neighbours: a context
        that read past its paragraph was decided by whatever was joined to it."""
        c = self
        hi = len(text) if hi is None else hi
        if c.before is not None or c.not_before is not None:
            head, at = (text, s) if lo == 0 else (text[lo:s], s - lo)  # a look-behind sees before pos
            if c.before is not None and not c.before.match(head, at, at):
                return False
            if c.not_before is not None and c.not_before.match(head, at, at):
                return False
        # endpos bounds every match: the regex module looks for a pattern's required literal
        # ("do Google" in "\\s+do Google") from the start position to endpos before matching, so
        # an unbounded match cost time in proportion to the rest of the text (quadratic overall)
        end = min(hi, e + AFTER_REACH)
        if c.after is not None and not c.after.match(text, e, end):
            return False
        if c.not_after is not None and c.not_after.match(text, e, end):
            return False
        if c.near is not None or c.not_near is not None:
            ws, we = c.scope_window(text, s, e)
            ws, we = max(ws, lo), min(we, hi)
            if c.not_near is not None and c.not_near.search(text, ws, we):
                return False
            if c.near is not None and not (c.near.search(text, ws, s) or c.near.search(text, e, we)):
                return False
        return True


class LazyEntries(Sequence):
    """Entries kept as one pickle each and unpickled on first use (the on-disk cache's copy: see ``CompiledGlossaries.without_examples``)."""

    def __init__(self, entries):
        self._blobs = [pickle.dumps(e, pickle.HIGHEST_PROTOCOL) for e in entries]
        self._done: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self._blobs)
        e = self._done.get(i)
        if e is None:
            e = self._done[i] = pickle.loads(self._blobs[i])
        return e

    def __getstate__(self):
        return self._blobs

    def __setstate__(self, blobs):
        self._blobs, self._done = blobs, {}


class LazyCompiled(Sequence):
    """Each entry's compiled context, compiled on first use (it was validated when built)."""

    def __init__(self, entries, file_of):
        self._entries, self._file_of, self._done = entries, file_of, {}

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, i):
        c = self._done.get(i)
        if c is None:
            c = self._done[i] = CompiledEntry(self._entries[i], self._file_of[i])
        return c

    def __getstate__(self):
        return self._entries, self._file_of

    def __setstate__(self, state):
        self._entries, self._file_of = state
        self._done = {}


def _after_class(pattern: str, i: int) -> int:
    """The offset just past the character class that opens at ``pattern[i]`` ("[")."""
    j = i + 1
    if pattern[j:j + 1] == "^":
        j += 1
    if pattern[j:j + 1] == "]":  # "[]...]": the first ] is literal
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> tuple[int, bool]:
    """(the offset of the ")" that closes the group opening at ``pattern[i]``, whether a "|"
    stands at the group's own level); (len(pattern), True) if it is not closed."""
    depth, j, alt = 0, i, False
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _after_class(pattern, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j, alt
        elif c == "|" and depth == 1:
            alt = True
        j += 1
    return len(pattern), True


# Groups whose text every match holds when they have no "|" of their own and no quantifier after
# them: no flag but case (the view is lower-cased), nothing captured that matters here.
_PLAIN_GROUPS = ("(?:", "(?i:")


def required_literal(pattern: str) -> str | None:
    """The longest run of plain text every match of ``pattern`` must contain, lower-cased with
    spaces folded, or None. Only text outside any group counts (a group may be optional or an
    alternative), but for a "(?:" or "(?i:" group with no "|" of its own and no quantifier after
    it, whose text the run goes through; a character followed by a quantifier is dropped, and a
    top-level "|" gives up. Used to skip a pattern whose literal is absent from the document."""
    runs, cur, depth, i = [], [], 0, 0
    through: set[int] = set()  # the closing ")" of the groups the run goes through
    while i < len(pattern):
        c = pattern[i]
        if depth == 0 and c == "(" and pattern.startswith(_PLAIN_GROUPS, i):
            j, alt = _group_end(pattern, i)
            if not alt and pattern[j + 1:j + 2] not in ("?", "*", "+", "{"):
                through.add(j)
                i = pattern.index(":", i) + 1
                continue
        if i in through:
            i += 1
            continue
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            if depth == 0 and nxt and not nxt.isalnum():
                cur.append(nxt)  # an escaped punctuation mark is literal
            elif cur:
                runs.append("".join(cur))
                cur = []
            i += 2
            continue
        if c == "[":
            runs.append("".join(cur))
            cur = []
            i = _after_class(pattern, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        if depth == 0 and c not in "()" and (c.isalnum() or c in " -'"):
            if pattern[i + 1:i + 2] in ("?", "*", "{"):
                runs.append("".join(cur))
                cur = []
            else:
                cur.append(c)
        elif cur:
            runs.append("".join(cur))
            cur = []
        i += 1
    runs.append("".join(cur))
    best = max((" ".join(r.split()) for r in runs), key=len, default="")
    return best.lower() if len(best) >= 4 else None


def required_word(pattern: str) -> str | None:
    """A short word (two letters or more, lower-cased) that every match of ``pattern`` holds as a
    whole word, or None: letters outside any group, with a space or \\b on both sides and no
    quantifier after them ("(...)(s?) AI\\b" -> "ai"). For patterns without a longer literal."""
    best, depth, i, n = None, 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # skip a character class
            i = _after_class(pattern, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        elif depth == 0 and c.isalpha():
            j = i
            while j < n and pattern[j].isalpha():
                j += 1
            left = i == 0 or pattern[i - 1] == " " or (pattern[max(0, i - 2):i] == "\\b" and pattern[i - 3:i - 2] != "\\")
            right = j == n or pattern[j] == " " or pattern[j:j + 2] == "\\b"
            if left and right and j - i >= 2 and (best is None or j - i > len(best)):
                best = pattern[i:j]
            i = j
            continue
        i += 1
    return best.lower() if best else None
