"""A list-like article does not make the output grow with the square of its names."""

from __future__ import annotations

import pytest
import spacy

import kgraph
from kgraph._caps import MAX_LINKED_ENTITIES, MAX_SENTENCE_CHARS
from kgraph.dates import DATE_NOTES

from .conftest import write_articles


def names(n: int) -> list[str]:
    return [f"Aname{i:04d} Surname{i:04d}" for i in range(n)]


@pytest.fixture(scope="module")
def many_names_model(tmp_path_factory):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": "PERSON", "pattern": name} for name in names(1000)])
    ruler.add_patterns([{"label": "GPE", "pattern": "Kabul"}, {"label": "PERSON", "pattern": "Joe Biden"}])
    path = tmp_path_factory.mktemp("many_names") / "model"
    nlp.to_disk(path)
    return path


@pytest.mark.parametrize(("n", "max_mb"), [(300, 20), (1000, 100)])
def test_one_sentence_naming_many_people_gives_bounded_files(tmp_path, many_names_model, n, max_mb) -> None:
    sentence = "The list names " + ", ".join(names(n)) + "."
    src = write_articles(tmp_path / "in", {"list": sentence, "news": "Joe Biden spoke about Kabul."})
    kg = kgraph.build([src], model=str(many_names_model), jobs=1)
    g = kg.graph
    assert g.number_of_nodes() == n + 2  # every name stays an entity
    k = MAX_LINKED_ENTITIES
    assert g.number_of_edges() == k * (k - 1) // 2 + 1  # not n (n - 1) / 2
    assert kg.evidence("Joe Biden", "Kabul").weight == 1
    notes = [s for s in kg.skipped if s.reason == "links capped"]
    assert len(notes) == 1 and notes[0].source.endswith("list.txt")
    assert f"names {n:,} entities" in notes[0].detail and f"links kept among the {k}" in notes[0].detail
    sentences = [s for _, _, d in g.edges(data=True) for s in d["sentences"]]
    assert max(map(len, sentences)) <= MAX_SENTENCE_CHARS
    written = kg.save(tmp_path / "out", jobs=1)
    sizes = {kind: path.stat().st_size for kind, path in written.items()}
    assert max(sizes.values()) <= max_mb * 2**20, sizes
    assert "links capped" in (tmp_path / "out" / "skipped.csv").read_text()


def test_a_long_evidence_sentence_is_kept_as_a_window_around_the_two_names(tmp_path, blank_model_dir) -> None:
    filler = "and then the talks went on for a long time " * 30
    text = f"Zalmay Khalilzad arrived {filler} before he met the Taliban {filler} in the end."
    src = write_articles(tmp_path / "in", {"long": text})
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    (sentence,) = kg.evidence("Khalilzad", "Taliban").articles[0].sentences
    assert len(text) > 2 * MAX_SENTENCE_CHARS and len(sentence) <= MAX_SENTENCE_CHARS
    assert sentence.startswith("Zalmay Khalilzad arrived") and "met the Taliban" in sentence
    assert "…" in sentence
    assert [
        s for s in kg.skipped if s.reason not in DATE_NOTES
    ] == []  # shortening a sentence is presentation, not a skip


def test_articles_under_the_cap_are_untouched(tmp_path, many_names_model) -> None:
    n = MAX_LINKED_ENTITIES
    src = write_articles(tmp_path / "in", {"list": "Names: " + ", ".join(names(n)) + "."})
    kg = kgraph.build([src], model=str(many_names_model), jobs=1)
    assert kg.graph.number_of_edges() == n * (n - 1) // 2
    assert [s for s in kg.skipped if s.reason == "links capped"] == []


def test_capping_cuts_only_the_articles_over_the_limit_and_leaves_its_input_as_it_was() -> None:
    from kgraph._caps import cap_links
    from kgraph.resolve.resolver import Resolution

    res = Resolution(
        entities=[],
        article_ids=["list", "short"],
        article_info=[{"source": "list.txt"}, {}],
        article_entities=[(0, 1, 2), (0, 1)],
        sentence_entities=[((0, (0, 1, 2)), (1, (1, 2))), ((0, (0, 1)),)],
        sentence_text=[{}, {}],
        alias_rows=[],
    )
    same, notes = cap_links(res, limit=3)
    assert same is res and notes == []  # nothing cut: the resolution itself comes back
    cut, notes = cap_links(res, limit=2)
    assert [n.source for n in notes] == ["list.txt"]
    assert cut.article_entities == [(1, 2), (0, 1)]  # the two in most sentences
    assert cut.sentence_entities == [((0, (1, 2)), (1, (1, 2))), ((0, (0, 1)),)]
    assert res.article_entities == [(0, 1, 2), (0, 1)]  # the input is left as it was
