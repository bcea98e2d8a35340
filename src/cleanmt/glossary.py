"""Glossary files: load, validate and normalise them into entries the engine can compile.

A glossary is data. Its TOML shape is checked here, with errors that name the file, the entry
and the field, before anything is compiled; the examples and keep-cases each entry carries are
run by the engine (see ``Cleaner``), because they test the compiled behaviour.
"""
from __future__ import annotations

import csv
import gc
import io
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .agreement import AgreementTables, pluralize_phrase


class GlossaryError(ValueError):
    """A glossary that cannot be used; nothing from it is applied."""

    def __init__(self, file, message: str, entry: str | None = None, field: str | None = None):
        self.file, self.entry, self.field, self.message = str(file), entry, field, message
        where = self.file
        if entry is not None:
            where += f": entry '{entry}'"
        if field is not None:
            where += f": field '{field}'"
        super().__init__(f"{where}: {message}")


GENDERS = ("m", "f")
NUMBERS = ("s", "p")
FILE_KEYS = {"id", "description", "trigger", "priority", "note", "names"}
COMMON_KEYS = {
    "id", "note", "examples", "keep", "enabled", "source", "case", "case-sensitive",
    "gender", "number", "right-gender", "right-number", "agree-after",
    "before", "after", "not-before", "not-after", "near", "not-near", "scope", "requires", "priority",
}
TERM_KEYS = COMMON_KEYS | {"wrong", "right", "inflect", "wrong-plural", "right-plural"}
PATTERN_KEYS = COMMON_KEYS | {"pattern", "replace", "timeout"}
BLOCK_KEYS = {"id", "note", "examples", "keep", "enabled", "where", "anchor", "lines", "min-lines"}
AGREEMENT_KEYS = {"determiners", "adjectives", "adjective-rows", "neutral", "post-suffixes",
                  "invariant-suffixes", "max-words"}
_ID = regex.compile(r"[a-z0-9][a-z0-9._-]*\Z")


@dataclass(slots=True)
class Entry:
    """One normalised glossary entry (a literal term or a pattern)."""

    id: str
    kind: str  # "term" | "pattern"
    file: str
    note: str = ""
    # term: list of (wrong form, number of that form, right form for it)
    forms: list[tuple[str, str, str]] = field(default_factory=list)
    pattern: str = ""
    replace: str = ""
    timeout: float = 0.5
    examples: list[tuple[str, str]] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    enabled: bool = True
    source: str | None = None
    force_case: bool = False
    case_sensitive: bool = False
    gender: str | None = None
    number: str = "s"
    right_gender: str | None = None
    right_number: str | None = None
    agree_after: bool = False
    before: str | None = None
    after: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    near: list[str] = field(default_factory=list)
    scope: str = "sentence"  # where near / not-near words are looked for
    not_near: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    priority: int = 0
    # block (scraper boilerplate): normalised lines, anchors, where, minimum run length
    block_lines: frozenset = frozenset()
    block_anchors: frozenset = frozenset()
    where: str = "end"
    min_lines: int = 2


@dataclass
class Glossary:
    id: str
    path: str
    entries: list[Entry] = field(default_factory=list)
    trigger: list[str] = field(default_factory=list)
    description: str = ""
    priority: int = 0
    agreement: AgreementTables | None = None
    names: list[str] = field(default_factory=list)  # known names: never flagged as untranslated


def _str(file, entry, key, v, *, allow_empty=False) -> str:
    if not isinstance(v, str) or (not allow_empty and not v.strip()):
        raise GlossaryError(file, "must be a non-empty string", entry, key)
    return v


def _strlist(file, entry, key, v) -> list[str]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
        raise GlossaryError(file, "must be a string or a non-empty list of non-empty strings", entry, key)
    return list(v)


def _choice(file, entry, key, v, options) -> str:
    if v not in options:
        raise GlossaryError(file, f"must be one of {', '.join(map(repr, options))}, not {v!r}", entry, key)
    return v


def _regex(file, entry, key, v) -> str:
    v = _str(file, entry, key, v)
    try:
        regex.compile(v)
    except regex.error as exc:
        raise GlossaryError(file, f"invalid regular expression {v!r}: {exc}", entry, key) from None
    return v


def _unknown(file, entry, data, valid) -> None:
    bad = sorted(set(data) - valid)
    if bad:
        raise GlossaryError(
            file, f"unknown key(s) {', '.join(bad)}; valid keys are: {', '.join(sorted(valid))}", entry, bad[0]
        )


