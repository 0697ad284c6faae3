"""The query commands (find, neighbors, evidence, path, top, info) on a saved tiny graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph._demo import demo
from kgraph.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo graph, plus two Smiths and names that look like rich markup, saved to a folder."""
    kg = demo()
    g = kg.graph
    for key, label, n in (("person:kim-smith", "Kim Smith", 2), ("person:john-smith", "John Smith", 1)):
        g.add_node(
            key, label=label, type="person", aliases=[label], article_ids=["a4"] * n, article_count=n, mention_count=n
        )
    g.add_node(
        "organization:red",
        label="[red]Red[/red] Cross",
        type="organization",
        aliases=["[red]Red[/red] Cross"],
        article_ids=["a4"],
        article_count=1,
        mention_count=1,
    )
    g.add_edge(
        "organization:red",
        "place:ankara",
        weight=1,
        sentence_count=1,
        article_ids=["a4"],
        sentences=["The [bold]Red[/bold] Cross is in Ankara."],
        sentence_article_ids=["a4"],
    )
    g.graph["articles"]["a4"]["title"] = "Talks in [link=https://x.test]Ankara[/link]"
    folder = tmp_path_factory.mktemp("saved") / "outputs"
    kg.save(folder)
    return folder


def run(*args: str) -> object:
    return runner.invoke(app, list(args))


def one_error_line(res) -> str:
    assert res.exit_code == 1, res.output
    assert res.stdout == ""
    assert "Traceback" not in res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    return lines[0]


def test_find_prints_the_entity(saved: Path) -> None:
    res = run("find", "zalmay khalilzad’s", "-g", str(saved))
    assert res.exit_code == 0, res.output
    for text in ("Zalmay Khalilzad", "person:zalmay-khalilzad", "Special Representative Khalilzad", "articles"):
        assert text in res.stdout


