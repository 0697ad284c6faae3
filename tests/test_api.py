"""The API as a new user guesses it (issue 12): each example of the issue works, or fails with
one KGraphError line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import kgraph
from kgraph._demo import demo
from kgraph.query.results import Results

from .conftest import write_articles


@pytest.fixture
def kg() -> kgraph.KnowledgeGraph:
    return demo()


def _one_line(e: pytest.ExceptionInfo[BaseException]) -> str:
    assert isinstance(e.value, kgraph.KGraphError), type(e.value)
    message = str(e.value)
    assert "\n" not in message and message
    return message


def test_lists_of_results_make_a_table(kg) -> None:
    rows = kg.neighbors("Taliban")
    assert isinstance(rows, Results) and isinstance(rows, list)
    assert rows.to_dicts()[0] == rows[0].model_dump()
    df = rows.to_pandas()
    assert list(df["label"]) == [r.label for r in rows]
    assert {"label", "weight", "q_value", "type"} <= set(df.columns)
    assert list(kg.top(3, by="degree").to_pandas()["score"]) == [5.0, 4.0, 4.0]
    assert {"source_label", "target_label"} <= set(kg.edges().to_pandas().columns)
    assert list(kg.communities().to_pandas()["size"]) == [3, 3, 2]
    assert len(kg.entities(type="person").to_pandas()) == 3


def test_an_empty_list_of_results_still_has_its_columns(kg) -> None:
    empty = kg.neighbors("Taliban", min_weight=99)
    assert empty == [] and "label" in empty.to_pandas().columns
    assert isinstance(kg.neighbors("Taliban", limit=2), Results) and len(kg.neighbors("Taliban", limit=2)) == 2
    assert isinstance(kg.neighbors("Taliban")[:2], Results)


def test_to_pandas_without_pandas_is_one_line(kg, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(kgraph.ConfigError) as e:
        kg.neighbors("Taliban").to_pandas()
    assert "pip install pandas" in _one_line(e)


def test_results_that_hold_a_sequence_behave_as_one(kg) -> None:
    path = kg.path("Ashraf Ghani", "Doha")
    assert len(path) == 3 and path[0].label == "Ashraf Ghani" and path[-1].label == "Doha"
    assert [e.label for e in path] == ["Ashraf Ghani", "Zalmay Khalilzad", "Doha"]
    assert list(path) == list(path.entities) and path.length == 2  # hops are path.hops
    ev = kg.evidence("Taliban", "Doha")
    assert len(ev) == ev.weight == 2 and ev[0].id == "a1" and [a.id for a in ev] == ["a1", "a2"]
    community = kg.communities()[0]
    assert len(community) == community.size == 3 and community[0].label == "Zalmay Khalilzad"
    assert [e.id for e in community] == [e.id for e in community.entities]
    # the records themselves still dump, compare and copy as pydantic models
    assert path.model_dump()["length"] == 2 and path == kg.path("Ashraf Ghani", "Doha")


def test_print_of_a_result_is_its_short_repr(kg) -> None:
    for result in (kg.evidence("Taliban", "Doha"), kg.path("Ashraf Ghani", "Doha"), kg.communities()[0], kg.info()):
        assert str(result) == repr(result) and len(str(result)) < 200


@pytest.mark.parametrize("misuse", ["degree", "pagerank", 2.5, None])
def test_top_with_the_wrong_first_argument_is_one_line(kg, misuse) -> None:
    with pytest.raises(kgraph.ConfigError) as e:
        kg.top(misuse)
    message = _one_line(e)
    assert repr(misuse) in message
    if misuse in ("degree", "pagerank"):
        assert f"top(10, by={misuse!r})" in message


def test_build_takes_one_path_as_str_or_path(tmp_path, blank_model_dir) -> None:
    folder = write_articles(tmp_path / "news", {"a": "Zalmay Khalilzad met the Taliban in Doha."})
    for given in (str(folder), str(folder) + "/", folder):
        kg = kgraph.build(given, model=str(blank_model_dir), jobs=1)
        assert kg.graph.graph["article_count"] == 1, given
        assert kg.graph.graph["inputs"] == [str(given)]


def test_saving_a_selection_over_a_full_build_is_an_explicit_choice(tmp_path, blank_model_dir) -> None:
    folder = write_articles(tmp_path / "news", {"a": "Zalmay Khalilzad met the Taliban in Doha."})
    out = tmp_path / "outputs"
    full = kgraph.build(folder, model=str(blank_model_dir), jobs=1)
    full.save(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    small = kgraph.load(str(out)).ego("Doha", radius=0)
    with pytest.raises(kgraph.OutputError) as e:
        small.save(out)
    assert "overwrite=True" in _one_line(e) and str(out) in str(e.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing changed
    small.save(out, overwrite=True)
    assert kgraph.load(out).graph.number_of_nodes() == 1
    # no file of the full build is left beside the smaller graph
    assert (out / "skipped.csv").read_text(encoding="utf-8").splitlines() == ["source,line,reason,detail"]
    assert len((out / "aliases.csv").read_text(encoding="utf-8").splitlines()) == 1
    # into a folder of its own, no question is asked
    small.save(str(tmp_path / "small"))
    assert not (tmp_path / "small" / "skipped.csv").exists()


@pytest.mark.parametrize("name", ["graph.html", "graph.gexf", "nodes.csv"])
def test_loading_another_output_file_names_the_files_kgraph_reads(kg, tmp_path, name) -> None:
    kg.save(tmp_path)
    with pytest.raises(kgraph.OutputError) as e:
        kgraph.load(tmp_path / name)
    assert "graph.json or graph.graphml" in _one_line(e)
    assert "Expecting value" not in str(e.value)


def test_paths_are_str_or_path_everywhere(kg, tmp_path) -> None:
    written = kg.save(str(tmp_path / "a"))
    assert written["json"] == Path(tmp_path / "a" / "graph.json")
    assert kgraph.load(str(tmp_path / "a" / "graph.graphml")).graph.number_of_nodes() == 8
    assert kg.export(str(tmp_path / "g.json"), format="d3") == tmp_path / "g.json"


def test_a_hand_made_graph_with_a_bad_type_is_one_line() -> None:
    import networkx as nx

    g = nx.Graph()
    g.add_node("x", label="X", type="thing")
    with pytest.raises(kgraph.OutputError) as e:
        kgraph.KnowledgeGraph(g).find("X")
    assert "'thing'" in _one_line(e) and "person, place, organization" in str(e.value)
