"""What the file commands print: one line per edit or finding (text), JSON, or SARIF 2.1.0, a
progress line for long runs, and the closing summary."""
from __future__ import annotations

import json
import sys
import time

from . import __version__


def _line(path: str, r: dict) -> str:
    # a Parquet row: the row (from 0, as pyarrow and pandas count), then the line and column in its text
    where = f"{path}:row {r['row']}:{r['line']}:{r['col']}" if "row" in r else f"{path}:{r['line']}:{r['col']}"
    if r["kind"] == "edit":
        return f"{where}: {r['before']!r} → {r['after']!r} [{r['rule_id']}]"
    return f"{where}: {r['message']} [{r['rule_id']}]"


class Report:
    """Per-file output. Text: check and explain list edits and findings on standard output, diff
    prints the diff; fix lists its findings (what it could not fix) on standard error, where they
    cannot mix with a cleaned text on standard output; problems with a file go to standard error.
    JSON and SARIF: one document at the end, errors included."""

    def __init__(self, fmt: str, out, mode: str, quiet: bool = False):
        self.fmt, self.out, self.mode, self.quiet = fmt, out, mode, quiet
        self.items: list = []

    def add(self, res) -> None:
        if self.fmt != "text":
            self.items.append(res)
            return
        if res.status in ("skipped", "error"):
            print(f"cleanmt: {res.path}: {res.status}: {res.message}", file=sys.stderr)
        elif res.message:
            print(f"cleanmt: {res.path}: {res.message}", file=sys.stderr)
        if res.diff:
            self.out.write(res.diff)
            for r in res.records:  # what the diff does not show: suggestions and findings
                if r["kind"] != "edit":
                    self.out.write(_line(res.path, r) + "\n")
        elif self.mode in ("check", "explain", "diff"):
            for r in res.records:
                self.out.write(_line(res.path, r) + "\n")
        elif self.mode == "fix":
            for r in res.records:
                if r["kind"] in ("finding", "suggestion"):
                    print(_line(res.path, r), file=sys.stderr)

    def finish(self) -> None:
        if self.fmt == "json":
            items = []
            for r in self.items:
                item = {"path": r.path, "status": r.status, "message": r.message, "records": r.records}
                if self.mode == "clean":
                    item["text"] = r.output
                items.append(item)
            json.dump(items, self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")
        elif self.fmt == "sarif":
            json.dump(sarif(self.items), self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")


def sarif(results) -> dict:
    """A SARIF 2.1.0 log: one run, a rule per rule id, a result per edit (warning) or finding (note);
    edits and suggestions carry their replacement as a SARIF fix."""
    rules: dict[str, dict] = {}
    out = []
    for res in results:
        if res.status in ("skipped", "error"):
            continue
        for r in res.records:
            rid = r["rule_id"]
            rules.setdefault(rid, {"id": rid, "shortDescription": {"text": f"cleanmt {r['stage']} rule {rid}"}})
            text = (f"{r['before']!r} → {r['after']!r}" if r["kind"] == "edit" else r["message"])
            if "row" in r:  # a Parquet row: no text region or fix in a binary file; the row is named
                out.append(_sarif_row(res.path, r, rid, text))
                continue
            out.append({
                "ruleId": rid,
                "level": "warning" if r["kind"] == "edit" else "note",
                **({"properties": {"suggestion": True}} if r["kind"] == "suggestion" else {}),
                "message": {"text": text},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": res.path.replace("\\", "/")},
                    "region": {"startLine": r["line"], "startColumn": r["col"],
                               "endLine": r["end_line"], "endColumn": r["end_col"]}}}],
                **({"fixes": [{"description": {"text": text}, "artifactChanges": [{
                    "artifactLocation": {"uri": res.path.replace("\\", "/")},
                    "replacements": [{"deletedRegion": {"startLine": r["line"], "startColumn": r["col"],
                                                        "endLine": r["end_line"], "endColumn": r["end_col"]},
                                      "insertedContent": {"text": r["after"]}}]}]}]}
                   if r["kind"] in ("edit", "suggestion") else {}),
            })
    # files that could not be cleaned: notifications of the run, not results about the text
    notes = [{"level": "error" if res.status == "error" else "warning", "message": {"text": res.message},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": res.path.replace("\\", "/")}}}]}
             for res in results if res.status in ("skipped", "error")]
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "cleanmt", "version": __version__, "rules": list(rules.values())}},
                  "invocations": [{"executionSuccessful": not any(r.status == "error" for r in results),
                                   "toolExecutionNotifications": notes}],
                  "columnKind": "unicodeCodePoints", "results": out}],
    }


def _sarif_row(path: str, r: dict, rid: str, text: str) -> dict:
    """A SARIF result about one row of a Parquet file: the file as the physical location, the row
    as a logical one, the line and column inside the row's text as properties."""
    props = {"row": r["row"], "line": r["line"], "col": r["col"], "endLine": r["end_line"], "endCol": r["end_col"]}
    if r["kind"] == "suggestion":
        props["suggestion"] = True
    if r["kind"] in ("edit", "suggestion"):
        props["after"] = r["after"]
    return {"ruleId": rid, "level": "warning" if r["kind"] == "edit" else "note", "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": path.replace("\\", "/")}},
                           "logicalLocations": [{"name": f"row {r['row']}", "kind": "element"}]}],
            "properties": props}


class Progress:
    """A one-line progress counter on standard error (only used when it is a terminal)."""

    def __init__(self, total: int):
        self.total, self.n, self.last = total, 0, 0.0

    def __call__(self, res) -> None:
        self.n += 1
        now = time.monotonic()
        if now - self.last > 0.1 or self.n == self.total:
            self.last = now
            sys.stderr.write(f"\r[{self.n}/{self.total}] {res.path[-60:]:<60}")
            sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r" + " " * 80 + "\r")


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


TOP_RULES = 8  # rules named in the summary; the rest are counted


def summary(results, mode: str, elapsed: float) -> str:
    changed = sum(r.status == "changed" for r in results)
    skipped = [r for r in results if r.status == "skipped"]
    errors = [r for r in results if r.status == "error"]
    nbytes = sum(r.nbytes for r in results)
    rules: dict[str, int] = {}
    findings = suggestions = 0
    for r in results:
        for k, v in r.rules.items():
            rules[k] = rules.get(k, 0) + v
        findings += sum(x["kind"] == "finding" for x in r.records)
        suggestions += sum(x["kind"] == "suggestion" for x in r.records)
    verb = {"fix": "fixed", "check": "need fixes", "diff": "need fixes", "explain": "would change",
            "clean": "cleaned"}[mode]
    if changed == 1 and verb == "need fixes":
        verb = "needs fixes"
    ranked = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ", ".join(f"{k}×{v}" for k, v in ranked[:TOP_RULES])
    if len(ranked) > TOP_RULES:
        top += f", … {_n(len(ranked) - TOP_RULES, 'more rule')}"
    mbs = nbytes / 1e6 / elapsed if elapsed > 0 else 0.0
    parts = [f"{_n(len(results), 'file')}, {changed} {verb}"]
    if skipped:
        parts.append(f"{len(skipped)} skipped")
    if errors:
        parts.append(_n(len(errors), "error"))
    line = ", ".join(parts) + f"; {_n(sum(rules.values()), 'edit')}"
    if top:
        line += f" ({top})"
    line += f", {_n(findings, 'finding')}"
    if suggestions:
        line += f", {_n(suggestions, 'suggestion')} (not made: --level suggest makes them)"
    line += f"; {elapsed:.2f} s, {mbs:.2f} MB/s"
    return line
