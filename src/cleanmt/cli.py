"""The ``cleanmt`` command. ``main(argv) -> int``; every exit code is defined here."""
from __future__ import annotations

import argparse
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
    except Exception as exc:  # pragma: no cover - reported, not hidden
        print(f"cleanmt: internal error: {exc!r}", file=sys.stderr)
        return EXIT_INTERNAL
