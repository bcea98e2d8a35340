"""The compiled literal matching: one Aho-Corasick automaton for every term of every glossary,
and whole-word searches for sets of words (document triggers, required words, near-words).

Hits are found on the Document's lower-cased, NFC, whitespace-folded view and kept only at
Unicode word boundaries ("ç", "ã" are letters: "painço" never matches inside "painçoal").
"""
from __future__ import annotations

import re
import unicodedata

import ahocorasick
import regex

from . import casing
from .textview import find_all

_CHUNK = 1 << 18


_WORDS = re.compile(r"\w+")  # runs of is_word characters


def is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def norm_key(form: str) -> str:
    """A wrong form as the automaton holds it: NFC, spaces folded, lower-cased (same length)."""
    return casing.lower_same_length(unicodedata.normalize("NFC", " ".join(form.split())))


def ac_iter(automaton, text: str, longest: int, length=None):
    """``automaton.iter(text)`` fed slices of 256K characters that overlap by ``longest`` - 1:
    pyahocorasick copies the whole string before the first hit (20 ms for 10 MB, more than
    linearly past that), so every early-exit search cost a full copy. The same hits, each once
    (a hit is kept by the slice it starts in; ``length(value)`` gives its length, else the value
    is the length), in order of their end within each slice."""
    n = len(text)
    if n <= _CHUNK:
        yield from automaton.iter(text)
        return
    for base in range(0, n, _CHUNK):
        limit = base + _CHUNK
        for end, value in automaton.iter(text[base:limit + longest - 1]):
            k = value if length is None else length(value)
            if base + end + 1 - k < limit:
                yield base + end, value


# Characters whose side of a word boundary is certain for the regex module: \w ones, and ones that
# are surely not \w (ASCII punctuation and spaces, common typographic marks).
_SURE_NOT_WORD = frozenset(" \t\n\r\f\v!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~\u00a0\u2014\u2013\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026\u00b7")


def side(c: str) -> bool | None:
    """True if ``c`` is surely \\w for the regex module, False if surely not, None if unsure."""
    if c in _SURE_NOT_WORD:
        return False
    if c.isalpha() or c in "0123456789_":
        return True
    return None


def whole_word_hits(view: str, word: str, hits=None) -> list[int]:
    """Offsets of ``word`` in ``view`` with no letter, digit or "_" on either side (``hits``: its
    offsets, if already found)."""
    n, k = len(view), len(word)
    return [h for h in (find_all(view, word) if hits is None else hits)
            if not (h and side(view[h - 1])) and not (h + k < n and side(view[h + k]))]


def prefixes(words) -> regex.Pattern:
    """Search for any of ``words`` at the start of a word: lower-case words in any case ("filme"
    finds "Filme"), words with capitals exactly as written ("AI" must not find "Ai", "IA" not "ia")."""
    lower = [regex.escape(w) for w in words if w == w.lower()]
    exact = [regex.escape(w) for w in words if w != w.lower()]
    alts = ([f"(?i:{'|'.join(lower)})"] if lower else []) + exact
    return regex.compile(r"(?<!\w)(?:" + "|".join(alts) + ")")


class Words:
    """Whole-word search for any of a set of words as written or in capitals (document triggers,
    required words). Case-sensitive on purpose: the trigger "IA" must not fire on the verb "ia".

    ``pattern`` is the definition. Run over the whole text, its look-behind is tried at every
    position (~80 ms/MB), and every clean asks for the document's words; so the words are
    found by an Aho-Corasick scan and the pattern's boundaries decided from the neighbouring
    characters, the pattern itself being asked only where a neighbour is an unusual character."""

    __slots__ = ("pattern", "words", "_automaton", "_each")

    def __init__(self, words):
        self.words = tuple(sorted(set(words) | {w.upper() for w in words}, key=len, reverse=True))
        alts = "|".join(regex.escape(w) for w in self.words)
        self.pattern = regex.compile(rf"(?<![\w-])(?:{alts})(?![\w])")
        self._automaton = None
        self._each: dict[str, regex.Pattern] = {}

    def _hits(self, text: str):
        """(start, length, sure) of the words' occurrences that ``pattern`` may match there, in
        order of their end: those with a \\w character (or a hyphen) before them or a \\w
        character after them are left out; ``sure``: both neighbours are surely not \\w."""
        if self._automaton is None:
            a = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
            for w in self.words:
                a.add_word(w)
            a.make_automaton()
            self._automaton = a
        n_text = len(text)
        for end, n in ac_iter(self._automaton, text, len(self.words[0])):
            s = end + 1 - n
            left = False
            if s:
                c = text[s - 1]
                left = side(c)
                if left or c == "-":
                    continue
            right = side(text[end + 1]) if end + 1 < n_text else False
            if right:
                continue
            yield s, n, left is not None and right is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans ``pattern.finditer(text)`` gives (leftmost, non-overlapping). At a start,
        the pattern takes the longest word whose end is a boundary: the longest hit kept there."""
        out: list[tuple[int, int]] = []
        floor, last = 0, -1
        for s, neg, sure in sorted((s, -n, sure) for s, n, sure in self._hits(text)):
            if s == last or s < floor:
                continue  # a shorter word at the same start, or inside the previous match
            last = s
            if sure:
                e = s - neg
            else:
                m = self.pattern.match(text, s)
                if m is None:
                    continue
                e = m.end()
            out.append((s, e))
            floor = e
        return out

    def near(self, text: str, spans) -> set[str]:
        """The words with an occurrence ``pattern`` would match (each word alone: no longer word
        hides it) touching one of ``spans`` (sorted (start, end) of ``text``), and maybe a few
        more: only what may stand there is read, each span widened by the longest word and a
        neighbour. A word's occurrences can change only where the text does, so a word whose
        presence an edit changed is among the words near the edit's span, before or after it."""
        reach = len(self.words[0]) + 1 if self.words else 0
        windows: list[list[int]] = []
        for a, b in spans:
            a, b = max(0, a - reach), b + reach
            if windows and a <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], b)
            else:
                windows.append([a, b])
        joined = "\n\n\n".join(text[a:b] for a, b in windows)  # line breaks: no word holds one
        found: set[str] = set()
        for s, n, sure in self._hits(joined):
            w = joined[s:s + n]
            if w not in found and (sure or self._alone(w).match(joined, s)):
                found.add(w)
        return found

    def _alone(self, w: str) -> regex.Pattern:
        got = self._each.get(w)
        if got is None:
            got = self._each[w] = regex.compile(rf"(?<![\w-]){regex.escape(w)}(?![\w])")
        return got

    def search(self, text: str) -> bool:
        """True if ``pattern`` matches somewhere in ``text`` (stops at the first sure hit)."""
        for s, _, sure in self._hits(text):
            if sure or self.pattern.match(text, s) is not None:
                return True
        return False


