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
from .batch import run_many, run_on_dask
from .files import MISSING, FileResult, Options, discover, mirror_root, process_bytes
from .glossary import GlossaryError, load_termbase
from .pipeline import STAGES, Cleaner
from .report import Progress, Report, summary

# Exit codes, defined here once (and listed in the README). When several apply, the first of
# 130, 70, 3, 4, 1 wins: an input that could not be read is never hidden behind "some file changed".
EXIT_OK = 0  # nothing to do, or done
EXIT_CHANGES = 1  # check/diff: some file needs fixes; fix: some file was fixed
EXIT_USAGE = 2  # bad arguments
EXIT_GLOSSARY = 3  # a glossary or the configuration could not be used
# an input could not be read: a missing path, a file or standard input that is not text (binary,
# not UTF-8) when named explicitly (found in a folder: a warning, an error with --strict), or a
# file that could not be written
EXIT_INPUT = 4
EXIT_INTERNAL = 70  # a bug in cleanmt
EXIT_INTERRUPTED = 130  # Ctrl-C

FILE_COMMANDS = ("fix", "check", "diff", "explain", "clean")


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of worker processes, 1 or more, not {value!r} "
                                         "(leave -j out to use every core)")
    return n


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, 1 or more, not {value!r}")
    return int(value)


