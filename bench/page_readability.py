"""How readable graph.html is on a real corpus, and how much the backbone keeps.

    python bench/page_readability.py OUTPUT_FOLDER [--max-nodes 300]

OUTPUT_FOLDER is the output of `kgraph build` (for the README: the 968 articles of
shared/bench/news.jsonl). Prints one JSON object:

- the backbone of the whole graph: the share of links it keeps and of entities keeping one;
  for comparison, the same for a raw weight threshold of 3;
- the page (written afresh with `--max-nodes`): its size, how long chromium takes to draw it,
  and at 1440x900 and 1024x700, at the first view and after zooming in twice with the mouse
  wheel, the labels drawn, how many overlap another label, the disc pairs that overlap and the
  labels on another entity's disc, measured from `kgraph.labelBoxes()`/`kgraph.discBoxes()`
  exactly as tests/test_page_readability.py does;
- how much the communities sit together: at 1440x900, colour by community, the mean distance
  between two drawn discs of one community over the mean between discs of two communities
  (1 would be no grouping at all).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


COMMUNITY_SPREAD = """() => {
  const D = kgraph.discBoxes(), N = kgraph.data.nodes, at = new Map(N.map((n) => [n.id, n.community]));
  let same = 0, nSame = 0, other = 0, nOther = 0;
  for (let i = 0; i < D.length; i++) for (let j = i + 1; j < D.length; j++) {
    const d = Math.hypot(D[i].cx - D[j].cx, D[i].cy - D[j].cy);
    if (at.get(D[i].id) === at.get(D[j].id)) { same += d; nSame++; } else { other += d; nOther++; }
  }
  return (same / nSame) / (other / nOther);
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--max-nodes", type=int, default=300)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    import kgraph
    from kgraph.export.html import first_view, write_html
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
    from tests.test_page_readability import views

    kg = kgraph.load(args.output)
    g = kg._with_stats()
    n, m = g.number_of_nodes(), g.number_of_edges()
    kept = [(u, v) for u, v, b in g.edges(data="backbone") if b]
    heavy = [(u, v) for u, v, w in g.edges(data="weight") if w >= 3]
    result: dict[str, object] = {
        "entities": n,
        "links": m,
        "backbone_links_share": round(len(kept) / m, 3),
        "backbone_entities_linked_share": round(len({x for e in kept for x in e}) / n, 3),
        "weight3_links_share": round(len(heavy) / m, 3),
        "weight3_entities_linked_share": round(len({x for e in heavy for x in e}) / n, 3),
    }
    with tempfile.TemporaryDirectory() as tmp:
        page = write_html(g, Path(tmp) / "graph.html", max_nodes=args.max_nodes)
        result["page_mb"] = round(page.stat().st_size / 1e6, 2)
        result["first_view"] = first_view(g, max_nodes=args.max_nodes)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            tab = context.new_page()
            t = time.perf_counter()
            tab.goto(page.as_uri())
            tab.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
            result["ready_s"] = round(time.perf_counter() - t, 2)
            tab.select_option("#colour", "community")
            result["community_spread"] = round(tab.evaluate(COMMUNITY_SPREAD), 3)
            context.close()
            result["views"] = {view: {k: v for k, v in m.items() if k != "ids"} for view, m in views(browser, page)}
            browser.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
