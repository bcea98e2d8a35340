"""Untranslated fragments: text left in another language or script. Findings only, never edits.

Three checks, cheapest first: runs of Han/Kana/Hangul/Cyrillic characters; runs of three or more
capitalised English words that are not known names; and paragraphs (or long sentences) whose
language is not Portuguese. The last one uses langdetect, seeded so that results repeat, and only
on text a cheap test already finds un-Portuguese (langdetect is slow to load and unreliable on
short text).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import repeat

import regex

from .model import Finding
from .protect import paragraph_bounds
from .typography import gated

STAGE = "language"
_SCRIPTS = regex.compile(
    r"(?P<Han>[\p{Han}][\p{Han}\p{Hiragana}\p{Katakana}\d，。、：；！？“”（）《》]*)"
    r"|(?P<Kana>[\p{Hiragana}\p{Katakana}]+)|(?P<Hangul>[\p{Hangul}]+)"
    r"|(?P<Cyrillic>\p{Cyrillic}{2,}(?:[ \t]+\p{Cyrillic}+)*)"
)
_WORD = regex.compile(r"[\p{L}\d][\p{L}\d'’-]*")
# Portuguese words that English text almost never contains: a cheap "is this Portuguese?" test
_PT_WORDS = frozenset("""
de que não é com para uma os da das dos em ao aos pela pelo pelas pelos como mais mas seu sua seus suas
ele ela eles elas são foi ser está estão também já isso isto essa esse esta este muito muitos muita
muitas pode podem ter tem têm entre sobre após até quando onde ainda sem num numa nos nas nem ou sua
o e do no na às à
""".split())
_PT_MARK = regex.compile(r"[ãõçáéíóúâêôà]")
_PT_MARK_WORD = regex.compile(r"\w*[ãõçáéíóúâêôà]\w*")
_EN_HINT = regex.compile(r"(?:th|wh|sh|w|k|y|ing|tion|ment|ness|ity|ed|ly|er|ou)", regex.IGNORECASE)
_EN_COMMON = frozenset("""
the of and to in for on with at by from up about into over after see more read learning platform system
robot dog iron egg fan users user four tigers night owl algorithm tracking focus owner laboratory
artificial intelligence lab center centre group team model models large language new open source data
reinforcement vision speech voice smart home phone mobile cloud edge device devices chip
""".split())
_PT_LEADS = frozenset("o a os as um uma e em no na nos nas do da dos das de ao à pelo pela com para por se".split())
_JOINERS = frozenset("of the and for in on to a an & x".split())
_RUN = regex.compile(r"(?:(?<![\p{L}\d])[\p{Lu}][\p{L}\d'’-]*(?:[ \t]+(?:of|the|and|for|in|on|to|a|an|&|x)){0,2}[ \t]+){2,}"
                     r"[\p{Lu}][\p{L}\d'’-]*")
# A necessary condition of _RUN for the stdlib engine (several times faster to scan than the
# regex module's \p classes): three words led by a character that may be a capital (any letter but
# Latin-1 lower case) with the same joiners; the look-behind, after the first character, rejects
# capitals inside a word cheaply (Latin-1 letters and digits only: a subset of _RUN's). _RUN then
# reads only the lines it hits (a run never crosses a line).
_CAP = r"[^\W\d_a-zß-ÿ]"
_JOIN = r"(?:[ \t]+(?:of|the|and|for|in|on|to|a|an|&|x)){0,2}[ \t]+"
_RUN_GATE = re.compile(_CAP + r"(?<![A-Za-z0-9\xaa\xb5\xba\xc0-\xd6\xd8-\xf6\xf8-\xff].)[\w'’-]*+" + _JOIN
                       + _CAP + r"[\w'’-]*+" + _JOIN + _CAP)
_EN_FUNCTION = regex.compile(r"\b(?:the|and|of|is|are|with|that|this|from|which|was|were|has|have)\b")
_SENTENCE = regex.compile(r"[^.!?\n]+[.!?]?")

_DETECTOR = []
_CACHE: dict[str, list] = {}


def _detect(text: str):
    """[(lang, prob), ...] from langdetect, seeded; imported on first use. The first 400
    characters are enough, and repeated paragraphs (corpora have many) are looked up once."""
    text = text[:400]
    hit = _CACHE.get(text)
    if hit is not None:
        return hit
    if not _DETECTOR:
        from langdetect import DetectorFactory, detect_langs

        DetectorFactory.seed = 0
        _DETECTOR.append(detect_langs)
    try:  # each call builds a detector seeded from DetectorFactory.seed: repeatable
        out = [(x.lang, x.prob) for x in _DETECTOR[0](text)]
    except Exception:  # langdetect raises on text without features
        out = []
    if len(_CACHE) > 10_000:
        _CACHE.clear()
    _CACHE[text] = out
    return out



def _masked(text: str, protected, fill: str = "\0") -> str:
    """The text with protected spans (code, URLs) blanked, offsets unchanged."""
    if not protected:
        return text
    parts, pos = [], 0
    for s, e in protected:
        parts += [text[pos:s], fill * (e - s)]
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


# UTF-8 lead bytes of Cyrillic (D0-D4) and of the 3- and 4-byte ranges holding Han, Kana and
# Hangul: a bytes scan for them is several times faster than a str scan for the scripts.
_SCRIPT_LEADS = re.compile(rb"[\xd0-\xd4\xe1\xe3-\xed\xef\xf0]")


def _lines_with_bytes(gate: re.Pattern, text: str, raw: bytes):
    """(start, end) str offsets of the lines of ``text`` where ``gate`` hits its UTF-8 ``raw``."""
    spos = bpos = 0  # a line start, in str and in bytes
    end_b = -1
    for g in gate.finditer(raw):
        if g.start() < end_b:
            continue
        a_b = raw.rfind(b"\n", 0, g.start()) + 1
        spos += len(raw[bpos:a_b].decode("utf-8", "surrogatepass"))
        bpos = a_b
        e_b = raw.find(b"\n", g.start())
        end_b = len(raw) if e_b < 0 else e_b + 1
        e = text.find("\n", spos)
        yield spos, (len(text) if e < 0 else e + 1)


def script_runs(text: str, protected, raw: bytes | None = None):
    raw = text.encode("utf-8", "surrogatepass") if raw is None else raw
    for a, b in _lines_with_bytes(_SCRIPT_LEADS, text, raw):
        yield from _script_runs(text, protected, a, b)


def _script_runs(text: str, protected, a: int, b: int):
    for m in _SCRIPTS.finditer(text, a, b):
        s, e = m.span()
        before, after = text[max(0, s - 1):s], text[e:e + 2]
        if before == "(" and text[e:e + 1] == ")":
            continue  # a gloss: Xiaomi (小米)
        if after in (" (", "（") and regex.match(r"[ （(]*\p{Latin}", text[e:e + 4]):
            continue  # 小米 (Xiaomi)
        if protected and protected.overlaps(s, e):
            continue
        script = m.lastgroup
        yield Finding(s, e, "untranslated-script", STAGE,
                      f"{script} characters left in the Portuguese text: {m.group()!r}")


def english_runs(text: str, protected, known: regex.Pattern | None):
    for m in gated(_RUN, _RUN_GATE, text):
        s, e = m.span()
        run = m.group()
        # a finding needs two English-looking capitalised words: most runs (names) stop here,
        # before the costlier known-name masking
        if sum(1 for w in _WORD.findall(run) if w[:1].isupper() and (
                w.lower() in _EN_COMMON or _EN_HINT.search(w))) < 2:
            continue
        if known is not None:
            for k in known.finditer(run):
                run = run[:k.start()] + "\0" * (k.end() - k.start()) + run[k.end():]
        for piece in regex.finditer(r"[^\0]+", run):
            words = [w for w in _WORD.findall(piece.group()) if w.lower() not in _JOINERS]
            while words and words[0].lower() in _PT_LEADS:
                words.pop(0)  # "O Robot Dog": the article is Portuguese
            caps = [w for w in words if w[:1].isupper()]
            if len(caps) < 3:
                continue
            lowered = [w.lower() for w in caps]
            if any(w in _PT_WORDS for w in lowered) or any(regex.search(r"[áéíóúâêôãõçà]", w) for w in lowered):
                continue
            english = sum(w in _EN_COMMON or bool(_EN_HINT.search(w)) for w in lowered)
            if english * 2 < len(caps):
                continue
            if protected and protected.overlaps(s, e):
                break  # asked last: it computes the paragraph's protected spans
            ps = s + piece.start() + piece.group().index(words[0])
            pe = s + piece.end() - (len(piece.group()) - len(piece.group().rstrip()))
            yield Finding(ps, pe, "untranslated-english", STAGE,
                          f"English left untranslated: {text[ps:pe]!r}")


def _pt_share(words: list[str]) -> float:
    """Share of words that look Portuguese: common function words, or words with pt diacritics."""
    if not words:
        return 1.0
    marked = len(_PT_MARK_WORD.findall(" ".join(words)))
    return (marked + sum(1 for w in words if w in _PT_WORDS and not _PT_MARK.search(w))) / len(words)


# Languages close to Portuguese: langdetect mistakes short Portuguese for them, and machine
# translation from Chinese does not leave them behind. Flagged only on long paragraphs.
_ROMANCE = frozenset({"es", "it", "fr", "ca", "gl", "ro", "oc"})


def _foreign(langs, words: int, threshold: float) -> bool:
    if not langs or langs[0][0] == "pt" or langs[0][1] < threshold:
        return False
    return langs[0][0] not in _ROMANCE or (words >= 25 and langs[0][1] >= 0.99)


def _common_words(s: str) -> list[str]:
    """The lower-case words: names and acronyms say little about the language of a sentence."""
    return [w for w in _WORD.findall(s) if w[:1].islower()]


# A cheap "clearly Portuguese" test, run on UTF-8 bytes with bytes.count (C speed, no regex and
# no per-word Python): Latin-1 letters (lead byte C3: ã, ç, é...) and common function words
# against the number of spaces. Only paragraphs that fail it get the exact word-level test.
_PT_BYTES = (b"\xc3", b" d", b" de", b" e ", b" o ", b" a ", b" que ")
_PT_TIERS = (_PT_BYTES[:2], _PT_BYTES[2:])  # the first two settle most paragraphs
# common words of _PT_WORDS that English does not have (short paragraphs need them)
_PT_WORDS_B = (b" em ", b" um ", b" uma ", b" com ", b" para ", b" sem ", b" na ", b" os ", b" ao ",
               b" n\xc3\xa3o ", b" mais ", b" como ", b" foi ", b" ser ")
_BLANK_B = re.compile(rb"\n[ \t]*\n")
# An English sentence inside a Portuguese paragraph: three space-led English function words
# (a literal-led pattern: one fast scan of the whole text finds the few paragraphs concerned).
# (the|this|that|and|of|is|are|with|which|was|were|from|has|have, factored: a faster scan)
_EN_SPACED = re.compile(r" (?:th(?:e|is|at)|and|of|is|are|w(?:ith|hich|as|ere)|from|ha(?:s|ve))\b")


def _doubtful(pieces: list[bytes]) -> list[int]:
    """Indexes of the paragraphs that are not clearly Portuguese (bulk counts via map: no
    per-paragraph Python beyond a comparison). Hints are counted in tiers, each only for the
    paragraphs the ones before did not settle (counts only add up). The last tier, Portuguese
    words English lacks, settles short paragraphs; it is weighed without " d", which English
    words ("did", "day") share."""
    spaces = list(map(bytes.count, pieces, repeat(b" ")))
    open_ = [i for i, n in enumerate(spaces) if n >= 7]
    hints = [0] * len(pieces)
    for tier in _PT_TIERS:
        rest = [pieces[i] for i in open_]
        for x in tier:
            for i, c in zip(open_, map(bytes.count, rest, repeat(x))):
                hints[i] += c
        open_ = [i for i in open_ if 5 * hints[i] < spaces[i] + 1]
        if not open_:
            return []
    rest = [pieces[i] for i in open_]
    words = [list(map(bytes.count, rest, repeat(x))) for x in (b" d", *_PT_WORDS_B)]
    return [i for i, d, *w in zip(open_, *words) if 5 * (hints[i] - d + sum(w)) < spaces[i] + 1]


def wrong_language(text: str, protected, min_words: int = 8, raw: bytes | None = None, bounds=None):
    raw = text.encode("utf-8", "surrogatepass") if raw is None else raw
    # the non-empty pieces between blank lines: the same paragraphs as paragraph_bounds(text)
    doubt = _doubtful([p for p in _BLANK_B.split(raw) if p])
    english = [m.start() for m in _EN_SPACED.finditer(text)]
    if not doubt and len(english) < 3:
        return
    starts, ends = paragraph_bounds(text) if bounds is None else bounds
    todo = set(doubt)
    k = 0
    while k + 2 < len(english):  # paragraphs with three English function words
        i = bisect_right(starts, english[k]) - 1
        j = bisect_left(english, ends[i], k)
        if j - k >= 3:
            todo.add(i)
        k = j
    for i in sorted(todo):
        ps, pe = starts[i], ends[i]
        # code and URLs blanked (offsets unchanged): they say nothing about the language
        spans = protected.spans(ps, pe) if protected else ()
        para = _masked(text[ps:pe], [(max(a, ps) - ps, min(b, pe) - ps) for a, b in spans], "\0")
        yield from _paragraph_language(para, ps, min_words)


def _lead(s: str) -> int:
    """Length of the leading blank (whitespace or masked characters)."""
    return len(s) - len(s.replace("\0", " ").lstrip())


def _paragraph_language(para: str, ps: int, min_words: int):
    pe = ps + len(para)
    words = _common_words(para[:600])  # a paragraph's start tells its language
    if len(words) < min_words:
        return
    if _pt_share(words) >= 0.12:
        # Portuguese overall; a long English sentence inside it can still be caught
        if len(_EN_FUNCTION.findall(para)) < 3:
            return
        for sm in _SENTENCE.finditer(para):
            sw = _common_words(sm.group())
            if len(sw) >= 10 and _pt_share(sw) == 0:
                langs = _detect(" ".join(sw))
                if _foreign(langs, 0, 0.95):
                    a = ps + sm.start() + _lead(sm.group())
                    yield Finding(a, ps + sm.end(), "untranslated-language", STAGE,
                                  f"sentence in {langs[0][0]} (p={langs[0][1]:.2f}), not Portuguese")
        return
    langs = _detect(" ".join(words))
    if _foreign(langs, len(words), 0.9):
        a = ps + _lead(para)
        yield Finding(a, pe, "untranslated-language", STAGE,
                      f"paragraph in {langs[0][0]} (p={langs[0][1]:.2f}), not Portuguese")


def run_language_checks(doc, known: regex.Pattern | None) -> list[Finding]:
    text, protected, raw = doc.text, doc.protected, doc.utf8
    out = list(script_runs(text, protected, raw))
    out += english_runs(text, protected, known)
    out += wrong_language(text, protected, raw=raw, bounds=doc.paragraphs)
    return out
