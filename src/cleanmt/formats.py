"""Which parts of a file are human text, by format: only those are cleaned.

Markdown and plain text are cleaned whole (code inside them is protected by the engine); a .po
file only in its translations (msgstr); a .srt file only in its subtitle lines; JSON Lines only
in one field of each record.
"""
from __future__ import annotations

import json

import regex

from .model import Edit, Finding, Result, apply_edits

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


def po_regions(text: str) -> list[tuple[int, int]]:
    """The insides of msgstr strings (and their continuation lines), skipping the header entry."""
    out = []
    keyword = None
    msgid_empty = False
    msgid_parts: list[str] = []
    for m in _PO_LINE.finditer(text):
        kw = m.group(1)
        if kw:
            if kw == "msgid":
                msgid_parts = []
            keyword = kw
        if keyword == "msgid":
            msgid_parts.append(m.group(2))
            msgid_empty = not "".join(msgid_parts)
        elif keyword and keyword.startswith("msgstr") and not msgid_empty and m.group(2):
            out.append(m.span(2))
    return out


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
    findings += [Finding(f.start + off, f.end + off, f.rule_id, f.stage, f.message) for f in r.findings]


def clean_regions(cleaner, text: str, regions) -> Result:
    """Clean each region of ``text`` alone, with the whole text's trigger words as its context
    (found once: searching the whole file again for each region made a catalog quadratic)."""
    edits: list[Edit] = []
    findings: list[Finding] = []
    context = None
    for s, e in regions:
        if context is None:
            context = "\n".join(sorted(cleaner.document_words(text))) or "\0"
        _shift(cleaner.clean(text[s:e], context=context), s, edits, findings)
    return Result(apply_edits(text, edits), tuple(edits), tuple(findings))


def clean_text(cleaner, text: str, kind: str, jsonl_field: str = "text") -> Result:
    if kind == "po":
        return clean_regions(cleaner, text, po_regions(text))
    if kind == "srt":
        return clean_regions(cleaner, text, srt_regions(text))
    if kind == "jsonl":
        return clean_jsonl(cleaner, text, jsonl_field)
    return cleaner.clean(text)


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