class TermMatcher:
    """Every literal wrong form of every term entry in one automaton. The automaton stores ints (a
    picklable, compact C structure); what the hot loop needs of each key lives in ``payloads``:
    (key length, ((entry index, number, right, case-sensitive form or None, force case, context,
    priority), ...)), so that the loop never reads an entry. ``context``: 0 for an entry whose
    every hit is decided by its own text, 1 when context words decide, 2 for an ambiguous entry
    (decided by evidence around it). ``words``: every word of every key (see settle.py)."""

    def __init__(self, entries):
        keys: dict[str, list[tuple]] = {}
        for i, e in enumerate(entries):
            if e.kind != "term":
                continue
            context = 1 if (e.before or e.not_before or e.after or e.not_after or e.near or e.not_near) else (
                2 if e.ambiguous else 0)
            for wrong, number, right in e.forms:
                if not wrong:
                    continue
                keys.setdefault(norm_key(wrong), []).append(
                    (i, number, right, " ".join(wrong.split()) if e.case_sensitive else None,
                     e.force_case, context, e.priority))
        self.keys = list(keys)
        self.payloads = [(len(k), tuple(v)) for k, v in keys.items()]
        self.longest = max(map(len, keys), default=1)
        self.words = frozenset(w for k in keys for w in _WORDS.findall(k))
        self._automaton = None

    def automaton(self):
        """The automaton, built on first use (None when there are no terms)."""
        if self._automaton is None and self.keys:
            a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for k, key in enumerate(self.keys):
                a.add_word(key, k)
            a.make_automaton()
            self._automaton = a
        return self._automaton

    def built(self) -> "TermMatcher":
        """The same matcher with its automaton built and its key strings dropped (the cache's
        copy: the automaton holds them)."""
        slim = TermMatcher.__new__(TermMatcher)
        slim._automaton = self.automaton()
        slim.keys, slim.payloads, slim.longest, slim.words = [], self.payloads, self.longest, self.words
        return slim

    def hits(self, view: str) -> list[tuple[int, int, tuple]]:
        """(view start, view end, payload) of each hit at Unicode word boundaries, in order of end
        (within each 256K slice, as ``ac_iter`` feeds them); a hyphen joined to a letter continues
        a word. The slicing of ``ac_iter`` is inlined: this loop runs once per raw hit, five times
        as often as a kept one in dense text (a term inside a longer word)."""
        a = self.automaton()
        if a is None or not view:
            return []
        v = view
        n = len(v)
        payloads = self.payloads
        out: list[tuple[int, int, tuple]] = []
        keep = out.append
        for base in range(0, n, _CHUNK):
            limit = base + _CHUNK
            part = v if n <= _CHUNK else v[base:limit + self.longest - 1]
            for vend_incl, k in a.iter(part):
                klen, payload = payloads[k]
                vend = base + vend_incl + 1
                vs = vend - klen
                if vs >= limit:
                    continue  # the next slice's hit
                if vs > 0:
                    c = v[vs - 1]
                    # (the first test rejects most raw hits: a term inside a longer word)
                    if (c.isalnum() or c == "_") and (v[vs].isalnum() or v[vs] == "_"):
                        continue
                    if c == "-" and vs > 1 and v[vs - 2].isalpha() and is_word(v[vs]):
                        continue
                if vend < n:
                    c = v[vend]
                    if (c.isalnum() or c == "_") and is_word(v[vend - 1]):
                        continue
                    if c == "-" and vend + 1 < n and v[vend + 1].isalpha() and is_word(v[vend - 1]):
                        continue
                keep((vs, vend, payload))
        return out
