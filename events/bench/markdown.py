"""Rendering story bodies: crafted inputs against ordinary news text, same size, same run.

    python -m events.bench.markdown [--size 100000]

For each crafted input (the ones that made the old renderer superlinear, and the ones that stress
cmark, the nesting guard and nh3), the best of five renders at ``--size`` characters and at a
quarter of it: a ratio near 4 is linear, 16 quadratic. The baseline is ordinary news text of the
same size with some Markdown (emphasis, links, lists).
"""

from __future__ import annotations

import argparse
import time

from events.bench.corpus import Writer

#: inputs that took the old renderer (Python-Markdown) or html5ever superlinear time; the story
#: tests hold each of these under 50 ms at 100 KB
PATHOLOGICAL = {
    "unclosed links `[a](b `": "[a](b ",
    "open brackets `[`": "[",
    "unclosed emphasis `*a `": "*a ",
    "nested quotes `> `": "> ",
    "nested lists `- a`": "- ",
    "unclosed tags `<a `": "<a ",
    "numeric entities `&#`": "&#",
    "underscores `_a_`": "_a_",
    "references `[a]`": "[a]",
}
#: more stress, measured here and held linear by the tests
STRESS = {
    "nested brackets `[[`": "[[",
    "images `![`": "![",
    "emphasis runs `*_**__`": "*_**__",
    "lines `a\\n`": "a\n",
    "ampersands `&x`": "&x",
    "tables `|a|`": "|a|\n|-|\n",
    "links `[a](b)`": "*[a](b) ",
    "misnested raw HTML": "<div><b title=1>x</div><div><i title=2>x</div>",
}


def repeated(unit: str, size: int) -> str:
    text = (unit * (size // len(unit) + 1))[:size]
    return text + "a" if unit == "- " else text  # "- - - -" alone is a horizontal rule


def news_text(size: int) -> str:
    """Ordinary copy: the corpus's wire paragraphs, some emphasis, links and figure lists."""
    writer, blocks, length = Writer(seed=11), [], 0
    while length < size:
        event = writer.strike(writer.place_name())
        paragraph = writer.paragraph(event)
        blocks.append(f"**{event['place'].upper()}** — {paragraph}")
        blocks.append(
            f"- {event['killed']} killed\n- {event['injured']} injured\n\n"
            f"[The regional administration's statement](https://example.org/{len(blocks)})"
        )
        length += len(blocks[-2]) + len(blocks[-1]) + 4
    return "\n\n".join(blocks)[:size]


def best_time(render, text: str, rounds: int = 5) -> float:
    """The fastest of ``rounds`` renders, in CPU seconds (other processes' load excluded)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        render(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()

    from events.rendering import render_markdown

    size = args.size
    baseline = best_time(render_markdown, news_text(size))
    print(f"== Markdown rendering at {size:,} characters (best of 5, CPU time)")
    print(f"   ordinary news text: {baseline * 1000:.1f} ms")
    worst = ("", 0.0)
    for group, inputs in (("pathological", PATHOLOGICAL), ("stress", STRESS)):
        for name, unit in inputs.items():
            full = best_time(render_markdown, repeated(unit, size))
            quarter = best_time(render_markdown, repeated(unit, size // 4))
            print(
                f"   {group:12} {name:30} {full * 1000:7.1f} ms  "
                f"{full / baseline:5.1f}x news  x{full / max(quarter, 1e-6):4.1f} for 4x the size"
            )
            if group == "pathological" and full > worst[1]:
                worst = (name, full)
    print(
        f"   worst pathological: {worst[0]}, {worst[1] * 1000:.1f} ms "
        f"({worst[1] / baseline:.1f}x ordinary text of the same size)"
    )


if __name__ == "__main__":
    main()
