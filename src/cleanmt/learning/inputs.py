"""Where ``cleanmt learn`` finds its pairs: ``--raw A --ref B`` (files in order, or two folders
paired by relative path), files named ``NAME.raw.EXT`` beside ``NAME.ref.EXT`` (or folders of
them), and ``--bitext`` rows (``raw<TAB>ref``, or JSON Lines with two named fields). Every error
names the file (and line)."""
from __future__ import annotations

import json
from pathlib import Path

from ..files import Unreadable, decode

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".rst")


class InputError(Exception):
    """An input that cannot be used; the message names it."""


def read_text(path: Path, what: str = "") -> str:
    label = f"{what} {path}" if what else str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read: {exc.strerror or exc}") from None
    try:
        return decode(data).text
    except Unreadable as exc:
        raise InputError(f"{label}: {exc}") from None


def _texts_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def _ref_of(raw: Path) -> Path | None:
    """NAME.raw.EXT -> NAME.ref.EXT (None if the name has no .raw. part)."""
    parts = raw.name.split(".")
    if len(parts) < 3 or parts[-2] != "raw":
        return None
    return raw.with_name(".".join(parts[:-2] + ["ref", parts[-1]]))


def named_pairs(paths: list[str], notes: list[str] | None = None) -> list[tuple[str, Path, Path]]:
    """NAME.raw.EXT files (named, or found in folders) with NAME.ref.EXT beside them; a raw file of
    a folder without its reference is noted in ``notes`` and left out (as ``--raw DIR`` does)."""
    out = []
    for a in paths:
        p = Path(a)
        if p.is_dir():
            found = [(q, _ref_of(q)) for q in _texts_under(p) if _ref_of(q) is not None]
            if notes is not None:
                notes += [f"{q}: no {r.name} beside it to pair it with; left out" for q, r in found if not r.is_file()]
            found = [(q, r) for q, r in found if r.is_file()]
            if not found:
                raise InputError(f"{p}: no NAME.raw.EXT file with a NAME.ref.EXT beside it")
            out += [(str(q.relative_to(p).with_name(q.name.replace(".raw.", "."))), q, r) for q, r in found]
        else:
            ref = _ref_of(p)
            if not p.exists():
                raise InputError(f"{p}: no such file")
            if ref is None:
                raise InputError(f"{p}: not named NAME.raw.EXT (use --raw FILE --ref FILE for other names)")
            if not ref.is_file():
                raise InputError(f"{p}: its reference {ref} does not exist")
            out.append((p.name.replace(".raw.", "."), p, ref))
    return out


def raw_ref_pairs(raws: list[str], refs: list[str]) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """--raw/--ref given in order: file with file, or folder with folder by relative path. Also
    returns notes on files of a folder that have no counterpart (left out)."""
    if len(raws) != len(refs):
        raise ValueError(f"--raw is given {len(raws)} time(s) and --ref {len(refs)}: they are paired in order")
    out, notes = [], []
    for a, b in zip(raws, refs):
        pa, pb = Path(a), Path(b)
        for p in (pa, pb):
            if not p.exists():
                raise InputError(f"{p}: no such file or folder")
        if pa.is_dir() != pb.is_dir():
            raise ValueError(f"--raw {a} and --ref {b}: pair a file with a file, or a folder with a folder")
        if not pa.is_dir():
            out.append((pa.name, pa, pb))
            continue
        rel_b = {q.relative_to(pb) for q in _texts_under(pb)}
        for q in _texts_under(pa):
            rel = q.relative_to(pa)
            if rel in rel_b:
                out.append((str(rel), q, pb / rel))
            else:
                notes.append(f"{q}: no {pb / rel} to pair it with; left out")
        if not any(n for n, q, _ in out if q.is_relative_to(pa)):
            raise InputError(f"{pa} and {pb}: no file of the same relative path in both")
    return out, notes


def bitext_pairs(path: str, fields: tuple[str, str]) -> list[tuple[str, str, str]]:
    """Rows of raw<TAB>ref (a .tsv or any other name), or JSON Lines records (.jsonl)."""
    p = Path(path)
    text = read_text(p, "bitext")
    out = []
    jsonl = p.suffix.lower() in (".jsonl", ".ndjson")
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if n == 1 and not jsonl and line.rstrip("\r").split("\t") == list(fields):
            continue  # a header row naming the columns
        where = f"{p}:{n}"
        if jsonl:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not a JSON record ({exc.msg})") from None
            if not isinstance(rec, dict) or not all(isinstance(rec.get(f), str) for f in fields):
                raise InputError(f"{where}: needs string fields {fields[0]!r} and {fields[1]!r} (see --fields)")
            raw, ref = rec[fields[0]], rec[fields[1]]
        else:
            cols = line.split("\t")
            if len(cols) != 2:
                raise InputError(f"{where}: expected two tab-separated columns, raw<TAB>ref; found {len(cols)}")
            # a TSV cell holds its line breaks escaped
            raw, ref = (c.replace("\\n", "\n").replace("\\t", "\t") for c in cols)
        out.append((where, raw, ref))
    if not out:
        raise InputError(f"{p}: no rows")
    return out


def keep_texts(folders: list[str]) -> tuple[list[str], list[str]]:
    """Text files of the keep corpus folders (or files), and notes on files skipped."""
    texts, notes = [], []
    for f in folders:
        p = Path(f)
        if not p.exists():
            raise InputError(f"keep corpus {p}: no such file or folder")
        for q in ([p] if p.is_file() else _texts_under(p)):
            try:
                texts.append(read_text(q))
            except InputError as exc:
                if q == p:
                    raise
                notes.append(f"{exc}; skipped")
    return texts, notes


def load_pairs(paths, raws, refs, bitexts, fields) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Every pair the options name, as (name, raw text, ref text), in a stable order."""
    notes: list[str] = []
    found = named_pairs(list(paths), notes)
    extra, more = raw_ref_pairs(list(raws), list(refs))
    found += extra
    notes += more
    pairs = [(name, read_text(a, "raw text"), read_text(b, "reference")) for name, a, b in found]
    for b in bitexts:
        pairs += bitext_pairs(b, fields)
    return pairs, notes