def _examples(file, eid, data) -> tuple[list[tuple[str, str]], list[str]]:
    ex = data.get("examples")
    if not isinstance(ex, list) or not ex:
        raise GlossaryError(file, "every entry needs at least one [input, output] example", eid, "examples")
    pairs = []
    for i, pair in enumerate(ex):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise GlossaryError(file, f"example {i} must be a pair [input, output] of strings", eid, "examples")
        pairs.append((pair[0], pair[1]))
    keep = data.get("keep")
    if not isinstance(keep, list) or not keep or not all(isinstance(x, str) for x in keep):
        raise GlossaryError(
            file, "every entry needs at least one keep-case (correct text that must not change)", eid, "keep"
        )
    return pairs, list(keep)


def _common(file, eid, data, e: Entry) -> None:
    e.note = _str(file, eid, "note", data["note"]) if "note" in data else ""
    if not e.note:
        raise GlossaryError(file, "every entry needs a note saying why it exists", eid, "note")
    e.examples, e.keep = _examples(file, eid, data)
    e.enabled = data.get("enabled", True)
    if not isinstance(e.enabled, bool):
        raise GlossaryError(file, "must be true or false", eid, "enabled")
    if "source" in data:
        e.source = _str(file, eid, "source", data["source"])
    e.force_case = _choice(file, eid, "case", data.get("case", "keep"), ("keep", "force")) == "force"
    e.case_sensitive = data.get("case-sensitive", False)
    if not isinstance(e.case_sensitive, bool):
        raise GlossaryError(file, "must be true or false", eid, "case-sensitive")
    if "gender" in data:
        e.gender = _choice(file, eid, "gender", data["gender"], GENDERS)
    e.number = _choice(file, eid, "number", data.get("number", "s"), NUMBERS)
    if "right-gender" in data:
        e.right_gender = _choice(file, eid, "right-gender", data["right-gender"], GENDERS)
        if e.gender is None:
            raise GlossaryError(file, "right-gender needs gender (of the wrong form) too", eid, "right-gender")
    if "right-number" in data:
        e.right_number = _choice(file, eid, "right-number", data["right-number"], NUMBERS)
    e.agree_after = data.get("agree-after", False)
    if not isinstance(e.agree_after, bool):
        raise GlossaryError(file, "must be true or false", eid, "agree-after")
    for key in ("before", "after", "not-before", "not-after"):
        if key in data:
            setattr(e, key.replace("-", "_"), _regex(file, eid, key, data[key]))
    if "near" in data:
        e.near = _strlist(file, eid, "near", data["near"])
    if "not-near" in data:
        e.not_near = _strlist(file, eid, "not-near", data["not-near"])
    e.scope = _choice(file, eid, "scope", data.get("scope", "sentence"), ("sentence", "paragraph"))
    if "requires" in data:
        e.requires = _strlist(file, eid, "requires", data["requires"])
    pr = data.get("priority", 0)
    if not isinstance(pr, int) or isinstance(pr, bool):
        raise GlossaryError(file, "must be an integer", eid, "priority")
    e.priority = pr


def _entry_id(file, data, idx, kind) -> str:
    if not isinstance(data, dict):
        raise GlossaryError(file, f"[[{kind}]] number {idx + 1} must be a table")
    eid = data.get("id")
    if not isinstance(eid, str) or not _ID.match(eid):
        raise GlossaryError(
            file, "needs an id of lower-case letters, digits, '.', '_' or '-'", f"{kind}#{idx + 1}", "id"
        )
    return eid


def _begin(file, data, idx, kind: str, valid: set, required: tuple) -> str:
    """The entry's id, after checking for unknown and missing keys."""
    eid = _entry_id(file, data, idx, kind)
    _unknown(file, eid, data, valid)
    for key in required:
        if key not in data:
            raise GlossaryError(file, "is required", eid, key)
    return eid


def _term(file, data, idx) -> Entry:
    eid = _begin(file, data, idx, "term", TERM_KEYS, ("wrong", "right"))
    wrong = _strlist(file, eid, "wrong", data["wrong"])
    right = _str(file, eid, "right", data["right"], allow_empty=True)
    e = Entry(id=eid, kind="term", file=str(file))
    _common(file, eid, data, e)
    forms = [(w, e.number, right) for w in wrong]
    inflect = data.get("inflect", False)
    if not isinstance(inflect, bool):
        raise GlossaryError(file, "must be true or false", eid, "inflect")
    if "wrong-plural" in data or inflect:
        if e.number != "s":
            raise GlossaryError(file, "plural forms need singular wrong forms (number = 's')", eid, "inflect")
        right_pl = data.get("right-plural")
        right_pl = _str(file, eid, "right-plural", right_pl) if right_pl is not None else pluralize_phrase(right)
        plurals = (
            _strlist(file, eid, "wrong-plural", data["wrong-plural"])
            if "wrong-plural" in data
            else [pluralize_phrase(w) for w in wrong]
        )
        seen = {w.lower() for w in wrong}
        forms += [(w, "p", right_pl) for w in plurals if w.lower() not in seen]
    elif "right-plural" in data:
        raise GlossaryError(file, "right-plural needs inflect = true or wrong-plural", eid, "right-plural")
    e.forms = forms
    return e


