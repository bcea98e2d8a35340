"""Each fast path gives exactly what the definition it replaces gives (the slow, obvious scan)."""
from __future__ import annotations

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleanmt import checks, markdown, protect, protect_kinds, textview, typography
from cleanmt.document import Document
from cleanmt.langid import _SCRIPT_LEADS, _SCRIPTS, _lines_with_bytes

# text made of the characters the rules and gates care about
ALPHABET = st.sampled_from(list("aeoAÉÇçã xyzWw.,;:!?()[]«»“”\"'*_`-—$×²ᴬ\n\t\u00a0 小Мй，。（）》丨") + [
    "——", "──", "－－", 
    "  ", " \n", "\n ", "\n\n", "...", "**", "__", "www.", " e ", " ou ", "US $", "R $ 5", ". .", ",,", "( x )"])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_whitespace_anomalies(text):
    assert textview._ws_anomalies(text) == [m.span() for m in textview._WS.finditer(text)]


# every pattern a typography rule runs through a gate, with the gate it uses
GATED = [(typography._SPACE_BEFORE, typography._SPACE_BEFORE_GATE),
         (typography._SPACE_STOP_NO_SPACE, typography._STOP_GATE), (typography._STOP_NO_SPACE, typography._STOP_GATE),
         (typography._COMMA_NO_SPACE, typography._COMMA_GATE), (typography._REPEATED, typography._REPEATED_GATE),
         (typography._QUOTED_LINE, typography._QUOTE_GATE), (typography._CURRENCY, typography._CURRENCY_GATE),
         (typography._SPLIT_URL, typography._WWW_GATE), (typography._SUPER_SPACE, typography._ANY_SUPER),
         (typography._TIMES, typography._TIMES_GATE), (typography._OPEN_SPACE, typography._OPEN_GATE),
         (typography._CJK, typography._CJK_GATE), (typography._CJK_BRACKET, typography._CJK_GATE),
         (typography._DOUBLE_DASH, typography._CJK_GATE), (typography._BAR, typography._CJK_GATE)]


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_gated_patterns_find_what_a_full_scan_finds(text):
    for pattern, gate in GATED:
        assert [m.span() for m in typography.gated(pattern, gate, text)] == [m.span() for m in pattern.finditer(text)]


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_markers_found_by_find_equal_finditer(text):
    for mk, pat in markdown._MARKERS.items():
        assert markdown._marker_hits(text, mk, pat) == [m.start() for m in pat.finditer(text)]


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_conjunctions_found_from_the_gate_equal_finditer(text):
    assert [m.span() for m in checks._conjunctions(text)] == [m.span() for m in checks._CONJ.finditer(text)]


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_repeated_phrase_equals_the_forward_search(text):
    forward = regex.compile(checks._LAST_WORDS.pattern)  # the same pattern, searched forwards

    def slow(text):
        for m in checks._CONJ.finditer(text):
            left = forward.search(text, max(0, m.start() - 60), m.start())
            if not left:
                continue
            phrase = left.group()
            for cand in (phrase, phrase.split(None, 1)[-1]):
                right = text[m.end():m.end() + len(cand) + 1]
                if right[:len(cand)].lower() == cand.lower() and not right[len(cand):len(cand) + 1].isalnum():
                    s = m.start() - len(cand)
                    if s == 0 or not text[s - 1].isalnum():
                        yield s, m.end() + len(cand)
                    break

    assert [(f.start, f.end) for f in checks.repeated_phrase(_unprotected(text))] == list(slow(text))


def _unprotected(text: str) -> Document:
    """A Document whose text has no protected span (to compare a check with its plain definition)."""
    doc = Document(text)
    doc._protected = protect.Protected.from_spans([])
    return doc


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_script_lines_from_bytes_cover_every_run(text):
    lines = list(_lines_with_bytes(_SCRIPT_LEADS, text,
                                   text.encode("utf-8", "surrogatepass")))
    for m in _SCRIPTS.finditer(text):
        assert any(a <= m.start() and m.end() <= b for a, b in lines), (text, m.span(), lines)


@settings(max_examples=800, deadline=None)
@given(TEXTS)
def test_bracket_check_equals_the_all_spans_version(text):
    doc = Document(text)
    prot = doc.protected
    fast = list(checks.unbalanced(doc))
    slow = [f for lo, hi in markdown.paragraphs(text) for f in checks._unbalanced_paragraph(text, lo, hi, prot)]
    assert fast == slow


