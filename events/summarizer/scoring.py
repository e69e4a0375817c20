"""Learned scoring: a gradient-boosted tree ensemble evaluated in pure Python.

Training uses scikit-learn (see train.py), but the trees are exported to weights.json so the
runtime needs neither scikit-learn nor numpy.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("weights.json")


class TreeEnsemble:
    """Sum of regression trees; each tree is stored as flat parallel lists (leaf: feature -1)."""

    def __init__(self, spec: dict) -> None:
        self.features: list[str] = spec["features"]
        self.base: float = spec["base"]
        self.rate: float = spec["rate"]
        self.trees = [(t["f"], t["t"], t["l"], t["r"], t["v"]) for t in spec["trees"]]

        self._compiled = self._compile()

    def _compile(self):
        """Turn the trees into one Python function of nested ifs.

        Walking the node lists in a loop was the hottest spot of the backend; straight-line code
        is several times faster. The source is generated only from numbers in weights.json
        (ints and floats formatted by repr), never from story text.
        """
        lines = ["def _ensemble(x):", "    t = 0.0"]

        def emit(tree: tuple, node: int, depth: int) -> None:
            feat, thr, left, right, value = tree
            pad = "    " * depth
            if feat[node] < 0:
                lines.append(f"{pad}t += {float(value[node])!r}")
                return
            lines.append(f"{pad}if x[{int(feat[node])}] <= {float(thr[node])!r}:")
            emit(tree, left[node], depth + 1)
            lines.append(f"{pad}else:")
            emit(tree, right[node], depth + 1)

        for tree in self.trees:
            emit(tree, 0, 1)
        lines.append("    return t")
        namespace: dict = {}
        exec(compile("\n".join(lines), "<weights.json trees>", "exec"), namespace)
        return namespace["_ensemble"]

    def predict(self, row: list[float]) -> float:
        return self.base + self.rate * self._compiled(row)

    def predict_slow(self, row: list[float]) -> float:
        """Reference implementation (node walk); kept for tests and debugging."""
        total = 0.0
        for feat, thr, left, right, value in self.trees:
            node = 0
            while feat[node] >= 0:
                node = left[node] if row[feat[node]] <= thr[node] else right[node]
            total += value[node]
        return self.base + self.rate * total

    def predict_many(self, rows: list[list[float]]) -> list[float]:
        f, base, rate = self._compiled, self.base, self.rate
        return [base + rate * f(r) for r in rows]


@lru_cache(maxsize=4)
def load_weights(path: str | None = None) -> dict:
    """Parsed weights.json (cached: it is read once per process)."""
    with open(path or WEIGHTS_PATH, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=4)
def load_models(path: str | None = None) -> tuple[TreeEnsemble, TreeEnsemble | None, dict]:
    """(sentence scorer, clause-deletion scorer or None, selection parameters)."""
    w = load_weights(path)
    scorer = TreeEnsemble(w["scorer"])
    deleter = TreeEnsemble(w["deleter"]) if w.get("deleter") else None
    return scorer, deleter, w.get("params", {})
