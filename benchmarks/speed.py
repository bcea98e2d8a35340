"""Speed of the engine on generated glossaries and corpora, next to baselines run in the same
process: a per-term regex loop (on a slice), flashtext (if installed), and a bare str.lower() pass.

Usage: python benchmarks/speed.py [--mb 5] [--sizes 1000,10000,50000] [--json benchmarks/out/speed.json]

Inputs are reproducible (seeded): a glossary of N entries (1-4 words, accented, some with gender
so that agreement runs), and a corpus of Portuguese prose built from the fixtures' correct texts with
about one glossary match per 1-5 KB (each paragraph varied, so that repeats are rare), plus a
Markdown variant that adds the technical documents (commands, a man page) and code blocks. The
whole pipeline is also timed with the edit stages only, and with the bundled glossaries loaded too
(the CLI's configuration); last, the seed article repeated, which is real machine translation with
an error every ~100 bytes, with the bundled glossaries.
"""
from __future__ import annotations

import argparse
from collections import Counter
import gc
import json
import random
import re
import resource
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import cleanmt
from cleanmt.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga go gu la le li lo lu ma me mi mo mu " \
            "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo xa " \
            "ção ções ã ão õe ça ço ré lá ní mó zu".split()


def fake_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


# technical documents (commands, a man page) go into the Markdown variant only: the plain corpus is
# the news-like prose a machine-translation corpus is made of
TECHNICAL = ("guia-tecnico.md", "man-find.txt")


def _fixture_texts(technical: bool = True) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "keep").iterdir())
             if technical or p.name not in TECHNICAL]
    with open(ROOT / "fixtures" / "cases" / "negative.toml", "rb") as f:
        texts += [c["text"] for c in tomllib.load(f)["case"]]
    return texts