def test_find_json(saved: Path) -> None:
    res = run("find", "Cavusoglu", "-g", str(saved), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["id"] == "person:mevlut-cavusoglu"
    assert data["label"] == "Mevlüt Çavuşoğlu" and data["article_count"] == 1
    assert res.stderr == ""


def test_unknown_name_is_one_line_with_suggestions(saved: Path) -> None:
    line = one_error_line(run("find", "Kabul City", "-g", str(saved)))
    assert line == "error: no entity named 'Kabul City'; closest: Kabul (place:kabul)"
    line = one_error_line(run("neighbors", "Kabul City", "-g", str(saved), "--json"))
    assert "closest: Kabul" in line


@pytest.mark.parametrize("name", ["[/bold]x", "[red]Kabul City", "line\nbreak"])
def test_names_in_errors_are_printed_as_typed(saved: Path, name: str) -> None:
    line = one_error_line(run("find", name, "-g", str(saved)))
    assert repr(name) in line  # quoted as typed, a line break escaped


def test_ambiguous_name_lists_candidates(saved: Path) -> None:
    line = one_error_line(run("evidence", "Smith", "Ankara", "-g", str(saved)))
    assert "'Smith' matches 2 entities: Kim Smith (person:kim-smith), John Smith (person:john-smith)" in line
    assert run("find", "Smith", "--type", "place", "-g", str(saved)).exit_code == 1


def test_neighbors_table_and_options(saved: Path) -> None:
    res = run("neighbors", "Khalilzad", "-g", str(saved))
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "linked to Zalmay Khalilzad" in out
    assert out.index("Doha") < out.index("Taliban") < out.index("Kabul") < out.index("Ashraf Ghani")
    res = run("neighbors", "Khalilzad", "-g", str(saved), "--type", "place", "--min-weight", "2", "--json")
    assert [r["label"] for r in json.loads(res.stdout)] == ["Doha", "Kabul"]
    res = run("neighbors", "Khalilzad", "-g", str(saved), "-n", "1", "--json")
    assert [r["label"] for r in json.loads(res.stdout)] == ["Doha"]
    assert len(json.loads(run("neighbors", "Khalilzad", "-g", str(saved), "-n", "0", "--json").stdout)) == 5


def test_evidence_lists_articles_and_sentences(saved: Path) -> None:
    res = run("evidence", "Khalilzad", "Kabul", "-g", str(saved))
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "Zalmay Khalilzad — Kabul: 2 shared articles, 1.5 expected; 1 shared sentence" in out
    assert "Envoy meets the Taliban in Doha" in out and "2021-03-01" in out and "https://example.org/a1" in out
    assert "In Kabul, Special Representative Khalilzad met President Ashraf Ghani." in " ".join(out.split())
    data = json.loads(run("evidence", "Khalilzad", "Kabul", "-g", str(saved), "--json").stdout)
    assert [a["id"] for a in data["articles"]] == ["a1", "a3"]
    assert data["articles"][1]["sentences"] == [
        "In Kabul, Special Representative Khalilzad met President Ashraf Ghani."
    ]
    assert data["a"]["id"] == "person:zalmay-khalilzad" and data["weight"] == 2


def test_evidence_for_unlinked_entities(saved: Path) -> None:
    res = run("evidence", "Doha", "Ankara", "-g", str(saved))
    assert res.exit_code == 0
    assert "no article mentions both" in res.stdout


def test_markup_in_names_and_text_is_printed_as_is(saved: Path) -> None:
    res = run("evidence", "[red]Red[/red] Cross", "Ankara", "-g", str(saved))
    assert res.exit_code == 0, res.output
    assert "[red]Red[/red] Cross" in res.stdout
    assert "The [bold]Red[/bold] Cross is in Ankara." in res.stdout
    assert "Talks in [link=https://x.test]Ankara[/link]" in res.stdout
    assert "[red]Red[/red] Cross" in run("neighbors", "Ankara", "-g", str(saved)).stdout


def test_path(saved: Path) -> None:
    res = run("path", "Ashraf Ghani", "Doha", "-g", str(saved))
    assert res.exit_code == 0, res.output
    assert "Ashraf Ghani → Zalmay Khalilzad → Doha" in res.stdout
    assert "Zalmay Khalilzad met the Taliban in Doha." in res.stdout
    data = json.loads(run("path", "Ashraf Ghani", "Doha", "-g", str(saved), "--json").stdout)
    assert [e["label"] for e in data["entities"]] == ["Ashraf Ghani", "Zalmay Khalilzad", "Doha"]
    assert data["length"] == 2 and len(data["hops"]) == 2
    line = one_error_line(run("path", "Ashraf Ghani", "Ankara", "-g", str(saved)))
    assert line == "error: no path between 'Ashraf Ghani' and 'Ankara': no chain of shared articles joins them"


def test_top(saved: Path) -> None:
    res = run("top", "-g", str(saved), "-n", "3", "--by", "degree")
    assert res.exit_code == 0, res.output
    assert "top 3 by degree" in res.stdout and "Zalmay Khalilzad" in res.stdout
    data = json.loads(run("top", "-g", str(saved), "--by", "pagerank", "--type", "person", "--json").stdout)
    assert data[0]["label"] == "Zalmay Khalilzad" and {r["type"] for r in data} == {"person"}
    assert [r["rank"] for r in data] == list(range(1, len(data) + 1))
    line = one_error_line(run("top", "-g", str(saved), "--by", "fame"))
    assert "unknown ranking 'fame'" in line and "betweenness" in line


def test_info(saved: Path) -> None:
    res = run("info", "-g", str(saved))
    assert res.exit_code == 0, res.output
    assert "11 (2 organization, 5 person, 4 place)" in res.stdout
    assert "graph.json" in res.stdout
    data = json.loads(run("info", "-g", str(saved / "graph.graphml"), "--json").stdout)
    assert data["entities"] == 11 and data["articles"] == 4 and data["source"].endswith("graph.graphml")


def test_graphml_and_json_answer_alike(saved: Path) -> None:
    for cmd in (["neighbors", "Khalilzad"], ["evidence", "Taliban", "Doha"], ["top", "--by", "betweenness"]):
        a = run(*cmd, "-g", str(saved / "graph.json"), "--json")
        b = run(*cmd, "-g", str(saved / "graph.graphml"), "--json")
        assert a.exit_code == b.exit_code == 0
        assert json.loads(a.stdout) == json.loads(b.stdout)


def test_reads_outputs_by_default(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(saved.parent)
    res = run("info", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["source"] == str(Path("outputs") / "graph.json")


def test_missing_graph_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_error_line(run("find", "Doha"))
    assert line.startswith("error: no graph at 'outputs': run 'kgraph build' first")


@pytest.mark.parametrize("command", ["find", "neighbors", "evidence", "path", "top", "info"])
def test_every_query_command_is_documented(command: str) -> None:
    res = run(command, "--help")
    assert res.exit_code == 0
    assert "--graph" in res.stdout and "--json" in res.stdout
    assert command in run("--help").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["neighbors", "Taliban", "-n", "3"],
        ["neighbors", "Taliban", "--json"],
        ["neighbors", "--help"],
        ["neighbors"],
        ["neighbors", "Taliban", "--bogus"],
        ["top", "--by", "nope"],
        ["info"],
        ["evidence", "Taliban", "Nowhere"],
        ["new-links", "--since", "2021-01-01"],
        ["export", "--format", "nope"],
    ],
    ids=lambda args: " ".join(args),
)
def test_a_query_command_answers_alone_as_in_the_whole_app(saved: Path, args: list[str]) -> None:
    """`kgraph QUERY` builds only that command (`cli._app_for`): same output, same exit code."""
    from kgraph import cli

    lean = cli._app_for(args[0])
    assert [c.callback for c in lean.registered_commands] != [c.callback for c in app.registered_commands]
    argv = [*args, "-g", str(saved)]
    whole, alone = runner.invoke(app, argv, terminal_width=100), runner.invoke(lean, argv, terminal_width=100)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert app.registered_commands and len(lean.registered_commands) == 1


@pytest.mark.parametrize(
    ("argv", "paused"),
    [(["info"], True), (["neighbors", "x"], True), (["build", "x"], False), (["--help", "info"], False), ([], False)],
)
def test_a_query_runs_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch, argv: list[str], paused: bool) -> None:
    """The garbage collector is paused while a query runs (it makes no reference cycles), not
    during a build, and is as it was after."""
    import gc

    from kgraph import cli

    seen = []
    monkeypatch.setattr(cli, "_run", lambda a: seen.append((gc.isenabled(), len(a.registered_commands))))
    monkeypatch.setattr("sys.argv", ["kgraph", *argv])
    assert gc.isenabled()
    cli.main()
    assert gc.isenabled()
    assert seen == [(not paused, 1 if paused else len(app.registered_commands))]


def test_the_help_names_the_file_the_cache_uses() -> None:
    from kgraph import cache, cli

    assert cli.CACHE_NAME == cache.CACHE_NAME
    assert cache.CACHE_NAME in runner.invoke(app, ["build", "--help"], terminal_width=200).output
