"""Count the dates kgraph.dates finds in articles that have none: every one is a false date.

    python bench/datelines.py ../shared/bench/news.jsonl

The benchmark corpus (968 Lee and Brown news texts) carries no date field, and its year-less
datelines ("Miami, Fla., March 17 --") have no year to be read: a date found in any of them is
made up. Prints the articles read, the dates found (the target is 0) and each one found.
Articles are read as a build reads them (`kgraph.ingest.read_articles`), then dated by the
build's stage (`kgraph.dates.date_article`).
"""

from __future__ import annotations

import argparse
import time

from kgraph.dates import date_article
from kgraph.ingest import read_articles
from kgraph.records import Skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", help="undated articles (.jsonl, .txt, folders)")
    args = parser.parse_args()
    started = time.perf_counter()
    read = found = 0
    notes: list[Skipped] = []
    for article in read_articles(args.paths):
        read += 1
        if article.date is not None:
            raise SystemExit(f"article {article.id} has a date field: this benchmark needs undated articles")
        dated = date_article(article, notes)
        if dated.date is not None:
            found += 1
            print(f"false date {dated.date} ({dated.date_source}) in {article.id}: {article.text[:80]!r}")
    took = time.perf_counter() - started
    print(f"articles: {read}, dates found: {found} (target 0), undated notes: {len(notes)}, {took:.2f} s")


if __name__ == "__main__":
    main()
