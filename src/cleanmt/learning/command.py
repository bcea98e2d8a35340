"""What ``cleanmt learn`` does with its options: read the pairs, learn (or evaluate by K folds),
write the glossary atomically, report. Returns an outcome that ``cli.py`` turns into its exit
code; nothing is written when an input cannot be read."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..files import atomic_write
from ..glossary import GlossaryError
from . import learn
from .evaluate import kfold
from .inputs import InputError, keep_texts, load_pairs
from .report import format_eval, format_report


def run(args, bundled: bool, glossaries: list, disable: list, level: str | None = None,
        assume_mt: bool = False) -> str:
    """One of "ok", "usage", "input", "glossary". ``level`` and ``assume_mt`` say how ``--eval``
    cleans the held-out pairs."""
    fields = tuple(f.strip() for f in args.fields.split(","))
    if len(fields) != 2 or not all(fields):
        print(f"cleanmt learn: error: --fields takes two names, RAW,REF, not {args.fields!r}", file=sys.stderr)
        return "usage"
    if not (args.paths or args.raw or args.ref or args.bitext):
        print("cleanmt learn: error: no pairs: give NAME.raw.EXT files or folders, --raw FILE --ref FILE, "
              "or --bitext FILE", file=sys.stderr)
        return "usage"
    try:
        pairs, notes = load_pairs(args.paths, args.raw, args.ref, args.bitext, fields)
        keep, keep_notes = keep_texts(args.keep_corpus)
    except ValueError as exc:
        print(f"cleanmt learn: error: {exc}", file=sys.stderr)
        return "usage"
    except InputError as exc:
        print(f"cleanmt: {exc}", file=sys.stderr)
        return "input"
    for n in notes + keep_notes:
        print(f"cleanmt: {n}", file=sys.stderr)
    options = dict(min_support=args.min_support, disable=disable)
    try:
        if args.eval is not None:
            if not 2 <= args.eval <= len(pairs):
                print(f"cleanmt learn: error: --eval needs 2 <= K <= the number of pairs ({len(pairs)})",
                      file=sys.stderr)
                return "usage"
            applied = {"disable": disable, "level": level or "sure", "assume_mt": assume_mt}
            ev = kfold(pairs, args.eval, learn, bundled=bundled, base_files=[*glossaries, *args.extend],
                       keep=keep, applied=applied, **options)
            print(json.dumps(ev, ensure_ascii=False, indent=2) if args.format == "json" else format_eval(ev))
            return "ok"
        learned = learn(pairs, bundled=bundled, glossaries=glossaries, extend=args.extend, keep_corpus=keep,
                        **options)
    except GlossaryError as exc:
        print(f"cleanmt: glossary error: {exc}", file=sys.stderr)
        return "glossary"
    text = learned.toml()
    if args.output:
        try:
            atomic_write(Path(args.output), text.encode("utf-8"))
        except OSError as exc:
            print(f"cleanmt: {args.output}: cannot be written: {exc.strerror or exc}", file=sys.stderr)
            return "input"
    if args.format == "json":
        report = dict(learned.report, output=args.output)
        if not args.output:
            report["toml"] = text
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        if not args.output:
            sys.stdout.write(text)
        print(format_report(learned, args.output), file=sys.stderr)
    return "ok"
