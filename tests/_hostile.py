"""A build from articles made to break the clients the outputs are opened in (Gephi Lite's
graphology parsers, networkx's older versions, pandas, spreadsheets): XML metacharacters,
control characters, the line ends XML 1.1 and xmldom know (U+0085, U+2028, in titles), scripts that
are not XML name characters (Ge'ez, Myanmar, CJK extension B), and ids holding " | "."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

import kgraph

from .test_gephi import HOSTILE_ARTICLES, HOSTILE_JSONL, HOSTILE_PATTERNS

#: Names in scripts that XML 1.0 (2nd edition) names, and so GraphML's xs:NMTOKEN ids, exclude.
RARE_SCRIPT_NAMES = [("PERSON", "ኃይለ ሥላሴ"), ("GPE", "မြန်မာ"), ("ORG", "𠀋𠀌 Holdings")]
PATTERNS = [*HOSTILE_PATTERNS, *RARE_SCRIPT_NAMES, ("ORG", "=SUM(A1) Ltd")]
ARTICLES = {
    **HOSTILE_ARTICLES,
    "d": "Title d\n\nኃይለ ሥላሴ met Zalmay Khalilzad in မြန်မာ .\n\n𠀋𠀌 Holdings paid =SUM(A1) Ltd in Doha.",
}
JSONL = [
    HOSTILE_JSONL,
    {
        "id": "x | y",
        "title": "Line\u2028separator\x85next line",
        "text": "ኃይለ ሥላሴ and 𠀋𠀌 Holdings met =SUM(A1) Ltd in Doha.",
    },
]


def build_hostile(root: Path) -> tuple[kgraph.KnowledgeGraph, Path]:
    """Build the hostile graph under `root` and save it to `root / "out"`."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": label, "pattern": p} for label, p in PATTERNS])
    nlp.to_disk(root / "model")
    articles = root / "articles"
    articles.mkdir()
    for name, body in ARTICLES.items():
        (articles / f"{name}.txt").write_text(body, encoding="utf-8")
    (articles / "more.jsonl").write_text("".join(json.dumps(a) + "\n" for a in JSONL), encoding="utf-8")
    kg = kgraph.build([articles], model=str(root / "model"), jobs=1)
    kg.save(root / "out")
    return kg, root / "out"