def make_glossary(n: int, seed: int = 1) -> tuple[str, list[str]]:
    rng = random.Random(seed)
    # a made-up word that is a real word of the corpus ("cada", "vida") would match everywhere and
    # make big glossaries look denser than the 1 match per 1-5 KB the corpus is built with
    real = {w for t in _fixture_texts() for w in re.findall(r"\w+", t.lower())}
    seen: set[str] = set()
    lines = ['[glossary]\ndescription = "benchmark"\n']
    wrongs = []
    while len(wrongs) < n:
        wrong = " ".join(fake_word(rng) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
        if wrong in seen or any(w in real for w in wrong.split()):
            continue
        seen.add(wrong)
        # right forms start with "k", which no wrong form has: no accidental A -> B -> C chains
        right = " ".join("k" + fake_word(rng) for _ in range(rng.randint(1, 2)))
        k = len(wrongs)
        gender = '\ngender = "m"\nright-gender = "f"' if k % 5 == 0 else ""
        lines.append(f'[[term]]\nid = "t{k}"\nwrong = "{wrong}"\nright = "{right}"{gender}\n'
                     f'note = "b"\nexamples = [["{wrong}", "{right}"]]\nkeep = ["xyz"]\n')
        wrongs.append(wrong)
    return "\n".join(lines), wrongs


def make_corpus(mb: float, wrongs: list[str], seed: int = 2, markdown: bool = False) -> str:
    rng = random.Random(seed)
    texts = _fixture_texts(technical=markdown)
    paras = [p.strip() for t in texts for p in t.split("\n\n") if p.strip() and not p.lstrip().startswith(("```", "|", "#", "---"))]
    vocab = sorted({w for p in paras for w in p.split(" ") if w.isalpha() and w.islower()})
    out, size, next_match = [], 0, rng.randint(1000, 5000)
    target = int(mb * 1e6)
    while size < target:
        # every paragraph made unique (two lower-case words replaced from the fixtures' vocabulary),
        # so that no per-paragraph cache can make the figures look better than on a real corpus
        words = rng.choice(paras).split(" ")
        for _ in range(2):
            i = rng.randrange(len(words))
            if words[i].isalpha() and words[i].islower():
                words[i] = rng.choice(vocab)
        p = " ".join(words)
        if size >= next_match:
            words = p.split(" ")
            i = rng.randrange(len(words))
            words.insert(i, "o " + rng.choice(wrongs))
            p = " ".join(words)
            next_match = size + rng.randint(1000, 5000)
        if markdown and rng.random() < 0.05:
            p = f"```python\nprint('{rng.choice(wrongs)}')  # código\nx = [1, 2 ,3]\n```"
        out.append(p)
        size += len(p.encode()) + 2
    return "\n\n".join(out)


EDIT_STAGES = ("boilerplate", "glossary", "markdown", "typography", "casing")
WARM_UP = ("The quick brown fox jumps over the lazy dog while the old cat is sleeping on the warm sofa.\n\n"
           "Um texto curto em português, com uma frase.")


def timed(fn, *args):
    # the command line moves the compiled glossaries out of the garbage collector's way (cli.py);
    # so does every timed call here (gc.freeze is cheap), or a full collection over a big
    # glossary's objects now and then makes the figures jump (50k entries: 12.7-16.0 MB/s without)
    gc.freeze()
    t = time.perf_counter()
    r = fn(*args)
    return time.perf_counter() - t, r


def make_prose(mb: float, seed: int = 3) -> str:
    """The generated corpus's prose without inserted glossary words."""
    rng = random.Random(seed)
    paras = [p.strip() for t in _fixture_texts(technical=False) for p in t.split("\n\n")
             if p.strip() and not p.lstrip().startswith(("```", "|", "#", "---"))]
    vocab = sorted({w for p in paras for w in p.split(" ") if w.isalpha() and w.islower()})
    out, size = [], 0
    while size < mb * 1e6:
        words = rng.choice(paras).split(" ")
        for _ in range(2):
            i = rng.randrange(len(words))
            if words[i].isalpha() and words[i].islower():
                words[i] = rng.choice(vocab)
        out.append(" ".join(words))
        size += len(out[-1].encode()) + 2
    return "\n\n".join(out)


def dense_inputs(mb: float, entries: int = 10_000, every: int = 70) -> tuple[str, list[tuple[str, str]]]:
    """(corpus, glossary pairs) of the issue's dense workload: entries that are words of the corpus
    itself, chosen so that about one replacement falls every ``every`` bytes, padded with made-up
    words to ``entries``."""
    rng = random.Random(7)
    corpus = make_prose(mb)
    nbytes = len(corpus.encode())
    freq = Counter(w.lower() for w in re.findall(r"\w{4,}", corpus))
    vocab = sorted(freq)
    rng.shuffle(vocab)
    chosen, hits = [], 0
    for w in vocab:
        if hits >= nbytes / every:
            break
        chosen.append(w)
        hits += freq[w]
    fake = set()
    while len(chosen) + len(fake) < entries:
        w = fake_word(rng)
        if w not in freq:
            fake.add(w)
    return corpus, [(w, w + "x") for w in chosen] + [(w, "k" + w) for w in sorted(fake)]


def dense_workload(mb: float, entries: int = 10_000, every: int = 70) -> dict:
    """The issue's dense workload (see ``dense_inputs``), timed as ``Cleaner(glossaries=[tsv]).clean``
    returns it (findings not read), with the findings read, the glossary stage alone (with µs per
    hit), flashtext on the same terms paragraph by paragraph (if installed: pip install flashtext),
    and str.lower."""
    corpus, pairs = dense_inputs(mb, entries, every)
    nbytes = len(corpus.encode())
    chosen = [a for a, b in pairs if b == a + "x"]
    row: dict = {"entries": len(pairs), "corpus_mb": round(nbytes / 1e6, 2), "corpus_words_in_glossary": len(chosen)}
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "dense.tsv"
        tsv.write_text("".join(f"{a}\t{b}\n" for a, b in pairs), encoding="utf-8")
        whole = cleanmt.Cleaner(glossaries=[tsv], check_examples=False)
        stage = cleanmt.Cleaner(glossaries=[tsv], stages=("glossary",), check_examples=False)
    whole.clean(WARM_UP), stage.clean(WARM_UP)
    t, r = timed(stage.clean, corpus)
    row["glossary_stage_mb_s"] = round(nbytes / 1e6 / t, 2)
    row["glossary_hits"] = len(r.edits)
    row["bytes_per_hit"] = round(nbytes / max(1, len(r.edits)))
    row["glossary_us_per_hit"] = round(t * 1e6 / max(1, len(r.edits)), 1)
    t, r = timed(whole.clean, corpus)
    row["pipeline_mb_s"] = round(nbytes / 1e6 / t, 2)
    t, _ = timed(lambda: whole.clean(corpus).findings)
    row["pipeline_with_findings_mb_s"] = round(nbytes / 1e6 / t, 2)
    t, _ = timed(str.lower, corpus)
    row["lower_mb_s"] = round(nbytes / 1e6 / t, 1)
    try:
        from flashtext import KeywordProcessor
        kp = KeywordProcessor()
        for a, b in pairs:
            kp.add_keyword(a, b)
        t, _ = timed(lambda: "\n\n".join(kp.replace_keywords(p) for p in corpus.split("\n\n")))
        row["flashtext_mb_s"] = round(nbytes / 1e6 / t, 2)
        row["glossary_stage_vs_flashtext"] = round(row["glossary_stage_mb_s"] / row["flashtext_mb_s"], 2)
    except ImportError:
        row["flashtext_mb_s"] = None
    row["pipeline_vs_lower"] = round(row["pipeline_mb_s"] / row["lower_mb_s"], 3)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "out" / "speed.json"))
    args = ap.parse_args()
    results = {"mb": args.mb, "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            toml, wrongs = make_glossary(n)
            gpath = Path(tmp) / f"g{n}.toml"
            gpath.write_text(toml, encoding="utf-8")
            corpus = make_corpus(args.mb, wrongs)
            mb = len(corpus.encode()) / 1e6
            row: dict = {"entries": n, "corpus_mb": round(mb, 2)}
            row["load_s"], g = timed(load_glossary, gpath)
            row["build_s"], cleaner = timed(lambda: cleanmt.Cleaner([g], check_examples=False))
            row["build_with_examples_s"], _ = timed(lambda: cleanmt.Cleaner([g]))
            lower_s, _ = timed(str.lower, corpus)
            row["lower_mb_s"] = round(mb / lower_s, 1)
            gl = cleanmt.Cleaner([g], stages=("glossary",), check_examples=False)
            # first calls build the automaton and load langdetect: timed apart, so that the MB/s
            # figures are the steady state a corpus run sees
            row["first_call_s"], _ = timed(cleaner.clean, WARM_UP)
            gl.clean(WARM_UP)
            t, r = timed(gl.clean, corpus)
            row["glossary_stage_mb_s"] = round(mb / t, 2)
            row["glossary_edits"] = len(r.edits)
            t, r = timed(cleaner.clean, corpus)
            row["pipeline_mb_s"] = round(mb / t, 2)
            md = make_corpus(args.mb, wrongs, markdown=True)
            t, r = timed(cleaner.clean, md)
            row["pipeline_markdown_mb_s"] = round(len(md.encode()) / 1e6 / t, 2)
            # the edit stages alone (no findings: checks and language), as a corpus job may run them
            edits_only = cleanmt.Cleaner([g], stages=EDIT_STAGES, check_examples=False)
            edits_only.clean(WARM_UP)
            t, _ = timed(edits_only.clean, corpus)
            row["edit_stages_mb_s"] = round(mb / t, 2)
            # what the CLI runs with --glossary: the bundled glossaries too (document triggers,
            # required words, regex patterns)
            with_bundled = cleanmt.Cleaner(extra=[g], check_examples=False)
            with_bundled.clean(WARM_UP)
            t, _ = timed(with_bundled.clean, corpus)
            row["pipeline_with_bundled_mb_s"] = round(mb / t, 2)
            # baseline: one compiled regex per term, applied in a loop (on a slice: it is slow)
            piece = corpus[: max(20_000, int(200_000_000 / max(n, 1) / 50))]
            pats = [(re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)", re.IGNORECASE), "X") for w in wrongs]
            def loop(text):
                for p, rep in pats:
                    text = p.sub(rep, text)
                return text
            t, _ = timed(loop, piece)
            row["regex_loop_mb_s"] = round(len(piece.encode()) / 1e6 / t, 4)
            try:
                from flashtext import KeywordProcessor
                kp = KeywordProcessor()
                for w in wrongs:
                    kp.add_keyword(w, "X")
                # per paragraph: replace_keywords builds its output with str += and turns quadratic
                # on one big text (0.02 MB/s on 5 MB here), which is not how anyone would use it
                t, _ = timed(lambda: "\n\n".join(kp.replace_keywords(p) for p in corpus.split("\n\n")))
                row["flashtext_mb_s"] = round(mb / t, 2)
            except ImportError:
                row["flashtext_mb_s"] = None
            row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            results["runs"].append(row)
            print(json.dumps(row), flush=True)
    results["dense"] = dense_workload(args.mb)
    print(json.dumps(results["dense"]), flush=True)
    # real machine translation is far denser in errors than the generated corpus: the seed article
    # (one fix every ~100 bytes), repeated, with the bundled glossaries only
    seed = (ROOT / "fixtures" / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    dense = "\n\n".join([seed] * max(1, int(args.mb * 1e6 / len(seed.encode()))))
    bundled = cleanmt.Cleaner()
    bundled.clean(WARM_UP)
    t, r = timed(bundled.clean, dense)
    results["seed_repeated"] = {"mb": round(len(dense.encode()) / 1e6, 2), "bundled_pipeline_mb_s":
                                round(len(dense.encode()) / 1e6 / t, 2), "edits": len(r.edits)}
    print(json.dumps(results["seed_repeated"]), flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
