"""What each stage of a build costs per article, at 1x, 10x and 100x the bench corpus.

    python bench/stage_costs.py ../shared/bench/news.jsonl [--scales 1 10 100] [--cache FILE]

NER is run once, over the corpus as it is (one process, `jobs=1`, so its cost is CPU time
per article on one core), and its Extractions are kept in an extraction cache (`--cache`,
reused if it is there). For each scale a fresh process then replicates those Extractions
(copy k's articles get ids "<id>~k", as `bench/throughput.py` names them: what NER finds in a
copy of a text is what it found in the text) and times, in CPU seconds of that process (a
busy machine stretches wall time, not these), one after the other on one core:
reading them back from the cache, per-article resolution (`Resolver.add`), corpus resolution
(`Resolver.finish`), the graph (`build_graph`), its layout, and each writer (alone: a save
shares the edge table of `kgraph.export._columns` among them, which each makes here).
Replicating keeps the entities and their links and multiplies each link's articles: it
models a corpus that grows in depth (more articles about the same people), the case where
the lists of article ids grow; `bench/graph_scale.py` models the other one (ever new
entities).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import _measure


def child(corpus: Path, cache: Path, scale: int) -> dict[str, object]:
    from kgraph.aliases import alias_table
    from kgraph.cache import ExtractionCache, model_identity, settings_digest
    from kgraph.config import DEFAULT_MODEL
    from kgraph.export.gexf import write_gexf
    from kgraph.export.graphml import write_graphml
    from kgraph.export.html import write_html
    from kgraph.export.json import write_json
    from kgraph.export.tables import write_edges_csv, write_nodes_csv
    from kgraph.extract.pieces import PIECE_SENTENCE_STRIDE
    from kgraph.graph import build_graph
    from kgraph.ingest import read_articles
    from kgraph.layout import add_layout
    from kgraph.normalize import common_words
    from kgraph.resolve import Resolver

    identity = model_identity(DEFAULT_MODEL)
    assert identity is not None
    db = ExtractionCache(cache, settings_digest(DEFAULT_MODEL, identity, piece_stride=PIECE_SENTENCE_STRIDE))
    articles = list(read_articles([str(corpus)], skipped=[]))
    times: dict[str, float] = {}
    resolver = Resolver(alias_table(None), lexicon=common_words(DEFAULT_MODEL))
    t_read = t_add = 0.0
    n = 0
    for k in range(scale):
        for a in articles:
            t = time.process_time()
            key = db.key(a)
            found = db.lookup(key)  # (its Extraction, no resolution: this cache keeps none)
            if found is None:
                raise SystemExit(f"article {a.id} is not in {cache}: run without --child first")
            ex = db.decode(key, found[0], a if k == 0 else a.model_copy(update={"id": f"{a.id}~{k}"}))
            assert ex is not None
            t2 = time.process_time()
            resolver.add(ex)
            t_read += t2 - t
            t_add += time.process_time() - t2
            n += 1
    times["cache read"] = t_read
    times["per-article resolution"] = t_add
    t = time.process_time()
    resolution = resolver.finish()
    times["corpus resolution"] = time.process_time() - t
    t = time.process_time()
    g = build_graph(resolution, max_sentences=10, provenance={})
    times["graph"] = time.process_time() - t
    t = time.process_time()
    g = add_layout(g)
    times["layout"] = time.process_time() - t
    with tempfile.TemporaryDirectory() as tmp:
        for name, write in (
            ("json", lambda p: write_json(g, p)),
            ("graphml", lambda p: write_graphml(g, p)),
            ("gexf", lambda p: write_gexf(g, p)),
            ("html", lambda p: write_html(g, p, max_nodes=300)),
            ("edges.csv", lambda p: write_edges_csv(g, p)),
            ("nodes.csv", lambda p: write_nodes_csv(g, p)),
        ):
            t = time.process_time()
            write(Path(tmp) / (name if "." in name else f"graph.{name}"))
            times[f"write {name}"] = time.process_time() - t
    return {
        "articles": n,
        "entities": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "article_ids_on_edges": sum(len(d["article_ids"]) for _, _, d in g.edges(data=True)),
        "times": times,
    }


def ner_once(corpus: Path, cache: Path) -> dict[str, float]:
    """NER over the corpus in this process on one core, its Extractions stored in `cache`."""
    import kgraph
    from kgraph.extract import load_nlp

    t = time.process_time()
    load_nlp(kgraph.config.DEFAULT_MODEL)
    loaded = time.process_time()
    cpu0 = time.process_time()
    kg = kgraph.build([corpus], jobs=1, cache=cache)
    return {
        "model load": loaded - t,
        "build (mostly NER), cpu s": time.process_time() - cpu0,
        "misses": float(kg.cache_misses or 0),
        "articles": float(kg.graph.graph["article_count"]),
        "tokens": float(kg.graph.graph["token_count"]),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-stage-costs.sqlite")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--ner", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.ner:
        print(json.dumps(ner_once(args.corpus, args.cache)))
        return
    if args.child:
        print(json.dumps(child(args.corpus, args.cache, args.child)))
        return
    m = _measure.run([sys.executable, __file__, str(args.corpus), "--cache", str(args.cache), "--ner"])
    ner = m.result
    print(
        f"NER (with everything else of a build, one core): {ner['build (mostly NER), cpu s']:.1f} cpu s for "
        f"{ner['articles']:.0f} articles ({ner['misses']:.0f} not cached before), {ner['tokens']:,.0f} tokens; "
        f"model load {ner['model load']:.1f} s",
        flush=True,
    )
    rows = []
    for scale in args.scales:
        m = _measure.run(
            [sys.executable, __file__, str(args.corpus), "--cache", str(args.cache), "--child", str(scale)]
        )
        r = m.result
        rows.append((scale, r, m))
        print(
            f"x{scale}: {r['articles']} articles, {r['entities']} entities, {r['edges']} edges, "
            f"{r['article_ids_on_edges']:,} article ids on edges; peak {m.main_maxrss_mb:,.0f} MB; "
            + ", ".join(f"{k} {v:.2f} s" for k, v in r["times"].items()),
            flush=True,
        )
    stages = list(rows[0][1]["times"])
    print("\n| stage | " + " | ".join(f"x{s}: CPU s (µs/article)" for s, _, _ in rows) + " |")
    print("| --- | " + " | ".join("---:" for _ in rows) + " |")
    for stage in stages:
        cells = [f"{r['times'][stage]:.2f} ({r['times'][stage] / r['articles'] * 1e6:,.0f})" for _, r, _ in rows]
        print(f"| {stage} | " + " | ".join(cells) + " |")
    print("| peak memory | " + " | ".join(f"{m.main_maxrss_mb:,.0f} MB" for _, _, m in rows) + " |")


if __name__ == "__main__":
    main()
