"""From corrections seen once each to glossary candidates: one per wrong form, whatever its
inflection, case or agreement context; with its support and its evidence of being right
elsewhere (the wrong form left unchanged in the references or in a keep corpus)."""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import regex

from ..agreement import AgreementTables, pluralize_phrase, pluralize_word
from ..align import fold, sentences, tokens
from .extract import CONTEXT, Occurrence

MIN_SUPPORT = 2  # occurrences of a correction before it is trusted ...
MIN_CONSISTENCY = 2 / 3  # ... and the share of them that agree on the right form
_SINGULAR = (("ões", "ão"), ("ães", "ão"), ("éis", "el"), ("eis", "el"), ("óis", "ol"), ("is", "l"), ("ns", "m"),
             ("res", "r"), ("zes", "z"), ("s", ""))
_INNER_UPPER = regex.compile(r"(?<=.)\p{Lu}|\d")
_CAPITAL = regex.compile(r"[\p{Lu}\d]")
_WORDS = regex.compile(r"(?<![\w-])\p{Ll}{5,}(?![\w-])")
_STOPWORDS = frozenset("""
que com para como mais mas isso esta este essa esse estas estes essas esses pelo pela pelos pelas
entre sobre também quando onde porque muito muita muitos muitas pode podem seus suas sua seu ainda
então assim depois antes desde até sendo sido será foram todos todas todo toda outro outra outros
outras mesmo mesma cada qual quais dele dela deles delas nosso nossa aqui apenas sempre nunca
""".split())


@dataclass
class Candidate:
    """A correction that may become an entry; ``status`` says whether it does and why not."""

    wrong: str
    right: str
    occurrences: list[Occurrence]
    gender: str | None = None
    right_gender: str | None = None
    agree_after: bool = False
    force_case: bool = False
    case_sensitive: bool = False
    inflect: bool = False
    right_plural: str | None = None
    name_like: bool = False
    unchanged: list[str] = field(default_factory=list)  # contexts where the wrong form is right
    unchanged_refs: int = 0
    unchanged_keep: int = 0
    ambiguous: bool = False
    evidence: list[str] = field(default_factory=list)
    not_near: list[str] = field(default_factory=list)
    not_before: str | None = None
    not_after: str | None = None
    status: str = "candidate"
    id: str = ""
    examples: list[tuple[str, str]] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    impact: int = 0

    @property
    def support(self) -> int:
        return len(self.occurrences)

    @property
    def docs(self) -> int:
        return len({o.doc for o in self.occurrences})

    def forms(self) -> list[str]:
        out = [self.wrong]
        if self.inflect and pluralize_phrase(self.wrong) != self.wrong:
            out.append(pluralize_phrase(self.wrong))
        return out


def singular(phrase: str) -> str | None:
    """The singular whose regular plural is ``phrase`` (up to its first preposition), or None."""
    words = phrase.split(" ")
    head = words[:1]
    for w in words[1:]:
        if pluralize_word(w) == w and w.lower() in ("de", "da", "do", "das", "dos", "em", "a", "para"):
            break
        head.append(w)
    out = []
    for w in head:
        for suf, rep in _SINGULAR:
            if w.lower().endswith(suf) and len(w) > len(suf) + 1:
                cand = w[: len(w) - len(suf)] + rep
                if pluralize_word(cand) == w:
                    out.append(cand)
                    break
        else:
            return None
    return " ".join(out + words[len(head):])


def _lemma(o: Occurrence) -> tuple[str, str, bool]:
    """(wrong lemma key, right lemma, the occurrence was plural)."""
    wrong, right = o.wrong, o.right
    if not o.mid_sentence and wrong[:1].isupper() and not _INNER_UPPER.search(wrong):
        wrong = wrong[:1].lower() + wrong[1:]  # a capital of the sentence start, not of the word
        if right[:1].isupper() and not _INNER_UPPER.search(right):
            right = right[:1].lower() + right[1:]
    plural = (o.wrong_gn or ("", ""))[1] == "p" or (o.wrong_gn is None and wrong.endswith("s"))
    sing = singular(wrong) if plural and wrong.islower() else None
    if sing:
        right = singular(right) or right if right.islower() else right
        return sing, right, True
    return wrong, right, False


def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = regex.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "entry"


