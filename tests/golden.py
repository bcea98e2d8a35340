"""The golden-output corpus: inputs built deterministically from the fixtures, the glossaries'
own examples, the rules' examples, mutated seed paragraphs and random strings, each cleaned in
one of the ways the engine is used (default cleaner, triggers assumed, stage subsets, pieces of a
document with a context, .po/.srt/JSON Lines through the CLI's format handling, with a source).

A restructuring of the engine must leave every output (text, edits, findings) byte-identical:
``tests/test_golden.py`` compares against ``tests/golden/outputs.jsonl.gz``. Regenerate it only in
a commit that says why the outputs changed:

    python -m tests.golden --update
"""
from __future__ import annotations

import gzip
import json
import random
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden" / "outputs.jsonl.gz"

_MUTATIONS = (" ,", " .", "..", "——", " ?", "** ", " **", "（", "）", "，", "。", " - ", "丨", "“ ", " ”",
              "\n", "\n\n", " ;", "; A", ".Com", "US $", " :", "( ", " )", "__", "*", "«", "»")
_ALPHABET = list("aeiouçãõéâ ,.;:!?()[]{}«»“”\"'-—*_#`/\\|\n\t0123456789") + [
    "painço", "colega de classe", "Ai", "Xiaomi", "cena", "ponta a ponta", "C-autoritária", "pequeno",
    "novo", "do", "da", "o", "a", "IA", "AI", "http://x.pt", "——", "，", "。", "```", "    ", "**"]


def _cases(name: str) -> list[dict]:
    with open(FIXTURES / "cases" / f"{name}.toml", "rb") as f:
        return tomllib.load(f)["case"]


def _seed_paragraphs() -> list[str]:
    text = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    return [p for p in text.split("\n\n") if p.strip()]


def _mutate(rng: random.Random, p: str) -> str:
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(p) + 1)
        p = p[:i] + rng.choice(_MUTATIONS) + p[i:]
    if rng.random() < 0.2:
        p = p.upper() if rng.random() < 0.5 else p.lower()
    return p


def cases():
    """(name, how, payload) in a fixed order. ``how`` names the call in ``run``."""
    files = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md"))
    for p in files:
        name = p.relative_to(FIXTURES).as_posix()
        text = p.read_text(encoding="utf-8")
        yield f"file:{name}", "default", {"text": text}
        yield f"file-glossary-only:{name}", "glossary-only", {"text": text}
        yield f"file-rules-only:{name}", "rules-only", {"text": text}
    for c in _cases("positive"):
        yield f"positive:{c['id']}", "default", {"text": c["input"]}
    for c in _cases("negative"):
        yield f"negative:{c['id']}", "default", {"text": c["text"]}
    with open(FIXTURES / "bilingual" / "cases.toml", "rb") as f:
        for c in tomllib.load(f)["case"]:
            yield f"bilingual:{c['id']}", "default", {"text": c["garbled"], "source": c["source"]}
            yield f"bilingual-nosource:{c['id']}", "default", {"text": c["garbled"]}
    from cleanmt.glossary import bundled_paths, load_glossary
    for path in bundled_paths():
        g = load_glossary(path)
        for e in g.entries:
            for n, (inp, _) in enumerate(e.examples):
                yield f"example:{e.id}:{n}", "eager", {"text": inp}
                yield f"example-default:{e.id}:{n}", "default", {"text": inp}
            for n, k in enumerate(e.keep):
                yield f"keep:{e.id}:{n}", "eager", {"text": k}
    from cleanmt.typography import RULES
    for r in RULES:
        for n, (inp, _) in enumerate(r.examples):
            yield f"rule:{r.id}:{n}", "rules-only", {"text": inp}
            yield f"rule-default:{r.id}:{n}", "default", {"text": inp}
        for n, k in enumerate(r.keep):
            yield f"rule-keep:{r.id}:{n}", "default", {"text": k}
    paras = _seed_paragraphs()
    seed_text = "\n\n".join(paras)
    rng = random.Random(13)
    for n in range(600):
        yield f"mutated:{n}", "default", {"text": _mutate(rng, rng.choice(paras))}
    for n in range(150):
        joined = "\n\n".join(_mutate(rng, rng.choice(paras)) for _ in range(rng.randint(2, 5)))
        yield f"mutated-multi:{n}", "default", {"text": joined}
    for n in range(100):
        yield f"mutated-eager:{n}", "eager", {"text": _mutate(rng, rng.choice(paras))}
    for n in range(300):
        s = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 60)))
        yield f"random:{n}", "default", {"text": s}
    for n, p in enumerate(paras):
        yield f"piece:{n}", "piece", {"text": p, "context": seed_text}
    po = "".join(f'\n#: x.c:{n}\nmsgid "s{n}"\nmsgstr ""\n"{p[:70]}"\n"{p[70:140]}"\n'.replace("\\", "")
                 for n, p in enumerate(q.replace('"', "'") for q in paras))
    yield "format:po", "format-po", {"text": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + po}
    srt = "".join(f"{n + 1}\n00:00:{n % 60:02d},000 --> 00:00:{n % 60:02d},500\n{p[:60]}\n{p[60:120]}\n\n"
                  for n, p in enumerate(paras))
    yield "format:srt", "format-srt", {"text": srt}
    jsonl = "\n".join(json.dumps({"id": n, "text": p}, ensure_ascii=False) for n, p in enumerate(paras))
    yield "format:jsonl", "format-jsonl", {"text": jsonl + "\nnot json\n"}
    yield "bigglossary", "big-glossary", {}


