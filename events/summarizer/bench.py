"""Benchmark the default backend against Lead-3 on the development set.

    python -m events.summarizer.bench [--data PATH] [--no-held-out] [--cv] [--folds 5]

The figure that predicts copy the model has never seen is the group-held-out one (on by
default, about 5 minutes on 2 cores): `cnndm-test` summarised by a model trained only on
`cnn-corpus`, and the reverse, each beside Lead-3 on the same articles. The shipped weights
were trained on this same data, so their figures are labelled "in-sample"; `--cv` adds k-fold
cross-validation, which mixes both collections in every fold and so flatters the model.

Every bullet is also run through the checker (checker.py): the summarizer's own answers must
show no defect; Lead-3 and the human references are checked too, as a yardstick of how often
the rules fire on text nobody compressed.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from . import BACKEND_VERSION, summarize
from .checker import DEFECT_KINDS, Story, summary_defects
from .train import (
    DEFAULT_DATA,
    article_rows,
    cross_validate,
    held_out,
    lead3,
    load_articles,
    rouge_table,
)


def _lengths(outputs: list[list[str]]) -> tuple[float, int, float]:
    words = [len(b.split()) for out in outputs for b in out]
    if not words:
        return 0.0, 0, 0.0
    return sum(words) / len(words), max(words), sum(len(o) for o in outputs) / len(outputs)


def _compare(name: str, rows: dict, base: dict) -> str:
    head = f"{'set':<12} {'n':>5}  {name + ' R1/R2/RLsum':>26}  {'Lead-3 R1/R2/RLsum':>22}  diff"
    lines = [head]
    for key in sorted(rows, key=lambda k: (k == "ALL", k)):
        a, b = rows[key], base[key]
        lines.append(
            f"{key:<12} {a[3]:>5}  {a[0]:7.2f} {a[1]:6.2f} {a[2]:6.2f}       "
            f"{b[0]:6.2f} {b[1]:6.2f} {b[2]:6.2f}   "
            f"{a[0] - b[0]:+.2f} / {a[1] - b[1]:+.2f} / {a[2] - b[2]:+.2f}"
        )
    return "\n".join(lines)


def defect_counts(articles: list[dict], outputs: list[list[str]]) -> tuple[Counter, int]:
    """Checker defects over every bullet (and every answer, for the lead's news)."""
    found: Counter = Counter()
    for a, out in zip(articles, outputs, strict=True):
        found.update(kind for _, kind in summary_defects(out, Story.of(a["text"])))
    return found, sum(len(o) for o in outputs)


def _defect_line(name: str, found: Counter, bullets: int) -> str:
    parts = ", ".join(f"{k} {found[k]}" for k in DEFECT_KINDS if found[k]) or "none"
    return f"  {name:<28} {sum(found.values()):>5} defects in {bullets} bullets ({parts})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--no-held-out", action="store_true", help="skip group-held-out training")
    ap.add_argument("--cv", action="store_true", help="also report k-fold cross-validation")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: no dev data at {args.data}")
        return 0
    articles = load_articles(args.data)
    print(f"{len(articles)} articles from {args.data}")
    print(f"backend: extractive ({BACKEND_VERSION['extractive']}), 3 bullets per article")

    summarize("Warm-up. Loads the weights once.", None, 3)  # keep file loading out of timing
    t0, c0 = time.perf_counter(), time.process_time()
    ours = [summarize(a["text"], a.get("title"), 3) for a in articles]
    t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    base_out = [lead3(a["text"]) for a in articles]
    t_lead = time.perf_counter() - t0

    base = rouge_table(articles, base_out)
    mine = rouge_table(articles, ours)
    print("\nShipped weights (IN-SAMPLE: trained on these same articles):")
    print(_compare("extractive", mine, base))

    m_ours, x_ours, b_ours = _lengths(ours)
    m_lead, x_lead, b_lead = _lengths(base_out)
    print("\nBullet length (words): ")
    print(f"  extractive mean {m_ours:.1f} max {x_ours}  ({b_ours:.2f} bullets/article)")
    print(f"  Lead-3     mean {m_lead:.1f} max {x_lead}  ({b_lead:.2f} bullets/article)")
    r_ours = len(articles) / t_ours
    r_lead = len(articles) / t_lead
    print("\nThroughput, one process (summarize only, no scoring):")
    print(f"  extractive {r_ours:8.1f} articles/s")
    # On a shared machine wall time depends on the neighbours; CPU time is this process's own.
    print(f"  extractive {len(articles) / c_ours:8.1f} articles per CPU second")
    print(f"  Lead-3     {r_lead:8.1f} articles/s")
    print(f"  ratio extractive/Lead-3: {r_ours / r_lead:.3f}")

    print("\nChecker (checker.py) over every bullet; target 0 for the summarizer:")
    print(_defect_line("extractive (shipped)", *defect_counts(articles, ours)))
    print(_defect_line("Lead-3 (yardstick)", *defect_counts(articles, base_out)))
    refs = [a["bullets"] for a in articles]
    print(_defect_line("human references (yardstick)", *defect_counts(articles, refs)))

    rows = None
    if not args.no_held_out:
        print("\nGroup-held-out: each collection summarised by a model trained only on the other")
        print("(train.py's procedure; the figure to tune on):")
        rows = [article_rows(a) for a in articles]
        ho_out, ho = held_out(articles, rows=rows)
        print(_compare("extractive", ho, base))
        for group in sorted({a["set"] for a in articles}):
            idx = [i for i, a in enumerate(articles) if a["set"] == group]
            m, x, _ = _lengths([ho_out[i] for i in idx])
            found, n = defect_counts([articles[i] for i in idx], [ho_out[i] for i in idx])
            print(f"  {group}: bullets mean {m:.1f} words, max {x}")
            print(_defect_line(f"{group} held-out", found, n))
    else:
        print("\n(without --no-held-out: group-held-out figures; about 5 minutes)")

    if args.cv:
        print(f"\n{args.folds}-fold cross-validation (out-of-fold; mixes both collections):")
        cv_out, cv = cross_validate(articles, args.folds, rows=rows)
        print(_compare("extractive", cv, base))
        m_cv, x_cv, _ = _lengths(cv_out)
        print(f"  CV bullet length: mean {m_cv:.1f} max {x_cv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
