"""Human-written Portuguese from installed Debian packages, extracted the way a scraper would.

The precision suite (issue 14, point 7) needs real, correct Portuguese of technical registers: man
pages, HTML manuals, gettext catalogs. `.ci/install-corpora` installs them; this module finds them
where the packages put them and turns them into plain text as a user's scraper or converter would:
man pages rendered to fixed-width text, HTML reduced to its visible text, code and synopses left
unfenced among the prose. Nothing is copied into the repository; extracted text may be cached
under /tmp (set CLEANMT_HUMAN_TEXT_CACHE to another directory, or to "off").

    for source, doc_id, text in documents(max_bytes=200_000):
        ...

Sources (see SOURCES): "man", "debian-reference", "debian-edu", "lilypond", and two views of the
same catalogs: "po-file" (the .po text that msgunfmt gives back, for the CLI's .po handling) and
"po-msgstr" (the translations alone, joined by blank lines, as plain text).
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import html.parser
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

# Bump when the extraction changes, so that cached text is not reused.
EXTRACTOR_VERSION = "1"

MAN_ROOTS = ("/usr/share/man/pt_BR", "/usr/share/man/pt", "/usr/share/man/pt_PT")
LOCALE_DIRS = ("/usr/share/locale/pt_BR/LC_MESSAGES", "/usr/share/locale/pt/LC_MESSAGES",
               "/usr/share/locale/pt_PT/LC_MESSAGES")
HTML_SOURCES = {
    # source name: (directory, glob, names to leave out with the reason)
    "debian-reference": ("/usr/share/debian-reference", "*.pt-br.html*", ()),
    "debian-edu": ("/usr/share/doc/debian-edu-doc-pt-br", "*.html*", ()),
    # web-big-page.pt.html is every web/*.pt.html page again, concatenated: counted once.
    "lilypond": ("/usr/share/doc/lilypond/html", "**/*.pt.html*", ("web-big-page.pt.html",)),
}
SOURCES = ("man", "debian-reference", "debian-edu", "lilypond", "po-file", "po-msgstr")
MAN_WIDTH = 80


class Doc(NamedTuple):
    source: str
    doc_id: str
    text: str


# ---------------------------------------------------------------- discovery (sorted, no symlinks)

def _unique_files(paths: Iterable[Path]) -> list[Path]:
    """Regular files, sorted, symlinks and hard-linked duplicates left out (a page installed
    under two names is one document)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for p in sorted(paths, key=str):
        if p.is_symlink() or not p.is_file():
            continue
        st = p.stat()
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        out.append(p)
    return out


def man_files() -> list[Path]:
    files: list[Path] = []
    for root in MAN_ROOTS:
        r = Path(root)
        if r.is_dir():
            files += [p for p in r.glob("man*/*") if p.name[0] != "."]
    return _unique_files(files)


def html_files(source: str) -> list[Path]:
    directory, pattern, leave_out = HTML_SOURCES[source]
    d = Path(directory)
    if not d.is_dir():
        return []
    return _unique_files(p for p in d.glob(pattern) if p.name.removesuffix(".gz") not in leave_out
                         and p.name.removesuffix(".gz").endswith(".html"))


def mo_files() -> list[Path]:
    files: list[Path] = []
    for d in LOCALE_DIRS:
        if Path(d).is_dir():
            files += Path(d).glob("*.mo")
    return _unique_files(files)


def _files(source: str) -> list[Path]:
    if source == "man":
        return man_files()
    if source in HTML_SOURCES:
        return html_files(source)
    if source in ("po-file", "po-msgstr"):
        return mo_files()
    raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")


def _missing_tool(source: str) -> str | None:
    if source == "man" and not (shutil.which("man") or shutil.which("groff")):
        return "man pages are installed but neither man (man-db) nor groff is"
    if source.startswith("po-") and not shutil.which("msgunfmt"):
        return ".mo catalogs are installed but msgunfmt (gettext) is not"
    return None


def inventory() -> dict[str, int]:
    """Files found per source (0 when the source is missing or cannot be extracted here)."""
    return {s: 0 if _missing_tool(s) else len(_files(s)) for s in SOURCES}


