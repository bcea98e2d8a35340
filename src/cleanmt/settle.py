"""Which edits of a fixpoint round leave the next round nothing to read.

After a round the pipeline reads again the paragraphs its edits changed: an edit can change the
context of another rule. In dense text that is every paragraph, and most edits are word swaps
("palavra" -> "termo") that no stage can react to. A **swap** is an edit whose old text starts and
ends with a letter and holds no line break, whose new text is Latin words with single spaces (no
"www"), its first letter of the same kind as the old one (lower-case ASCII, a Latin-1 capital, or
neither), standing between characters that do not join a word (not a letter, digit, "_" or
hyphen; nor, after it, a combining mark). Such an edit keeps every word boundary, line and
paragraph as they were, frees no protected span and creates no rule gate (see ``Rule.gates``).
Each stage then says which swaps it can prove settled (``Stage.settled``): the paragraphs holding
only settled swaps are not read again. The test that it changes nothing: tests/test_settle.py runs
the fixpoint both ways.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .model import Edit

_LATIN_WORDS = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?: [A-Za-zÀ-ÖØ-öø-ÿ]+)*")


class Swaps(NamedTuple):
    """The swaps of a round, as aligned lists (dense text has one every ~70 bytes: one object
    each cost more than the work they save)."""
    edits: list[Edit]  # offsets into the Document the round read
    paras: list[int]  # the paragraph each stands in there (an index into ``doc.paragraphs``)
    ends: list[int]  # where each one's new text ends in the round's output

    def keep(self, ok: list[bool]) -> "Swaps":
        return Swaps(*([x for x, k in zip(xs, ok) if k] for xs in self))


def _first(c: str) -> tuple[bool, bool]:
    """What a rule gate may ask of a word's first letter: lower-case ASCII, a capital of Latin-1."""
    return "a" <= c <= "z", "A" <= c <= "Z" or "À" <= c <= "Ý"


_NONE = Swaps([], [], [])


def _swap_text(before: str, after: str) -> bool:
    return (bool(before) and before[0].isalpha() and before[-1].isalpha() and "\n" not in before
            and _LATIN_WORDS.fullmatch(after) is not None and "www" not in after.lower()
            and _first(before[0]) == _first(after[0]))


def split(doc, out: str, edits: list[Edit]) -> tuple[Swaps, list[tuple[int, int]]]:
    """(the swaps among ``edits``, the output spans of the others). ``edits``: the round's, sorted,
    offsets into ``doc.text``, turning it into ``out``."""
    starts, ends = doc.paragraphs
    last = len(starts) - 1
    swaps = Swaps([], [], [])
    sw, paras, tails = swaps
    others: list[tuple[int, int]] = []
    known: dict[tuple[str, str], bool] = {}  # dense text repeats the same few swaps
    n, d, k = len(out), 0, 0
    nxt = starts[1] if last > 0 else None
    for e in edits:
        b, a, st = e.before, e.after, e.start
        s = st + d
        t = s + len(a)
        d += len(a) - len(b)
        ok = known.get((b, a))
        if ok is None:
            ok = known[(b, a)] = _swap_text(b, a)
        if ok:  # between characters that do not join a word
            if s:
                c = out[s - 1]
                if c.isalnum() or c in "_-":
                    ok = False
            if t < n:
                c = out[t]
                if c.isalnum() or c in "_-" or c > "\u02ff" and unicodedata.category(c)[0] == "M":
                    ok = False  # (a combining mark after it would join its last letter in the view)
        if ok:
            while nxt is not None and nxt <= st:
                k += 1
                nxt = starts[k + 1] if k < last else None
            if starts[k] <= st and e.end <= ends[k]:
                sw.append(e)
                paras.append(k)
                tails.append(t)
                continue
        others.append((s, t))
    return swaps, others


def marked(doc, positions) -> set[int]:
    """The indices of ``doc.paragraphs`` holding any of ``positions`` (sorted)."""
    starts, ends = doc.paragraphs
    out: set[int] = set()
    k, last = 0, len(starts) - 1
    for p in positions:
        while k < last and starts[k + 1] <= p:
            k += 1
        if starts[k] <= p < ends[k]:
            out.add(k)
    return out


def marked_spans(doc, spans) -> set[int]:
    """The indices of ``doc.paragraphs`` that any of ``spans`` (sorted (start, end)) touches."""
    starts, ends = doc.paragraphs
    out: set[int] = set()
    k, last = 0, len(starts) - 1
    for a, b in spans:
        while k < last and ends[k] <= a:
            k += 1
        j = k
        while j <= last and starts[j] < b:
            if ends[j] > a:
                out.add(j)
            j += 1
    return out


def unsettled(stages, doc, after, edits: list[Edit], spans) -> list[tuple[int, int]]:
    """The output spans of ``edits`` (the round that read ``doc`` and produced the Document
    ``after``; sorted; ``spans``: all their output spans) whose paragraphs must be read again:
    every edit but the swaps all ``stages`` prove settled."""
    if len(edits) * 4 < len(doc.paragraphs[0]):
        # sparse edits: reading their few paragraphs again costs less than the proof (its gate
        # scans read the whole text)
        return spans
    if any(stage.settled(doc, after, _NONE) is None for stage in stages):
        return spans  # a stage that can promise nothing here: no swap is worth finding
    swaps, reread = split(doc, after.text, edits)
    for stage in stages:
        if not swaps.edits:
            break
        ok = stage.settled(doc, after, swaps)
        if ok is None:
            ok = [False] * len(swaps.edits)
        if not all(ok):
            reread += [(t - len(e.after), t) for e, t, k in zip(swaps.edits, swaps.ends, ok) if not k]
            swaps = swaps.keep(ok)
    return reread
