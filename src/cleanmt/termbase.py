"""Termbases for bilingual mode: source -> target term pairs from DeepL-style CSV/TSV, Amazon
Translate custom terminology CSV, or TBX (ISO 30042, parsed without entity expansion)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import regex

from .schema import Entry, Glossary, GlossaryError

_LANG_CODE = regex.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?\Z")


def read_table(path: Path) -> tuple[str, str]:
    """(text, delimiter) of a .tsv or .csv file, with clear errors."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise GlossaryError(path, f"cannot be read: {exc.strerror or exc}") from None
    return text, "\t" if path.suffix.lower() == ".tsv" else ","


def _lang_matches(code: str, want: str) -> bool:
    return code.lower().replace("_", "-").split("-")[0] == want.lower().split("-")[0]


def load_termbase(path, source_lang: str = "zh", target_lang: str = "pt") -> Glossary:
    """Source->target term pairs from a DeepL-style CSV/TSV (source, target[, source lang, target
    lang]), an Amazon Translate custom terminology CSV (a header of language codes), or a TBX file
    (ISO 30042; parsed without entity expansion). In bilingual mode a source term found in a
    source paragraph whose target form is missing from the translation is reported."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        pairs = _tbx_pairs(path, source_lang, target_lang)
    elif suffix in (".csv", ".tsv"):
        pairs = _table_pairs(path, source_lang, target_lang)
    else:
        raise GlossaryError(path, "unknown termbase format (expected .csv, .tsv or .tbx)")
    g = Glossary(id=path.stem, path=str(path))
    for n, (src, tgt, where) in enumerate(pairs, 1):
        e = Entry(id=f"{path.stem}:{n}", kind="source-term", file=str(path), note=f"termbase {path.name}, {where}")
        e.source = src
        e.forms = [("", "s", tgt)]
        g.entries.append(e)
    return g


def _table_pairs(path: Path, source_lang: str, target_lang: str):
    text, delim = read_table(path)
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delim)]
    out = []
    if rows and len(rows[0]) >= 2 and all(_LANG_CODE.match(c.strip()) for c in rows[0]):
        header = [c.strip() for c in rows[0]]  # Amazon Translate custom terminology
        try:
            si = next(i for i, c in enumerate(header) if _lang_matches(c, source_lang))
            ti = next(i for i, c in enumerate(header) if _lang_matches(c, target_lang))
        except StopIteration:
            raise GlossaryError(path, f"the header {header} has no {source_lang!r} or no {target_lang!r} column",
                                "line 1", "header") from None
        for n, row in enumerate(rows[1:], 2):
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise GlossaryError(path, f"has {len(row)} columns; the header has {len(header)}", f"line {n}", "row")
            if row[si].strip() and row[ti].strip():
                out.append((row[si].strip(), row[ti].strip(), n))
        return out
    for n, row in enumerate(rows, 1):  # DeepL: source, target[, source lang, target lang]
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if len(row) not in (2, 4) or not row[0].strip() or not row[1].strip():
            raise GlossaryError(path, "must have two columns (source, target) or four (with languages)",
                                f"line {n}", "row")
        if len(row) == 4 and not (_lang_matches(row[2].strip(), source_lang) and _lang_matches(row[3].strip(), target_lang)):
            continue
        out.append((row[0].strip(), row[1].strip(), n))
    return out


def _tbx_pairs(path: Path, source_lang: str, target_lang: str):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    try:
        root = parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as exc:
        raise GlossaryError(path, f"refused: {exc.__class__.__name__} (entities and external references are not "
                                  "expanded)") from None
    except Exception as exc:  # xml.etree.ElementTree.ParseError and friends
        raise GlossaryError(path, f"is not well-formed XML: {exc}") from None
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    out = []
    for n, entry in enumerate((el for el in root.iter() if local(el.tag) in ("termEntry", "conceptEntry")), 1):
        terms: dict[str, list[str]] = {}
        for lang_el in (el for el in entry.iter() if local(el.tag) in ("langSet", "langSec")):
            lang = lang_el.get(xml_lang) or lang_el.get("lang") or ""
            for t in (el for el in lang_el.iter() if local(el.tag) == "term"):
                if (t.text or "").strip():
                    terms.setdefault(lang, []).append(t.text.strip())
        src = next((v for k, v in terms.items() if _lang_matches(k, source_lang)), [])
        tgt = next((v for k, v in terms.items() if _lang_matches(k, target_lang)), [])
        if src and tgt:
            eid = entry.get("id") or str(n)
            out += [(s, tgt[0], eid) for s in src]
    return out