def test_per_text_caches_are_safe_across_threads():
    """Per-text values (paragraph bounds, gate lines, bytes) live in each text's Document; threads
    cleaning other texts at the same time must never get them."""
    from concurrent.futures import ThreadPoolExecutor

    import cleanmt

    texts = [f"Parágrafo {i} ,com erro .Aqui\n\n" * (i % 7 + 1) + "o novo painço da Xiaomi" * (i % 3) for i in range(60)]
    alone = [cleanmt.clean(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(cleanmt.clean, texts * 4))
    assert [(r.text, r.edits, r.findings) for r in together] == [(r.text, r.edits, r.findings) for r in alone * 4]


PT_WORDS = st.sampled_from(["de", "do", "da", "e", "o", "a", "que", "não", "the", "of", "and", "cat", "x",
                            "ação", "dog", "d", "é", "em", "com", "para", "os", "did", "day", "ser"])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.lists(PT_WORDS, max_size=30).map(" ".join), max_size=8))
def test_doubtful_paragraphs_equal_the_one_pass_count(paras):
    from cleanmt.langid import _PT_BYTES, _PT_WORDS_B, _doubtful

    pieces = [p.encode() for p in paras if p]

    def slow(p):
        n = p.count(b" ")
        old = sum(p.count(x) for x in _PT_BYTES)
        words = old - p.count(b" d") + sum(p.count(x) for x in _PT_WORDS_B)
        return n >= 7 and 5 * old < n + 1 and 5 * words < n + 1

    assert _doubtful(pieces) == [i for i, p in enumerate(pieces) if slow(p)]


def test_every_literal_a_local_protected_kind_needs_has_its_key_character():
    """A kind is tried only when one of its literals' key characters is in the paragraph: each
    literal must contain its key, and the key scan must find every key."""
    local = [name for name, _, _ in protect_kinds._LOCAL_PASSES]
    assert all(name in protect_kinds._NEEDS for name in local)
    needs = [n for name in local for n in protect_kinds._NEEDS[name]] + [n for ns in protect_kinds._ANCHOR_NEEDS for n in ns] + ["-"]
    for n in needs:
        key = protect_kinds._KEY_OF[n]
        assert key in n and protect_kinds._KEYS.fullmatch(key), (n, key)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_the_shared_gate_reads_every_line_a_shared_gate_hits(text):
    lines = typography._shared_lines(text)
    for gate in typography._SHARED_GATES:
        for m in gate.finditer(text):
            assert any(a <= m.start() < b for a, b in lines), (gate.pattern, m.start())


def test_other_whitespace_list_is_every_whitespace_but_space_and_line_break():
    every = {c for c in map(chr, range(0x110000)) if c.isspace()} - {" ", "\n"}
    assert set(textview._OTHER_WS_CHARS) == every
    assert all(textview._OTHER_WS.match(c) for c in every)


RUN_WORDS = st.sampled_from(["Smart", "Home", "HOME", "of", "the", "and", "a", "x", "&", "Ação", "Über", "Łódź",
                             "ﬁle", "ǅ", "²", "x²", "Mi_Band", "e", "de", "iPhone", "MiLM", "’s", "O'Neil", "A-B",
                             "Ⅻ", "Σ", "小米", "ß", "9", "(", "—", "\n", "  ", "\t", ","])


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(RUN_WORDS, st.sampled_from([" ", "", "\t", "\n", "  "])), max_size=14).map(
    lambda ws: "".join(w + sep for w, sep in ws)))
def test_english_runs_read_on_gated_lines_equal_the_full_scan(text):
    from cleanmt import langid

    assert [m.span() for m in typography.gated(langid._RUN, langid._RUN_GATE, text)] == [
        m.span() for m in langid._RUN.finditer(text)]


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_cjk_signs_widened_to_the_left_equal_the_full_patterns(text):
    for full, core in ((typography._CJK, typography._CJK_CORE), (typography._DOUBLE_DASH, typography._DOUBLE_DASH_CORE),
                       (typography._BAR, typography._BAR_CORE)):
        assert [(s, e) for s, e, _ in typography._left_spaced(core, text)] == [m.span() for m in full.finditer(text)]


