"""The README's Python examples run, and show what they print.

Every ```python block of README.md is run, statement by statement, in a folder holding the
seeds' graph, and each comment that shows a value is checked against what the statement
gives:

- ``x = f()  # <KnowledgeGraph 66 entities, ...>`` or ``f()  # <Evidence ...>``: the repr;
- ``f()  # 'text'``, ``# True``, ``# [('Taliban', 5), ...]`` (on the line or on the lines just
  below): the value, compared as Python data;
- ``f()  # UnknownEntity: no entity named ...``: the error and its message.

A comment that says what a statement does instead ("# writes the same files as the CLI")
is checked by a hand-written claim below where one can be checked, else the statement must
run and give something non-empty.

`kgraph.build(["seeds/"])` returns the session's build of the seeds (`seed_kg`, the real
model, the same options): the graph is built once per test session. A block that asks `kg`
without making one asks that graph, or the graph of `tests/test_time.py`'s dated articles when
the paragraph before the block says so (the rule-based pipeline tags their names).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kgraph
from kgraph.export.files import GRAPH_FILES

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.model

README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks(text: str = README) -> list[tuple[str, str]]:
    """The README's Python blocks, each with the paragraph just before it (which says what
    graph `kg` is)."""
    lines = text.splitlines(keepends=True)
    found = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip("\n") != "```python":
            i += 1
            continue
        start = j = i - 1
        while j >= 0 and not lines[j].strip():  # blank lines between the paragraph and the block
            j -= 1
        start = j
        while start >= 0 and lines[start].strip() and not lines[start].startswith("```"):
            start -= 1
        end = i + 1
        while end < len(lines) and lines[end].rstrip("\n") != "```":
            end += 1
        found.append(("".join(lines[start + 1 : j + 1]), "".join(lines[i + 1 : end])))
        i = end + 1
    return found


@dataclass
class Step:
    """One top-level statement of a block, and the comment that goes with it."""

    source: str
    node: ast.stmt
    comment: str  # "" when none


def steps(block: str) -> list[Step]:
    tree = ast.parse(block)
    comments: dict[int, str] = {}  # line -> comment text
    for tok in tokenize.generate_tokens(io.StringIO(block).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string[1:].strip()
    code_lines = {line for node in tree.body for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    lines = block.splitlines()
    out = []
    for node in tree.body:
        end = node.end_lineno or node.lineno
        said = [comments[end]] if end in comments else []
        line = end + 1  # the value shown on the comment lines just below
        while line <= len(lines) and line not in code_lines and line in comments:
            said.append(comments[line])
            line += 1
        out.append(Step(ast.get_source_segment(block, node) or "", node, " ".join(said)))
    return out


def test_the_steps_of_a_block_and_their_comments() -> None:
    block = 'x = f()   # <X 1>\n\n[a for a in y]\n# [1,\n#  2]\nf()  # UnknownEntity: no\nkg.save("o")  # writes\n'
    got = [(s.source, s.comment) for s in steps(block)]
    assert got == [
        ("x = f()", "<X 1>"),
        ("[a for a in y]", "[1, 2]"),
        ("f()", "UnknownEntity: no"),
        ('kg.save("o")', "writes"),
    ]


# -- what a comment shows ------------------------------------------------------------------
_ERROR = re.compile(r"(?P<name>[A-Z][A-Za-z]+): (?P<message>.+)")


def shown_value(comment: str) -> tuple[str, Any]:
    """What kind of thing a comment shows: ("repr", text), ("value", data), ("error", (name,
    message)), or ("words", comment) for a comment that describes instead."""
    if comment.startswith("<") and comment.endswith(">"):
        return "repr", comment
    try:
        return "value", ast.literal_eval(comment)
    except (ValueError, SyntaxError):
        pass
    m = _ERROR.fullmatch(comment)
    if m and isinstance(getattr(kgraph, m["name"], None), type):
        return "error", (m["name"], m["message"])
    return "words", comment


@pytest.mark.parametrize(
    ("comment", "kind"),
    [
        ("<KnowledgeGraph 66 entities, 1010 edges, 5 articles>", "repr"),
        ("'person:zalmay-khalilzad'", "value"),
        ("True", "value"),
        ("[('Zalmay Khalilzad', 0.039), ('Donald Trump', 0.027)]", "value"),
        ("UnknownEntity: no entity named 'Istambul'; closest: Istanbul (place:istanbul)", "error"),
        ("Note: not an error class", "words"),
        ("the same options as the CLI, as keyword arguments", "words"),
    ],
)
def test_what_a_comment_shows(comment: str, kind: str) -> None:
    assert shown_value(comment)[0] == kind


# -- claims the README makes in words ------------------------------------------------------
Claim = Callable[[Any, dict[str, Any]], None]


def _saved_like_the_cli(written: Any, ns: dict[str, Any]) -> None:
    # the files of the README's table of outputs, which `kgraph build` writes
    table = README.split("## Outputs", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`outputs/([\w.]+)`", table))
    assert {Path(p).name for p in written.values()} == listed == {*GRAPH_FILES, "aliases.csv", "skipped.csv"}
    assert all(Path(p).is_file() and Path(p).parent == Path("outputs") for p in written.values())


def _saved_smaller_graph(written: Any, ns: dict[str, Any]) -> None:
    assert {Path(written[k]).name for k in ("json", "graphml", "html")} == {"graph.json", "graph.graphml", "graph.html"}
    again = kgraph.load(written["json"])
    assert (
        set(again.graph) == set(ns["small"].graph)
        and again.graph.number_of_edges() == ns["small"].graph.number_of_edges()
    )


def _neighbors(rows: Any, ns: dict[str, Any]) -> None:
    assert [n.label for n in rows] == ["Taliban", "United States", "Afghanistan"]


def _plain_networkx(g: Any, ns: dict[str, Any]) -> None:
    assert isinstance(g, nx.Graph)
    aliases = g.nodes["person:zalmay-khalilzad"]["aliases"]
    assert isinstance(aliases, str) and " | " in aliases


def _igraph(ig: Any, ns: dict[str, Any]) -> None:
    assert ig.vcount() == ns["g"].number_of_nodes() and ig.ecount() == ns["g"].number_of_edges()


def _pandas_nodes(nodes: Any, ns: dict[str, Any]) -> None:
    assert str(nodes["article_count"].dtype) == "int64" and str(nodes["x"].dtype) == "float64"
    assert len(nodes) == ns["kg"].graph.number_of_nodes()


def _march(march: Any, ns: dict[str, Any]) -> None:
    dates = [a.get("date") for a in march.graph.graph["articles"].values()]
    assert dates and all(d is not None and "2021-03-01" <= d <= "2021-03-31" for d in dates)


def _new_links(rows: Any, ns: dict[str, Any]) -> None:
    firsts = [e.first_seen for e in rows]
    assert firsts and all(d >= "2021-05-01" for d in firsts) and firsts == sorted(firsts, reverse=True)
    assert all(isinstance(e, kgraph.Edge) for e in rows)


CLAIMS: dict[str, Claim] = {
    "kg.graph": lambda g, ns: None if isinstance(g, nx.Graph) and len(g) > 0 else pytest.fail("kg.graph"),
    'kg.save("outputs/")': _saved_like_the_cli,
    'kg2.neighbors("Khalilzad", limit=3)': _neighbors,
    'small.save("outputs/ghani/")': _saved_smaller_graph,
    'g = nx.read_graphml("outputs/graph.graphml")': _plain_networkx,
    'ig = igraph.Graph.Read_GraphML("outputs/graph.graphml")': _igraph,
    'nodes = pd.read_csv("outputs/nodes.csv", keep_default_na=False)': _pandas_nodes,
    'march = kg.between("2021-03-01", "2021-03-31")': _march,
    'kg.new_links(since="2021-05-01")': _new_links,
}


# -- running the blocks --------------------------------------------------------------------
def run_step(step: Step, ns: dict[str, Any]) -> tuple[Any, BaseException | None]:
    """Run one statement in `ns`: the value of an expression or of an assignment's one target."""
    node = step.node
    try:
        if isinstance(node, ast.Expr):
            return eval(compile(ast.Expression(node.value), "README.md", "eval"), ns), None
        exec(compile(ast.Module([node], type_ignores=[]), "README.md", "exec"), ns)
    except kgraph.KGraphError as e:
        return None, e
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return ns[node.targets[0].id], None
    return None, None