def _at_least_two(value: str) -> int:
    if not value.isdigit() or int(value) < 2:
        raise argparse.ArgumentTypeError(f"must be a whole number, 2 or more, not {value!r}")
    return int(value)


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
    common.add_argument("--level", choices=("sure", "suggest"), default=None,
                        help="sure (default): make only the edits the evidence supports, list the rest as "
                             "suggestions; suggest: make the suggestions too")
    common.add_argument("--assume-mt", action="store_true",
                        help="the input is machine translation: typography rules need no other evidence")
    common.add_argument("--no-cache", action="store_true",
                        help="build the glossaries afresh instead of loading the compiled ones from the cache")
    common.add_argument("--config", metavar="FILE",
                        help="a .cleanmt.toml or pyproject.toml (default: found by walking up from here)")
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; - for standard input")
    files.add_argument("--source", metavar="FILE", help="the text the input was translated from "
                       "(NAME.zh.EXT beside NAME.pt.EXT is found by itself)")
    files.add_argument("--bitext", action="store_true",
                       help="the input is TSV rows of source<TAB>translation: clean the translations "
                            "(the rows of one file are one document for document triggers)")
    files.add_argument("--bitext-per-row", action="store_true",
                       help="with --bitext: judge each row as a document of its own (rows from unrelated texts)")
    files.add_argument("--include", action="append", default=None, metavar="GLOB",
                       help="files to take from folders (default: Markdown, text, .po, .srt, .jsonl, .parquet)")
    files.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="files or folders to skip")
    files.add_argument("--force-exclude", action="store_true",
                       help="apply excludes to files named explicitly too (for pre-commit)")
    files.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="worker processes, 1 or more (default: all cores)")
    files.add_argument("--dask", metavar="ADDRESS",
                       help="clean the files on a Dask cluster: local:N starts N local worker processes, "
                            "tcp://HOST:PORT uses a running scheduler (needs cleanmt[dask])")
    files.add_argument("--strict", action="store_true",
                       help="a file found in a folder that is not text (binary, not UTF-8) is an error (exit 4), "
                            "not a warning; files named explicitly always are")
    files.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                       help="report format (json with clean: each file's cleaned text too)")
    files.add_argument("--column", "--jsonl-field", dest="column", metavar="NAME",
                       help="the Parquet column, or the field of JSON Lines records, that holds the text "
                            "(default: the jsonl-field configuration key, else text)")
    files.add_argument("-q", "--quiet", action="store_true", help="no summary")
    sub = p.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fix", parents=[common, files], help="rewrite files in place (atomically)")
    fx.add_argument("--out-dir", metavar="DIR",
                    help="write cleaned copies under DIR instead, mirroring paths relative to the deepest folder "
                         "holding every input (a folder counts as itself, a file as its folder)")
    fx.add_argument("--edits-column", metavar="NAME",
                    help="Parquet: add a string column NAME with each row's edits as JSON and an int column "
                         "NAME_count with their number")
    sub.add_parser("check", parents=[common, files], help="report what would change; exit 1 if anything would")
    sub.add_parser("diff", parents=[common, files], help="print a unified diff of what would change")
    sub.add_parser("explain", parents=[common, files], help="list every edit and finding")
    sub.add_parser("clean", parents=[common, files], help="print the cleaned text to standard output")
    sc = sub.add_parser("score", parents=[common], help="score a text against a reference correction")
    sc.add_argument("hyp", metavar="HYP", help="the text to score (e.g. cleaned output); - for standard input")
    sc.add_argument("--ref", required=True, metavar="FILE", help="the reference correction")
    sc.add_argument("--raw", metavar="FILE", help="the raw text, to report how much of its distance cleaning removed")
    sc.add_argument("--format", choices=("text", "json"), default="text",
                    help="text: a table of scores; json: every figure, with segment scores and signatures")
    ev = sub.add_parser("eval", parents=[common],
                        help="clean every NAME.raw.txt in a folder and score raw and cleaned against NAME.ref.txt")
    ev.add_argument("folder", metavar="FOLDER", help="a folder of NAME.raw.txt files, each with a NAME.ref.txt beside it")
    ev.add_argument("--json", metavar="OUT", help="also write the figures as JSON to this file")
    ev.add_argument("--by-rule", action="store_true",
                    help="per rule: word edits to the reference it removed (negative: harmful)")
    ln = sub.add_parser("learn", parents=[common],
                        help="learn a glossary from raw machine translation and its human correction",
                        description="Learn a glossary from pairs of raw machine translation and its correction. "
                        "--glossary, --termbase and the bundled glossaries are the glossaries in use: what they "
                        "correct is not learned again. --level, --assume-mt and --disable also say how --eval "
                        "cleans the held-out pairs.")
    ln.add_argument("paths", nargs="*", metavar="PATH",
                    help="NAME.raw.EXT files with NAME.ref.EXT beside them, or folders holding such files")
    ln.add_argument("--raw", action="append", default=[], metavar="FILE|DIR",
                    help="raw machine translation; paired in order with --ref (two folders: by relative path); "
                    "repeatable")
    ln.add_argument("--ref", action="append", default=[], metavar="FILE|DIR", help="its corrected version; repeatable")
    ln.add_argument("--bitext", action="append", default=[], metavar="FILE",
                    help="rows of raw<TAB>ref (a first row naming the --fields is a header), or JSON Lines "
                    "(.jsonl) records with the two fields of --fields; repeatable")
    ln.add_argument("--fields", default="raw,ref", metavar="RAW,REF",
                    help="the JSON Lines fields (or TSV header) of --bitext (default: raw,ref)")
    ln.add_argument("-o", "--output", metavar="FILE",
                    help="write the glossary here, atomically (default: standard output)")
    ln.add_argument("--format", choices=("text", "json"), default="text",
                    help="the report: text on standard error, or JSON on standard output")
    ln.add_argument("--keep-corpus", action="append", default=[], metavar="DIR",
                    help="correct text: a wrong form found there is ambiguous or left out; repeatable")
    ln.add_argument("--extend", action="append", default=[], metavar="FILE",
                    help="a glossary the output goes beside: what it covers is not learned, its ids not reused; "
                    "repeatable")
    ln.add_argument("--min-support", type=_positive, default=2, metavar="N",
                    help="corrections needed before one is trusted (default 2; a name seen consistently needs 1)")
    ln.add_argument("--eval", type=_at_least_two, default=None, metavar="K",
                    help="K-fold evaluation instead (K >= 2; no glossary is written): learn on K-1 folds, measure "
                    "on the one held out")
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
    problem = _usage_problem(args)
    if problem:
        print(f"cleanmt {args.command}: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        cfg = load_config(Path(args.config) if args.config else find_config())
        stages = tuple(cfg.stages) if cfg.stages else STAGES
        termbases = [load_termbase(t, args.source_lang, args.target_lang) for t in args.termbase]
        bundled = not (args.no_bundled or cfg.no_bundled)
        files = [*cfg.glossaries, *args.glossary]
        disable = [*cfg.disable, *args.disable]
        level = args.level or cfg.level
        assume_mt = args.assume_mt or cfg.assume_mt

        def build():
            return Cleaner(None if bundled else [], extra=files, disable=disable, stages=stages, level=level,
                           assume_mt=assume_mt)

        if termbases:  # loaded objects, not files: nothing to key a cache on
            cleaner = Cleaner(None if bundled else [], extra=[*files, *termbases], disable=disable, stages=stages,
                              level=level, assume_mt=assume_mt)
        elif args.no_cache:
            cleaner = build()
        else:
            cleaner = cached_cleaner(build, bundled, files, (tuple(disable), stages, level, assume_mt))
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
        if args.command == "learn":
            return _learn_command(args, bundled, [*files, *termbases], disable, level, assume_mt)
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


def _usage_problem(args) -> str | None:
    """Option combinations that would silently do something else than asked."""
    if args.command == "learn" and args.eval is not None and args.output:
        return "--eval measures on held-out pairs and writes no glossary: leave -o out (or run learn without --eval)"
    if args.command not in FILE_COMMANDS:
        return None
    if args.bitext_per_row and not args.bitext:
        return "--bitext-per-row only applies with --bitext"
    if args.dask is not None:
        if not (args.dask.startswith("tcp://") or args.dask.startswith("tls://")
                or (args.dask.startswith("local:") and args.dask[6:].isdigit() and int(args.dask[6:]) >= 1)):
            return f"--dask takes local:N (N >= 1) or tcp://HOST:PORT, not {args.dask!r}"
        if args.jobs is not None:
            return "--dask and -j are two ways to run in parallel: give one"
    if getattr(args, "edits_column", None) is not None and not args.edits_column.strip():
        return "--edits-column needs a column name"
    if args.column is not None and not args.column:
        return "--column needs a column name"
    if "-" not in args.paths:
        return None
    if getattr(args, "out_dir", None):
        return ("--out-dir cannot be used with standard input (-): the cleaned text of - goes to standard "
                "output; redirect it to a file")
    if args.command == "fix" and args.format != "text":
        return (f"--format {args.format} cannot be used with fix -: standard output is the cleaned text; "
                "use clean - --format json for the text with its edits and findings")
    return None


def _files_command(args, cleaner, cfg) -> int:
    include = args.include or cfg.include
    exclude = [*cfg.exclude, *args.exclude]
    mode = args.command
    out_dir = Path(os.path.abspath(args.out_dir)) if getattr(args, "out_dir", None) else None
    files, notes = discover(args.paths, include, exclude, args.force_exclude)
    if out_dir is not None:  # copies written by an earlier run are not inputs
        files = [f for f in files if f == "-" or not Path(os.path.abspath(f)).is_relative_to(out_dir)]
    missing = [n[:-len(MISSING) - 2] for n in notes if n.endswith(f": {MISSING}")]
    for n in notes:  # a missing path is reported with the results below (and in JSON and SARIF)
        if not n.endswith(f": {MISSING}"):
            print(f"cleanmt: {n}", file=sys.stderr)
    source = None
    if getattr(args, "source", None):
        try:
            source = _read_input(args.source, "source")
        except _InputError as exc:
            print(f"cleanmt: {exc}", file=sys.stderr)
            return EXIT_INPUT
    opts = Options(mode=mode, out_dir=out_dir, root=mirror_root(args.paths),
                   jsonl_field=args.column or cfg.jsonl_field, source=source, bitext=args.bitext,
                   bitext_per_row=args.bitext_per_row, edits_column=getattr(args, "edits_column", None))
    jobs = args.jobs or os.cpu_count() or 1
    report = Report(args.format, sys.stdout, mode, quiet=args.quiet)
    # explicitly named inputs: one that is not text is an error; found in a folder, a warning
    explicit = {a for a in args.paths if a == "-" or not Path(a).is_dir()}
    t0 = time.perf_counter()
    stdin_files = [f for f in files if f == "-"]
    disk_files = [f for f in files if f != "-"]
    results = []
    printing = mode == "clean" and args.format == "text"
    banners = printing and len(files) > 1  # `clean a b`: each text under a ==> a <== line, as head does
    printed = [False, True]  # anything printed yet; whether it ended with a newline

    def show(path: str, text: str | bytes | None) -> None:
        if text is None:
            return
        if banners:
            sys.stdout.write(("" if printed[1] else "\n") + ("\n" if printed[0] else "") + f"==> {path} <==\n")
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
        nl = b"\n" if isinstance(text, bytes) else "\n"
        printed[0], printed[1] = True, text.endswith(nl) or (not text and printed[1])

    def take(res) -> None:
        if res.status == "skipped" and (res.path in explicit or args.strict):
            res.status = "error"
        results.append(res)

    for m in missing:
        take(FileResult(m, "error", MISSING))
        report.add(results[-1])
    for f in stdin_files:
        data = sys.stdin.buffer.read()
        res, new = process_bytes("-", data, cleaner, opts)
        take(res)
        if res.status == "error" and (mode == "fix" or printing):
            res.message += "; copied to standard output unchanged"
        if mode == "fix" or printing:
            # standard output gets every byte: the cleaned text (in the input's encoding and
            # newlines), or the input as it came when it is not text we can clean: nothing is lost
            # in a pipe, and the exit code says what happened
            show("-", new if new is not None else data)
        report.add(res)
    progress = Progress(len(disk_files)) if sys.stderr.isatty() and len(disk_files) > 20 and not args.quiet else None
    interrupted = False
    try:
        stream = (run_on_dask(disk_files, cleaner, opts, args.dask, progress) if args.dask and disk_files
                  else run_many(disk_files, cleaner, opts, jobs, progress))
        for res in stream:
            take(res)
            if printing:
                show(res.path, res.output)
            report.add(res)
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
    if any(r.status == "error" for r in results):
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



def _learn_command(args, bundled: bool, glossaries: list, disable: list, level, assume_mt: bool) -> int:
    """``cleanmt learn``: the work is in ``learning/command.py``; the exit codes are defined here."""
    from .learning.command import run

    codes = {"ok": EXIT_OK, "usage": EXIT_USAGE, "input": EXIT_INPUT, "glossary": EXIT_GLOSSARY}
    return codes[run(args, bundled, glossaries, disable, level, assume_mt)]
