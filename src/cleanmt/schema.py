"""The raw shape of a glossary file: what each table and entry may hold, checked with errors
that name the file, the entry and the field, and normalised into ``Entry`` objects. Nothing here
reads a file or compiles a pattern for matching; the examples and keep-cases each entry carries
are run by the engine (``validation.py``), because they test the compiled behaviour.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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
    "ambiguous", "evidence", "family-evidence",
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
    # the wrong form is also correct Portuguese: made only with evidence of the garbled sense
    ambiguous: bool = False
    evidence: list[str] = field(default_factory=list)  # words of the garbled sense, in the same scope
    family_evidence: bool = True  # a sure edit of the same family of errors counts as evidence
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
    e.ambiguous = data.get("ambiguous", False)
    if not isinstance(e.ambiguous, bool):
        raise GlossaryError(file, "must be true or false", eid, "ambiguous")
    if "evidence" in data:
        e.evidence = _strlist(file, eid, "evidence", data["evidence"])
        if not e.ambiguous:
            raise GlossaryError(file, "evidence words are for an ambiguous entry (ambiguous = true)", eid, "evidence")
    if "family-evidence" in data:
        e.family_evidence = data["family-evidence"]
        if not isinstance(e.family_evidence, bool):
            raise GlossaryError(file, "must be true or false", eid, "family-evidence")
        if not e.ambiguous:
            raise GlossaryError(file, "family-evidence is for an ambiguous entry (ambiguous = true)", eid,
                                "family-evidence")
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


def build_glossary(path, data: dict, gid: str) -> Glossary:
    """A Glossary from the parsed TOML ``data`` of ``path`` (the shape checked on the way)."""
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
