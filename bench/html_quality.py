"""Main-text quality of the HTML reader: does a saved news page give the article and only it?

    python bench/html_quality.py ../shared/bench/news.jsonl [--pages 20]

Takes `--pages` texts of the bench corpus (at least 150 words each, spread evenly over it),
splits each into paragraphs, and saves it as a news page wrapped in realistic boilerplate
(`tests/_docs.news_page`: navigation, cookie banner, byline, share buttons, related links,
newsletter box, comments, footer; three layouts in turn: an <article>, plain <div>s with an
advertisement and a "Read more" link between paragraphs, an old table layout). The pages are
read with kgraph's reader (`kgraph.ingest.read_articles`), and each extracted text compared
with the article as words (lower-cased \\w+ tokens, counted as multisets):

- kept: the share of the article's tokens found in the extraction;
- boilerplate: the share of the extraction's tokens that are not the article's.

Prints one line per page and the totals, then a JSON line. The issue's bar: kept >= 95 %,
boilerplate <= 5 %, over all pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgraph.ingest import read_articles  # noqa: E402
from tests._docs import news_page  # noqa: E402

_WORDS = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def tokens(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORDS.findall(text))


def paragraphs(text: str) -> str:
    """The text with a blank line between paragraphs (its own, or every three sentences)."""
    if "\n" in text.strip():
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip())
    sentences = _SENTENCE.split(text.strip())
    return "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    long = [r for r in rows if len(r["text"].split()) >= 150]
    step = max(1, len(long) // args.pages)
    chosen = long[::step][: args.pages]
    total_article = total_kept = total_out = total_extra = 0
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        for i, r in enumerate(chosen):
            title = " ".join(r["text"].split()[:8]).rstrip(",.;:")
            page = news_page(title, paragraphs(r["text"]), url=f"https://news.example.org/{i}", layout=i % 3)
            (folder / f"{i:02d}.html").write_text(page, encoding="utf-8")
        skipped: list = []
        got = {a.id: a.text for a in read_articles([folder], skipped=skipped)}
    print(f"{'page':>4} {'layout':>6} {'words':>6} {'kept':>7} {'boilerplate':>11}")
    for i, r in enumerate(chosen):
        article = tokens(r["text"])
        out = tokens(got.get(f"{i:02d}", ""))
        kept = sum((article & out).values())
        extra = sum((out - article).values())
        total_article += sum(article.values())
        total_kept += kept
        total_out += sum(out.values())
        total_extra += extra
        share = extra / max(1, sum(out.values()))
        print(f"{i:>4} {i % 3:>6} {sum(article.values()):>6} {kept / sum(article.values()):>7.1%} {share:>11.1%}")
    kept_share = total_kept / max(1, total_article)
    extra_share = total_extra / max(1, total_out)
    print(
        f"all  {len(chosen)} pages: kept {kept_share:.1%} of article tokens, {extra_share:.1%} boilerplate tokens; "
        f"{len(skipped)} skipped"
    )
    print(
        json.dumps(
            {
                "pages": len(chosen),
                "kept": round(kept_share, 4),
                "boilerplate": round(extra_share, 4),
                "skipped": len(skipped),
            }
        )
    )


if __name__ == "__main__":
    main()
