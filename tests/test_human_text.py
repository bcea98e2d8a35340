"""The precision suite's extraction (tests/human_text.py): it must hand the cleaner plain text as a
scraper gets it, with no markup of the packaged format left, in a fixed order.

Tests on the installed corpora are skipped, with the reason, where the Debian packages are not
installed (run .ci/install-corpora as root). The assertions are properties of the text: nothing
of the third-party text is quoted here.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from . import human_text as ht

OK, WHY = ht.available()
installed = pytest.mark.skipif(not OK, reason=f"precision corpora not installed: {WHY}")

# roff requests at a line start, and roff escapes: what an unrendered page is made of.
_REQUEST = re.compile(r"^[ \t]*[.'](TH|SH|SS|B|I|BR|BI|IR|RB|PP|LP|P|TP|IP|HP|nf|fi|br|sp|de|if|ie|"
                      r"so|TS|TE|EX|EE|RS|RE|UR|UE|MT|ME|SY|YS|OP|ft|in|ti|ad|na|ne)\b", re.M)
_ESCAPE = re.compile(r"\\(f[BIRPC(\[]|\(..|\[[a-z]{2,}\]|\*[(\[]?|s[+-]?\d|&|e)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffd]")  # backspace overstrike, ESC, NUL, U+FFFD
_TAG = re.compile(r"</?(html|head|body|div|span|p|a|br|pre|code|table|tr|td|th|li|ul|ol|h[1-6]|"
                  r"script|style|meta|link|img|em|strong|tt|b|i|dl|dt|dd)\b[^<>]*>", re.I)
_ESCAPED_LT = re.compile(r"&(lt|#0*60|#x0*3c);", re.I)


def _raw(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _by_id(docs) -> dict[str, str]:
    return {d.doc_id: d.text for d in docs}


# ------------------------------------------------------------------ without the packages

def test_html_visible_text_keeps_pre_lines_and_drops_scripts():
    p = ht._VisibleText()
    p.feed("<html><head><title>T</title><style>p{x:1}</style></head><body>"
           "<h1>Um  título</h1><p>Primeira <code>frase</code>\n com <em>ênfase</em>.</p>"
           "<script>var x = 1;</script><pre>\nint n;   /* a */\n  x = 1;\n</pre>"
           "<ul><li>um</li><li>dois</li></ul><table><tr><td>a</td><td>b &amp; c</td></tr></table>"
           "<p>fim<br>linha</p></body></html>")
    assert p.text() == ("Um título\n\nPrimeira frase com ênfase.\n\nint n;   /* a */\n  x = 1;\n\n"
                        "um\ndois\n\na\nb & c\n\nfim\nlinha\n")


def test_po_messages_join_continued_strings_and_plurals():
    po = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgctxt "c"\nmsgid "a"\nmsgstr ""\n"um "\n"dois\\n"\n\n'
          'msgid "x"\nmsgid_plural "xs"\nmsgstr[0] "um \\"x\\""\nmsgstr[1] "vários\\tx"\n')
    assert ht.po_messages(po) == [("a", ["um dois\n"]), ("x", ['um "x"', "vários\tx"])]
    assert ht.msgstr_text(po) == 'um dois\n\num "x"\n\nvários\tx\n'


def test_available_gives_a_reason_when_nothing_is_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(ht, "MAN_ROOTS", (str(tmp_path / "man"),))
    monkeypatch.setattr(ht, "LOCALE_DIRS", (str(tmp_path / "locale"),))
    monkeypatch.setattr(ht, "HTML_SOURCES", {k: (str(tmp_path / k), g, x)
                                             for k, (_, g, x) in ht.HTML_SOURCES.items()})
    ok, why = ht.available()
    assert not ok and "install-corpora" in why
    assert list(ht.documents()) == []


# ------------------------------------------------------------------ on the installed corpora

@installed
def test_every_source_is_found():
    inv = ht.inventory()
    missing = [s for s, n in inv.items() if not n]
    assert not missing, f"installed corpora lack {missing} ({WHY})"


@installed
def test_man_pages_are_rendered_text():
    """No roff left: a page that documents roff itself (man(7), groff_me(7)...) shows some
    requests and escapes as examples, but far fewer than its source has; over the whole corpus
    they are rare. A few over-long lines are the pages' own (an example block the translation
    left filled), not the renderer's."""
    bad = []
    total_lines = roff_lines = long_lines = 0
    files = {ht._doc_id(p): p for p in ht.man_files()}
    docs = list(ht.documents(["man"]))
    assert docs
    for d in docs:
        raw = _raw(files[d.doc_id])
        if _CONTROL.search(d.text):
            bad.append((d.doc_id, "control character or overstrike"))
        for name, pat in (("requests", _REQUEST), ("escapes", _ESCAPE)):
            got, had = len(pat.findall(d.text)), len(pat.findall(raw))
            if got > max(2, had // 4):
                bad.append((d.doc_id, f"{got} roff {name} left of {had}"))
            roff_lines += got
        lines = d.text.splitlines()
        total_lines += len(lines)
        long_lines += sum(len(line) > ht.MAN_WIDTH + 20 for line in lines)
    assert not bad
    assert roff_lines < total_lines / 200
    assert long_lines < total_lines / 1000


@installed
def test_html_docs_have_no_tags_left():
    """A tag in the text must come from an escaped ``&lt;`` of the page (a code sample)."""
    bad = []
    sources = [s for s in ht.HTML_SOURCES if ht.html_files(s)]
    files = {ht._doc_id(p): p for s in sources for p in ht.html_files(s)}
    docs = list(ht.documents(sources))
    assert docs
    for d in docs:
        raw = _raw(files[d.doc_id])
        tags, escaped = len(_TAG.findall(d.text)), len(_ESCAPED_LT.findall(raw))
        if tags > escaped:
            bad.append((d.doc_id, f"{tags} tags, {escaped} escaped in the page"))
        if _CONTROL.search(d.text.replace("\t", "")):
            bad.append((d.doc_id, "control character"))
        if re.search(r"\n{3,}", d.text) or d.text != d.text.strip("\n") + "\n":
            bad.append((d.doc_id, "paragraphs not separated by exactly one blank line"))
    assert not bad


@installed
def test_po_sources_give_catalogs_and_their_translations():
    files = ht.mo_files()
    if not files:
        pytest.skip("no pt/pt_BR .mo catalogs installed")
    po = _by_id(ht.documents(["po-file"], max_bytes=2_000_000))
    strs = _by_id(ht.documents(["po-msgstr"], max_bytes=2_000_000))
    assert po and strs
    for doc_id, text in po.items():
        assert text.startswith(("msgid", "#")) and "\nmsgstr" in text, doc_id
        msgs = ht.po_messages(text)
        assert msgs, doc_id
        assert all(m and s is not None for m, ss in msgs for s in ss), doc_id
        if doc_id in strs:  # the msgstr view is exactly the non-empty translations
            want = [s.strip("\n") for _, ss in msgs for s in ss if s.strip()]
            assert strs[doc_id].split("\n\n")[:3] == "\n\n".join(want).split("\n\n")[:3], doc_id
    for doc_id, text in strs.items():
        assert text.strip() and "msgstr" not in text.split("\n", 1)[0], doc_id


@installed
def test_order_is_deterministic_and_sorted():
    first = [(d.source, d.doc_id, d.text) for d in ht.documents(max_bytes=150_000, jobs=4)]
    again = [(d.source, d.doc_id, d.text) for d in ht.documents(max_bytes=150_000, jobs=1)]
    assert first == again
    sources = [s for s, _, _ in first]
    assert sources == sorted(sources, key=ht.SOURCES.index)
    for s in set(sources):
        ids = [i for src, i, _ in first if src == s]
        assert ids == sorted(ids) and len(set(ids)) == len(ids), s


@installed
def test_max_bytes_caps_each_source():
    cap = 50_000
    sizes: dict[str, list[int]] = {}
    for d in ht.documents(max_bytes=cap):
        sizes.setdefault(d.source, []).append(len(d.text.encode("utf-8")))
    for s, got in sizes.items():
        assert sum(got[:-1]) < cap, s  # stops after the document that reaches the cap
