"""The ``cleanmt`` command. ``main(argv) -> int``; every exit code is defined here."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

import time

from . import __version__
from .cache import cached_cleaner
from .config import ConfigError, find_config, load_config
from .files import Options, discover, process_bytes, run_many
from .glossary import GlossaryError, load_termbase
from .pipeline import STAGES, Cleaner
from .report import Progress, Report, summary

# Exit codes, defined here once (and listed in the README).
EXIT_OK = 0  # nothing to do, or done
EXIT_CHANGES = 1  # check/diff: some file needs fixes; fix: some file was fixed
EXIT_USAGE = 2  # bad arguments
EXIT_GLOSSARY = 3  # a glossary or the configuration could not be used
EXIT_INPUT = 4  # an input could not be read (batch: a file could not be read or written)
EXIT_INTERNAL = 70  # a bug in cleanmt
EXIT_INTERRUPTED = 130  # Ctrl-C

FILE_COMMANDS = ("fix", "check", "diff", "explain", "clean")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cleanmt", description="Clean up garbled machine-translated Portuguese.")
    p.add_argument("--version", action="version", version=f"cleanmt {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--glossary", action="append", default=[], metavar="PATH",
                        help="an extra glossary file (.toml, .tsv, .csv); repeatable")
    common.add_argument("--no-bundled", action="store_true", help="do not load the bundled glossaries")
    common.add_argument("--disable", action="append", default=[], metavar="ID",
                        help="switch off a glossary entry or rule by id; repeatable")
    common.add_argument("--termbase", action="append", default=[], metavar="FILE",
                        help="source->target term pairs (DeepL CSV/TSV, Amazon Translate CSV, TBX) for bilingual mode")
    common.add_argument("--source-lang", default="zh", help="termbase source language (default: zh)")
    common.add_argument("--target-lang", default="pt", help="termbase target language (default: pt)")
    common.add_argument("--no-cache", action="store_true",
                        help="build the glossaries afresh instead of loading the compiled ones from the cache")
    common.add_argument("--config", metavar="FILE",
                        help="a .cleanmt.toml or pyproject.toml (default: found by walking up from here)")
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; - for standard input")
    files.add_argument("--source", metavar="FILE", help="the text the input was translated from "
                       "(NAME.zh.EXT beside NAME.pt.EXT is found by itself)")
    files.add_argument("--bitext", action="store_true",
                       help="the input is TSV rows of source<TAB>translation: clean the translations")
    files.add_argument("--include", action="append", default=None, metavar="GLOB",
                       help="files to take from folders (default: Markdown, text, .po, .srt, .jsonl)")
    files.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="files or folders to skip")
    files.add_argument("--force-exclude", action="store_true",
                       help="apply excludes to files named explicitly too (for pre-commit)")
    files.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    files.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="report format")
    files.add_argument("--jsonl-field", metavar="NAME", help="the field of JSON Lines records that holds the text")
    files.add_argument("-q", "--quiet", action="store_true", help="no summary")
    sub = p.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fix", parents=[common, files], help="rewrite files in place (atomically)")
    fx.add_argument("--out-dir", metavar="DIR", help="write cleaned copies under DIR instead, mirroring the tree")
    sub.add_parser("check", parents=[common, files], help="report what would change; exit 1 if anything would")
    sub.add_parser("diff", parents=[common, files], help="print a unified diff of what would change")
    sub.add_parser("explain", parents=[common, files], help="list every edit and finding")
    sub.add_parser("clean", parents=[common, files], help="print the cleaned text to standard output")
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


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
        cfg = load_config(Path(args.config) if args.config else find_config())
        stages = tuple(cfg.stages) if cfg.stages else STAGES
        termbases = [load_termbase(t, args.source_lang, args.target_lang) for t in args.termbase]
        bundled = not (args.no_bundled or cfg.no_bundled)
        files = [*cfg.glossaries, *args.glossary]
        disable = [*cfg.disable, *args.disable]

        def build():
            return Cleaner(None if bundled else [], extra=files, disable=disable, stages=stages)

        if termbases:  # loaded objects, not files: nothing to key a cache on
            cleaner = Cleaner(None if bundled else [], extra=[*files, *termbases], disable=disable, stages=stages)
        elif args.no_cache:
            cleaner = build()
        else:
            cleaner = cached_cleaner(build, bundled, files, (tuple(disable), stages))
    except (GlossaryError, OSError, ValueError) as exc:
        print(f"cleanmt: {'configuration' if isinstance(exc, ConfigError) else 'glossary'} error: {exc}",
              file=sys.stderr)
        return EXIT_GLOSSARY
    # the compiled glossaries live as long as the process: moved out of the garbage collector's
    # way, a big glossary no longer costs a full collection now and then (the 50k-entry glossary
    # stage: 12.7-16.0 MB/s without, 16.5-17.0 with)
    gc.freeze()
    try:
        if args.command == "score":
            return _score_command(args, cleaner)
        if args.command == "eval":
            return _eval_command(args, cleaner)
        return _files_command(args, cleaner, cfg)
    except KeyboardInterrupt:
        print("cleanmt: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `cleanmt ... | head`: the reader left; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # pragma: no cover - reported, not hidden
        print(f"cleanmt: internal error: {exc!r}", file=sys.stderr)
        return EXIT_INTERNAL


def _files_command(args, cleaner, cfg) -> int:
    include = args.include or cfg.include
    exclude = [*cfg.exclude, *args.exclude]
    files, notes = discover(args.paths, include, exclude, args.force_exclude)
    for n in notes:
        print(f"cleanmt: {n}", file=sys.stderr)
    missing = [n for n in notes if n.endswith("no such file or folder")]
    source = None
    if getattr(args, "source", None):
        try:
            source = _read_input(args.source, "source")
        except _InputError as exc:
            print(f"cleanmt: {exc}", file=sys.stderr)
            return EXIT_INPUT
    mode = args.command
    out_dir = Path(args.out_dir) if getattr(args, "out_dir", None) else None
    roots = [Path(p).resolve() for p in args.paths if p != "-" and Path(p).is_dir()]
    opts = Options(mode=mode, out_dir=out_dir.resolve() if out_dir else None,
                   root=roots[0] if len(roots) == 1 else Path.cwd().resolve(),
                   jsonl_field=args.jsonl_field or cfg.jsonl_field, source=source, bitext=args.bitext)
    jobs = args.jobs or os.cpu_count() or 1
    report = Report(args.format, sys.stdout, quiet=args.quiet)
    t0 = time.perf_counter()
    stdin_files = [f for f in files if f == "-"]
    disk_files = [f for f in files if f != "-"]
    results = []
    for f in stdin_files:
        res, new = process_bytes("-", sys.stdin.buffer.read(), cleaner, opts)
        if mode in ("fix", "clean"):
            sys.stdout.write(res.output if res.output is not None else "")
        results.append(res)
        report.add(res, echo=mode not in ("fix", "clean"))
    progress = Progress(len(disk_files)) if sys.stderr.isatty() and len(disk_files) > 20 and not args.quiet else None
    interrupted = False
    try:
        for res in run_many(disk_files, cleaner, opts, jobs, progress):
            results.append(res)
            if mode == "clean" and res.output is not None:
                sys.stdout.write(res.output)
            report.add(res, echo=mode in ("check", "explain", "diff"))
    except KeyboardInterrupt:
        # every file is written atomically: each one is either done or untouched
        interrupted = True
    if progress:
        progress.done()
    report.finish()
    elapsed = time.perf_counter() - t0
    if interrupted:
        print(f"cleanmt: interrupted after {len(results)} of {len(files)} files (the others are untouched); "
              + summary(results, mode, elapsed), file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.quiet and mode != "clean":
        print(summary(results, mode, elapsed), file=sys.stderr)
    if missing or any(r.status == "error" for r in results):
        return EXIT_INPUT
    if mode in ("fix", "check", "diff") and any(r.status == "changed" for r in results):
        return EXIT_CHANGES
    return EXIT_OK


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
    print("\nsignatures: " + "; ".join(f"{k} {v}" for k, v in total.signatures.items()), file=sys.stderr)
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