_CLEANERS: dict[str, object] = {}


def _cleaner(how: str):
    import cleanmt

    if how not in _CLEANERS:
        if how == "eager":
            c = cleanmt.Cleaner(assume_triggers=True, check_examples=False)
        elif how == "glossary-only":
            c = cleanmt.Cleaner(stages=("boilerplate", "glossary"))
        elif how == "rules-only":
            c = cleanmt.Cleaner([], stages=("markdown", "typography", "casing"), check_examples=False)
        else:
            c = cleanmt.Cleaner()
        _CLEANERS[how] = c
    return _CLEANERS[how]


def _big_glossary_result():
    """A 300-entry generated glossary (the benchmark's) over a generated corpus: the big-set paths
    (examples checked together, the automaton's payloads)."""
    import importlib.util
    import tempfile

    import cleanmt

    spec = importlib.util.spec_from_file_location("_speed", ROOT / "benchmarks" / "speed.py")
    speed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(speed)
    toml, wrongs = speed.make_glossary(300)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "big.toml"
        p.write_text(toml, encoding="utf-8")
        c = cleanmt.Cleaner(extra=[p])
        return c.clean(speed.make_corpus(0.05, wrongs))


def run(how: str, payload: dict):
    from cleanmt.formats import clean_text

    if how == "big-glossary":
        return _big_glossary_result()
    text = payload["text"]
    if how == "piece":
        return _cleaner("default").clean(text, context=payload["context"], edges="none")
    if how.startswith("format-"):
        return clean_text(_cleaner("default"), text, how.removeprefix("format-"))
    return _cleaner(how).clean(text, source=payload.get("source"))


def record(name: str, result) -> dict:
    return {"name": name, "text": result.text,
            "edits": [[e.start, e.end, e.before, e.after, e.rule_id, e.stage] for e in result.edits],
            "findings": [[f.start, f.end, f.rule_id, f.stage, f.message] for f in result.findings]}


def compute() -> list[dict]:
    return [record(name, run(how, payload)) for name, how, payload in cases()]


def load() -> list[dict]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def save(records: list[dict]) -> None:
    GOLDEN.parent.mkdir(exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    with open(GOLDEN, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(data.encode("utf-8"))


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.golden --update   (rewrites tests/golden/outputs.jsonl.gz)")
    recs = compute()
    save(recs)
    print(f"{len(recs)} outputs written to {GOLDEN.relative_to(ROOT)}")
