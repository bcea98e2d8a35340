"""Glossary files: read them (TOML, or TSV/CSV lists of pairs), find the bundled ones.

The shape of an entry is checked in ``schema.py``; termbases for bilingual mode are read in
``termbase.py``. The bundled glossaries live in ``glossary/`` at the repository root (the place
people edit) and are shipped inside the wheel as the data package ``cleanmt.data``.
"""
from __future__ import annotations

import csv
import gc
import io
import tomllib
from contextlib import contextmanager
from pathlib import Path

from .schema import (  # noqa: F401  (the loader's public names)
    PATTERN_KEYS, TERM_KEYS, Entry, Glossary, GlossaryError, build_glossary,
)
from .termbase import load_termbase, read_table  # noqa: F401


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
    return build_glossary(path, data, gid)


def _load_table(path: Path, gid: str) -> Glossary:
    """A plain ``wrong<TAB>right`` (or CSV) list; each pair is its own example."""
    text, delim = read_table(path)
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
    entries its repeated full scans cost more than the building itself (~2x on load and compile),
    and a clean of a large document builds one candidate and one edit per hit (the scans grow with
    everything else the process holds). Reference counting still frees them; the collector
    resumes after (only if it was running: a caller's choice is kept)."""
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
    """The glossary/ folder: inside the installed package (the data package ``cleanmt.data``), or
    at the repository root."""
    here = Path(__file__).resolve().parent
    for cand in (here / "data", here.parent.parent / "glossary"):
        if cand.is_dir():
            return cand
    try:  # an editable install maps cleanmt.data elsewhere
        from importlib.resources import files

        p = Path(str(files("cleanmt.data")))
        if p.is_dir():
            return p
    except Exception:  # pragma: no cover - no glossary package at all
        pass
    raise FileNotFoundError("the bundled glossary folder was not found")


def bundled_paths() -> list[Path]:
    root = bundled_dir()
    return sorted(p for p in root.rglob("*") if p.suffix in (".toml", ".tsv", ".csv") and p.is_file())
