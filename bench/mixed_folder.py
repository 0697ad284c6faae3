"""A mixed folder of 1,000 files, every format, with bad files among them, built end to end.

    python bench/mixed_folder.py ../shared/bench/news.jsonl [--files 1000] [--bad-every 20] [--model NAME] [-j N]

Saves texts of the bench corpus in turn as .txt, .md, .jsonl, .html, .pdf, .docx, .rss,
.csv, .tsv, .xlsx and GDELT .gkg.csv files (`tests/_docs.write_good`), and every
`--bad-every`-th file as one of the bad kinds of `tests/_docs.BAD_KINDS` (truncated PDF,
DOCX and XLSX, scanned and encrypted PDFs, DOCX and XLSX zip bombs, an all-boilerplate
page, a broken feed, a CSV with an unclosed quote, a CSV without a text column). Then, in a
fresh process (`bench/_measure.py`: wall time and peak memory), it runs `kgraph.build` over
the folder and saves the outputs and checks that it ended, that every good file is an article of the graph and that
skipped.csv holds exactly one row per bad file, with its reason. Reading alone is timed too
(`read_articles`, in this process).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _measure  # noqa: E402
from html_quality import paragraphs  # noqa: E402

from kgraph.config import DEFAULT_MODEL  # noqa: E402
from kgraph.ingest import read_articles  # noqa: E402
from tests import _docs as D  # noqa: E402


def make_folder(folder: Path, rows: list[dict], files: int, bad_every: int) -> tuple[set[str], dict[str, str]]:
    ids: set[str] = set()
    bad: dict[str, str] = {}
    kinds = list(D.BAD_KINDS.items())
    for i in range(files):
        if (i + 1) % bad_every == 0:
            kind, reason = kinds[len(bad) % len(kinds)]
            D.write_bad(folder, f"{i:04d}-{kind}")
            bad[f"{i:04d}-{kind}"] = reason
            continue
        r = rows[i % len(rows)]
        fmt = D.MIXED_FORMATS[i % len(D.MIXED_FORMATS)]
        title = " ".join(r["text"].split()[:8]).rstrip(",.;:")
        _, art_id = D.write_good(folder, i, fmt, title, paragraphs(r["text"]))
        ids.add(art_id)
    return ids, bad


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--bad-every", type=int, default=20)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "mixed"
        folder.mkdir()
        t = time.perf_counter()
        ids, bad = make_folder(folder, rows, args.files, args.bad_every)
        made = time.perf_counter() - t
        size = sum(f.stat().st_size for f in folder.iterdir())
        t = time.process_time()
        skipped: list = []
        read = list(read_articles([folder], skipped=skipped))
        read_s = time.process_time() - t
        out = Path(d) / "out"
        child = (
            "import json, sys, kgraph; "
            "kg = kgraph.build([sys.argv[1]], model=sys.argv[3], jobs=int(sys.argv[4])); kg.save(sys.argv[2]); "
            "print(json.dumps({'articles': kg.graph.graph['article_count']}))"
        )
        root = str(Path(__file__).resolve().parent.parent)
        run = _measure.run(
            [sys.executable, "-c", child, str(folder), str(out), args.model, str(args.jobs)],
            env={**os.environ, "PYTHONPATH": root},
        )
        with open(out / "skipped.csv", encoding="utf-8") as fh:
            rows_out = list(csv.DictReader(fh))
        graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    articles = set(graph["graph"]["articles"])
    got = Counter((Path(r["source"].split(":")[0]).name, r["reason"]) for r in rows_out)
    want = Counter(bad.items())
    formats = Counter(Path(r.source.split(":")[0]).name.split(".", 1)[1] for r in read)
    print(f"{args.files} files ({size / 2**20:.0f} MB; {len(ids)} good, {len(bad)} bad), made in {made:.0f} s")
    print(f"reading alone: {len(read)} articles in {read_s:.1f} CPU s; by format: {dict(sorted(formats.items()))}")
    print(f"build: {run.wall_s:.0f} s wall, peak {run.peak_pss_mb:.0f} MB (PSS, all processes)")
    print(
        f"articles in the graph: {len(articles)} of {len(ids)} good files; "
        f"skipped.csv: {len(rows_out)} rows, one per bad file with its reason: {got == want}"
    )
    print(
        json.dumps(
            {
                "files": args.files,
                "good": len(ids),
                "bad": len(bad),
                "articles": len(articles),
                "all_good_read": articles == ids,
                "skipped_rows": len(rows_out),
                "rows_match": got == want,
                "read_cpu_s": round(read_s, 2),
                "build_wall_s": round(run.wall_s, 1),
                "peak_pss_mb": round(run.peak_pss_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
