"""The report ``cleanmt learn`` prints on standard error: what was learned, from how much, and
what was left out and why."""
from __future__ import annotations

from collections import Counter


def format_report(learned, output: str | None) -> str:
    r = learned.report
    n_blocks = len(r["blocks"])
    lines = [f"cleanmt learn: {r['pairs']} pair(s), {r['corrections']} word-level correction(s) -> "
             f"{len(r['entries'])} entr{'y' if len(r['entries']) == 1 else 'ies'}"
             + (f" and {n_blocks} scraper block(s)" if n_blocks else "")
             + (f", written to {output}" if output else "")]
    if r["entries"]:
        w = max(len(e["id"]) for e in r["entries"])
        lines.append(f"  {'id':<{w}}  support  docs  unchanged  impact  wrong -> right")
        for e in r["entries"]:
            unchanged = e["unchanged_in_refs"] + e["unchanged_in_keep_corpus"]
            flag = "  (ambiguous)" if e["ambiguous"] else ""
            lines.append(f"  {e['id']:<{w}}  {e['support']:>7}  {e['documents']:>4}  {unchanged:>9}  "
                         f"{e['impact']:>+6}  {e['wrong']} -> {e['right']}{flag}")
    for b in r["blocks"]:
        lines.append(f"  {b['id']}: {len(b['lines'])} line(s) dropped at the document {b['where']}")
    why = Counter(x["why"].split(" (")[0].split(":")[0] for x in r["left_out"])
    if why:
        lines.append(f"left out: {len(r['left_out'])} candidate(s): "
                     + "; ".join(f"{n} {reason}" for reason, n in sorted(why.items(), key=lambda kv: (-kv[1], kv[0]))))
    return "\n".join(lines)


def format_eval(ev: dict) -> str:
    head = (f"{'fold':>4} {'entries':>7} {'blocks':>6} {'pairs':>5} {'raw':>6} {'baseline':>8} {'learned':>7} "
            f"{'removed':>7} {'needless':>8}  held out")
    k = ev["k"]
    lines = [f"{k}-fold evaluation: learned on the other {k - 1} fold{'s' if k > 2 else ''}, measured on the one "
             "held out (word edits to the reference)", head, "-" * len(head)]
    for r in ev["folds"] + [dict(ev["total"], fold="all", held_out=[])]:
        lines.append(f"{r['fold']:>4} {r['entries']:>7} {r['blocks']:>6} {r['pairs']:>5} {r['raw']:>6} "
                     f"{r['baseline']:>8} {r['learned']:>7} {r['removed']:>7} {r['needless']:>8}  "
                     f"{', '.join(r['held_out'])}".rstrip())
    t = ev["total"]
    lines.append(f"removed {t['removed']} of the {t['baseline']} word edits the baseline leaves "
                 f"({100 * t['removed'] / t['baseline'] if t['baseline'] else 0:.1f}%); "
                 f"{t['needless']} word(s) changed that needed no change"
                 + (f"; {t['keep_changed']} word(s) changed in the keep corpus" if t["keep_changed"] else ""))
    return "\n".join(lines)