WORD_PIECES = st.sampled_from(["Xiaomi", "XIAOMI", "xiaomi", "Lei Jun", "Lei", "Jun", "IA", "ia", "MiLM", "Mi",
                               "-", "_", " ", "\n", "é", "ç", "1", ".", "Xiaomi-", "Redmi", "e", "\u0301", "²", "—",
                               "‿", "小", "\u200d", "Ⅻ", "«"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(WORD_PIECES, max_size=20).map("".join))
def test_word_search_from_automaton_hits_equals_the_pattern(text):
    from cleanmt.matcher import Words

    w = Words(["Xiaomi", "Lei Jun", "IA", "Mi", "MiLM", "Jun"])
    assert w.spans(text) == [m.span() for m in w.pattern.finditer(text)]
    assert w.search(text) == (w.pattern.search(text) is not None)


def test_required_word_of_a_pattern():
    from cleanmt.entries import required_word as _required_word

    assert _required_word(r"\b(tecnologia|chip)(s?) AI\b(?![\w-])") == "ai"
    assert _required_word(r"\bAI\b") == "ai"
    assert _required_word(r"x?AI\b") is None  # "x?" before it: not a whole word
    assert _required_word(r"AIs? x") is None  # a quantifier after it
    assert _required_word(r"\\bAI\b") is None  # an escaped backslash, not \b
    assert _required_word(r"(ab|cd) e") is None  # one letter is not enough
    assert _required_word(r"ab|cd") is None  # a top-level alternative
    assert _required_word(r"[AI] bc\b") == "bc"


def test_required_literal_runs_through_plain_groups():
    from cleanmt.entries import required_literal as lit

    assert lit(r"(?i:(conjuntos?) de dados) C(?![\w+#-])") == "de dados c"
    assert lit(r"ab(?:cd)ef") == "abcdef"
    assert lit(r"ab(?i:cd(x|y)e)fgh") == "abcd"  # not through the alternative inside
    assert lit(r"abcd(?:ef)?gh") == "abcd"  # an optional group breaks the run
    assert lit(r"abcd(?:e|f)ghijk") == "ghijk"  # so does an alternative
    assert lit(r"(?:abc)+def") is None  # and a repeated one
    assert lit(r"(?x:ab cd)efgh") == "efgh"  # other flags (verbose: spaces mean nothing): not through
    assert lit(r"(?:a[)]bcd)e") == "bcde"  # a bracket in a class does not close the group
    assert lit(r"(?:ab\)cd)ef") == "ab)cdef"
    assert lit(r"x(?:ab)|cdef") is None


def _case_texts():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "fixtures").rglob("*")) if p.suffix in (".txt", ".md")]
    for name in ("positive.toml", "negative.toml"):
        with open(root / "fixtures" / "cases" / name, "rb") as f:
            texts += [c.get("text") or c.get("input") for c in tomllib.load(f)["case"]]
    return texts


def test_bundled_patterns_in_their_windows_find_what_a_whole_text_scan_finds():
    """Each bundled pattern entry, run only on the paragraphs holding its literal or word, finds
    the matches a scan of the whole text finds (on every fixture and case, and all of them
    joined into one document)."""
    from cleanmt.pipeline import default_cleaner
    from cleanmt.stages.glossary import pattern_windows, windowed_matches

    c = default_cleaner()
    glossary = next(s for s in c._stages if s.name == "glossary")
    texts = _case_texts()
    texts.append("\n\n".join(texts))
    assert c.compiled.patterns
    for text in texts:
        doc = Document(text)
        for i in c.compiled.patterns:
            comp = c.compiled.compiled[i]
            whole = [m.span() for m in comp.pattern.finditer(text)]
            windowed = [m.span() for m in windowed_matches(comp.pattern, text, pattern_windows(comp, doc), None)]
            assert windowed == whole, (c.entries[i].id, text[:80])
            # the stage finds every literal and word with one automaton: the same windows
            assert pattern_windows(comp, doc, glossary._needles_in(doc)) == pattern_windows(comp, doc)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["Ver original", "• ", "- ", "  ", "\t", "\u00a0", "\x1c", "Partilhar", "ß", "SS",
                                 "Recompensa", "·", "x", " ", "Comentários", "> ", "*"]), max_size=12).map("".join))
def test_a_scraper_line_refused_from_its_length_is_one_normalize_would_refuse(line):
    from cleanmt.boilerplate import _listed, normalize_line
    from cleanmt.pipeline import default_cleaner

    for b in default_cleaner().compiled.blocks:
        assert _listed(line, b.block_lines) == (normalize_line(line) in b.block_lines)
        for v in list(b.block_lines)[:5]:  # the block's own lines, as written and with bullets
            assert _listed(v, b.block_lines) and _listed("• " + v.upper() + " ", b.block_lines)


