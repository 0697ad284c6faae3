"""Graph building and export at corpus scale, on a synthetic resolution.

    python bench/graph_scale.py --articles 100000 [--entities 200000] [--skip-python]

A `kgraph.resolve.Resolution` shaped like the one 968 real news articles give
(shared/bench/news.jsonl: 10.5 entities an article, 3.8 sentences an article naming two or
more of them, 2.8 entities in such a sentence, sentences of 155 characters, entity
popularity with a long tail: most entities are named in one article) is generated for
`--articles` articles. Then, each in a fresh process:

- python: `build_graph` counting pairs one Python step at a time (`_edges_python`);
- arrays: `build_graph` counting pairs with numpy (`_edges_arrays`; kgraph uses it for
  graphs of `kgraph.graph.ARRAY_MIN_PAIRS` pairs or more, seen `ARRAY_MIN_REPEAT` times
  each on average), then `write_graphml` and `write_json` of it.

`--entities` sets how many distinct entities articles draw from: fewer means pairs that
repeat more (the default gives about two articles a pair, like a varied news feed).

Every sentence of the synthetic corpus keeps its text (the worst case: in a build the
resolver keeps only the texts that can still become evidence). Prints seconds, the peak
memory of the process (and how much building the graph added to it), and the graph's size.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import _measure
import numpy as np


def synthetic_resolution(articles: int, entities: int, seed: int = 1):  # type: ignore[no-untyped-def]
    from kgraph.records import ArticleMeta, Entity
    from kgraph.resolve import Resolution

    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, entities + 1) ** 1.05
    popularity /= popularity.sum()
    sizes = np.minimum(1 + rng.poisson(9.5, size=articles), 60)
    drawn = rng.choice(entities, size=int(sizes.sum()), p=popularity)
    metas: list[ArticleMeta] = []
    art_entities: list[tuple[int, ...]] = []
    sent_entities: list[list[tuple[int, tuple[int, ...]]]] = []
    sent_text: list[dict[int, str]] = []
    filler = "x" * 120
    start = 0
    for k, size in enumerate(sizes.tolist()):
        members = sorted(set(drawn[start : start + size].tolist()))
        start += size
        aid = f"news-{k:06d}"
        metas.append(ArticleMeta(id=aid, title=f"Article {k}", source="synthetic.jsonl"))
        art_entities.append(tuple(members))
        sents: list[tuple[int, tuple[int, ...]]] = []
        texts: dict[int, str] = {}
        if len(members) >= 2:
            for s in range(int(rng.poisson(3.8))):
                m = min(len(members), 2 + int(rng.poisson(0.85)))
                chosen = tuple(sorted(rng.choice(members, size=m, replace=False).tolist()))
                sents.append((s, chosen))
                texts[s] = f"Sentence {s} of {aid}: {filler}"
        sent_entities.append(sents)
        sent_text.append(texts)
    named: dict[int, list[str]] = {}
    for meta, members in zip(metas, art_entities):
        for e in members:
            named.setdefault(e, []).append(meta.id)
    ids = sorted(named)
    index = {e: i for i, e in enumerate(ids)}
    ents = [
        Entity(
            id=f"{('person', 'place', 'organization')[e % 3]}:entity-{e}",
            label=f"Entity {e}",
            type=("person", "place", "organization")[e % 3],
            aliases=(f"Entity {e}",),
            article_ids=tuple(named[e]),
            mention_count=2 * len(named[e]),
        )
        for e in ids
    ]
    return Resolution(
        entities=ents,
        article_ids=[m.id for m in metas],
        article_info=[m.info() for m in metas],
        article_entities=[tuple(index[e] for e in m) for m in art_entities],
        sentence_entities=[[(s, tuple(index[e] for e in m)) for s, m in sents] for sents in sent_entities],
        sentence_text=sent_text,
        alias_rows=[],
    )


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, articles: int, entities: int, out: Path) -> dict[str, object]:
    from kgraph import graph

    ARRAY_MIN_PAIRS, ARRAY_MIN_REPEAT = graph.ARRAY_MIN_PAIRS, graph.ARRAY_MIN_REPEAT
    t = time.perf_counter()
    res = synthetic_resolution(articles, entities)
    made = time.perf_counter() - t
    before = _maxrss_mb()
    if mode == "arrays":  # counted in arrays whatever the graph's shape
        graph.ARRAY_MIN_PAIRS, graph.ARRAY_MIN_REPEAT = 0, 0.0
    else:
        graph.ARRAY_MIN_PAIRS = 1 << 62
    t = time.perf_counter()
    g = graph.build_graph(res, max_sentences=10)
    built = time.perf_counter() - t
    pairs = sum(len(m) * (len(m) - 1) // 2 for m in res.article_entities)
    result: dict[str, object] = {
        "mode": mode,
        "articles": articles,
        "pairs": pairs,
        "kgraph_uses": "arrays"
        if pairs >= ARRAY_MIN_PAIRS and pairs >= ARRAY_MIN_REPEAT * g.number_of_edges()
        else "python",
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "generate_s": made,
        "build_s": built,
        "rss_before_build_mb": before,
        "rss_after_build_mb": _maxrss_mb(),
    }
    if mode == "arrays":
        from kgraph.export.graphml import write_graphml
        from kgraph.export.json import write_json

        del res
        t = time.perf_counter()
        write_graphml(g, out / "graph.graphml")
        result["graphml_s"] = time.perf_counter() - t
        result["graphml_mb"] = (out / "graph.graphml").stat().st_size / 2**20
        (out / "graph.graphml").unlink()
        t = time.perf_counter()
        write_json(g, out / "graph.json")
        result["json_s"] = time.perf_counter() - t
        result["json_mb"] = (out / "graph.json").stat().st_size / 2**20
        (out / "graph.json").unlink()
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--entities", type=int, default=200_000, help="size of the pool entities are drawn from")
    p.add_argument("--skip-python", action="store_true", help="leave out the pure-Python pair counting")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.articles, args.entities, args.out)))
        return
    modes = ["arrays"] if args.skip_python else ["python", "arrays"]
    with tempfile.TemporaryDirectory(prefix="kgraph-graph-bench-") as tmp:
        for mode in modes:
            cmd = [sys.executable, __file__, "--child", mode, "--articles", str(args.articles)]
            cmd += ["--entities", str(args.entities), "--out", tmp]
            m = _measure.run(cmd)
            r = m.result
            line = (
                f"{mode:6s}: {r['articles']:,} articles, {r['nodes']:,} entities, {r['edges']:,} edges "
                f"({r['pairs']:,} article pairs: kgraph counts them in {r['kgraph_uses']}); "
                f"generated in {r['generate_s']:.1f} s; "
                f"build_graph {r['build_s']:.1f} s, +{r['rss_after_build_mb'] - r['rss_before_build_mb']:,.0f} MB"
            )
            if mode == "arrays":
                line += (
                    f"; write_graphml {r['graphml_s']:.1f} s ({r['graphml_mb']:,.0f} MB)"
                    f"; write_json {r['json_s']:.1f} s ({r['json_mb']:,.0f} MB)"
                )
            print(line + f"; peak RSS {m.main_maxrss_mb:,.0f} MB", flush=True)


if __name__ == "__main__":
    main()
