"""Benchmark the default backend against Lead-3 on the development set.

    python -m events.summarizer.bench [--data PATH] [--cv] [--folds 5]

The shipped weights were trained on this same data, so their figures are labelled "in-sample".
`--cv` adds the honest figure: k-fold cross-validation using train.py's procedure (each article
summarised by a model that never saw it).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from . import BACKEND_VERSION, summarize
from .train import DEFAULT_DATA, cross_validate, lead3, load_articles, rouge_table


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
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
    t0 = time.perf_counter()
    ours = [summarize(a["text"], a.get("title"), 3) for a in articles]
    t_ours = time.perf_counter() - t0
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
    print(f"  Lead-3     {r_lead:8.1f} articles/s")
    print(f"  ratio extractive/Lead-3: {r_ours / r_lead:.3f}")

    if args.cv:
        print(f"\n{args.folds}-fold cross-validation (out-of-fold, train.py procedure):")
        cv_out, cv = cross_validate(articles, args.folds)
        print(_compare("extractive", cv, base))
        m_cv, x_cv, _ = _lengths(cv_out)
        print(f"  CV bullet length: mean {m_cv:.1f} max {x_cv}")
    else:
        print("\n(run with --cv for 5-fold cross-validated figures; about 3 minutes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