DOC_PIECES = st.sampled_from(["Xiaomi", "painço", "Lei Jun", "IA", "ia", " ", "\n", "\n\n", "\n \n", "-", "o ", "x",
                              # characters that cut the windows (",", "(") and ones a word holds (".", " ", "-")
                              ",", ", ", "(", "JD.com", "JD", ".", "Xiao Ai", "Xiao", "C-Eval", "—", "_"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(DOC_PIECES, min_size=1, max_size=24).map("".join), st.data())
def test_a_document_word_that_comes_or_goes_is_near_an_edit(text, data):
    """``Words.near`` over the edits' new spans holds every word the edits brought in (an
    occurrence the word's own pattern matches), and over their old spans every word they took
    away."""
    import regex

    from cleanmt.model import Edit, apply_edits
    from cleanmt.pipeline import default_cleaner
    from cleanmt.resolve import output_spans

    words = default_cleaner().compiled.doc_words
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6)))
    edits = [Edit(a, b, text[a:b], data.draw(DOC_PIECES) * data.draw(st.integers(0, 2)), "t", "t")
             for a, b in zip(cuts[::2], cuts[1::2])]
    after = apply_edits(text, edits)

    def present(t):
        return {w for w in words.words if regex.search(rf"(?<![\w-]){regex.escape(w)}(?![\w])", t)}
    # a word that came is near an edit's new text (what the fixpoint relies on), one that went near its old text
    assert present(after) - present(text) <= words.near(after, output_spans(edits))
    assert present(text) - present(after) <= words.near(text, [(e.start, e.end) for e in edits])


def test_automaton_fed_in_slices_finds_every_hit_once(monkeypatch):
    import ahocorasick

    from cleanmt import matcher

    monkeypatch.setattr(matcher, "_CHUNK", 7)  # tiny slices: hits across every boundary
    words = ["ab", "abcab", "b", "cabca", "bca"]
    a = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for w in words:
        a.add_word(w)
    a.make_automaton()
    import random

    rng = random.Random(4)
    for _ in range(500):
        text = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 60)))
        whole = sorted(a.iter(text))
        sliced = sorted(matcher.ac_iter(a, text, max(map(len, words))))
        assert sliced == whole, text


_LINE_PIECES = st.sampled_from(list("aAzZ ._=!<>&|-:$({[]}); #\\/*,\t") + [
    "palavra", "Tabela.Campo", "obj.method(", "camelCase.x", "f()", "a_b", "__init__", "\\section", "->", "::",
    "[[", "$(", "x == y", "{", "}", "   ", " | ", "[-x]", "[ARQUIVO]", "<nome>", "...]", "x=1,y=2", "( EXPR )",
    " -a -b", " --force", "Em", ".Com", "include", "#!"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINE_PIECES, max_size=30).map("".join))
def test_code_and_notation_cut_into_parts_find_what_the_whole_patterns_find(line):
    from cleanmt import prose

    assert prose._any(prose._CODE_PARTS, line) == bool(prose._CODE.search(line))
    assert prose._any(prose._NOTATION_PARTS, line) == bool(prose._NOTATION.search(line))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="aAbBçÇéÉ ⓐⒶªİıſ-1_ǅǆǄ\u0301", min_size=1, max_size=6))
def test_the_capitalised_word_shortcut_of_case_transfer_is_the_shape_rule(matched):
    from cleanmt import casing

    sh = casing.shape(matched)
    for right in ("xiaomi ab", "IA", "ção"):
        want = right.upper() if sh == casing.UPPER else casing.capitalize_first(right) if sh == casing.TITLE else right
        assert casing.transfer(matched, right) == want


_LIT_PATTERNS = [r"(?i:(ab?) cd) E", r"a(?:bc)d(?:e(f|g))hh", r"(?:ab(?i:c d)e)f", r"x(?:a|b)cdef", r"(?i:ab(?:cd)?ef)gh",
                 r"(?:ab)+cdef", r"(?:a\)b)cde", r"(?i:AB(?:C D)EF)"]


@settings(max_examples=400, deadline=None)
@example("abefgh abgh abcdgh xacdef AB C DEF abcde abcdfhh cd e")  # an optional or alternative group the run must not cross
@given(st.lists(st.sampled_from(["ab", "a", "b", "cd", "c d", "e", "ef", "f", "g", "gh", "hh", "x", " ", "E", "AB", "EF",
                                  "a)b", "C D", "cde"]), max_size=12).map("".join))
def test_every_match_holds_its_required_literal(text):
    """The literal is a necessary condition: every match of the pattern holds it (lower-cased,
    as the view holds the text), whatever groups the run went through."""
    from cleanmt.entries import flexible_spaces, required_literal

    for p in _LIT_PATTERNS:
        lit = required_literal(p)
        if lit is None:
            continue
        for m in regex.finditer(flexible_spaces(p), text):
            assert lit in " ".join(m.group().lower().split()), (p, lit, m.group())
        for m in regex.finditer(flexible_spaces(p), text, regex.IGNORECASE):
            assert lit in " ".join(m.group().lower().split()), (p, lit, m.group())