def available() -> tuple[bool, str]:
    """(True, what was found) when at least one source can be extracted, else (False, why not):
    the reason is meant for pytest.skip."""
    inv = inventory()
    if any(inv.values()):
        return True, "found " + ", ".join(f"{s}: {n} files" for s, n in inv.items())
    tools = [t for t in (_missing_tool(s) for s in SOURCES) if t]
    why = "; ".join(dict.fromkeys(tools)) if tools else (
        "no human-written Portuguese corpus installed (no pt/pt_BR man pages, .mo catalogs or "
        "Portuguese HTML manuals where Debian's packages put them)")
    return False, why + "; run .ci/install-corpora as root on Debian to install it"


# ---------------------------------------------------------------- cache

def _cache_dir() -> Path | None:
    v = os.environ.get("CLEANMT_HUMAN_TEXT_CACHE", "/tmp/cleanmt-human-text")
    if v.lower() == "off":
        return None
    return Path(v)


def _cached(kind: str, path: Path, extract) -> str:
    """``extract(path)``, cached by kind, path, size and mtime (the packages may be upgraded)."""
    d = _cache_dir()
    if d is None:
        return extract(path)
    st = path.stat()
    key = hashlib.sha1(f"{EXTRACTOR_VERSION}\0{kind}\0{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    f = d / f"{kind}-{key.hexdigest()}.txt"
    try:
        return f.read_text(encoding="utf-8")
    except OSError:
        pass
    text = extract(path)
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = f.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, f)
    except OSError:
        pass  # a read-only /tmp only costs speed
    return text


# ---------------------------------------------------------------- man pages

_OVERSTRIKE = re.compile(r".\x08")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _man_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAN", "LC_", "GROFF"))}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", MANWIDTH=str(MAN_WIDTH), MANPAGER="cat",
               PAGER="cat", GROFF_NO_SGR="1", MAN_DISABLE_SECCOMP="1")
    return env


def _plain(raw: bytes) -> str:
    """What ``col -bx`` does to terminal output (overstrike bold/underline gone, tabs expanded),
    plus any escape sequence a formatter might still emit."""
    if shutil.which("col"):
        raw = subprocess.run(["col", "-bx"], input=raw, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=_man_env(), check=False).stdout
    text = raw.decode("utf-8", errors="replace")
    text = _ANSI.sub("", _OVERSTRIKE.sub("", text)).expandtabs()
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


def render_man(path: Path) -> str:
    """A man page as ``man page > page.txt`` gives it: 80 columns, no hyphenation or justification
    (so that words and spaces are the writer's), code and synopsis lines as plain text."""
    env = _man_env()
    if shutil.which("man"):
        cmd = ["man", "--no-hyphenation", "--no-justification", "-E", "UTF-8", "-l", str(path)]
        raw = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                             check=False).stdout
    else:  # groff alone: decompress, preprocess tables, format for a UTF-8 terminal
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        cmd = ["groff", "-k", "-t", "-mandoc", "-Tutf8", f"-rLL={MAN_WIDTH}n", "-rHY=0", "-P-c"]
        raw = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env, check=False).stdout
    return _plain(raw)


# ---------------------------------------------------------------- HTML

class _VisibleText(html.parser.HTMLParser):
    """The visible text of a page, as a scraper keeps it: block elements end paragraphs, list
    items and table cells end lines, <pre> keeps its lines as they are (unfenced), inline markup
    (<code>, <em>, links) melts into the sentence, script/style/head are dropped."""

    SKIP = {"script", "style", "head", "noscript", "template", "svg", "math"}
    PARA = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "thead",
            "tbody", "tfoot", "tr", "blockquote", "section", "article", "header", "footer", "nav",
            "aside", "hr", "form", "fieldset", "figure", "figcaption", "caption", "address",
            "main", "details", "summary", "center", "body", "html", "menu", "legend"}
    LINE = {"br", "li", "dt", "dd", "td", "th", "option"}
    VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
            "param", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.skip: list[str] = []  # open skipped elements
        self.pre = 0

    def _end_line(self) -> None:
        text = " ".join("".join(self.inline).split())
        self.inline = []
        if text:
            self.lines.append(text)

    def _end_para(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag == self.skip[-1] and tag not in self.VOID:
                self.skip.append(tag)
            return
        if tag in self.SKIP:
            self.skip.append(tag)
        elif tag == "pre":
            self._end_para()
            self.pre += 1
        elif self.pre:
            if tag == "br":
                self.inline.append("\n")
        elif tag in self.PARA:
            self._end_para()
        elif tag in self.LINE:
            self._end_line()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
            if not self.pre:
                block = "".join(self.inline)
                self.inline = []
                block = block[1:] if block.startswith("\n") else block  # HTML drops it too
                self.lines += [line.rstrip() for line in block.rstrip().split("\n")]
                self.lines.append("")
        elif self.pre:
            return
        elif tag in self.PARA:
            self._end_para()
        elif tag in self.LINE:
            self._end_line()

    def handle_data(self, data):
        if not self.skip:
            self.inline.append(data.expandtabs() if self.pre else data)

    def text(self) -> str:
        self.close()
        self._end_para()
        out = "\n".join(self.lines).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", out) + "\n"


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def _decode_html(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    enc = (m.group(1) or m.group(2)).decode("ascii") if m else "utf-8"
    try:
        codecs.lookup(enc)
    except LookupError:
        enc = "utf-8"
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def html_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    p = _VisibleText()
    p.feed(_decode_html(data))
    return p.text()


# ---------------------------------------------------------------- gettext catalogs

def po_text(path: Path) -> str:
    """The .po file that ``msgunfmt`` rebuilds from a compiled catalog, decoded by its header."""
    raw = subprocess.run(["msgunfmt", str(path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=_man_env(), check=False).stdout
    m = re.search(rb"charset=([A-Za-z0-9_.:-]+)", raw[:4096])
    enc = m.group(1).decode("ascii") if m else "utf-8"
    try:
        return raw.decode(enc)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("utf-8", errors="replace")


_PO_STRING = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"((?:[^"\\]|\\.)*)"\s*$')
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
               "f": "\f", "v": "\v"}


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: _PO_ESCAPES.get(m.group(1), m.group(0)), s)


