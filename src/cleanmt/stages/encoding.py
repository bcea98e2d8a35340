"""Stage ``encoding``: mojibake repaired with ftfy ("informaÃ§Ã£o" → "informação").

Scraped machine translation often went through a wrong decoding on the way, and a mojibake'd word
also escapes every glossary entry (the glossary sees the repaired word on the next round). ftfy is
the well-kept library for exactly this: it measures how likely a text is to be mojibake before it
changes anything, so correct text is never touched. Only its encoding fixers run: quotes are not
uncurled, « » and ligatures and widths are left alone, nothing is normalised. The lines to look at
are found by a cheap sign (a UTF-8 lead byte read as Latin-1 or Windows-1252, followed by a
continuation byte read the same way); ftfy decides. Each edit is named after the ftfy fixer that
made it: ``ftfy-fix-encoding`` (a chain of re-encodings), or ``ftfy-<fixer>`` for the others
(``ftfy-restore-byte-a0``, ``ftfy-fix-c1-controls``...).
"""
from __future__ import annotations

import difflib
import re

import regex

from .. import settle
from ..model import Edit
from ..typography import lines_with
from .base import Stage

# Â Ã Å... (C2-F4 read as Latin-1/Windows-1252) then a continuation byte read the same way
_SIGN = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                   "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_FOREIGN = regex.compile(r"[^\p{Latin}\p{Common}\p{Inherited}]")
_CONFIG: list = []


def _config():
    if not _CONFIG:
        from ftfy import TextFixerConfig

        _CONFIG.append(TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
            replace_lossy_sequences=True, decode_inconsistent_utf8=True, fix_c1_controls=True,
            fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
            fix_surrogates=False, remove_control_chars=False, normalization=None, explain=True))
    return _CONFIG[0]


def _rule_id(explanation) -> str:
    applied = [arg for step, arg in explanation if step == "apply"]
    if any(step in ("encode", "decode", "transcode") for step, _ in explanation) or not applied:
        return "ftfy-fix-encoding"
    return "ftfy-" + applied[0].replace("_", "-")


class EncodingStage(Stage):
    name = "encoding"

    def propose(self, doc):
        text = doc.text
        lines = _sign_lines(doc)
        if not lines:
            return [], []
        from ftfy import fix_encoding_and_explain
        from ftfy.badness import is_bad

        edits: list[Edit] = []
        for ls, le in lines:
            line = text[ls:le].removesuffix("\n")
            if not is_bad(line):
                continue
            fixed = fix_encoding_and_explain(line, _config())
            if fixed.text == line or _FOREIGN.search("".join(set(fixed.text) - set(line))):
                continue  # a "repair" into another script is a guess on Portuguese text: left alone
            rule = _rule_id(fixed.explanation)
            protected = doc.protected
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, line, fixed.text, autojunk=False).get_opcodes():
                if op == "equal":
                    continue
                s, e = ls + i1, ls + i2
                if protected and protected.overlaps(s, e):
                    continue
                edits.append(Edit(s, e, line[i1:i2], fixed.text[j1:j2], rule, self.name))
        return edits, []

    def settled(self, doc, after, swaps):
        """Settled where no line of the paragraph shows the sign of mojibake, unless the swap's
        last letter makes one with the character after it (its Latin letters make none inside, nor
        with the character before)."""
        if not swaps.edits:
            return []
        loud = settle.marked_spans(doc, _sign_lines(doc))
        text, n = after.text, len(after.text)
        # a Latin letter is never the second character of the sign: only the last one can lead it
        return [k not in loud and not (t < n and "\u00c2" <= text[t - 1] <= "\u00f4" and _SIGN.match(text, t - 1))
                for k, t in zip(swaps.paras, swaps.ends)]


def _sign_lines(doc) -> list[tuple[int, int]]:
    """The lines showing the sign (found once per Document)."""
    return doc.cached("encoding.sign-lines", lambda d: lines_with(_SIGN, d.text))
