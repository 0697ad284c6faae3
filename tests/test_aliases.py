"""--aliases files: validation with the place of the problem, and overrides seen in aliases.csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.aliases import alias_table, builtin_aliases, parse_alias_file
from kgraph.cli import app
from kgraph.errors import ConfigError
from kgraph.normalize import match_key

from .conftest import write_articles

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "text", "where", "what"),
    [
        ("bad_type.yaml", "groups:\n  - name: Ned Price\n    type: persn\n", "line 3 at groups.0.type", "'persn'"),
        ("extra.yaml", "groups: []\nalias: [x]\n", "line 2 at alias", "Extra inputs"),
        ("syntax.yaml", "groups:\n  - name: [Ned\n", "line 3 column 1", "expected"),
        (
            "twice.yaml",
            "groups:\n  - {name: Joe Biden, type: person, variants: [Biden]}\n"
            "  - {name: Hunter Biden, type: person, variants: [biden]}\n",
            "line 3 at groups.1",
            "already a name of 'Joe Biden'",
        ),
        (
            "ignored.yaml",
            "groups:\n  - {name: Cease, type: place}\nignore: [cease]\n",
            "line 3 at ignore.0",
            "also a name",
        ),
        ("empty_name.yaml", "groups:\n  - {name: '--', type: place}\n", "line 2 at groups.0.name", "no letters"),
        ("bad.json", '{"groups": [{"name": "A", "type": "place", "extra": 1}]}', "line 1 at groups.0.extra", "Extra"),
        ("syntax.json", '{"groups": [}', "line 1 column 13", "invalid JSON"),
    ],
)
def test_a_bad_file_names_the_place_of_the_problem(tmp_path, name: str, text: str, where: str, what: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        parse_alias_file(path)
    message = str(err.value)
    assert "\n" not in message
    assert str(path) in message and where in message and what in message


def test_missing_file(tmp_path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        parse_alias_file(tmp_path / "nope.yaml")


def test_an_empty_file_is_no_aliases(tmp_path) -> None:
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert parse_alias_file(tmp_path / "empty.yaml").groups == []


def test_builtin_aliases_are_valid_and_unambiguous() -> None:
    data = builtin_aliases()  # validated: one name, one entity
    owner: dict[str, str] = {}
    for g in data.groups:
        for n in [g.name, *g.variants]:
            assert owner.setdefault(match_key(n), g.name) == g.name, n
    assert alias_table().lookup("U.S.")[:2] == ("United States", "place")
    assert alias_table().lookup("Congress") is None  # not only the US's


def test_user_file_wins_over_builtin(tmp_path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"groups": [{"name": "America", "type": "place"}]}), encoding="utf-8")
    table = alias_table(tmp_path / "a.json")
    assert table.lookup("america") == ("America", "place", "user")
    assert table.lookup("US") == ("United States", "place", "builtin")


# -- through the command line ------------------------------------------------------------
ARTICLES = {
    "one": "Ned Price said the Taliban met in Doha. Price added that Joe Biden agreed.",
    "two": "Biden spoke in Kabul after Doha. A THIRD PARTY photo.",
}


def _build(tmp_path: Path, blank_model_dir: Path, *extra: str):
    src = write_articles(tmp_path / "in", ARTICLES)
    out = tmp_path / "out"
    res = runner.invoke(app, ["build", str(src), "-o", str(out), "--model", str(blank_model_dir), *extra])
    return res, out


def _aliases_csv(out: Path) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    with open(out / "aliases.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault(row["surface"], []).append(row)
    return rows


def test_aliases_csv_says_why_each_name_joined(tmp_path, blank_model_dir) -> None:
    res, out = _build(tmp_path, blank_model_dir)
    assert res.exit_code == 0, res.output
    rows = _aliases_csv(out)
    assert rows["Price"] == [
        {
            "surface": "Price",
            "entity_id": "person:ned-price",
            "entity_label": "Ned Price",
            "rule": "short name (same article)",
            "article_ids": "one",
        }
    ]
    assert rows["A THIRD PARTY"][0]["entity_id"] == ""
    assert rows["A THIRD PARTY"][0]["rule"].startswith("dropped")
    assert [r["rule"] for r in rows["Biden"]] == ["short name (only candidate in the corpus)"]


def test_user_aliases_override_what_aliases_csv_shows(tmp_path, blank_model_dir) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "groups:\n"
        "  - {name: Price, type: organization}            # not Ned Price\n"
        "  - {name: President Biden, type: person, variants: [Joe Biden, Biden]}\n"
        "ignore: [Taliban]\n",
        encoding="utf-8",
    )
    res, out = _build(tmp_path, blank_model_dir, "--aliases", str(user))
    assert res.exit_code == 0, res.output
    rows = _aliases_csv(out)
    assert rows["Price"][0]["entity_id"] == "organization:price"
    assert rows["Price"][0]["rule"] == "user alias"
    assert {r["entity_id"] for r in rows["Biden"] + rows["Joe Biden"]} == {"person:president-biden"}
    assert rows["Taliban"][0]["rule"] == "ignored (alias file)"
    nodes = {n["id"] for n in json.loads((out / "graph.json").read_text())["nodes"]}
    assert "organization:taliban" not in nodes
    assert {"organization:price", "person:ned-price", "person:president-biden"} <= nodes


def test_an_invalid_aliases_file_is_one_line_and_nonzero(tmp_path, blank_model_dir) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups:\n  - name: Ned Price\n    type: persn\n", encoding="utf-8")
    res, out = _build(tmp_path, blank_model_dir, "--aliases", str(bad))
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1
    assert "bad.yaml" in lines[0] and "line 3" in lines[0] and "groups.0.type" in lines[0]
    assert not (out / "graph.json").exists()