def po_messages(text: str) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, msgstr[1]...]) for each message of a .po text, header left out, strings
    spread over several quoted lines joined, C escapes decoded."""
    out: list[tuple[str, list[str]]] = []
    fields: dict[str, str] = {}
    key = None

    def flush() -> None:
        if "msgid" in fields and fields["msgid"]:
            strs = [fields[k] for k in sorted(fields, key=_plural_index) if k.startswith("msgstr")]
            out.append((fields["msgid"], strs))
        fields.clear()

    for line in text.splitlines():
        m = _PO_STRING.match(line)
        if not m:
            if not line.strip() or line.startswith("#"):
                key = None if not line.strip() else key
            continue
        kw, s = m.group(1), _unescape(m.group(2))
        if kw:
            if kw in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
                flush()
            key = kw
            fields[key] = s
        elif key:
            fields[key] += s
    flush()
    return out


def _plural_index(k: str) -> int:
    m = re.search(r"\[(\d+)\]", k)
    return int(m.group(1)) if m else 0


def msgstr_text(po: str) -> str:
    """The translations of a catalog as plain text: each msgstr a paragraph."""
    strs = [s for _, ss in po_messages(po) for s in ss if s.strip()]
    return "\n\n".join(s.strip("\n") for s in strs) + "\n" if strs else ""


# ---------------------------------------------------------------- documents

def _doc_id(path: Path) -> str:
    """A short stable name: the path below /usr/share."""
    s = str(path)
    return s.removeprefix("/usr/share/")


def _extract(source: str, path: Path) -> str:
    if source == "man":
        return _cached("man", path, render_man)
    if source in HTML_SOURCES:
        return _cached("html", path, html_text)
    po = _cached("po", path, po_text)
    return po if source == "po-file" else msgstr_text(po)


def documents(sources: Iterable[str] | None = None, max_bytes: int | None = None,
              jobs: int | None = None) -> Iterator[Doc]:
    """Every extracted document, in a fixed order (SOURCES order, then sorted paths).

    ``max_bytes`` caps each source: a source stops after the document that reaches that many
    UTF-8 bytes, so a quick run still sees every source. Empty documents are left out. Rendering
    (man, msgunfmt) runs in ``jobs`` threads; the order does not depend on it."""
    names = list(SOURCES if sources is None else sources)
    for s in names:
        if s not in SOURCES:
            raise ValueError(f"unknown source {s!r}; known: {', '.join(SOURCES)}")
    jobs = jobs or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for source in names:
            if _missing_tool(source):
                continue
            files = _files(source)
            used = 0
            step = max(jobs * 2, 1)
            for i in range(0, len(files), step):
                batch = files[i:i + step]
                for path, text in zip(batch, pool.map(lambda p: _extract(source, p), batch)):
                    if not text.strip():
                        continue
                    yield Doc(source, _doc_id(path), text)
                    used += len(text.encode("utf-8"))
                    if max_bytes is not None and used >= max_bytes:
                        break
                else:
                    continue
                break