def group(occs: list[Occurrence], tables: AgreementTables, min_support: int = MIN_SUPPORT) -> list[Candidate]:
    """One candidate per wrong lemma (lower-cased unless the form is a name), sorted by it."""
    by_key: dict[str, list[tuple[Occurrence, str, bool]]] = {}
    for o in occs:
        wrong, right, plural = _lemma(o)
        key = wrong if _INNER_UPPER.search(wrong) else wrong.casefold()
        by_key.setdefault(key, []).append((o, right, plural))
    out = []
    for key in sorted(by_key):
        rows = sorted(by_key[key], key=lambda r: (r[0].doc, r[0].order))
        rights = Counter(r.casefold() for _, r, _ in rows)
        top, n = min(rights.items(), key=lambda kv: (-kv[1], kv[0]))
        # the spelling of the right form: as written mid-sentence, where a capital is the word's own
        spelt = Counter(r for o, r, _ in rows if r.casefold() == top and o.mid_sentence) or Counter(
            r for _, r, _ in rows if r.casefold() == top)
        right = min(spelt.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        spellings = Counter(o.wrong for o, _, plural in rows if not plural and o.mid_sentence)
        wrong = min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings else key
        c = Candidate(wrong=wrong, right=right, occurrences=[o for o, r, _ in rows if r.casefold() == top])
        c.name_like = bool(_INNER_UPPER.search(wrong)) or any(o.mid_sentence and o.wrong[:1].isupper()
                                                              for o, _, _ in rows)
        # a name (QbitAI, Kingsoft, Xiao Ai) is spelt one way: one sighting is enough; an
        # acronym (PLN) or a common word is not
        right_name = right[:1].isupper() and not right.isupper()
        words = wrong.split()
        if n / len(rows) < MIN_CONSISTENCY:
            c.status = f"left out: inconsistent ({n} of {len(rows)} corrections agree on {right!r})"
        elif len(rows) < min_support and not (right_name and len(rights) == 1):
            c.status = f"left out: seen {len(rows)} time(s), fewer than {min_support}"
        elif sum(ch.isalpha() for ch in wrong) < 2 or (len(words) == 1 and tables.index.get(wrong.casefold())):
            c.status = "left out: too short or a function word"
        _settings(c, rows, tables)
        out.append(c)
    return out


def _settings(c: Candidate, rows, tables: AgreementTables) -> None:
    """Gender, agreement, case and inflection, from what the occurrences show."""
    wg = Counter(o.wrong_gn[0] for o in c.occurrences if o.wrong_gn)
    rg = Counter(o.right_gn[0] for o in c.occurrences if o.right_gn)
    if wg:
        c.gender = min(wg.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if rg:
            g = min(rg.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            c.right_gender = g if g != c.gender else None
    c.agree_after = c.right_gender is not None and any(o.agree_after for o in c.occurrences)
    c.force_case = bool(_INNER_UPPER.search(c.right) or "-" in c.right)
    c.case_sensitive = bool(_INNER_UPPER.search(c.wrong))
    if c.case_sensitive:
        # an acronym or name that was never corrected next to a capitalised word is left alone
        # inside a longer name (Google AI Studio, Meta AI, AI Act)
        if not any(_CAPITAL.match(o.word_before) for o in c.occurrences if o.mid_sentence):
            c.not_before = r"\p{Lu}[\w-]*[^\S\n]"
        if not any(_CAPITAL.match(o.word_after) for o in c.occurrences):
            c.not_after = r"[^\S\n]+(?:\p{Lu}|\d)"
    if c.wrong.replace(" ", "").isalpha() and c.wrong.islower() and pluralize_phrase(c.wrong) != c.wrong:
        c.inflect = True
        plural_rights = Counter(o.right for o, _, plural in rows if plural and o.right.islower())
        if plural_rights:
            pr = min(plural_rights.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if pr != pluralize_phrase(c.right):
                c.right_plural = pr


def _pattern(form: str, case_sensitive: bool):
    body = r"\s+".join(regex.escape(w) for w in form.split())
    return regex.compile(r"(?<![\w-])" + body + r"(?![\w-])", 0 if case_sensitive else regex.IGNORECASE)


def _context(text: str, start: int, end: int) -> str:
    """The words around a match, inside its sentence."""
    for u in sentences(text):
        if u.start <= start < u.end:
            toks = tokens(text, u.start, u.end)
            i = next(k for k, t in enumerate(toks) if t.end > start)
            j = next((k for k, t in enumerate(toks) if t.start >= end), len(toks))
            lo, hi = max(0, i - CONTEXT - 2), min(len(toks), j + CONTEXT + 2)
            return fold(text[toks[lo].start:toks[hi - 1].end])
    return fold(text[max(0, start - 60):end + 60])


def add_evidence(c: Candidate, refs: list[str], keep_texts: list[str], tables: AgreementTables | None = None) -> None:
    """Count the wrong form unchanged in the references and the keep corpus; decide ambiguity.
    Evidence and not-near words are content words: no determiner or adjective of the agreement
    tables ("grandes" says nothing about the sense of a noun)."""
    pats = [_pattern(f, c.case_sensitive) for f in c.forms()]
    right_pat = _pattern(c.right, False)
    contexts = []
    for kind, texts in (("refs", refs), ("keep", keep_texts)):
        for text in texts:
            rights = [(m.start(), m.end()) for m in right_pat.finditer(text)]
            for p in pats:
                for m in p.finditer(text):
                    if any(a < m.end() and m.start() < b for a, b in rights):
                        continue  # part of the right form
                    contexts.append(_context(text, m.start(), m.end()))
                    if kind == "refs":
                        c.unchanged_refs += 1
                    else:
                        c.unchanged_keep += 1
    c.unchanged = sorted(set(contexts), key=lambda s: (len(s), s))
    if c.status != "candidate":
        return
    u = c.unchanged_refs + c.unchanged_keep
    if u >= c.support:
        c.status = f"left out: often right (unchanged {u} time(s), corrected {c.support})"
        return
    c.ambiguous = u > 0 or not c.name_like
    if not c.ambiguous:
        return
    changed = [set(_WORDS.findall(o.sentence)) for o in c.occurrences]
    own = set(_WORDS.findall(f"{c.wrong} {c.right} {' '.join(c.forms())}".lower()))
    if tables is not None:
        own |= {w for w in tables.index if len(w) >= 5}
    unchanged = [set(_WORDS.findall(s)) for s in c.unchanged]
    seen_unchanged = set().union(*unchanged) if unchanged else set()
    counts = Counter(w for s in changed for w in s)
    c.evidence = sorted((w for w, n in counts.items() if n >= 2 and w not in seen_unchanged and w not in own
                         and w not in _STOPWORDS), key=lambda w: (-counts[w], w))[:5]
    seen_changed = set().union(*changed)
    nn: list[str] = []
    for s in unchanged:
        words = sorted((w for w in s if w not in seen_changed and w not in own and w not in _STOPWORDS),
                       key=lambda w: (-len(w), w))
        nn += [w for w in words[:3] if w not in nn]
    c.not_near = sorted(nn)[:12]
