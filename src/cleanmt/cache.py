"""A compiled Cleaner kept on disk, so that the command line and the pre-commit hook do not load,
validate and test every glossary entry on each run.

The cache key is a hash of cleanmt's version and code (file sizes and times of its modules), of
every glossary file's content, and of the options; any change builds a new one. The cache lives in
$CLEANMT_CACHE_DIR, else $XDG_CACHE_HOME/cleanmt, else ~/.cache/cleanmt; a cache that cannot be
read or written is ignored (the Cleaner is simply built).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from . import __version__
from .glossary import bundled_paths, gc_paused


def cache_dir() -> Path:
    if os.environ.get("CLEANMT_CACHE_DIR"):
        return Path(os.environ["CLEANMT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleanmt"


def _code_fingerprint() -> str:
    here = Path(__file__).resolve().parent
    parts = []
    for p in sorted(here.rglob("*.py")):
        st = p.stat()
        parts.append(f"{p.relative_to(here).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts)


def _library_fingerprint() -> str:
    """The pickled automaton is pyahocorasick's own C state: a new Python or pyahocorasick builds
    a new cache."""
    import ahocorasick

    return f"{sys.version}:{ahocorasick.__file__}:{os.stat(ahocorasick.__file__).st_mtime_ns}"


def cache_key(paths: list, options: tuple) -> str:
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(_code_fingerprint().encode())
    h.update(_library_fingerprint().encode())
    for p in paths:
        p = Path(p)
        h.update(str(p.resolve()).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    h.update(repr(options).encode())
    return h.hexdigest()[:40]


def cached_cleaner(build, bundled: bool, extra: list, options: tuple):
    """``build()`` once per distinct set of glossary files and options; later from the cache."""
    paths = (list(bundled_paths()) if bundled else []) + [p for p in extra]
    try:
        key = cache_key(paths, (bundled, *options))
    except OSError:
        return build()
    target = cache_dir() / f"cleaner-{key}.pickle"
    try:
        with open(target, "rb") as f, gc_paused():
            return pickle.load(f)
    except Exception:  # missing, truncated or from another version: the cache is only a shortcut
        pass
    cleaner = build()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".cleaner-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(cleaner.without_examples(), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        _prune(target.parent, keep=target)
    except OSError:
        pass
    return cleaner


def _prune(folder: Path, keep: Path, most: int = 8) -> None:
    """Keep the most recently built cached Cleaners only (a 50k-entry one takes ~50 MB)."""
    old = sorted(folder.glob("cleaner-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for p in old[most:]:
        if p != keep:
            p.unlink(missing_ok=True)
