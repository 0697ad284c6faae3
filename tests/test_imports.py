"""Querying a saved graph imports neither spaCy nor the other heavy modules a build needs.

`import kgraph`, `kgraph.load` and every query run in a fresh process (this one has imported
spaCy long ago), which then reports the heavy modules it holds. The time this saves is
measured by `bench/query_startup.py` (README, "Asking the graph questions").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kgraph._demo import demo

from .conftest import ROOT

#: Modules a query never needs: the NER stack, the statistics, the page and XML writers.
HEAVY = ("spacy", "thinc", "scipy", "numpy", "pyvis", "lxml", "kgraph.pipeline")
#: And modules the library's queries do not need (the CLI does: its signal handling, `kgraph cache`).
LIBRARY_NEEDS_NOT = (*HEAVY, "sqlite3", "multiprocessing")

_REPORT = "import json, sys; print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))"


def _heavy_after(code: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = code + "\n" + _REPORT.format(heavy=heavy)
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("saved")
    demo().save(folder, jobs=1)
    return str(folder)


def test_import_kgraph_is_light() -> None:
    assert _heavy_after("import kgraph", LIBRARY_NEEDS_NOT) == []


def test_loading_and_querying_a_graph_imports_no_heavy_module(saved: str) -> None:
    code = f"""
import kgraph
kg = kgraph.load({saved!r})
kg.find("Khalilzad"); kg.neighbors("Taliban"); kg.neighbors("Taliban", rank="significance")
kg.evidence("Taliban", "Doha"); kg.path("Ashraf Ghani", "Doha"); kg.top(3); kg.top(3, by="degree")
kg.edges(backbone=True); kg.communities(); kg.info(); kg.entities(); kg.ego("Doha"); kg.backbone()
"""
    assert _heavy_after(code, LIBRARY_NEEDS_NOT) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["info"],
        ["find", "Khalilzad"],
        ["neighbors", "Taliban"],
        ["evidence", "Taliban", "Doha"],
        ["path", "Ashraf Ghani", "Doha"],
        ["top"],
        ["edges"],
    ],
    ids=lambda argv: argv[0],
)
def test_query_commands_import_no_heavy_module(saved: str, argv: list[str]) -> None:
    code = f"""
import contextlib, io, sys
sys.argv = ["kgraph", *{argv!r}, "-g", {saved!r}]
from kgraph.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as e:
        assert e.code == 0, e.code
"""
    assert _heavy_after(code) == []


def test_the_check_can_fail() -> None:
    """The report sees a heavy module when one is imported (so an empty list means something)."""
    assert {"spacy", "kgraph.pipeline"} <= set(_heavy_after("import kgraph; kgraph.build"))


def test_import_kgraph_loads_neither_networkx_nor_pydantic() -> None:
    """`import kgraph` is the errors alone: the rest comes when first used."""
    assert _heavy_after("import kgraph", ("networkx", "pydantic", "kgraph.query", "kgraph.records")) == []
    assert _heavy_after("import kgraph; kgraph.Entity", ("pydantic", "kgraph.records")) == [
        "kgraph.records",
        "pydantic",
    ]
    # the query records come without the graph: kgraph.query imports nothing until used
    assert _heavy_after("import kgraph; kgraph.Results", ("networkx", "kgraph.query.knowledge")) == []


#: What a query command imports only when it needs it: the build's modules and the extraction
#: cache (sqlite3), multiprocessing and the folder lock; the name lists (yaml) and fuzzy
#: matching (rapidfuzz) only for a name with a title or a typo.
QUERY_NEEDS_NOT = (
    *HEAVY,
    "sqlite3",
    "multiprocessing",
    "kgraph.cache",
    "kgraph.export._atomic",
    "yaml",
    "rapidfuzz",
)


def _command_imports(saved: str, argv: list[str], heavy: tuple[str, ...]) -> list[str]:
    """The modules of `heavy` that `kgraph ARGV -g saved` imports, run as the installed command is."""
    code = f"""
import contextlib, io, sys
sys.argv = ["kgraph", *{argv!r}, "-g", {saved!r}]
from kgraph.__main__ import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as e:
        assert e.code == 0, e.code
"""
    return _heavy_after(code, heavy)


@pytest.mark.parametrize(
    "argv",
    [["info"], ["find", "Khalilzad"], ["neighbors", "Taliban"], ["evidence", "Taliban", "Doha"], ["top"]],
    ids=lambda argv: argv[0],
)
def test_query_commands_import_only_what_they_use(saved: str, argv: list[str]) -> None:
    assert _command_imports(saved, argv, QUERY_NEEDS_NOT) == []
    # the table is drawn with rich; JSON is printed without it
    assert _command_imports(saved, [*argv, "--json"], ("rich",)) == []
    assert _command_imports(saved, argv, ("rich",)) == ["rich"]


def test_a_title_or_a_typo_brings_the_name_lists_and_fuzzy_matching(saved: str) -> None:
    assert _command_imports(saved, ["find", "President Ashraf Ghani"], ("yaml", "rapidfuzz")) == ["yaml"]
    assert _command_imports(saved, ["find", "Khalilzd"], ("yaml", "rapidfuzz")) == ["rapidfuzz", "yaml"]


def test_the_xml_and_js_writers_do_not_import_the_page() -> None:
    """GraphML, GEXF and the JavaScript formats take their colours from kgraph.export.style and
    their positions from kgraph.layout, not from the HTML exporter (and its statistics)."""
    code = "import kgraph.export.graphml, kgraph.export.gexf, kgraph.export.js, kgraph.export.tables"
    assert _heavy_after(code, ("kgraph.export.html", "kgraph.stats", "scipy", "pyvis")) == []
    assert _heavy_after(code, ("kgraph.export.style", "kgraph.layout")) == ["kgraph.export.style", "kgraph.layout"]
