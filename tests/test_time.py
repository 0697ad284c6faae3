"""Time in the graph: dated links and entities, between/timeline/new_links, --since/--until,
and the dynamic graph.gexf that Gephi's timeline plays."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import kgraph
from kgraph.cli import app
from kgraph.errors import ConfigError, InputError
from kgraph.export.gexf import read_gexf, write_gexf
from kgraph.export.json import write_json
from kgraph.timeline import add_dates

from ._gexf_time import BLOCKING, lint_time, spells_of
from .test_clients import open_in_js
from .test_gephi import blocking_problems

runner = CliRunner()

#: (id, date or None, text) of a small corpus: the rule-based pipeline tags these names.
ARTICLES = [
    ("a1", "2021-03-01", "Zalmay Khalilzad met the Taliban in Doha. He flew on to Kabul."),
    ("a2", "2021-03-20", "Khalilzad and the Taliban met again in Doha. The U.S. welcomed it."),
    ("a3", None, "In Kabul, Khalilzad met Ashraf Ghani."),
    ("a4", "2021-05-02", "Ashraf Ghani spoke in Kabul. NATO troops left Bagram Airfield."),
    ("a5", "2021-05-02", "NATO and the Taliban: Doha talks. Joe Biden spoke."),
]


def jsonl(folder: Path, articles=ARTICLES) -> Path:  # noqa: ANN001
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "news.jsonl"
    lines = [json.dumps({"id": i, "text": t, **({"date": d} if d else {})}) for i, d, t in articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory, blank_model_dir: Path) -> tuple[kgraph.KnowledgeGraph, Path]:
    src = jsonl(tmp_path_factory.mktemp("in"))
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    out = tmp_path_factory.mktemp("out")
    kg.save(out, jobs=1)
    return kg, out


def test_links_and_entities_carry_their_dates(dated) -> None:
    kg, _ = dated
    g = kg.graph
    taliban, doha = kg.find("Taliban").id, kg.find("Doha").id
    d = g.edges[taliban, doha]
    assert d["article_ids"] == ["a1", "a2", "a5"]
    assert d["dates"] == ["2021-03-01", "2021-03-20", "2021-05-02"]
    assert (d["first_seen"], d["last_seen"]) == ("2021-03-01", "2021-05-02")
    ghani = g.nodes[kg.find("Ashraf Ghani").id]
    assert (ghani["first_seen"], ghani["last_seen"]) == ("2021-05-02", "2021-05-02")  # a3 is undated
    kabul_ghani = g.edges[kg.find("Kabul").id, kg.find("Ashraf Ghani").id]
    assert kabul_ghani["dates"] == ["", "2021-05-02"]
    info = kg.info()
    assert (info.dated_articles, info.first_date, info.last_date) == (4, "2021-03-01", "2021-05-02")
    assert [(s.source.rsplit("/", 1)[-1], s.reason) for s in kg.skipped] == [("news.jsonl:3", "undated")]


def test_a_graph_of_undated_articles_has_no_dates(tmp_path, blank_model_dir) -> None:
    src = jsonl(tmp_path / "in", [(i, None, t) for i, _, t in ARTICLES])
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    keys = {k for _, d in kg.graph.nodes(data=True) for k in d} | {k for *_, d in kg.graph.edges(data=True) for k in d}
    assert not keys & {"first_seen", "last_seen", "dates"}
    assert kg.info().dated_articles == 0


def test_evidence_comes_in_date_order(tmp_path, blank_model_dir) -> None:
    shuffled = [ARTICLES[4], ARTICLES[2], ARTICLES[0], ARTICLES[1]]  # corpus order is not date order
    kg = kgraph.build([jsonl(tmp_path / "in", shuffled)], model=str(blank_model_dir), jobs=1)
    ev = kg.evidence("Taliban", "Doha")
    assert [(a.id, a.date) for a in ev.articles] == [("a1", "2021-03-01"), ("a2", "2021-03-20"), ("a5", "2021-05-02")]
    ev = kg.evidence("Khalilzad", "Kabul")
    assert [a.id for a in ev.articles] == ["a1", "a3"]  # undated last
    shown = runner.invoke(app, ["evidence", "Taliban", "Doha", "-g", str(kg.save(tmp_path / "o", jobs=1)["json"])])
    assert shown.exit_code == 0
    assert shown.output.index("2021-03-01") < shown.output.index("2021-03-20") < shown.output.index("2021-05-02")


def test_timeline_and_new_links(dated) -> None:
    kg, out = dated
    t = kg.timeline("Taliban", "Doha")
    assert [(m.month, m.count) for m in t.months] == [("2021-03", 2), ("2021-04", 0), ("2021-05", 1)]
    assert [a.id for a in t.months[0].articles] == ["a1", "a2"]
    fresh = kg.new_links("2021-05-01")
    assert {(e.source_label, e.target_label) for e in fresh} >= {("Bagram Airfield", "NATO"), ("Doha", "NATO")}
    assert all(e.first_seen == "2021-05-02" for e in fresh)
    assert ("Doha", "Taliban") not in {(e.source_label, e.target_label) for e in fresh}
    with pytest.raises(ConfigError, match="not a date"):
        kg.new_links("May 2021")
    shown = runner.invoke(app, ["timeline", "Taliban", "Doha", "-g", str(out)])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == "Taliban — Doha: 3 dated articles, 0 undated"
    assert [x.split()[0] for x in lines[1:] if x[:1].isdigit()] == ["2021-03", "2021-04", "2021-05"]
    listed = runner.invoke(app, ["new-links", "--since", "2021-05-01", "-g", str(out), "--json"])
    assert listed.exit_code == 0 and {r["first_seen"] for r in json.loads(listed.output)} == {"2021-05-02"}


def _json_bytes(kg: kgraph.KnowledgeGraph, path: Path, created: str) -> bytes:
    g = kg.graph.copy()
    g.graph = dict(g.graph, created=created)  # the one thing that is the build's own: when it ran
    write_json(g, path)
    return path.read_bytes()


NAMES = [
    "Zalmay Khalilzad",
    "Khalilzad",
    "Ashraf Ghani",
    "Joe Biden",
    "Biden",
    "the Taliban",
    "NATO",
    "Doha",
    "Kabul",
    "the United States",
    "U.S.",
]
DAYS = ["2021-01-05", "2021-01-20", "2021-02-01", "2021-03-15", None]


@st.composite
def corpora(draw):  # noqa: ANN001, ANN201
    n = draw(st.integers(1, 7))
    arts = []
    for i in range(n):
        sentences = draw(st.lists(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3), min_size=1, max_size=3))
        text = " ".join(" and ".join(names) + " met." for names in sentences)
        arts.append((f"n{i}", draw(st.sampled_from(DAYS)), text))
    start = draw(st.sampled_from([None, *DAYS[:4]]))
    end = draw(st.sampled_from([None, *DAYS[:4]]))
    if start and end and start > end:
        start, end = end, start
    if start is None and end is None:
        start = DAYS[0]  # a window has at least one bound (no bound: the build itself, undated articles too)
    return arts, start, end


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=corpora())
def test_between_is_a_build_of_the_window(case, tmp_path_factory, blank_model_dir) -> None:
    arts, start, end = case
    folder = tmp_path_factory.mktemp("c")
    src = jsonl(folder / "in", arts)
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    inside = [a for a in arts if a[1] and (start is None or a[1] >= start) and (end is None or a[1] <= end)]
    if not inside:
        with pytest.raises(InputError):
            kg.between(start, end)
        with pytest.raises(InputError):
            kgraph.build([src], model=str(blank_model_dir), jobs=1, since=start, until=end)
        return
    window = kg.between(start, end)
    built = kgraph.build([src], model=str(blank_model_dir), jobs=1, since=start, until=end)
    assert window.graph.graph["article_count"] == len(inside)
    created = kg.graph.graph["created"]
    assert _json_bytes(window, folder / "w.json", created) == _json_bytes(built, folder / "b.json", created)


def test_between_checks_its_window_and_needs_a_build(dated, tmp_path) -> None:
    kg, out = dated
    march = kg.between("2021-03-01", "2021-03-31")
    assert sorted(march.graph.graph["articles"]) == ["a1", "a2"]
    assert (march.graph.graph["since"], march.graph.graph["until"]) == ("2021-03-01", "2021-03-31")
    assert march.evidence("Taliban", "Doha").weight == 2
    assert march.between("2021-03-15", None).graph.graph["article_count"] == 1
    with pytest.raises(ConfigError, match="after end"):
        kg.between("2021-04-01", "2021-03-01")
    with pytest.raises(ConfigError, match="not a date"):
        kg.between("March", None)
    with pytest.raises(ConfigError, match="give a start, an end or both"):
        kg.between()
    with pytest.raises(ConfigError, match="kgraph build --since"):
        kgraph.load(out).between("2021-03-01", None)


def test_build_since_until_from_the_command_line(tmp_path, blank_model_dir) -> None:
    src = jsonl(tmp_path / "in")
    out = tmp_path / "o"
    r = runner.invoke(
        app,
        [
            "build",
            str(src),
            "-o",
            str(out),
            "--model",
            str(blank_model_dir),
            "-j",
            "1",
            "--no-cache",
            "--since",
            "2021-03-10",
            "--until",
            "2021-05-31",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "articles used: 3" in r.output and "skipped: 2 outside the time window" in r.output
    assert "dated: 3 of 3 articles, 2021-03-20 to 2021-05-02" in r.output
    info = runner.invoke(app, ["info", "-g", str(out)])
    assert "2021-03-10 to 2021-05-31" in info.output
    bad = runner.invoke(
        app, ["build", str(src), "-o", str(out), "--model", str(blank_model_dir), "--since", "10/03/2021"]
    )
    assert bad.exit_code != 0 and "is not a date: give YYYY-MM-DD" in bad.output


def test_undated_articles_are_notes_not_failures(tmp_path, blank_model_dir) -> None:
    src = jsonl(tmp_path / "in")
    r = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "o"), "--model", str(blank_model_dir), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "skipped:" not in r.output
    assert "dated: 4 of 5 articles, 2021-03-01 to 2021-05-02; 1 undated (see skipped.csv)" in r.output
    rows = (tmp_path / "o" / "skipped.csv").read_text().splitlines()
    assert len(rows) == 2 and ",undated," in rows[1]


def test_many_undated_articles_are_one_note(tmp_path, blank_model_dir) -> None:
    # a note each was a million rows of skipped.csv, all kept in memory, for a million undated articles
    src = tmp_path / "in"
    src.mkdir()
    rows = [{"id": f"u{i}", "text": f"Ashraf Ghani met Zalmay Khalilzad, story {i}."} for i in range(7)]
    rows.append({"id": "d1", "date": "2021-03-01", "text": "Ashraf Ghani met Zalmay Khalilzad."})
    (src / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    r = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "o"), "--model", str(blank_model_dir), "-j", "1"])
    assert r.exit_code == 0, r.output
    assert "dated: 1 of 8 articles, 2021-03-01 to 2021-03-01; 7 undated (see skipped.csv)" in r.output
    lines = (tmp_path / "o" / "skipped.csv").read_text().splitlines()
    assert lines[1:] == [
        ",,undated,\"7 articles have no date field, metadata or dateline ('u0', 'u1', 'u2', 'u3', 'u4' and 2 more); "
        'kept, outside every time window"'
    ]


# -- graph.gexf: dynamic when at least half of the articles are dated -------------------------
def test_dynamic_gexf_is_what_gephi_reads(dated) -> None:
    kg, out = dated
    path = out / "graph.gexf"
    head = path.read_text(encoding="utf-8")[:2000]
    assert 'mode="dynamic" timeformat="date" timerepresentation="timestamp"' in head
    assert lint_time(path) == []
    assert blocking_problems(path) == []
    spells = spells_of(path)
    taliban, doha = kg.find("Taliban").id, kg.find("Doha").id
    assert spells[taliban] == ["2021-03-01", "2021-03-20", "2021-05-02"]
    edge = spells.get(f"{taliban}|{doha}") or spells[f"{doha}|{taliban}"]
    assert edge == ["2021-03-01", "2021-03-20", "2021-05-02"]
    assert spells[kg.find("Khalilzad").id] == ["2021-03-01", "2021-03-20"]  # a3 has no date: no spell
    # the static weight is the total
    assert read_gexf(path).edges[taliban, doha]["weight"] == 3


def test_dynamic_gexf_parses_with_networkx_and_graphology(dated) -> None:
    kg, out = dated
    path = out / "graph.gexf"
    m = nx.read_gexf(path)
    g = kg.graph
    for n, d in g.nodes(data=True):
        days = sorted({x for x in [d.get("first_seen"), d.get("last_seen")] if x})
        assert (len(m.nodes[n].get("spells", [])) > 0) == bool(days)
    for u, v, d in g.edges(data=True):
        distinct = sorted(set(d.get("dates", [])) - {""})
        assert len(m.edges[u, v].get("spells", [])) == len(distinct)  # networkx reads start/end only: a count
        if "dates" in d:  # the dates themselves: the liststring column
            assert json.loads(m.edges[u, v]["dates"]) == d["dates"]
        else:
            assert "dates" not in m.edges[u, v]
    seen = open_in_js("gexf", path)
    assert (seen["order"], seen["size"]) == (g.number_of_nodes(), g.number_of_edges())
    by_key = {e["source"] + "|" + e["target"]: e["attributes"] for e in seen["edges"]}
    taliban, doha = kg.find("Taliban").id, kg.find("Doha").id
    edge = by_key.get(f"{taliban}|{doha}") or by_key[f"{doha}|{taliban}"]
    assert (edge["first_seen"], edge["dates"], edge["weight"]) == (
        "2021-03-01",
        ["2021-03-01", "2021-03-20", "2021-05-02"],
        3,
    )


def test_gexf_stays_static_when_few_articles_are_dated(tmp_path, blank_model_dir) -> None:
    few = [(i, d if i == "a1" else None, t) for i, d, t in ARTICLES]  # 1 of 5 dated
    kg = kgraph.build([jsonl(tmp_path / "in", few)], model=str(blank_model_dir), jobs=1)
    write_gexf(kg.graph, tmp_path / "few.gexf")
    text = (tmp_path / "few.gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in text and "<spell" not in text and "timerepresentation" not in text
    assert lint_time(tmp_path / "few.gexf") == []
    # only the date columns differ from the file of the same graph without dates
    bare = kg.graph.copy()
    for _, d in bare.nodes(data=True):
        for k in ("first_seen", "last_seen"):
            d.pop(k, None)
    for *_, d in bare.edges(data=True):
        for k in ("first_seen", "last_seen", "dates"):
            d.pop(k, None)
    write_gexf(bare, tmp_path / "bare.gexf")
    strip = [x for x in text.splitlines() if not any(k in x for k in ('"first_seen"', '"last_seen"', '"dates"'))]
    assert strip == (tmp_path / "bare.gexf").read_text(encoding="utf-8").splitlines()
    # undated throughout: the files are as before dates existed
    none = [(i, None, t) for i, _, t in ARTICLES]
    kg0 = kgraph.build([jsonl(tmp_path / "in0", none)], model=str(blank_model_dir), jobs=1)
    write_gexf(kg0.graph, tmp_path / "none.gexf")
    assert add_dates(kg0.graph.copy()).nodes == kg0.graph.nodes
    assert "first_seen" not in (tmp_path / "none.gexf").read_text(encoding="utf-8")


def test_the_time_lint_catches_what_gephi_refuses(tmp_path) -> None:
    bad = tmp_path / "bad.gexf"
    bad.write_text(
        '<?xml version="1.0"?><gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">'
        '<graph mode="dynamic" timeformat="date" timerepresentation="timestamp"><nodes>'
        '<node id="a"><spells><spell timestamp="2021-03-01T10:00:00"/></spells></node>'
        '<node id="b"><spells><spell start="2021-03-01" end="2021-03-01"/></spells></node>'
        '</nodes><edges><edge id="0" source="a" target="b"><spells><spell timestamp="2021-04-01"/></spells></edge>'
        "</edges></graph></gexf>",
        encoding="utf-8",
    )
    found = lint_time(bad)
    assert any("not a YYYY-MM-DD date" in p for p in found)
    assert any("start/end spell under timerepresentation=timestamp" in p for p in found)
    assert any("its end 'a' is absent" in p for p in found)
    assert all(p.startswith(BLOCKING) for p in found)
