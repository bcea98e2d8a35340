"""Honest figures for a learned glossary: K-fold cross-validation over the pairs (learn on K-1
folds, measure on the one held out), and the measures themselves: word edits to the reference
with and without the learned entries, and words the learned entries changed where the raw text
already agreed with its reference (or in text that must not change)."""
from __future__ import annotations

from ..align import align_texts, tokens, word_diff
from ..pipeline import Cleaner
from ..scoring import word_edits


def needless_changes(raw: str, ref: str, edits, rule_ids: set[str]) -> int:
    """Words of ``raw`` that its reference keeps as they are and that an edit of one of
    ``rule_ids`` touched."""
    al = align_texts(raw, ref)
    spans = sorted((e.start, e.end) for e in edits if e.rule_id in rule_ids)
    if not spans:
        return 0
    kept = []
    for p in al.pairs:
        A = tokens(raw, al.a_units[p.a0].start, al.a_units[p.a1 - 1].end)
        B = tokens(ref, al.b_units[p.b0].start, al.b_units[p.b1 - 1].end)
        changed = {k for s in word_diff(A, B) for k in range(s.i0, s.i1)}
        kept += [t for k, t in enumerate(A) if k not in changed and t.text[:1].isalnum()]
    return sum(1 for t in kept if any(a < t.end and t.start < b for a, b in spans))


def changed_words(text: str, cleaner: Cleaner, rule_ids: set[str]) -> int:
    """Words of ``text`` (which needs no change) that an edit of one of ``rule_ids`` touched."""
    spans = [(e.start, e.end) for e in cleaner.clean(text).edits if e.rule_id in rule_ids]
    return sum(1 for t in tokens(text) if t.text[:1].isalnum() and any(a < t.end and t.start < b for a, b in spans))


def measure(glossary, pairs, base: Cleaner, bundled: bool, base_files, keep=(), applied=None) -> dict:
    """Word edits of ``pairs`` to their references: raw, cleaned without the learned glossary
    (the baseline) and with it; and what the learned entries changed that needed no change.
    ``applied``: how both are cleaned (``disable``, ``level``, ``assume_mt`` of ``Cleaner``)."""
    learned = Cleaner(None if bundled else [], extra=[*base_files, glossary], check_examples=False, **(applied or {}))
    ids = {e.id for e in glossary.entries}
    row = {"pairs": len(pairs), "raw": 0, "baseline": 0, "learned": 0, "needless": 0, "keep_changed": 0}
    for _, raw, ref in pairs:
        row["raw"] += word_edits(raw, ref)
        row["baseline"] += word_edits(base.clean(raw).text, ref)
        res = learned.clean(raw)
        row["learned"] += word_edits(res.text, ref)
        row["needless"] += needless_changes(raw, ref, res.edits, ids)
    row["keep_changed"] = sum(changed_words(t, learned, ids) for t in keep)
    row["removed"] = row["baseline"] - row["learned"]
    return row


def kfold(pairs, k: int, learn_fn, *, bundled: bool, base_files=(), keep=(), applied=None, **options) -> dict:
    """Split ``pairs`` into ``k`` folds (pair i in fold i mod k), learn on the others, measure on
    each (cleaned as ``applied`` says); the total sums the folds."""
    if not 2 <= k <= len(pairs):
        raise ValueError(f"--eval needs 2 <= K <= the number of pairs ({len(pairs)}), not {k}")
    base = Cleaner(None if bundled else [], extra=list(base_files), check_examples=False, **(applied or {}))
    pairs = sorted(pairs)  # the folds do not depend on the order the pairs were given in
    folds = []
    for f in range(k):
        test = [p for i, p in enumerate(pairs) if i % k == f]
        train = [p for i, p in enumerate(pairs) if i % k != f]
        learned = learn_fn(train, bundled=bundled, glossaries=base_files, keep_corpus=keep, **options)
        row = measure(learned.glossary(), test, base, bundled, list(base_files), keep, applied)
        row.update(fold=f + 1, held_out=[name for name, _, _ in test], entries=len(learned.entries),
                   blocks=len(learned.block_tables))
        folds.append(row)
    total = {key: sum(r[key] for r in folds) for key in ("pairs", "raw", "baseline", "learned", "needless",
                                                          "keep_changed", "removed", "entries", "blocks")}
    return {"k": k, "folds": folds, "total": total}
