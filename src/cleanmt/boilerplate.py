"""Scraper blocks (share buttons, comment counters, navigation) at a document's edges.

A block is removed only whole and only at the start or the end of the document: every line of the
run must be one the block lists, the run must be long enough and contain an anchor line. The same
words inside prose never match, since whole lines are compared.
"""
from __future__ import annotations

import regex

from .model import SPAN, Edit
from .textview import SPACE_CHARS

_BULLET = regex.compile(r"^[\s•·◦▪‣\-*+>]*|\s+$")
_LINE = regex.compile(r"[^\n]*(?:\n|\Z)")


def normalize_line(line: str) -> str:
    return " ".join(_BULLET.sub("", line).split()).casefold()


# what normalize_line strips from a line's start: bullets and every whitespace character
_LEAD = "•·◦▪‣-*+>" + SPACE_CHARS
_LONGEST: dict[int, tuple[frozenset, int]] = {}


def _listed(line: str, vocab) -> bool:
    """``normalize_line(line) in vocab``, a prose line refused from its length alone: its
    normalized form holds at least its non-space characters after the leading bullets (casefold
    never shortens), and the block's lines are short (the regex costs more than the rest of a
    short text's check)."""
    got = _LONGEST.get(id(vocab))
    if got is None or got[0] is not vocab:
        got = _LONGEST[id(vocab)] = (vocab, max(map(len, vocab), default=0))
    if len("".join(line.lstrip(_LEAD).split())) > got[1]:
        return False
    return normalize_line(line) in vocab


def _lines(text: str):
    """(start, end, content) for every line, end excluding the newline."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def find_blocks(text: str, blocks, edges: str = "both") -> list[Edit]:
    """Blocks at the document's edges; ``edges`` says which edges this text holds."""
    if not blocks or not text:
        return []
    lines = _lines(text)
    edits: list[Edit] = []
    for b in blocks:
        vocab, anchors = b.block_lines, b.block_anchors
        if b.where in ("end", "both") and edges in ("end", "both"):
            i = len(lines) - 1
            while i >= 0 and not lines[i][2].strip():
                i -= 1
            last = i
            run = []
            while i >= 0 and (not lines[i][2].strip() or _listed(lines[i][2], vocab)):
                if lines[i][2].strip():
                    run.append(normalize_line(lines[i][2]))
                i -= 1
            if i >= 0 and len(run) >= b.min_lines and anchors.intersection(run):
                # keep the text up to the last content line; keep one final newline if there was one
                start = lines[i][1]
                tail = "\n" if text.endswith("\n") else ""
                if text[start:] != tail and last >= 0:
                    edits.append(Edit(start, len(text), text[start:], tail, b.id, "boilerplate"))
        if b.where in ("start", "both") and edges in ("start", "both"):
            i = 0
            while i < len(lines) and not lines[i][2].strip():
                i += 1
            run = []
            while i < len(lines) and (not lines[i][2].strip() or _listed(lines[i][2], vocab)):
                if lines[i][2].strip():
                    run.append(normalize_line(lines[i][2]))
                i += 1
            if i < len(lines) and len(run) >= b.min_lines and anchors.intersection(run):
                end = lines[i][0]
                edits.append(Edit(0, end, text[:end], "", b.id, "boilerplate"))
    edits.sort(key=SPAN)
    out: list[Edit] = []
    for e in edits:  # two blocks claiming the same edge: keep the first
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out