def _pattern(file, data, idx) -> Entry:
    eid = _begin(file, data, idx, "pattern", PATTERN_KEYS, ("pattern", "replace"))
    e = Entry(id=eid, kind="pattern", file=str(file))
    e.pattern = _regex(file, eid, "pattern", data["pattern"])
    e.replace = _str(file, eid, "replace", data["replace"], allow_empty=True)
    compiled = regex.compile(e.pattern)
    for name, num in regex.findall(r"\\g<(\w+)>|\\(\d+)", e.replace):
        if name.isdigit():
            name, num = "", name
        if (num and int(num) > compiled.groups) or (name and name not in compiled.groupindex):
            raise GlossaryError(file, f"refers to group {name or num}, which the pattern lacks", eid, "replace")
    t = data.get("timeout", 0.5)
    if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 < t <= 10:
        raise GlossaryError(file, "must be a number of seconds in (0, 10]", eid, "timeout")
    e.timeout = float(t)
    _common(file, eid, data, e)
    return e


def _block(file, data, idx) -> Entry:
    from .boilerplate import normalize_line

    eid = _begin(file, data, idx, "block", BLOCK_KEYS, ("lines", "anchor"))
    e = Entry(id=eid, kind="block", file=str(file))
    e.note = _str(file, eid, "note", data.get("note", ""))
    e.examples, e.keep = _examples(file, eid, data)
    e.enabled = data.get("enabled", True)
    e.block_lines = frozenset(normalize_line(x) for x in _strlist(file, eid, "lines", data["lines"]))
    e.block_anchors = frozenset(normalize_line(x) for x in _strlist(file, eid, "anchor", data["anchor"]))
    if not e.block_anchors <= e.block_lines:
        raise GlossaryError(file, "every anchor must also be one of the lines", eid, "anchor")
    e.where = _choice(file, eid, "where", data.get("where", "end"), ("start", "end", "both"))
    n = data.get("min-lines", 2)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise GlossaryError(file, "must be a positive integer", eid, "min-lines")
    e.min_lines = n
    return e


def _agreement(file, data) -> AgreementTables:
    _unknown(file, "agreement", data, AGREEMENT_KEYS)
    t = AgreementTables()
    for key in ("determiners", "adjective-rows"):
        for i, row in enumerate(data.get(key, [])):
            if not (isinstance(row, list) and len(row) == 4 and all(isinstance(x, str) and x for x in row)):
                raise GlossaryError(
                    file, f"row {i} must list four forms: m.sg, f.sg, m.pl, f.pl", "agreement", key
                )
            t.add_row(row, adjective=key == "adjective-rows")
    for lemma in data.get("adjectives", []):
        t.add_lemma(_str(file, "agreement", "adjectives", lemma))
    t.neutral = {w.lower() for w in data.get("neutral", [])}
    for i, pair in enumerate(data.get("post-suffixes", [])):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair)):
            raise GlossaryError(file, f"pair {i} must be [masculine, feminine]", "agreement", "post-suffixes")
        t.post_suffixes.append((pair[0], pair[1]))
    if "invariant-suffixes" in data:
        t.invariant_suffixes = tuple(_strlist(file, "agreement", "invariant-suffixes", data["invariant-suffixes"]))
    if "max-words" in data:
        t.max_words = data["max-words"]
    return t


def _parse_toml(text: str) -> dict:
    """rtoml (Rust) parses a 50k-entry glossary in ~0.65 s where tomllib takes ~1.7 s. tomllib stays
    the reference: whatever rtoml refuses (a syntax error, nesting past its depth limit) is parsed
    again by tomllib, so errors read the same with or without rtoml installed."""
    if not _RTOML:  # imported on first use: a cached Cleaner never parses TOML
        try:
            import rtoml
        except ImportError:  # a platform without an rtoml wheel: tomllib alone, slower
            rtoml = None
        _RTOML.append(rtoml)
    if _RTOML[0] is not None:
        try:
            return _RTOML[0].loads(text)
        except Exception:
            pass
    return tomllib.loads(text)


