"""Large files cleaned piece by piece in bounded memory: a first read collects the document's
trigger words and newline style, a second cleans paragraph-aligned pieces (each told which
document edges it holds) and, for fix, writes them to a temporary file that replaces the target
at the end."""
from __future__ import annotations

import codecs
import os
import stat
import tempfile
from pathlib import Path

from .evidence import shows_mt
from .formats import text_format
from .files import _BOMS, _HEAD, CHUNK, FileResult, Options, Unreadable, _binary_head, _mirror_path, _records

MAX_RECORDS = 10_000  # per streamed file; the counts by rule stay exact


def _sniff(p: Path) -> tuple[str, bool]:
    """(encoding, whether a BOM is there) from the first bytes; raises Unreadable for binary."""
    with open(p, "rb") as f:
        head = f.read(_HEAD)
    if _binary_head(head):
        raise Unreadable("binary file (NUL bytes)")
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, True
    return "utf-8", False


def _decoded_chunks(p: Path, encoding: str, size: int = CHUNK):
    """The file's text in pieces of about ``size`` characters (strict decoding)."""
    dec = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with open(p, "rb") as f:
        while True:
            data = f.read(size)
            try:
                text = dec.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                raise Unreadable(f"not UTF-8 text ({exc.reason} at byte {offset + exc.start})") from None
            offset += len(data)
            if text:
                yield text
            if not data:
                return


def _cut(buf: str, final: bool) -> int:
    """Where to end the next piece: after a paragraph break, else a line break, else a sentence
    end, else a space.
    At least one piece's worth stays behind, so the last piece (which holds the document's end,
    where a scraper footer is removed) is never a fragment."""
    if final:
        return len(buf)
    if len(buf) < 2 * CHUNK:
        return 0
    limit = len(buf) - CHUNK
    for sep in ("\n\n", "\n", ". ", " "):  # a space only in a file with no sentence ends
        i = buf.rfind(sep, 0, limit)
        if i > 0:
            return i + len(sep)
    return limit


def process_stream(p: Path, st, cleaner, opts: Options) -> FileResult:
    """Clean a large file piece by piece: a first read collects the document's trigger words and
    its newline style, a second cleans paragraph-aligned pieces and (for fix) writes them to a
    temporary file that replaces the original at the end. Memory stays bounded by the piece size."""
    res = FileResult(str(p), "unchanged", nbytes=st.st_size)
    try:
        encoding, _ = _sniff(p)
        words: set[str] = set()
        crlf, lf, tail = 0, 0, ""
        for text in _decoded_chunks(p, encoding, 4 * CHUNK):
            both = tail + text
            words |= cleaner.document_words(both)
            crlf += text.count("\r\n") + (1 if tail.endswith("\r") and text.startswith("\n") else 0)
            lf += text.count("\n")
            tail = both[-64:]
    except Unreadable as exc:
        res.status, res.message = "skipped", str(exc)
        return res
    except OSError as exc:
        return FileResult(str(p), "error", f"cannot be read: {exc.strerror or exc}")
    is_crlf = crlf > 0 and crlf == lf
    context = " ".join(sorted(words)) or "\0"
    fd = tmp = None
    if opts.mode == "fix":
        target = p if opts.out_dir is None else _mirror_path(p, opts)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".cleanmt-tmp", dir=target.parent)
    try:
        out = os.fdopen(fd, "wb") if fd is not None else None
        # the file is one document: once a piece shows machine-translation damage, the pieces after
        # it are cleaned as pieces of a machine translation; if pieces before it were left with
        # suggestions, the file is cleaned again with that known from the start
        changed, shown, unsure = _pass(p, encoding, cleaner, context, is_crlf, out, res, None)
        if shown and unsure:
            if out is not None:
                out.seek(0)
                out.truncate()
            res.rules, res.records = {}, []
            changed, _, _ = _pass(p, encoding, cleaner, context, is_crlf, out, res, True)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
            out.close()
            out = None
            if changed or opts.out_dir is not None:
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
                os.replace(tmp, target)
                tmp = None
    except Unreadable as exc:
        res.status, res.message = "skipped", str(exc)
        return res
    except OSError as exc:
        return FileResult(str(p), "error", f"cannot be processed: {exc.strerror or exc}")
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    if changed:
        res.status = "changed"
        if opts.mode == "diff":
            res.message = "no diff is shown for a file this large (cleaned in pieces): use fix --out-dir and compare"
    if res.records and len(res.records) >= MAX_RECORDS:
        res.message = f"only the first {MAX_RECORDS} edits and findings are listed"
    return res


def _pass(p: Path, encoding: str, cleaner, context: str, is_crlf: bool, out, res: FileResult, mt):
    """One cleaning pass over the file's pieces, writing to ``out``: (whether anything changed,
    whether some piece showed machine-translation damage, whether a piece before that one was
    left with suggestions)."""
    changed = shown = unsure = False
    line = 0
    encoder = codecs.getincrementalencoder(encoding)()
    buf = ""
    first = True
    chunks = _decoded_chunks(p, encoding)
    done = False
    while not done:
        nxt = next(chunks, None)
        if nxt is None:
            done = True
        else:
            buf += nxt
        while True:
            cut = _cut(buf, done)
            if not cut:
                break
            piece, buf = buf[:cut], buf[cut:]
            if is_crlf and piece.endswith("\r") and buf.startswith("\n"):
                piece, buf = piece[:-1], "\r" + buf
            text = piece.replace("\r\n", "\n") if is_crlf else piece
            last = done and not buf
            edges = "both" if first and last else "start" if first else "end" if last else "none"
            r = cleaner.clean(text, context=context, edges=edges, mt=mt or shown, format=text_format(str(p)))
            first = False
            if not shown:
                if shows_mt(r.edits):
                    shown = True
                elif any(f.suggestion for f in r.findings):
                    unsure = True
            if r.edits:
                changed = True
                for e in r.edits:
                    res.rules[e.rule_id] = res.rules.get(e.rule_id, 0) + 1
            if len(res.records) < MAX_RECORDS and (r.edits or r.findings):
                for rec in _records(text, r):
                    rec["line"] += line
                    rec["end_line"] += line
                    res.records.append(rec)
            line += text.count("\n")
            if out is not None:
                new = r.text.replace("\n", "\r\n") if is_crlf else r.text
                out.write(encoder.encode(new))
            if last:
                break
        if done:
            break
    if out is not None:
        out.write(encoder.encode("", final=True))
    return changed, shown, unsure
