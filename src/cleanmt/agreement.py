"""Portuguese agreement: re-inflect the words around a replaced noun when gender or number change.

All word lists come from glossary data (``[agreement]`` tables, see glossary/pt/agreement.toml);
this module only knows how to walk a noun phrase. It is deliberately timid: a word is re-inflected
only when its current form agrees with the *replaced* noun, which is the evidence that it belongs
to that noun phrase ("juntou a Jinshan": the preposition "a" does not agree with a masculine
noun, so it is left alone).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .casing import transfer

# (gender, number) slots of a table row, in the order the data files write them.
SLOTS = (("m", "s"), ("f", "s"), ("m", "p"), ("f", "p"))
_PREPOSITIONS = frozenset(
    "de da do das dos em na no nas nos a à ao aos às para por pelo pela com sem sobre entre".split()
)
_VOWELS = "aeiouáéíóúâêôãõ"
_ACCENTED = "áéíóúâêô"
# The word before a position, separated from it by spaces and at most one line break.
# searched backwards from the noun: a forward search tried every start in the window (~13 µs a word)
_WORD_BEFORE = regex.compile(r"(\w+)(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)\Z", regex.REVERSE)
_WORD_AFTER = regex.compile(r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)(\w+)")
_WINDOW = 48


def pluralize_word(w: str) -> str:
    """Regular Portuguese plural of one word; capitalised words and acronyms stay as they are."""
    if not w or not w.isalpha() or w[0].isupper():
        return w
    low = w.lower()
    if low.endswith("ão"):
        return w[:-2] + "ões"
    if low.endswith("m"):
        return w[:-1] + "ns"
    if low[-1] in _VOWELS:
        return w + "s"
    if low.endswith(("r", "z")):
        return w + "es"
    if low.endswith("al"):
        return w[:-1] + "is"
    if low.endswith("el"):
        return w[:-2] + ("eis" if any(c in _ACCENTED for c in low[:-2]) else "éis")
    if low.endswith("ol"):
        return w[:-2] + "óis"
    if low.endswith("ul"):
        return w[:-1] + "is"
    if low.endswith("il"):
        return w[:-1] + "s" if not any(c in _ACCENTED for c in low[:-2]) else w[:-2] + "eis"
    if low.endswith(("s", "x")):
        return w  # lápis, tórax: invariable
    return w + "s"  # loanwords ending in another consonant: longboards, chips


def pluralize_phrase(phrase: str) -> str:
    """Pluralise a noun phrase up to its first preposition ("gráfico de conhecimento")."""
    words = phrase.split(" ")
    out = []
    for i, w in enumerate(words):
        if w.lower() in _PREPOSITIONS and i > 0:
            out.extend(words[i:])
            break
        out.append(pluralize_word(w))
    return " ".join(out)


@dataclass
class AgreementTables:
    """Forms indexed by their lower-case spelling: form -> [(row, gender, number)]."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    index: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    # Rows that are adjectives: only these may follow the noun ("da" after a noun is not one).
    adjective_rows: set[int] = field(default_factory=set)
    # Words that may stand inside a noun phrase and do not inflect ("cada", "qualquer").
    neutral: set[str] = field(default_factory=set)
    # Suffix pairs (masculine, feminine) of post-nominal adjectives that may be re-inflected.
    post_suffixes: list[tuple[str, str]] = field(default_factory=list)
    # Endings of adjectives with one form for both genders (nacional, inteligente, comum).
    invariant_suffixes: tuple[str, ...] = ()
    max_words: int = 4

    def add_row(self, row, adjective: bool = False) -> None:
        r = len(self.rows)
        self.rows.append(tuple(row))
        if adjective:
            self.adjective_rows.add(r)
        for (g, n), form in zip(SLOTS, row):
            self.index.setdefault(form.lower(), []).append((r, g, n))

    def add_lemma(self, lemma: str) -> None:
        """A regular adjective given in the masculine singular (novo -> nova, novos, novas)."""
        low = lemma.lower()
        if low.endswith("o"):
            f = lemma[:-1] + "a"
            self.add_row((lemma, f, lemma + "s", f + "s"), adjective=True)
        else:  # grande, principal, enorme: one form for both genders
            pl = pluralize_word(lemma)
            self.add_row((lemma, lemma, pl, pl), adjective=True)

    def merge(self, other: "AgreementTables") -> None:
        for r, row in enumerate(other.rows):
            self.add_row(row, adjective=r in other.adjective_rows)
        self.neutral |= other.neutral
        for p in other.post_suffixes:
            if p not in self.post_suffixes:
                self.post_suffixes.append(p)
        self.invariant_suffixes = tuple(dict.fromkeys(self.invariant_suffixes + other.invariant_suffixes))
        self.max_words = max(self.max_words, other.max_words)

    def _reinflect(self, word: str, frm, to, adjectives_only: bool = False) -> str | None:
        """The word in the ``to`` slot if it now stands in the ``frm`` slot, else None."""
        for r, g, n in self.index.get(word.lower(), ()):
            if adjectives_only and r not in self.adjective_rows:
                continue
            if (g, n) == frm:
                new = self.rows[r][SLOTS.index(to)]
                return transfer(word, new) if word != word.lower() else new
        return None

    def before(self, text: str, start: int, frm, to, floor: int = 0):
        """Edits (start, end, before, after) for the noun phrase ending at ``start``."""
        edits = []
        pos = start
        for _ in range(self.max_words):
            lo = max(floor, pos - _WINDOW)
            m = _WORD_BEFORE.search(text, lo, pos)
            if not m:
                break
            word = m.group(1)
            ws = m.start(1)
            if ws > 0 and (text[ws - 1].isalnum() or text[ws - 1] in "-_"):
                break  # only part of a longer token was seen
            new = self._reinflect(word, frm, to)
            if new is None:
                if word.lower() in self.neutral:
                    pos = ws
                    continue
                break
            if new != word:
                edits.append((ws, m.end(1), word, new))
            pos = ws
        edits.reverse()
        return edits

    def _post_adjective(self, word: str, frm, to) -> tuple[bool, str | None]:
        """(is an agreeing adjective, its new form or None if unchanged) for a word after a noun."""
        low = word.lower()
        rows = self.index.get(low, ())
        if rows and not any(r in self.adjective_rows for r, _, _ in rows):
            return False, None  # a determiner or contraction starts the next phrase
        new = self._reinflect(word, frm, to, adjectives_only=True)
        if new is not None:
            return True, (new if new != word else None)
        plural = low.endswith("s")
        if plural != (frm[1] == "p"):
            return False, None
        stem = low[:-1] if plural else low
        for msuf, fsuf in self.post_suffixes:
            cur, other = (msuf, fsuf) if frm[0] == "m" else (fsuf, msuf)
            if stem.endswith(cur) and len(stem) > len(cur) + 1:
                suf = other if to[0] != frm[0] else cur
                out = word[: len(stem) - len(cur)] + suf + ("s" if to[1] == "p" else "")
                if word.isupper():
                    out = out.upper()
                return True, (out if out != word else None)
        if to[1] == frm[1] and low.endswith(self.invariant_suffixes):
            return True, None  # nacionais, inteligente: agrees with either gender
        return False, None

    def after(self, text: str, end: int, frm, to, ceiling: int | None = None):
        """Edits for the adjectives right after a replaced noun ("modelos nacionais e estrangeiros")."""
        ceiling = len(text) if ceiling is None else ceiling
        edits = []
        pos = end
        for _ in range(self.max_words):
            m = _WORD_AFTER.match(text, pos, ceiling)
            if not m:
                break
            word = m.group(1)
            e = m.end(1)
            if e < len(text) and (text[e].isalnum() or text[e] == "-"):
                break
            if word.lower() in ("e", "ou") and pos != end:
                pos = e  # coordinated adjectives: "nacionais e estrangeiras"
                continue
            ok, new = self._post_adjective(word, frm, to)
            if not ok:
                break
            if new is not None:
                edits.append((m.start(1), e, word, new))
            pos = e
        return edits