_RTOML: list = []


def _load_toml(path: Path, gid: str) -> Glossary:
    try:
        raw = path.read_bytes()
        data = _parse_toml(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise GlossaryError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise GlossaryError(path, f"TOML syntax error: {exc}") from None
    except RecursionError:
        raise GlossaryError(path, "is nested too deeply to be a glossary") from None
    except OSError as exc:
        raise GlossaryError(path, f"cannot be read: {exc.strerror or exc}") from None
    _unknown(path, None, data, {"glossary", "term", "pattern", "block", "agreement"})
    meta = data.get("glossary", {})
    if not isinstance(meta, dict):
        raise GlossaryError(path, "[glossary] must be a table", None, "glossary")
    _unknown(path, "[glossary]", meta, FILE_KEYS)
    g = Glossary(id=meta.get("id", gid), path=str(path))
    g.description = meta.get("description", "")
    if "trigger" in meta:
        g.trigger = _strlist(path, "[glossary]", "trigger", meta["trigger"])
    g.priority = meta.get("priority", 0)
    if "names" in meta:
        g.names = _strlist(path, "[glossary]", "names", meta["names"])
    for kind, build in (("term", _term), ("pattern", _pattern), ("block", _block)):
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise GlossaryError(path, f"use [[{kind}]] for a list of entries", None, kind)
        g.entries += [build(path, item, i) for i, item in enumerate(items)]
    if "agreement" in data:
        g.agreement = _agreement(path, data["agreement"])
    seen: set[str] = set()
    for e in g.entries:
        if e.id in seen:
            raise GlossaryError(path, "the same id is used twice in this file", e.id, "id")
        seen.add(e.id)
    return g


def _read_table(path: Path) -> tuple[str, str]:
    """(text, delimiter) of a .tsv or .csv file, with clear errors."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise GlossaryError(path, f"cannot be read: {exc.strerror or exc}") from None
    return text, "\t" if path.suffix.lower() == ".tsv" else ","


def _load_table(path: Path, gid: str) -> Glossary:
    """A plain ``wrong<TAB>right`` (or CSV) list; each pair is its own example."""
    text, delim = _read_table(path)
    g = Glossary(id=gid, path=str(path))
    for lineno, row in enumerate(csv.reader(io.StringIO(text), delimiter=delim), 1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        eid = f"{gid}:{lineno}"
        if len(row) != 2 or not row[0].strip():
            raise GlossaryError(path, f"line {lineno} must have two columns: wrong{delim!r}right", eid, "line")
        wrong, right = row[0].strip(), row[1].strip()
        e = Entry(id=eid, kind="term", file=str(path), note=f"from {path.name} line {lineno}")
        e.forms = [(wrong, "s", right)]
        e.examples = [(wrong, right)]
        e.keep = []
        g.entries.append(e)
    return g


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while many acyclic objects are built: with 50k glossary
    entries its repeated full scans cost more than the building itself (~2x on load and compile)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_glossary(path) -> Glossary:
    """Load one glossary file (.toml, .tsv or .csv), validating its shape."""
    with gc_paused():
        return _load_glossary(Path(path))


def _load_glossary(path: Path) -> Glossary:
    gid = path.stem
    if path.suffix.lower() == ".toml":
        return _load_toml(path, gid)
    if path.suffix.lower() in (".tsv", ".csv"):
        return _load_table(path, gid)
    raise GlossaryError(path, "unknown glossary format (expected .toml, .tsv or .csv)")


def bundled_dir() -> Path:
    """The glossary/ folder: inside the installed package, or at the repository root."""
    here = Path(__file__).resolve().parent
    for cand in (here / "glossary", here.parent.parent / "glossary"):
        if cand.is_dir():
            return cand
    try:  # an editable install maps cleanmt.glossary elsewhere
        from importlib.resources import files

        p = Path(str(files("cleanmt.glossary")))
        if p.is_dir():
            return p
    except Exception:  # pragma: no cover - no glossary package at all
        pass
    raise FileNotFoundError("the bundled glossary folder was not found")


def bundled_paths() -> list[Path]:
    root = bundled_dir()
    return sorted(p for p in root.rglob("*") if p.suffix in (".toml", ".tsv", ".csv") and p.is_file())


# -- termbases: source -> target pairs for bilingual mode -----------------------------------------

_LANG_CODE = regex.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?\Z")


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
    text, delim = _read_table(path)
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
