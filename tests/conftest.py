"""Shared fixtures: a fast rule-based pipeline, and (for integration tests) the seed graph."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest
import spacy
from hypothesis import settings

import kgraph
import kgraph.extract

# CI runs the property tests on a fixed sequence of examples (a red CI means a real bug, found
# again by the same run); elsewhere each run explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

#: Names the rule-based test pipeline tags, with their spaCy labels.
RULER_PATTERNS = [
    ("PERSON", "Zalmay Khalilzad"),
    ("PERSON", "Khalilzad"),
    ("ORG", "Special Representative Khalilzad"),
    ("PERSON", "Ashraf Ghani"),
    ("PERSON", "Abdul Ghani Baradar"),
    ("PERSON", "Ned Price"),
    ("ORG", "Price"),
    ("PERSON", "Joe Biden"),
    ("PERSON", "Biden"),
    ("ORG", "Taliban"),
    ("ORG", "the Taliban"),
    ("ORG", "NATO"),
    ("ORG", "Nato"),
    ("ORG", "Competition and Markets Authority"),
    ("ORG", "CMA"),
    ("GPE", "Doha"),
    ("GPE", "Kabul"),
    ("GPE", "US"),
    ("GPE", "U.S."),
    ("GPE", "the United States"),
    ("GPE", "America"),
    ("LOC", "Gulf"),
    ("FAC", "Bagram Airfield"),
    ("ORG", "A THIRD PARTY"),
]


def make_blank_nlp(patterns: Iterable[tuple[str, str]] = RULER_PATTERNS) -> spacy.language.Language:
    """spacy.blank('en') with an entity_ruler for `patterns` (label, text) and kgraph's sentence rules."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in patterns])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kgraph_line_breaks")
    return nlp


@pytest.fixture(scope="session")
def blank_nlp() -> spacy.language.Language:
    return make_blank_nlp()


@pytest.fixture(scope="session")
def blank_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rule-based pipeline saved to disk, usable as `--model PATH` (no sentencizer: kgraph adds it)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": label, "pattern": text} for label, text in RULER_PATTERNS])
    path = tmp_path_factory.mktemp("model") / "blank_ner"
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="session")
def seed_kg() -> kgraph.KnowledgeGraph:
    """The graph of the bundled seeds, built with the real default model."""
    return kgraph.build([SEEDS], jobs=1)


def write_articles(folder: Path, texts: dict[str, str]) -> Path:
    """Write {name: text} as .txt files into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder
