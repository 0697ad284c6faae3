"""kgraph at the oldest networkx it declares (pyproject.toml's ``networkx>=X``): the files a
build writes load, query and convert there exactly as with the networkx installed here.

The floor runs in a virtual environment made once under ``tests/.nxfloor/`` (git-ignored):
the system's packages plus networkx at the floor version, from PyPI.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from ._hostile import build_hostile
from .conftest import ROOT

PROBE = Path(__file__).with_name("_nx_probe.py")


def declared_floor() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'"networkx>=([0-9.]+)[",]', text)
    assert found, "pyproject.toml declares no networkx>=X floor"
    return found.group(1)


@pytest.fixture(scope="module")
def floor_python() -> Path:
    """A Python whose networkx is the declared floor (kgraph and the rest from this one)."""
    version = declared_floor()
    venv = ROOT / "tests" / ".nxfloor"
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import networkx; print(networkx.__version__)"]
    if not python.exists() or subprocess.run(check, capture_output=True, text=True).stdout.strip() != version:
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"networkx=={version}"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"cannot install networkx=={version} from PyPI: {done.stderr[-2000:]}"
    assert subprocess.run(check, capture_output=True, text=True).stdout.strip() == version
    return python


def run(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(python), *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, out = build_hostile(tmp_path_factory.mktemp("floor"))
    return out


def test_the_floor_is_older_than_the_networkx_here() -> None:
    # otherwise the tests below compare a version with itself
    floor = tuple(int(p) for p in declared_floor().split("."))
    assert floor < tuple(int(p) for p in nx.__version__.split(".")[:2])


def test_floor_reads_and_queries_the_outputs_as_this_networkx_does(floor_python, saved) -> None:
    at_floor = run(floor_python, str(PROBE), str(saved))
    assert at_floor.returncode == 0, at_floor.stderr[-3000:]
    here = run(Path(sys.executable), str(PROBE), str(saved))
    assert here.returncode == 0, here.stderr[-3000:]
    old, new = json.loads(at_floor.stdout), json.loads(here.stdout)
    assert old.pop("networkx") == declared_floor() and new.pop("networkx") == nx.__version__
    # graph.json, graph.graphml (empty lists included) and graph.gexf read back the same, with
    # kgraph's readers and with plain networkx.read_gexf, and every question gets the same answer
    assert old == new
    assert old["networkx_gexf"]["nodes"] == len(old["json"]["nodes"]) > 10
    assert any(d["sentences"] == [] for d in old["graphml"]["edges"].values())  # not None, not missing


def test_floor_cli_info_reads_the_folder(floor_python, saved) -> None:
    done = run(floor_python, "-m", "kgraph", "info", "--graph", str(saved), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    info = json.loads(done.stdout)
    assert info["entities"] == len(json.loads((saved / "graph.json").read_text(encoding="utf-8"))["nodes"])


def test_floor_builds_the_same_graph(floor_python, saved, tmp_path) -> None:
    root = saved.parent  # build_hostile's folder: articles/, model/, out/
    code = "import sys, kgraph; kgraph.build([sys.argv[1]], model=sys.argv[2], jobs=1).save(sys.argv[3])"
    done = run(floor_python, "-c", code, str(root / "articles"), str(root / "model"), str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr[-3000:]

    def graph(folder: Path) -> dict:
        data = json.loads((folder / "graph.json").read_text(encoding="utf-8"))
        data["graph"].pop("created")
        return data

    assert graph(tmp_path / "out") == graph(saved)
    for name in ("nodes.csv", "edges.csv", "aliases.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (saved / name).read_bytes(), name
