"""The ``cleanmt`` command. ``main(argv) -> int``; every exit code is defined here."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .glossary import GlossaryError
from .pipeline import Cleaner

EXIT_OK = 0  # nothing to do / success
EXIT_CHANGES = 1  # check: fixes are needed
EXIT_USAGE = 2  # bad arguments
EXIT_GLOSSARY = 3  # a glossary or configuration could not be used
EXIT_INPUT = 4  # an input file could not be read or decoded
EXIT_INTERNAL = 70  # a bug in cleanmt


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cleanmt", description=__doc__)
    p.add_argument("--version", action="version", version=f"cleanmt {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--glossary", action="append", default=[], metavar="PATH",
                        help="an extra glossary file (.toml, .tsv, .csv); repeatable")
    common.add_argument("--no-bundled", action="store_true", help="do not load the bundled glossaries")
    common.add_argument("--disable", action="append", default=[], metavar="ID",
                        help="switch off a glossary entry by id; repeatable")
    common.add_argument("--source", metavar="FILE", help="the text the input was translated from")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clean", parents=[common], help="print the cleaned text to standard output")
    c.add_argument("file", help="a text file, or - for standard input")
    e = sub.add_parser("explain", parents=[common], help="list every edit and finding")
    e.add_argument("file", help="a text file, or - for standard input")
    k = sub.add_parser("check", parents=[common], help="exit 1 if any file needs fixes; change nothing")
    k.add_argument("files", nargs="+", metavar="file")
    sc = sub.add_parser("score", parents=[common], help="score a text against a reference correction")
    sc.add_argument("hyp", help="the text to score (e.g. cleaned output)")
    sc.add_argument("--ref", required=True, help="the reference correction")
    sc.add_argument("--raw", help="the raw text, to report how much of its distance cleaning removed")
    sc.add_argument("--format", choices=("text", "json"), default="text")
    ev = sub.add_parser("eval", parents=[common],
                        help="clean every NAME.raw.txt in a folder and score raw and cleaned against NAME.ref.txt")
    ev.add_argument("folder")
    ev.add_argument("--json", metavar="OUT", help="also write the figures as JSON to this file")
    ev.add_argument("--by-rule", action="store_true",
                    help="per rule: word edits to the reference it removed (negative: harmful)")
    return p


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    data = Path(path).read_bytes()
    return data.decode("utf-8-sig")


def _location(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _report(path: str, text: str, result, out) -> None:
    for e in result.edits:
        line, col = _location(text, e.start)
        out.write(f"{path}:{line}:{col}: {e.before!r} → {e.after!r} [{e.rule_id}]\n")
    for f in result.findings:
        line, col = _location(text, f.start)
        out.write(f"{path}:{line}:{col}: {f.message} [{f.rule_id}]\n")


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
        cleaner = Cleaner(None if not args.no_bundled else [], extra=args.glossary, disable=args.disable)
    except (GlossaryError, OSError) as exc:
        print(f"cleanmt: glossary error: {exc}", file=sys.stderr)
        return EXIT_GLOSSARY
    try:
        if args.command == "score":
            return _score_command(args, cleaner)
        if args.command == "eval":
            return _eval_command(args, cleaner)
        source = _read(args.source) if args.source else None
        files = [args.file] if args.command in ("clean", "explain") else args.files
        needs = 0
        for path in files:
            try:
                text = _read(path)
            except (OSError, UnicodeDecodeError) as exc:
                print(f"cleanmt: {path}: cannot read as UTF-8 text: {exc}", file=sys.stderr)
                return EXIT_INPUT
            result = cleaner.clean(text, source=source)
            if args.command == "clean":
                sys.stdout.write(result.text)
            elif args.command == "explain":
                _report(path, text, result, sys.stdout)
                print(f"{len(result.edits)} edits, {len(result.findings)} findings", file=sys.stderr)
            else:
                if result.edits:
                    needs += 1
                    _report(path, text, result, sys.stdout)
        if args.command == "check":
            print(f"{needs} of {len(files)} files need fixes", file=sys.stderr)
            return EXIT_CHANGES if needs else EXIT_OK
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cleanmt ... | head`: the reader left; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # pragma: no cover - reported, not hidden
        print(f"cleanmt: internal error: {exc!r}", file=sys.stderr)
        return EXIT_INTERNAL


class _InputError(Exception):
    pass


def _read_input(path: str, what: str) -> str:
    try:
        text = _read(path)
    except FileNotFoundError:
        raise _InputError(f"{what} {path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise _InputError(f"{what} {path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise _InputError(f"{what} {path}: cannot be read: {exc.strerror or exc}") from None
    return text


def _score_command(args, cleaner) -> int:
    import json

    from .scoring import format_text, score

    try:
        hyp = _read_input(args.hyp, "hypothesis")
        ref = _read_input(args.ref, "reference")
        raw = _read_input(args.raw, "raw text") if args.raw else None
        result = score(hyp, ref, raw=raw, cleaner=cleaner)
    except _InputError as exc:
        print(f"cleanmt: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ValueError as exc:
        print(f"cleanmt: {args.ref}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_text(result, args.hyp))
    return EXIT_OK


def _eval_command(args, cleaner) -> int:
    import json

    from .scoring import rule_impact, score

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"cleanmt: {folder}: not a folder", file=sys.stderr)
        return EXIT_INPUT
    docs = sorted(p for p in folder.glob("*.raw.txt"))
    docs = [p for p in docs if p.with_name(p.name[:-len(".raw.txt")] + ".ref.txt").exists()]
    if not docs:
        print(f"cleanmt: {folder}: no NAME.raw.txt with a NAME.ref.txt beside it", file=sys.stderr)
        return EXIT_INPUT
    rows = []
    impact: dict[str, int] = {}
    all_raw, all_clean, all_ref = [], [], []
    try:
        for p in docs:
            name = p.name[:-len(".raw.txt")]
            raw = _read_input(str(p), "raw text")
            ref = _read_input(str(p.with_name(name + ".ref.txt")), "reference")
            result = cleaner.clean(raw)
            s = score(result.text, ref, raw=raw, cleaner=cleaner)
            rows.append((name, s, len(result.edits)))
            all_raw.append(raw)
            all_clean.append(result.text)
            all_ref.append(ref)
            if args.by_rule:
                for rid, delta in rule_impact(raw, ref, result.edits).items():
                    impact[rid] = impact.get(rid, 0) + delta
        total = score("\n\n".join(all_clean), "\n\n".join(all_ref), raw="\n\n".join(all_raw), cleaner=cleaner)
    except _InputError as exc:
        print(f"cleanmt: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ValueError as exc:
        print(f"cleanmt: {exc}", file=sys.stderr)
        return EXIT_INPUT
    head = f"{'document':<24} {'edits':>5}  {'BLEU raw→clean':>16} {'chrF raw→clean':>16} {'TER raw→clean':>15} " \
           f"{'word edits raw→clean':>21} {'removed':>8} {'terms':>9}"
    print(head)
    print("-" * len(head))
    for name, s, n in rows + [("TOTAL", total, sum(r[2] for r in rows))]:
        terms = f"{s.terms.found}/{s.terms.expected}" if s.terms and s.terms.expected else "-"
        print(f"{name:<24} {n:>5}  {s.raw.bleu:>7.2f}→{s.bleu:<7.2f} {s.raw.chrf:>7.2f}→{s.chrf:<7.2f} "
              f"{s.raw.ter:>6.2f}→{s.ter:<7.2f} {s.raw.word_edits:>10}→{s.word_edits:<10} "
              f"{100 * (s.edits_removed or 0):>7.1f}% {terms:>9}")
    harmful = sorted((d, r) for r, d in impact.items() if d < 0)
    if args.by_rule:
        print("\nper rule: word edits to the reference removed by the rule (negative = the rule does harm)")
        for rid, delta in sorted(impact.items(), key=lambda kv: (kv[1], kv[0])):
            flag = "  HARMFUL" if delta < 0 else ""
            print(f"  {delta:>+5}  {rid}{flag}")
    print(f"\nsignatures: " + "; ".join(f"{k} {v}" for k, v in total.signatures.items()), file=sys.stderr)
    if args.json:
        data = {"documents": {name: s.to_dict() for name, s, _ in rows}, "total": total.to_dict()}
        for d in [data["total"], *data["documents"].values()]:
            d.pop("segments", None)
            if d.get("raw"):
                d["raw"].pop("segments", None)
        if args.by_rule:
            data["by_rule"] = impact
            data["harmful_rules"] = [r for _, r in harmful]
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return EXIT_OK
