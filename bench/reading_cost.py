"""What reading saved web pages costs next to NER, side by side in one run.

    python bench/reading_cost.py ../shared/bench/news.jsonl [--pages 200] [--repeats 3]

Saves `--pages` texts of the bench corpus as news pages in boilerplate (as
bench/html_quality.py does, the three layouts in turn), then, in this one process and on one
core, times reading them (`kgraph.ingest.read_articles`: trafilatura's main text and
metadata) and running kgraph's NER over what was read (`kgraph.extract.extract` with the
default model, `n_process=1`, model loaded beforehand), alternating the two `--repeats`
times. Times are CPU seconds of this process (a busy machine stretches wall time, not
these); the median of each is reported with their ratio. The issue's bar: reading at most
30 % of NER time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from html_quality import paragraphs  # noqa: E402

from kgraph.extract import extract, load_nlp  # noqa: E402
from kgraph.ingest import read_articles  # noqa: E402
from tests._docs import news_page  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:: max(1, len(rows) // args.pages)][: args.pages]
    nlp = load_nlp()
    reads: list[float] = []
    ners: list[float] = []
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        for i, r in enumerate(rows):
            title = " ".join(r["text"].split()[:8]).rstrip(",.;:")
            page = news_page(title, paragraphs(r["text"]), url=f"https://news.example.org/{i}", layout=i % 3)
            (folder / f"{i:04d}.html").write_text(page, encoding="utf-8")
        size = sum(f.stat().st_size for f in folder.iterdir())
        list(read_articles([folder]))  # warm-up: imports, trafilatura's first-call set-up
        list(extract(list(read_articles([folder]))[:5], nlp))
        for _ in range(args.repeats):
            t = time.process_time()
            articles = list(read_articles([folder]))
            reads.append(time.process_time() - t)
            t = time.process_time()
            for _ex in extract(articles, nlp, n_process=1):
                pass
            ners.append(time.process_time() - t)
    read_s, ner_s = statistics.median(reads), statistics.median(ners)
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"{len(rows)} pages ({size / 2**20:.1f} MB of HTML, {words:,} words of main text): "
        f"reading {read_s:.2f} s ({read_s / len(rows) * 1000:.1f} ms a page), "
        f"NER {ner_s:.2f} s ({ner_s / len(rows) * 1000:.1f} ms a page): reading is {read_s / ner_s:.0%} of NER "
        f"(CPU seconds, median of {args.repeats})"
    )
    print(
        json.dumps(
            {
                "pages": len(rows),
                "read_s": round(read_s, 3),
                "ner_s": round(ner_s, 3),
                "ratio": round(read_s / ner_s, 3),
                "reads": reads,
                "ners": ners,
            }
        )
    )


if __name__ == "__main__":
    main()
