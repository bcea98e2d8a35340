"""Which parts of a file are human text, by format: only those are cleaned.

Markdown and plain text are cleaned whole (code inside them is protected by the engine); a .po
file only in its translations (msgstr); a .srt file only in its subtitle lines; JSON Lines only
in one field of each record.
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import regex

from .evidence import shows_mt
from .model import SPAN, Edit, Finding, Result, apply_edits

_PO_LINE = regex.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt)?[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*$',
                         regex.MULTILINE)
_SRT_TIMING = regex.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}")


def kind_of(path: str, jsonl_field: str | None = None) -> str:
    p = path.lower()
    if p.endswith((".po", ".pot")):
        return "po"
    if p.endswith(".srt"):
        return "srt"
    if p.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    return "text"


_PO_ANY = regex.compile(r'^(#[^\n]*|(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt)?[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*)$',
                        regex.MULTILINE)
# a translator's or programmer's note that the message's spacing or punctuation is deliberate
_HANDS_OFF = regex.compile(r"(?i)\bspac|espa[çc]|\bcomma|v[íi]rgula|punctuat|pontua|\bdo not (?:add|change|touch|alter)"
                           r"|\bdon't (?:add|change|touch)|\bnão (?:adicion|mud|alter|mex)")


@dataclass
class PoMessage:
    """One msgstr: the spans of its quoted pieces (a message spread over several lines is one
    message), the msgid (and plural) it translates, and whether its comments say hands off."""

    pieces: list[tuple[int, int]]
    original: str
    hands_off: bool


def po_messages(text: str) -> list[PoMessage]:
    """The translations of a .po file, skipping the header entry (the empty msgid)."""
    out: list[PoMessage] = []
    comments: list[str] = []
    ids: dict[str, list[str]] = {}
    keyword = None
    current: PoMessage | None = None
    for m in _PO_ANY.finditer(text):
        if m.group(1).startswith("#"):
            if keyword is not None and keyword.startswith("msgstr"):
                comments, ids, keyword = [], {}, None  # a comment starts the next entry
            comments.append(m.group(1))
            continue
        kw, body = m.group(2), m.group(3)
        if kw:
            if kw in ("msgid", "msgctxt") and keyword is not None and keyword.startswith("msgstr"):
                ids, comments = {}, []  # the next entry, with no comment of its own
            keyword = kw
            if kw.startswith("msgstr"):
                original = "".join(ids.get("msgid", [])) + ("\n" + "".join(ids["msgid_plural"]) if "msgid_plural" in ids else "")
                current = None if not "".join(ids.get("msgid", [])) else PoMessage(
                    [], original, any(_HANDS_OFF.search(c) for c in comments if not c.startswith("#:")))
                if current is not None:
                    out.append(current)
            else:
                ids.setdefault(kw, [])
        if keyword is None:
            continue
        if keyword.startswith("msgstr"):
            if current is not None and body:
                current.pieces.append(m.span(3))
        else:
            ids.setdefault(keyword, []).append(body)
    return [msg for msg in out if msg.pieces]


def po_regions(text: str) -> list[tuple[int, int]]:
    """The insides of the msgstr strings (each continuation line its own span)."""
    return [span for msg in po_messages(text) for span in msg.pieces]


def srt_regions(text: str) -> list[tuple[int, int]]:
    """The text lines of each subtitle block (one region per block, so a wrapped line can match)."""
    out = []
    for block in regex.finditer(r"(?:[^\n]|\n(?![ \t\r]*\n))+", text):
        lines = list(regex.finditer(r"[^\n]*", block.group()))
        lines = [m for m in lines if m.group().strip()]
        k = 0
        if k < len(lines) and lines[k].group().strip().isdigit():
            k += 1
        if k < len(lines) and _SRT_TIMING.match(lines[k].group()):
            k += 1
        else:
            continue  # not a subtitle block
        if k < len(lines):
            out.append((block.start() + lines[k].start(), block.start() + lines[-1].end()))
    return out


def _shift(r: Result, off: int, edits: list, findings: list) -> None:
    """Add a piece's edits and findings, moved to the piece's place in the file."""
    edits += [Edit(x.start + off, x.end + off, x.before, x.after, x.rule_id, x.stage) for x in r.edits]
    findings += [Finding(f.start + off, f.end + off, f.rule_id, f.stage, f.message, f.replacement) for f in r.findings]


def clean_regions(cleaner, text: str, regions) -> Result:
    """Clean each region of ``text`` alone (see ``clean_messages``)."""
    return clean_messages(cleaner, text, [PoMessage([r], None, False) for r in regions])


def clean_messages(cleaner, text: str, messages) -> Result:
    """Clean each message of ``text`` alone (a .po translation, a subtitle), as one document:
    the whole text's trigger words are its context (found once: searching the whole file again
    for each message made a catalog quadratic), and when one message shows machine-translation
    damage the file is machine translation, so the others' suggestions are made too. A message
    spread over several pieces (quoted lines) is cleaned as one text; an edit that would cross
    from one piece into the next is left out."""
    context = "\n".join(sorted(cleaner.document_words(text))) or "\0"
    results = []
    for msg in messages:
        if msg.hands_off:
            continue
        joined = "".join(text[a:b] for a, b in msg.pieces)
        results.append((msg, joined, cleaner.clean(joined, context=context, original=msg.original)))
    if any(shows_mt(r.edits) for _, _, r in results):
        results = [(msg, joined, cleaner.clean(joined, context=context, original=msg.original, mt=True)
                    if any(f.suggestion for f in r.findings) else r) for msg, joined, r in results]
    edits: list[Edit] = []
    findings: list[Finding] = []
    for msg, _, r in results:
        starts, pos = [], 0
        for a, b in msg.pieces:
            starts.append(pos)
            pos += b - a

        def at(offset: int, end: bool) -> tuple[int, int]:
            k = (bisect_left(starts, offset) if end else bisect_right(starts, offset)) - 1
            k = max(0, k)
            return k, msg.pieces[k][0] + offset - starts[k]

        for x in r.edits:
            (ka, a), (kb, b) = at(x.start, False), at(x.end, True)
            if x.start == x.end:
                kb, b = ka, a
            if ka == kb:
                edits.append(Edit(a, b, x.before, x.after, x.rule_id, x.stage))
        for f in r.findings:
            (_, a), (_, b) = at(f.start, False), at(f.end, True)
            findings.append(Finding(a, max(a, b), f.rule_id, f.stage, f.message, f.replacement))
    edits.sort(key=SPAN)
    findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
    return Result(apply_edits(text, edits), tuple(edits), tuple(findings))


def text_format(path: str) -> str:
    """The Document format of a text file: Markdown by its extension, else plain text (whose
    content may still show Markdown)."""
    return "markdown" if path.lower().endswith((".md", ".markdown", ".mdx")) else "plain"


def clean_text(cleaner, text: str, kind: str, jsonl_field: str = "text", fmt: str = "plain") -> Result:
    if kind == "po":
        return clean_messages(cleaner, text, po_messages(text))
    if kind == "srt":
        return clean_regions(cleaner, text, srt_regions(text))
    if kind == "jsonl":
        return clean_jsonl(cleaner, text, jsonl_field)
    return cleaner.clean(text, format=fmt)


def clean_jsonl(cleaner, text: str, field: str) -> Result:
    """Clean one string field of each JSON record; a changed record is re-serialised on its line.
    Edits are reported against the file: one edit per changed line, named after the first rule."""
    edits: list[Edit] = []
    findings: list[Finding] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            findings.append(Finding(start, start + len(line), "jsonl", "format", "not a JSON record; left as is"))
            continue
        value = record.get(field) if isinstance(record, dict) else None
        if not isinstance(value, str):
            continue
        r = cleaner.clean(value)
        findings += [Finding(start, start + len(line), f.rule_id, f.stage, f.message) for f in r.findings]
        if r.edits:
            record[field] = r.text
            new = json.dumps(record, ensure_ascii=False)
            rules = ", ".join(dict.fromkeys(e.rule_id for e in r.edits))
            edits.append(Edit(start, start + len(line), line, new, r.edits[0].rule_id, "format"))
            findings.append(Finding(start, start + len(line), "jsonl", "format",
                                    f"field {field!r}: {len(r.edits)} edits ({rules})"))
    return Result(apply_edits(text, edits), tuple(edits), tuple(findings))


def clean_bitext(cleaner, text: str, per_row: bool = False) -> Result:
    """A TSV of ``source<TAB>translation`` rows: clean each translation with its source.

    The rows of one file are one document: a document trigger named in any row (Xiaomi, say)
    switches its glossary on for every row, as it would in the article the rows were cut from.
    ``per_row``: judge each row as a document of its own (rows from unrelated texts)."""
    rows = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if "\t" not in line:
            continue
        src, _, rest = line.partition("\t")
        tgt = rest.split("\t", 1)[0]  # further columns (notes, ids) are left alone
        rows.append((start + len(src) + 1, src, tgt))
    context = None
    if not per_row and rows:
        context = " ".join(sorted(cleaner.document_words("\n\n".join(t for _, _, t in rows)))) or "\0"
    edits: list[Edit] = []
    findings: list[Finding] = []
    for off, src, tgt in rows:
        _shift(cleaner.clean(tgt, source=src, context=context), off, edits, findings)
    return Result(apply_edits(text, edits), tuple(edits), tuple(findings))
