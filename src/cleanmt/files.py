"""Files: which to clean, and how to read and write them without losing anything (running over
them is batch.py's)."""
from __future__ import annotations

import codecs
import difflib
import fnmatch
import os
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .formats import clean_bitext, clean_text, kind_of, text_format

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


class Unreadable(Exception):
    """A file that is not text we can clean (binary, undecodable); it is left untouched."""


@dataclass
class Decoded:
    text: str  # with "\n" newlines when the file used CRLF throughout
    encoding: str
    crlf: bool


# A NUL byte alone does not make a file binary: text that decodes is cleaned around its NUL
# characters, as ``clean()`` does. But NULs in a tenth or more of the first bytes are the mark of
# UTF-16/32 without a BOM (or of a binary format that happens to decode): cleaning that as UTF-8
# would corrupt it, so it is skipped.
_HEAD = 8192
_NUL_SHARE = 0.1


def _binary_head(head: bytes) -> bool:
    return (head.count(0) >= max(1, _NUL_SHARE * len(head))
            and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)))


def decode(data: bytes) -> Decoded:
    if _binary_head(data[:_HEAD]):
        raise Unreadable("binary file (NUL bytes)")
    encoding = "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    return Decoded(text, encoding, crlf)


def encode(text: str, d: Decoded) -> bytes:
    if d.crlf:
        text = text.replace("\n", "\r\n")
    return text.encode(d.encoding)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_umask()  # read once, at import (setting it back and forth is not thread-safe)


def atomic_write(path: Path, data, mode: int | None = None) -> None:
    """Write ``data`` (bytes, or a function that writes to a binary file) to ``path`` so that a
    crash leaves the old file or the new one, never a mix: a temporary file in the same folder,
    flushed and fsynced, renamed over the original. ``mode``: the file's permissions; by default
    those of the file it replaces, or a new file's (the umask applied), not the temporary file's
    private 0600."""
    folder = path.parent
    if mode is None:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = _NEW_FILE_MODE
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cleanmt-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


@dataclass
class Options:
    mode: str  # "fix" | "check" | "diff" | "explain"
    out_dir: Path | None = None
    root: Path | None = None  # for --out-dir: paths are mirrored relative to this (see mirror_root)
    jsonl_field: str = "text"  # --column: the JSON Lines field or Parquet column that holds the text
    edits_column: str | None = None  # Parquet: write each row's edits (JSON) and their count beside it
    source: str | None = None
    bitext: bool = False  # TSV of source<TAB>translation rows: clean the second column
    bitext_per_row: bool = False  # each row its own document (default: the file's rows are one)


@dataclass
class FileResult:
    path: str
    status: str  # "unchanged" | "changed" | "skipped" | "error"
    message: str = ""
    records: list[dict] = field(default_factory=list)  # edits and findings with line/col
    rules: dict[str, int] = field(default_factory=dict)  # edits per rule id
    nbytes: int = 0
    diff: str = ""
    output: str | None = None  # cleaned text, for "-" (standard output)


def _line_col(text: str, offset: int, line_starts: list[int]) -> tuple[int, int]:
    from bisect import bisect_right

    i = bisect_right(line_starts, offset) - 1
    return i + 1, offset - line_starts[i] + 1


def _records(text: str, result) -> list[dict]:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"] if result.edits or result.findings else [0]
    out = []
    for e in result.edits:
        line, col = _line_col(text, e.start, starts)
        end_line, end_col = _line_col(text, e.end, starts)
        out.append({"kind": "edit", "line": line, "col": col, "end_line": end_line, "end_col": end_col,
                    "before": e.before, "after": e.after, "rule_id": e.rule_id, "stage": e.stage})
    for f in result.findings:
        line, col = _line_col(text, f.start, starts)
        end_line, end_col = _line_col(text, f.end, starts)
        rec = {"kind": "finding", "line": line, "col": col, "end_line": end_line, "end_col": end_col,
               "message": f.message, "rule_id": f.rule_id, "stage": f.stage}
        if f.replacement is not None:  # a suggestion: an edit the evidence does not support enough
            rec.update(kind="suggestion", before=text[f.start:f.end], after=f.replacement)
        out.append(rec)
    out.sort(key=lambda r: (r["line"], r["col"], r["kind"]))
    return out


def process_bytes(name: str, data: bytes, cleaner, opts: Options) -> tuple[FileResult, bytes | None]:
    """Clean one file's bytes: (result, new bytes or None when nothing changes)."""
    res = FileResult(name, "unchanged", nbytes=len(data))
    try:
        d = decode(data)
    except Unreadable as exc:
        res.status, res.message = "skipped", str(exc)
        return res, None
    source = opts.source if opts.source is not None else paired_source(name)
    if opts.bitext:
        result = clean_bitext(cleaner, d.text, per_row=opts.bitext_per_row)
    elif source is not None:
        result = cleaner.clean(d.text, source=source)
    else:
        result = clean_text(cleaner, d.text, kind_of(name), opts.jsonl_field, text_format(name))
    res.records = _records(d.text, result)
    for e in result.edits:
        res.rules[e.rule_id] = res.rules.get(e.rule_id, 0) + 1
    if opts.mode == "clean" or name == "-":
        res.output = result.text
    if result.text == d.text:
        return res, None
    res.status = "changed"
    if opts.mode == "diff":
        res.diff = "".join(difflib.unified_diff(
            d.text.splitlines(keepends=True), result.text.splitlines(keepends=True),
            fromfile=f"a/{name}", tofile=f"b/{name}"))
    return res, encode(result.text, d)


