"""The engine: glossaries compiled once into a `Cleaner`, run as ordered stages over a document.

Data flows one way: text -> protected spans -> each stage proposes edits -> conflicts resolved
(earlier stage wins, the loser is reported) -> one splice. Offsets always point into the input.
"""
from __future__ import annotations

import copy
import operator
import pickle
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import regex

from . import casing
from .agreement import AgreementTables
from .glossary import Entry, Glossary, GlossaryError, bundled_dir, bundled_paths, gc_paused, load_glossary
from . import markdown as _markdown  # noqa: F401  (registers the markdown rules)
from .boilerplate import find_blocks
from .bilingual import SourceMap, source_findings
from .checks import run_checks
from .langid import run_language_checks
from .model import Edit, Finding, Result, apply_edits, compose_edits
from .protect import Protected, paragraph_bounds, protected_spans
from .textview import TextView, find_all
from .typography import RULES

# The pipeline, in order. An edit of an earlier stage wins over an overlapping later one.
STAGES = ("boilerplate", "glossary", "markdown", "typography", "casing", "checks", "language")
_RULE_STAGES = ("markdown", "typography", "casing")
_MAX_ROUNDS = 4  # a rule stage is re-run on its own output until nothing changes

_FLEX_SPACE = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"
_AFTER_REACH = 1000  # characters an after / not-after context may read past the match
# Where near/not-near words are looked for: (forward boundary, backward boundary, max reach).
_SCOPES = {
    "sentence": (regex.compile(r"[.!?;\n]"), regex.compile(r"(?r)[.!?;\n]"), 300),
    "paragraph": (regex.compile(r"\n[^\S\n]*\n"), regex.compile(r"(?r)\n[^\S\n]*\n"), 3000),
}


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _norm_key(form: str) -> str:
    return casing.lower_same_length(unicodedata.normalize("NFC", " ".join(form.split())))


def _flexible_spaces(pattern: str) -> str:
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


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    entry: int
    after: str
    number: str
    priority: int


class _LazyEntries(Sequence):
    """Entries kept as one pickle each and unpickled on first use (see ``without_examples``)."""

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


class _LazyCompiled(Sequence):
    """Each entry's compiled context, compiled on first use (it was validated when built)."""

    def __init__(self, entries, file_of):
        self._entries, self._file_of, self._done = entries, file_of, {}

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, i):
        c = self._done.get(i)
        if c is None:
            c = self._done[i] = _Compiled(self._entries[i], self._file_of[i])
        return c

    def __getstate__(self):
        return self._entries, self._file_of

    def __setstate__(self, state):
        self._entries, self._file_of = state
        self._done = {}


class _Compiled:
    """Per-entry compiled checks (context lookarounds, not-near words, pattern)."""

    __slots__ = ("before", "after", "not_before", "not_after", "near", "not_near", "scope", "pattern",
                 "literal", "word", "requires", "file")

    def __init__(self, e: Entry, file_idx: int):
        # Context lookarounds are case-sensitive (a capital often is the context); use (?i:...)
        # inside one to relax it. not-near words are case-insensitive word prefixes.
        flags = regex.V0
        self.before = regex.compile(rf"(?<=(?:{e.before}))", flags) if e.before else None
        self.not_before = regex.compile(rf"(?<=(?:{e.not_before}))", flags) if e.not_before else None
        self.after = regex.compile(e.after, flags) if e.after else None
        self.not_after = regex.compile(e.not_after, flags) if e.not_after else None
        self.scope = _SCOPES[e.scope]
        self.near = _prefixes(e.near) if e.near else None
        self.not_near = _prefixes(e.not_near) if e.not_near else None
        self.requires = _Words(e.requires) if e.requires else None
        self.pattern = None
        self.literal = self.word = None
        if e.kind == "pattern":
            self.literal = _required_literal(e.pattern)
            self.word = None if self.literal is not None else _required_word(e.pattern)
            pflags = regex.V0 | (0 if e.case_sensitive else regex.IGNORECASE)
            self.pattern = regex.compile(_flexible_spaces(e.pattern), pflags)
        self.file = file_idx


def _required_literal(pattern: str) -> str | None:
    """The longest run of plain text every match of ``pattern`` must contain, lower-cased with
    spaces folded, or None. Only text outside any group counts (a group may be optional or an
    alternative), a character followed by a quantifier is dropped, and a top-level "|" gives up.
    Used to skip a pattern whose literal is absent from the document."""
    runs, cur, depth, i = [], [], 0, 0
    while i < len(pattern):
        c = pattern[i]
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
            j = i + 1
            if pattern[j:j + 1] == "^":
                j += 1
            if pattern[j:j + 1] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
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


