"""`--model` with a pipeline whose NER listens to a shared tok2vec (like en_core_web_md/lg and
the transformer pipelines): kgraph must keep the layer NER listens to and drop the rest."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

import kgraph
from kgraph.extract import load_nlp

from .conftest import write_articles

TRAIN = [
    ("Zalmay Khalilzad met the Taliban in Doha.", [(0, 16, "PERSON"), (25, 32, "ORG"), (36, 40, "GPE")]),
    ("The Taliban spoke to Zalmay Khalilzad in Kabul.", [(4, 11, "ORG"), (21, 37, "PERSON"), (41, 46, "GPE")]),
]


@pytest.fixture(scope="module")
def listener_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small pipeline trained on two sentences: tok2vec, a NER that listens to it, and a
    tagger NER does not need."""
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 32,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"},
            }
        },
    )
    nlp.add_pipe("tagger")
    examples = []
    for text, ents in TRAIN:
        doc = nlp.make_doc(text)
        examples.append(Example.from_dict(doc, {"entities": ents, "tags": ["X"] * len(doc)}))
    optimizer = nlp.initialize(lambda: examples)
    random.seed(0)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("listener") / "model"
    nlp.to_disk(path)
    return path


def test_listener_pipeline_keeps_its_tok2vec_and_drops_the_rest(listener_model: Path) -> None:
    nlp = load_nlp(str(listener_model))
    assert "tok2vec" in nlp.pipe_names and "ner" in nlp.pipe_names
    assert "tagger" not in nlp.pipe_names  # not loaded: NER does not need it
    assert [(e.text, e.label_) for e in nlp(TRAIN[0][0]).ents] == [
        ("Zalmay Khalilzad", "PERSON"),
        ("Taliban", "ORG"),
        ("Doha", "GPE"),
    ]


def test_build_with_a_listener_pipeline(listener_model: Path, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "news", {"a": TRAIN[0][0], "b": TRAIN[1][0]})
    kg = kgraph.build([folder], model=str(listener_model), jobs=1)
    labels = {d["label"]: d["type"] for _, d in kg.graph.nodes(data=True)}
    assert labels.get("Zalmay Khalilzad") == "person" and labels.get("Taliban") == "organization"
    assert kg.graph.graph["spacy_model"]