_PAIRED = (".pt.", ".pt-br.", ".pt-pt.", ".pt_BR.", ".pt_PT.")


def paired_source(name: str) -> str | None:
    """The source text of NAME.pt.EXT when NAME.zh.EXT (or .zh-cn, .zh_CN) lies beside it."""
    if name == "-":
        return None
    p = Path(name)
    for mark in _PAIRED:
        if mark in p.name:
            stem, ext = p.name.rsplit(mark, 1)
            for zh in ("zh", "zh-cn", "zh_CN", "zh-CN"):
                cand = p.with_name(f"{stem}.{zh}.{ext}")
                if cand.is_file():
                    try:
                        return decode(cand.read_bytes()).text
                    except (OSError, Unreadable):
                        return None
    return None


CHUNK = 1 * 2**20


def _write_out(p: Path, data: bytes, mode: int, opts: Options) -> None:
    dest = _mirror_path(p, opts)
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, data, mode)


def _copy_out(p: Path, mode: int, opts: Options) -> None:
    """Copy a large file into the mirror unchanged (atomically, in bounded memory)."""
    import shutil

    dest = _mirror_path(p, opts)
    dest.parent.mkdir(parents=True, exist_ok=True)

    def copy(out) -> None:
        with open(p, "rb") as src:
            shutil.copyfileobj(src, out, CHUNK)

    atomic_write(dest, copy, mode)


def mirror_root(paths: list[str]) -> Path:
    """The one rule of --out-dir: paths are mirrored relative to the deepest folder holding every
    input, a folder counting as itself and a file as the folder it is in (``fix docs/`` gives
    ``OUT/x.md``; ``fix docs/x.md`` gives ``OUT/x.md``; ``fix A/ B/`` gives ``OUT/A/...``,
    ``OUT/B/...``). Absolute paths without resolving symlinks, so a path is mirrored as written."""
    folders = []
    for arg in paths:
        if arg == "-":
            continue
        a = os.path.abspath(arg)
        folders.append(a if os.path.isdir(a) else os.path.dirname(a))
    return Path(os.path.commonpath(folders)) if folders else Path(os.path.abspath(os.curdir))


# -- choosing files ------------------------------------------------------------------------------

def _matches(rel: str, patterns) -> bool:
    """fnmatch on the relative path and on each of its trailing parts ("docs/*.md", "*.md", "build")."""
    parts = rel.split("/")
    for pat in patterns:
        pat = pat.rstrip("/")
        if fnmatch.fnmatch(rel, pat) or any(fnmatch.fnmatch("/".join(parts[i:]), pat) for i in range(len(parts))):
            return True
        if any(fnmatch.fnmatch(part, pat) for part in parts[:-1]):
            return True  # a folder name excludes everything below it
    return False


def _git_ignored(paths: list[Path]) -> set[Path]:
    """Paths git ignores (.gitignore, .git/info/exclude, global excludes); empty outside a repo."""
    if not paths:
        return set()
    absolute = {str(p.resolve()): p for p in paths}
    here = paths[0].resolve()
    try:
        out = subprocess.run(["git", "check-ignore", "--stdin", "-z"], input="\0".join(absolute).encode(),
                             capture_output=True, cwd=here if here.is_dir() else here.parent, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return set()
    if out.returncode not in (0, 1):  # 128: not a git repository
        return set()
    return {absolute[x] for x in out.stdout.decode(errors="replace").split("\0") if x in absolute}


MISSING = "no such file or folder"  # the note for a path that does not exist


def discover(paths: list[str], include, exclude, force_exclude: bool) -> tuple[list[str], list[str]]:
    """(files to clean, notes about what was left out). Folders are walked recursively; a file
    named explicitly is taken as it is, unless ``force_exclude`` and an exclude pattern match it."""
    files: list[str] = []
    notes: list[str] = []
    for arg in paths:
        if arg == "-":
            files.append("-")
            continue
        p = Path(arg)
        if p.is_dir():
            found = []
            for folder, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in (".git", ".hg", ".svn")
                                 and not _matches(_rel(Path(folder) / d, p), exclude))
                for n in sorted(names):
                    f = Path(folder) / n
                    rel = _rel(f, p)
                    if _matches(rel, include) and not _matches(rel, exclude):
                        found.append(f)
            ignored = _git_ignored(found)
            files += [str(f) for f in found if f not in ignored]
        elif p.exists() or p.is_symlink():
            if force_exclude and (_matches(_rel(p, Path.cwd()), exclude) or p in _git_ignored([p])):
                notes.append(f"{arg}: excluded")
                continue
            files.append(arg)
        else:
            notes.append(f"{arg}: {MISSING}")
    return files, notes


def _rel(p: Path, base: Path) -> str:
    try:
        return p.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _mirror_path(p: Path, opts: Options) -> Path:
    a = Path(os.path.abspath(p))
    rel = a.relative_to(opts.root) if opts.root and a.is_relative_to(opts.root) else Path(p.name)
    return opts.out_dir / rel