def _required_word(pattern: str) -> str | None:
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
            j = i + 1
            if pattern[j:j + 1] == "^":
                j += 1
            if pattern[j:j + 1] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
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


def _whole_word_hits(view: str, word: str) -> list[int]:
    """Offsets of ``word`` in ``view`` with no letter, digit or "_" on either side."""
    n, k = len(view), len(word)
    return [h for h in find_all(view, word)
            if not (h and _side(view[h - 1])) and not (h + k < n and _side(view[h + k]))]


def _prefixes(words) -> regex.Pattern:
    """Search for any of ``words`` at the start of a word: lower-case words in any case ("filme"
    finds "Filme"), words with capitals exactly as written ("AI" must not find "Ai", "IA" not "ia")."""
    lower = [regex.escape(w) for w in words if w == w.lower()]
    exact = [regex.escape(w) for w in words if w != w.lower()]
    alts = ([f"(?i:{'|'.join(lower)})"] if lower else []) + exact
    return regex.compile(r"(?<!\w)(?:" + "|".join(alts) + ")")


_CHUNK = 1 << 18


def _ac_iter(automaton, text: str, longest: int, length=None):
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


def _side(c: str) -> bool | None:
    """True if ``c`` is surely \\w for the regex module, False if surely not, None if unsure."""
    if c in _SURE_NOT_WORD:
        return False
    if c.isalpha() or c in "0123456789_":
        return True
    return None


class _Words:
    """Whole-word search for any of a set of words as written or in capitals (document triggers,
    required words). Case-sensitive on purpose: the trigger "IA" must not fire on the verb "ia".

    ``pattern`` is the definition. Run over the whole text, its look-behind is tried at every
    position (~80 ms/MB), and every clean asks for the document's words; so the words are
    found by an Aho-Corasick scan and the pattern's boundaries decided from the neighbouring
    characters, the pattern itself being asked only where a neighbour is an unusual character."""

    __slots__ = ("pattern", "words", "_automaton")

    def __init__(self, words):
        self.words = tuple(sorted(set(words) | {w.upper() for w in words}, key=len, reverse=True))
        alts = "|".join(regex.escape(w) for w in self.words)
        self.pattern = regex.compile(rf"(?<![\w-])(?:{alts})(?![\w])")
        self._automaton = None

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
        for end, n in _ac_iter(self._automaton, text, len(self.words[0])):
            s = end + 1 - n
            left = False
            if s:
                c = text[s - 1]
                left = _side(c)
                if left or c == "-":
                    continue
            right = _side(text[end + 1]) if end + 1 < n_text else False
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

    def search(self, text: str) -> bool:
        """True if ``pattern`` matches somewhere in ``text`` (stops at the first sure hit)."""
        for s, _, sure in self._hits(text):
            if sure or self.pattern.match(text, s) is not None:
                return True
        return False