def _rounded_like(value: Any, shown: Any) -> Any:
    """`value` with its floats rounded to the digits `shown` gives them."""
    if isinstance(shown, float) and isinstance(value, float):
        digits = len(repr(shown).split(".")[1]) if "." in repr(shown) else 0
        return round(value, digits)
    if isinstance(shown, (list, tuple)) and isinstance(value, (list, tuple)) and len(shown) == len(value):
        return type(shown)(_rounded_like(v, s) for v, s in zip(value, shown))
    return value


@pytest.fixture
def readme_folder(
    seed_kg: kgraph.KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[kgraph.KnowledgeGraph]:
    """A folder to run the README in, where `kgraph.build(["seeds/"])` is the session's build."""
    (tmp_path / "seeds").symlink_to(SEEDS, target_is_directory=True)

    def build(paths: list[str], **options: object) -> kgraph.KnowledgeGraph:
        assert paths == ["seeds/"] and not options, "the README builds something other than the seeds"
        return seed_kg

    monkeypatch.setattr(kgraph, "build", build)
    monkeypatch.chdir(tmp_path)
    yield seed_kg


def test_readme_has_its_python_session() -> None:
    blocks = [code for _, code in python_blocks()]
    assert len(blocks) >= 2
    assert any("kgraph.build(" in b for b in blocks) and any("kgraph.load(" in b for b in blocks)
    before, code = python_blocks("Some text.\nOn `x`:\n\n```python\nkg.find('a')\n```\n")[0]
    assert (before, code) == ("Some text.\nOn `x`:\n", "kg.find('a')\n")


@pytest.fixture(scope="module")
def dated_kg(tmp_path_factory: pytest.TempPathFactory, blank_model_dir: Path) -> kgraph.KnowledgeGraph:
    from .test_time import jsonl

    src = jsonl(tmp_path_factory.mktemp("dated"))
    return kgraph.build([src], model=str(blank_model_dir), jobs=1)


def test_readme_python_examples_run_and_show_what_they_print(
    readme_folder: kgraph.KnowledgeGraph, dated_kg: kgraph.KnowledgeGraph
) -> None:
    checked = {"repr": 0, "value": 0, "error": 0}
    claimed = set()
    for before, block in python_blocks():
        # a block that asks `kg` without making one asks the graph the paragraph before it names
        kg = dated_kg if "tests/test_time.py" in before else readme_folder
        ns: dict[str, Any] = {"__name__": "readme", "kg": kg}
        for step in steps(block):
            value, error = run_step(step, ns)
            kind, shown = shown_value(step.comment)
            where = f"README: {step.source!r}"
            if kind == "error":
                assert error is not None, f"{where} should raise {shown[0]}"
                assert (type(error).__name__, str(error)) == shown, where
            else:
                assert error is None, f"{where} raised {type(error).__name__}: {error}"
            if kind == "repr":
                assert repr(value) == shown, where
            elif kind == "value":
                assert _rounded_like(value, shown) == shown, where
            elif step.source in CLAIMS:
                CLAIMS[step.source](value, ns)
                claimed.add(step.source)
            elif kind == "words" and isinstance(step.node, ast.Expr):
                assert value is not None and (not hasattr(value, "__len__") or len(value) > 0), where
            checked[kind] = checked.get(kind, 0) + 1
    # the README shows values, and the claims above are about statements it still makes
    assert checked["repr"] >= 7 and checked["value"] >= 6 and checked["error"] >= 1, checked
    assert claimed == set(CLAIMS), f"claims about statements no longer in the README: {set(CLAIMS) - claimed}"