class Cleaner:
    """Glossaries compiled once; call :meth:`clean` on as many documents as you like.

    ``glossaries``: paths or loaded :class:`Glossary` objects replacing the bundled set (None
    means the bundled set); ``extra``: more of them on top; ``disable``: entry ids to switch off;
    ``assume_triggers``: run every entry as if its file's document trigger were present (used to
    test entries on short examples).
    """

    def __init__(self, glossaries=None, *, extra=(), disable=(), stages=STAGES, assume_triggers=False,
                 check_examples=True):
        bad = [s for s in stages if s not in STAGES]
        if bad:
            raise ValueError(f"unknown stage(s) {', '.join(bad)}; stages are: {', '.join(STAGES)}")
        with gc_paused():
            self._build(glossaries, extra, disable, stages, assume_triggers)
        if check_examples:
            with gc_paused():
                self.check_examples()

    def _build(self, glossaries, extra, disable, stages, assume_triggers) -> None:
        self.stages = tuple(s for s in STAGES if s in stages)
        loaded: list[Glossary] = []
        if glossaries is None:
            root = bundled_dir()
            for p in bundled_paths():
                g = load_glossary(p)
                if g.id == p.stem:  # bundled ids are their path inside glossary/, e.g. zh-pt/xiaomi
                    g.id = p.relative_to(root).with_suffix("").as_posix()
                loaded.append(g)
        else:
            loaded += [_as_glossary(g) for g in glossaries]
        loaded += [_as_glossary(g) for g in extra]
        self.glossaries = loaded
        self.assume_triggers = assume_triggers
        disable = set(disable)
        owner: dict[str, str] = {}
        for g in loaded:
            for e in g.entries:
                if e.id in owner:
                    raise GlossaryError(g.path, f"id already used in {owner[e.id]}", e.id, "id")
                owner[e.id] = g.path
        rule_ids = {r.id for r in RULES}
        unknown = disable - set(owner) - rule_ids
        if unknown:
            raise GlossaryError(
                "disable", f"no loaded glossary has entries with these ids: {', '.join(sorted(unknown))}"
            )
        self.agreement = AgreementTables()
        tables = [g.agreement for g in loaded if g.agreement]
        if not tables:  # a user's own glossary set still gets Portuguese agreement
            tables = [load_glossary(bundled_dir() / "pt" / "agreement.toml").agreement]
        for t in tables:
            self.agreement.merge(t)
        self.entries: list[Entry] = []
        self._file_of: list[int] = []
        for fi, g in enumerate(loaded):
            for e in g.entries:
                if e.enabled and e.id not in disable:
                    if not e.priority and g.priority:
                        e.priority = g.priority
                    self.entries.append(e)
                    self._file_of.append(fi)
        self._triggers = [_Words(g.trigger) if g.trigger else None for g in loaded]
        self.rule_ids = tuple(r.id for r in RULES if r.id not in disable)  # ids: Rules hold functions
        self._compile()

    # -- compilation -------------------------------------------------------------------------
    def _compile(self) -> None:
        self._compiled = []
        for i, e in enumerate(self.entries):
            try:
                self._compiled.append(_Compiled(e, self._file_of[i]))
            except regex.error as exc:  # a lookaround that only fails once wrapped
                raise GlossaryError(e.file, f"invalid regular expression: {exc}", e.id, "pattern") from None
        self._patterns = [i for i, e in enumerate(self.entries) if e.kind == "pattern"]
        doc_words = {w for g in self.glossaries for w in g.trigger} | {w for e in self.entries for w in e.requires}
        self._doc_words = _Words(doc_words) if doc_words else None  # used on every clean: compiled once
        names = {n for g in self.glossaries for n in g.names}
        names |= {right for e in self.entries if e.kind == "term" and e.force_case for _, _, right in e.forms}
        self._known = (regex.compile(r"(?<![\w-])(?:" + "|".join(
            regex.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])") if names else None)
        self._source_terms = [(e.source, right, [w.lower() for w, _, _ in e.forms if w])
                              for e in self.entries if e.source and e.kind in ("term", "source-term")
                              for _, _, right in e.forms[:1]]
        self._blocks = [e for e in self.entries if e.kind == "block"]
        self._requires = any(e.requires for e in self.entries)
        keys: dict[str, list[tuple]] = {}  # key -> (entry, number, right, form, force_case, context, priority)
        for i, e in enumerate(self.entries):
            if e.kind != "term":
                continue
            for wrong, number, right in e.forms:
                if not wrong:
                    continue
                key = _norm_key(wrong)
                # what the hot loop needs of the entry, so that it never reads the entry itself
                context = bool(e.before or e.not_before or e.after or e.not_after or e.near or e.not_near)
                keys.setdefault(key, []).append((i, number, right, " ".join(wrong.split()) if e.case_sensitive else None,
                                                 e.force_case, context, e.priority))
        # the automaton stores ints (a picklable, compact C structure); the payloads live here
        self._keys = list(keys)
        self._payloads = [(len(k), tuple(v)) for k, v in keys.items()]
        self._longest = max(map(len, keys), default=1)
        self._automaton = None

    def _matcher(self):
        if self._automaton is None and self._keys:
            a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for k, key in enumerate(self._keys):
                a.add_word(key, k)
            a.make_automaton()
            self._automaton = a
        return self._automaton

    def without_examples(self) -> "Cleaner":
        """A copy for the on-disk cache: the same behaviour, without the example data that is only
        needed to check the glossaries when they are built, with each entry (and its compiled
        context) unpickled only when a match first needs it, and with the automaton built: a
        50k-entry Cleaner loads in ~0.1 s instead of ~1 s."""
        import dataclasses

        slim = copy.copy(self)
        slim.entries = _LazyEntries([dataclasses.replace(e, examples=[], keep=[], note="") for e in self.entries])
        slim._compiled = _LazyCompiled(slim.entries, self._file_of)
        slim.glossaries = [dataclasses.replace(g, entries=[]) for g in self.glossaries]
        slim._keys = []
        slim._automaton = self._matcher()
        return slim

    # -- examples ----------------------------------------------------------------------------
    def _solo(self, entries: list[Entry], stages: tuple[str, ...]) -> "Cleaner":
        """A cleaner made of just ``entries``, triggers assumed (for testing them)."""
        if len(entries) == len(self.entries) and all(map(operator.is_, entries, self.entries)):
            # all of them (a big glossary of terms): its compiled form and automaton are reused
            # (triggers are not read once assumed; the glossary stage reads nothing else per file)
            solo = copy.copy(self)
            solo.glossaries, solo.stages, solo.rule_ids, solo.assume_triggers = [], stages, (), True
            solo._automaton = self._matcher()
            return solo
        solo = Cleaner.__new__(Cleaner)
        solo.glossaries = []
        solo.stages = stages
        solo.rule_ids = ()
        solo.assume_triggers = True
        solo.agreement = self.agreement
        solo.entries = list(entries)
        solo._file_of = [0] * len(entries)
        solo._triggers = [None]
        solo._compile()
        return solo

    @staticmethod
    def _cases(e: Entry):
        cases = [(inp, out, "examples") for inp, out in e.examples] + [(k, k, "keep") for k in e.keep]
        # an example's output must be stable: cleaning it again changes nothing
        return cases + [(out, out, "examples") for _, out in e.examples]

    def example_failures(self) -> list[GlossaryError]:
        """Run every entry's examples and keep-cases with that entry alone; list what fails.

        Fast path for big glossaries: all term and pattern entries run together over all their
        cases at once (cases separated by blank lines, which no edit crosses); only an entry with a
        case that comes out differently there is run alone, and that run decides."""
        testable = [e for e in self.entries if e.kind in ("term", "pattern")]
        suspects: set[int] = set()
        if len(testable) > 20:
            sep = "\n\n\n"
            owners, inputs, expected = [], [], []
            for k, e in enumerate(testable):
                for inp, out, _ in self._cases(e):
                    if sep in inp or "\n\n" in inp:
                        suspects.add(k)
                        continue
                    owners.append(k)
                    inputs.append(inp)
                    expected.append(out)
            got = self._solo(testable, ("glossary",)).clean(sep.join(inputs)).text.split(sep)
            if len(got) != len(inputs):
                suspects.update(range(len(testable)))
            else:
                suspects.update(k for k, g, x in zip(owners, got, expected) if g != x)
            check = [testable[k] for k in sorted(suspects)]
        else:
            check = testable
        check += [e for e in self.entries if e.kind == "block"]
        failures = []
        for e in check:
            solo = self._solo([e], ("boilerplate",) if e.kind == "block" else ("glossary",))
            for inp, exp, kind in self._cases(e):
                actual = solo.clean(inp).text
                if actual != exp:
                    failures.append(GlossaryError(
                        e.file, f"example fails: input {inp!r}, expected {exp!r}, got {actual!r}", e.id, kind
                    ))
        return failures

    def chain_failures(self) -> list[GlossaryError]:
        """A right form that another entry rewrites again (A -> B -> C, or A -> B -> A, which
        would never settle): checked with all term entries together, triggers assumed."""
        terms = [e for e in self.entries if e.kind == "term" and e.forms and e.forms[0][0]]
        if not terms:
            return []
        rights = sorted({r for e in terms for _, _, r in e.forms if r.strip()})
        if not rights:
            return []
        owner = {r: e for e in terms for _, _, r in e.forms}
        sep = "\n\n\n"
        allc = self._solo(terms, ("glossary",))
        edits = allc._edits(sep.join(rights), None, checks=False)[0]  # one pass: a cycle would cancel out
        failures = []
        pos_starts, pos = [], 0
        for r in rights:
            pos_starts.append(pos)
            pos += len(r) + len(sep)
        for ed in edits:
            if ed.stage != "glossary":
                continue
            k = bisect_right(pos_starts, ed.start) - 1
            src = owner[rights[k]]
            if src.id == ed.rule_id:
                continue  # its own right form: caught by its examples' stability check
            failures.append(GlossaryError(
                src.file, f"its right form {rights[k]!r} is rewritten by entry '{ed.rule_id}' "
                          f"({ed.before!r} -> {ed.after!r}): a chain or a cycle", src.id, "right"))
        return failures

    def check_examples(self) -> None:
        """Refuse the glossary set if any entry fails its own examples, or if one entry's right
        form is rewritten by another (all failures listed)."""
        failures = self.example_failures() + self.chain_failures()
        if failures:
            first = failures[0]
            if len(failures) > 1:
                more = "\n".join(str(f) for f in failures[1:])
                first.args = (f"{first.args[0]}\n{len(failures) - 1} more:\n{more}",)
            raise first

    # -- cleaning ----------------------------------------------------------------------------
    def clean(self, text: str, *, source: str | None = None, context: str | None = None,
              edges: str = "both") -> Result:
        """Clean ``text``. ``context``: the whole document (or the words it contains) when ``text``
        is one piece of it (a subtitle, a .po message, a chunk of a large file): document triggers
        are looked for there. ``edges``: which document edges this piece holds ("both", "start",
        "end", "none"): scraper blocks are removed only there."""
        if not isinstance(text, str):
            raise TypeError(f"clean() needs str, not {type(text).__name__}")
        accepted, findings = self._edits(text, source, context=context, edges=edges)
        findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
        out = apply_edits(text, accepted)
        # An edit can change the context another rule looks at (a near-word, a trigger, a
        # neighbour's punctuation). Run again on the output until nothing changes, folding later
        # rounds into the edit list, so that cleaning a cleaned text is always a no-op. Only the
        # paragraphs that changed are looked at again (with the source, the whole text: its
        # paragraph alignment needs all of it).
        changed = accepted
        before, tally = text, None  # tally: how often each document word occurs in ``before``
        for _ in range(_MAX_ROUNDS - 1):
            if not changed:
                break
            moved = False  # with a context, the document's words are the context's: unchanged
            if not source and context is None and self._doc_words is not None:
                if tally is None:
                    tally = self._word_tally(before)
                moved, tally = self._retally(tally, before, out, changed)
            if source or moved:
                # with the source, or when an edit brought in (or took away) a trigger word, the
                # whole text is read again: other paragraphs may now be in or out of scope
                again = self._edits(out, source, checks=False, context=context)[0]
            else:
                again = _run_on_windows(out, _windows(out, _output_spans(changed)), lambda t: self._edits(
                    t, None, checks=False, context=context or out, edges="none")[0])
            if not again:
                break
            accepted = compose_edits(text, accepted, again)
            before, out = out, apply_edits(text, accepted)
            changed = again
        return Result(out, tuple(accepted), tuple(findings))

    def _word_tally(self, text: str) -> Counter:
        return Counter(text[s:e] for s, e in self._doc_words.spans(text))

    def _retally(self, tally: Counter, before: str, after: str, edits) -> tuple[bool, Counter]:
        """(whether the document's words changed, the tally for ``after``), ``edits`` turning
        ``before`` into ``after``. Only the paragraphs the edits touch are read (no document word
        crosses a blank line), after checking that the text outside them is the same."""
        wb = _windows(before, [(e.start, e.end) for e in edits])
        wa = _windows(after, _output_spans(edits))
        if _same_outside(before, wb, after, wa):
            new = tally.copy()
            new.subtract(self._word_tally(_SEPARATOR.join(before[a:b] for a, b in wb)))
            new.update(self._word_tally(_SEPARATOR.join(after[a:b] for a, b in wa)))
            new = +new  # the words that still occur
        else:
            new = self._word_tally(after)
        return set(new) != set(tally), new

    def _edits(self, text: str, source: str | None, checks: bool = True,
               context: str | None = None, edges: str = "both") -> tuple[list[Edit], list[Finding]]:
        """One pass of every stage over ``text``: (edits, findings), offsets into ``text``."""
        protected = protected_spans(text)
        smap = SourceMap(text, source) if source else None
        accepted: list[Edit] = []
        findings: list[Finding] = []
        for stage in self.stages:
            if stage == "boilerplate":
                if edges == "none":  # a piece of a document has no edges of its own
                    continue
                new = find_blocks(text, self._blocks, edges)
            elif stage == "glossary":
                new, f = self._glossary_stage(text, source, protected, context, smap)
                findings += f
                if smap is not None and checks:
                    findings += source_findings(text, smap, self._source_terms)
            elif stage == "checks":
                if checks:
                    findings += run_checks(text, protected)
                continue
            elif stage == "language":
                if checks:
                    findings += run_language_checks(text, protected, self._known)
                continue
            else:
                new = self._rule_stage(stage, text, protected)
            accepted = _merge(accepted, new, findings)
        return accepted, findings

    def _rule_stage(self, stage: str, text: str, protected: Protected) -> list[Edit]:
        """Run a stage's rules, then again on their output until it is stable, as one edit list."""
        rules = [r for r in RULES if r.stage == stage and r.id in self.rule_ids]
        if not rules:
            return []
        edits: list[Edit] = []
        current = text
        windows = [(0, len(text))]
        for _ in range(_MAX_ROUNDS):
            def find(part: str, prot=None) -> list[Edit]:
                prot = prot if prot is not None else protected_spans(part)
                return [Edit(s, e, part[s:e], new, r.id, stage) for r in rules for s, e, new in r.find(part, prot)
                        if not (prot and prot.overlaps(s, e))]

            if windows == [(0, len(text))]:
                found = find(current, protected)
            else:
                found = _run_on_windows(current, windows, find)
            found = _non_overlapping(found)
            if not found:
                break
            edits = compose_edits(text, edits, found) if edits else found
            current = apply_edits(text, edits)
            windows = _windows(current, _output_spans(found))  # later rounds: changed paragraphs only
        return edits

    def document_words(self, text: str) -> set[str]:
        """The trigger and ``requires`` words that ``text`` contains: enough context to clean a
        piece of a document as if the whole were there (see ``clean(context=...)``)."""
        return set(self._word_tally(text)) if self._doc_words is not None else set()

    def _active(self, text: str, source: str | None):
        """Per-entry 'may fire in this document' decisions, computed lazily; None when every
        entry may (triggers assumed and no entry requires a word: the example checks)."""
        if self.assume_triggers and not self._requires:
            return None
        file_ok: dict[int, bool] = {}
        cache: dict[int, bool] = {}

        def active(i: int) -> bool:
            v = cache.get(i)
            if v is not None:
                return v
            c = self._compiled[i]
            ok = True
            if not self.assume_triggers:
                t = self._triggers[c.file]
                if t is not None:
                    if c.file not in file_ok:
                        file_ok[c.file] = bool(t.search(text) or (source and t.search(source)))
                    ok = file_ok[c.file]
                if ok and c.requires is not None:
                    ok = bool(c.requires.search(text))
            cache[i] = ok
            return ok

        return active

    def _context_ok(self, c: _Compiled, text: str, s: int, e: int) -> bool:
        # endpos bounds every match: the regex module looks for a pattern's required literal
        # ("do Google" in "\\s+do Google") from the start position to endpos before matching, so
        # an unbounded match cost time in proportion to the rest of the text (quadratic overall)
        if c.before is not None and not c.before.match(text, s, s):
            return False
        if c.not_before is not None and c.not_before.match(text, s, s):
            return False
        end = min(len(text), e + _AFTER_REACH)
        if c.after is not None and not c.after.match(text, e, end):
            return False
        if c.not_after is not None and c.not_after.match(text, e, end):
            return False
        if c.near is not None or c.not_near is not None:
            # the sentence (or paragraph) around the match, bounded so a long line stays cheap
            fwd, back, reach = c.scope
            lo = max(0, s - reach)
            m = back.search(text, lo, s)
            ws = m.end() if m else lo
            m = fwd.search(text, e, e + reach)
            we = m.start() if m else min(len(text), e + reach)
            if c.not_near is not None and c.not_near.search(text, ws, we):
                return False
            if c.near is not None and not (c.near.search(text, ws, s) or c.near.search(text, e, we)):
                return False
        return True

    def _term_candidates(self, text, view, active, protected: Protected, out: list[_Cand]) -> None:
        a = self._matcher()
        if a is None or not text:
            return
        v = view.view
        n = len(v)
        payloads = self._payloads
        identity = view.identity
        for vend_incl, k in _ac_iter(a, v, self._longest, lambda k: payloads[k][0]):
            klen, payload = payloads[k]
            vend = vend_incl + 1
            vs = vend - klen
            # Unicode word boundaries on the view; a hyphen joined to a letter continues a word.
            # (The first test, inlined, rejects most raw hits: a term inside a longer word.)
            if vs > 0 and (v[vs - 1].isalnum() or v[vs - 1] == "_") and (v[vs].isalnum() or v[vs] == "_"):
                continue
            if vs > 1 and v[vs - 1] == "-" and v[vs - 2].isalpha() and _is_word(v[vs]):
                continue
            if vend < n and _is_word(v[vend]) and _is_word(v[vend - 1]):
                continue
            if vend + 1 < n and v[vend] == "-" and v[vend + 1].isalpha() and _is_word(v[vend - 1]):
                continue
            s = e = free = None
            for i, number, right, form, force_case, context, priority in payload:
                if active is not None and not active(i):
                    continue
                if s is None:
                    s, e = (vs, vend) if identity else (view.start(vs), view.end(vend))
                    matched = text[s:e]
                if form is not None and " ".join(matched.split()) != form:  # case-sensitive
                    continue
                if context and not self._context_ok(self._compiled[i], text, s, e):
                    continue
                if free is None:  # asked last: the first question computes the paragraph's spans
                    free = not (protected and protected.overlaps(s, e))
                if not free:
                    break
                after = right if force_case else casing.transfer(matched, right)
                out.append(_Cand(s, e, i, after, number, priority))

    def _pattern_candidates(self, text, view, active, protected, out: list[_Cand], findings) -> None:
        for i in self._patterns:
            c = self._compiled[i]
            windows = _pattern_windows(c, text, view)
            if not windows:
                continue
            if active is not None and not active(i):
                continue
            ent = self.entries[i]
            try:
                for m in _windowed_matches(c.pattern, text, windows, ent.timeout):
                    s, e = m.span()
                    if s == e or not self._context_ok(c, text, s, e):
                        continue
                    if protected and protected.overlaps(s, e):
                        continue
                    after = m.expand(ent.replace)
                    if not ent.force_case:
                        after = casing.transfer(m.group(), after)
                    out.append(_Cand(s, e, i, after, ent.number, ent.priority))
            except TimeoutError:
                findings.append(
                    Finding(0, 0, ent.id, "glossary", f"pattern took longer than {ent.timeout}s; entry skipped")
                )

    def _glossary_stage(self, text: str, source, protected: Protected, context: str | None = None, smap=None):
        findings: list[Finding] = []
        cands: list[_Cand] = []
        active = self._active(context or text, source)
        view = TextView(text)
        self._term_candidates(text, view, active, protected, cands)
        self._pattern_candidates(text, view, active, protected, cands, findings)
        if smap is not None:  # an entry tied to a source term needs it in the aligned source paragraph
            cands = [c for c in cands if not self.entries[c.entry].source
                     or self.entries[c.entry].source in smap.at(c.start)]
        # leftmost-longest; among equals the higher priority, then the earlier entry
        cands.sort(key=lambda c: (c.start, -(c.end - c.start), -c.priority, c.entry))
        chosen: list[_Cand] = []
        for c in cands:
            if chosen and c.start < chosen[-1].end:
                w = chosen[-1]
                if c.end > w.end and c.entry != w.entry:  # a real clash, not a shorter match inside
                    findings.append(Finding(
                        c.start, c.end, self.entries[c.entry].id, "glossary",
                        f"overlaps {self.entries[w.entry].id} ({text[w.start:w.end]!r}), which was applied",
                    ))
                continue
            chosen.append(c)
        edits: list[Edit] = []
        before_walks: list[Edit] = []  # agreement of the words in front of a noun
        after_walks: list[Edit] = []  # agreement of the adjectives after it
        for k, c in enumerate(chosen):
            ent = self.entries[c.entry]
            before = text[c.start:c.end]
            after = c.after
            if "\n" in before and "\n" not in after and " " in after:
                after = _keep_line_break(before, after)
            if after != before:
                edits.append(Edit(c.start, c.end, before, after, ent.id, "glossary"))
            if ent.gender is None:
                continue
            frm = (ent.gender, c.number)
            to = (ent.right_gender or ent.gender, ent.right_number or c.number)
            if frm == to:
                continue
            floor = chosen[k - 1].end if k else 0
            for s, e, b, a in self.agreement.before(text, c.start, frm, to, floor):
                if not (protected and protected.overlaps(s, e)):
                    before_walks.append(Edit(s, e, b, a, ent.id, "agreement"))
            if ent.agree_after:
                ceiling = chosen[k + 1].start if k + 1 < len(chosen) else len(text)
                for s, e, b, a in self.agreement.after(text, c.end, frm, to, ceiling):
                    if not (protected and protected.overlaps(s, e)):
                        after_walks.append(Edit(s, e, b, a, ent.id, "agreement"))
        # a word both walks reach ("o pouso acelerado novo painço") belongs to the noun after it
        taken = sorted((e.start, e.end) for e in edits)
        for e in before_walks + after_walks:
            i = bisect_left(taken, (e.start, e.end))
            if any(s < e.end and e.start < t for s, t in taken[max(0, i - 1):i + 1]):
                continue
            edits.append(e)
            insort(taken, (e.start, e.end))
        return edits, findings


def _pattern_windows(c: _Compiled, text: str, view: TextView) -> list[tuple[int, int]]:
    """Where a pattern entry may match: the paragraphs holding its required literal (or whole
    word), or the whole text when it has neither. A pattern matches inside a paragraph."""
    if c.literal is not None:
        hits = find_all(view.view, c.literal)
    elif c.word is not None:
        hits = _whole_word_hits(view.view, c.word)
    else:
        return [(0, len(text))] if text else []
    return _paragraphs_at(text, [view.start(h) for h in hits])


def _windowed_matches(pattern, text: str, windows, timeout):
    """``pattern.finditer`` over each window in turn, as one left-to-right scan (a match that runs
    past its window shadows the next); look-aheads read up to 256 characters past a window. The
    entry's timeout bounds all the windows together, not each."""
    deadline = None if timeout is None else time.monotonic() + timeout
    floor = 0
    for lo, hi in windows:
        left = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("regex timed out")
        for m in pattern.finditer(text, max(lo, floor), min(len(text), hi + 256), timeout=left):
            if m.start() >= hi:
                break
            floor = m.end()
            yield m


def _paragraphs_at(text: str, offsets) -> list[tuple[int, int]]:
    """The paragraphs (start, end) holding the given offsets (sorted), each once, in order."""
    starts, ends = paragraph_bounds(text)
    out: list[tuple[int, int]] = []
    for o in offsets:
        k = bisect_right(starts, o) - 1
        if k < 0 or o >= ends[k]:
            continue  # in a blank line: a match holding it would cross paragraphs
        if not out or out[-1][0] != starts[k]:
            out.append((starts[k], ends[k]))
    return out


_DEFAULT: list[Cleaner] = []


def default_cleaner() -> Cleaner:
    """The bundled glossary set, compiled once per process."""
    if not _DEFAULT:
        _DEFAULT.append(Cleaner())
    return _DEFAULT[0]


_PARA_BREAK = re.compile(r"\n[ \t]*\n")


def _output_spans(edits) -> list[tuple[int, int]]:
    """Where each edit's replacement lies in the text the edits produce."""
    out, d = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        s = e.start + d
        out.append((s, s + len(e.after)))
        d += len(e.after) - (e.end - e.start)
    return out


def _windows(text: str, spans) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` that contain (or touch) the given spans, merged."""
    if not spans:
        return []
    bounds = [0, *(x for m in _PARA_BREAK.finditer(text) for x in m.span()), len(text)]
    starts = bounds[::2]
    paras = list(zip(starts, bounds[1::2]))
    out: list[list[int]] = []
    for s, e in spans:
        i = max(0, bisect_right(starts, s) - 1)
        j = max(0, bisect_right(starts, max(s, e - 1)) - 1)
        a, b = paras[i][0], paras[j][1]
        if e > b:  # the span ends in a paragraph break: take the next paragraph too
            b = paras[min(j + 1, len(paras) - 1)][1]
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


_SEPARATOR = "\n\n\n"


def _same_outside(a: str, wa, b: str, wb) -> bool:
    """True if ``a`` outside its windows ``wa`` is ``b`` outside ``wb``, gap for gap."""
    if len(wa) != len(wb):
        return False
    ga = [0, *(x for w in wa for x in w), len(a)]
    gb = [0, *(x for w in wb for x in w), len(b)]
    return all(a[ga[k]:ga[k + 1]] == b[gb[k]:gb[k + 1]] for k in range(0, len(ga), 2))


def _run_on_windows(text: str, windows, run) -> list[Edit]:
    """``run`` once over the windows of ``text`` joined by blank lines (one call, not one per
    paragraph); its edits mapped back to ``text``. An edit that would cross a join is dropped."""
    if not windows:
        return []
    pieces, starts, pos = [], [], 0
    for ws, we in windows:
        starts.append(pos)
        pieces.append(text[ws:we])
        pos += (we - ws) + len(_SEPARATOR)
    joined = _SEPARATOR.join(pieces)
    out = []
    for e in run(joined):
        k = bisect_right(starts, e.start) - 1
        base = starts[k]
        if e.end > base + len(pieces[k]):
            continue
        shift = windows[k][0] - base
        out.append(Edit(e.start + shift, e.end + shift, e.before, e.after, e.rule_id, e.stage))
    return out


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one point: their order would be a guess
    return a.start < b.end and b.start < a.end or (a.start == a.end and b.start < a.start < b.end) or (
        b.start == b.end and a.start < b.start < a.end)


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    """Leftmost first, longer first; an edit overlapping one already taken is dropped."""
    edits.sort(key=lambda e: (e.start, -(e.end - e.start)))
    out: list[Edit] = []
    for e in edits:
        if out and (_overlap(out[-1], e) or e.start < out[-1].end):
            continue
        out.append(e)
    return out


def _merge(accepted: list[Edit], new: list[Edit], findings: list[Finding]) -> list[Edit]:
    """Add a later stage's edits; those overlapping an earlier stage's edit lose and are reported."""
    if not accepted:
        return sorted(new, key=lambda e: (e.start, e.end))
    starts = [e.start for e in accepted]
    keep = []
    for e in new:
        i = bisect_left(starts, e.start)
        clash = None
        j = max(0, i - 2)
        while j < len(accepted):  # the few accepted edits around e (no copying of the list)
            a = accepted[j]
            if a.start >= e.end and j >= i + 1:
                break
            if _overlap(a, e):
                clash = a
                break
            j += 1
        if clash is None:
            keep.append(e)
        elif clash.stage != "boilerplate":  # text a boilerplate block removes needs no report
            findings.append(Finding(e.start, e.end, e.rule_id, e.stage,
                                    f"not applied: overlaps {clash.rule_id} ({clash.before!r} → {clash.after!r})"))
    return sorted(accepted + keep, key=lambda e: (e.start, e.end))


def _keep_line_break(before: str, after: str) -> str:
    """Put a hard wrap that stood inside the matched term back at the nearest space."""
    rel = before.index("\n") / max(1, len(before))
    spaces = [i for i, ch in enumerate(after) if ch == " "]
    best = min(spaces, key=lambda i: abs(i / len(after) - rel))
    return after[:best] + "\n" + after[best + 1:]


def _as_glossary(g) -> Glossary:
    if isinstance(g, Glossary):
        return g
    if isinstance(g, (str, Path)):
        return load_glossary(g)
    raise TypeError(f"a glossary is a path or a Glossary, not {type(g).__name__}")
