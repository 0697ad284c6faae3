"""The extraction cache: a warm build gives the same files as a cold one, runs NER only on
what changed, and a bad cache file never gives a wrong graph.

Builds use the rule-based pipeline saved to disk (`blank_model_dir`), so NER is cheap and
deterministic; what a test checks is what a user sees: the files, the counts of hits and
misses, the one-line warnings and errors.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

import kgraph
import kgraph.cache
import kgraph.extract
import kgraph.pipeline
from kgraph.cache import CACHE_NAME
from kgraph.cli import app

from .conftest import ROOT, write_articles

runner = CliRunner()

ARTICLES = {
    f"a{i:02d}": text
    for i, text in enumerate(
        [
            "Zalmay Khalilzad met the Taliban in Doha.\n\nHe flew to Kabul the next day.",
            "Ashraf Ghani spoke with Joe Biden about NATO and Bagram Airfield.",
            "The Taliban said Khalilzad was in Doha. Ned Price confirmed it in Kabul.",
            "NATO troops left Bagram Airfield. Ashraf Ghani thanked the United States.",
            "Abdul Ghani Baradar and Zalmay Khalilzad met in Doha. The Gulf states watched.",
            "The Competition and Markets Authority (CMA) has nothing to do with Kabul.",
            "Joe Biden and Ned Price talked about the Taliban and America.",
            "In Kabul, Ashraf Ghani met Khalilzad. NATO said nothing.",
        ]
    )
}
GRAPH_FILES = ("graph.json", "graph.graphml", "graph.gexf", "graph.html", "aliases.csv", "skipped.csv")
_CREATED = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def files_of(kg: kgraph.KnowledgeGraph, folder: Path) -> dict[str, bytes]:
    """The saved files of `kg`, the build's time stamp blanked out."""
    kg.save(folder, jobs=1)
    return {name: _CREATED.sub(b"<created>", (folder / name).read_bytes()) for name in GRAPH_FILES}


def build(src: Path, model: Path, cache: Path | None, **options: object) -> kgraph.KnowledgeGraph:
    return kgraph.build([str(src)], **{"model": str(model), "jobs": 1, "cache": cache, **options})


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "in", ARTICLES)


def test_warm_build_is_byte_identical_to_a_cold_build(tmp_path, corpus, blank_model_dir) -> None:
    db = tmp_path / "cache.sqlite"
    first = build(corpus, blank_model_dir, db)
    assert (first.cache_hits, first.cache_misses) == (0, len(ARTICLES))
    warm = build(corpus, blank_model_dir, db)
    assert (warm.cache_hits, warm.cache_misses) == (len(ARTICLES), 0)
    info = warm.info()
    assert (info.cache_hits, info.cache_misses) == (len(ARTICLES), 0)
    cold = build(corpus, blank_model_dir, None)
    assert cold.cache_hits is None and cold.info().cache_hits is None
    expected = files_of(cold, tmp_path / "cold")
    assert files_of(warm, tmp_path / "warm") == expected
    assert files_of(first, tmp_path / "first") == expected
    assert b"organization:taliban" in expected["graph.json"]


def test_a_build_with_nothing_new_does_not_load_the_model(tmp_path, corpus, blank_model_dir, monkeypatch) -> None:
    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    kgraph.extract.ner._load_nlp.cache_clear()

    def no_model(model: str) -> None:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(kgraph.pipeline, "load_nlp", no_model)
    warm = build(corpus, blank_model_dir, db)
    assert warm.cache_hits == len(ARTICLES)
    # one new article: now the model is needed
    write_articles(corpus, {"new": "Joe Biden flew to Doha."})
    with pytest.raises(AssertionError, match="the model was loaded"):
        build(corpus, blank_model_dir, db)


def test_a_build_from_the_cache_looks_up_no_article_before_it_is_used(
    tmp_path, corpus, blank_model_dir, monkeypatch
) -> None:
    # it looked the whole corpus up before it used the first article: a build of a million
    # articles found in the cache held all their texts at once
    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    looked: list[int] = []
    lookup, found = kgraph.cache.ExtractionCache.lookup, kgraph.pipeline._found

    def counting_lookup(self, key):  # noqa: ANN001, ANN202
        looked.append(1)
        return lookup(self, key)

    ahead: list[int] = []

    def counting_found(*args):  # noqa: ANN002, ANN202
        ahead.append(len(looked) - len(ahead))  # articles looked up but not yet used
        return found(*args)

    monkeypatch.setattr(kgraph.cache.ExtractionCache, "lookup", counting_lookup)
    monkeypatch.setattr(kgraph.pipeline, "_found", counting_found)
    warm = build(corpus, blank_model_dir, db)
    assert warm.cache_hits == len(ARTICLES) == len(ahead) > 1
    assert max(ahead) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_edited_deleted_and_new_articles_are_handled_exactly(tmp_path, corpus, blank_model_dir, jobs) -> None:
    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    (corpus / "a01.txt").unlink()
    (corpus / "a05.txt").unlink()
    (corpus / "a03.txt").write_text("Ned Price met Abdul Ghani Baradar in Doha.", encoding="utf-8")
    write_articles(corpus, {"a02b": "America and NATO met in Kabul.", "zz": "Joe Biden thanked the Taliban."})
    # small batches: NER reads ahead over cached articles, which must still come out in order
    warm = build(corpus, blank_model_dir, db, jobs=jobs, batch_size=1)
    assert (warm.cache_hits, warm.cache_misses) == (5, 3)
    cold = build(corpus, blank_model_dir, None)
    assert files_of(warm, tmp_path / "warm") == files_of(cold, tmp_path / "cold")
    assert "a01" not in warm.graph.graph["articles"]


def test_metadata_and_ids_are_not_in_the_key(tmp_path, blank_model_dir) -> None:
    db = tmp_path / "cache.sqlite"
    rows = [{"id": f"x{i}", "title": f"Title {i}", "text": t} for i, t in enumerate(ARTICLES.values())]
    src = tmp_path / "in" / "news.jsonl"
    src.parent.mkdir()
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    build(src.parent, blank_model_dir, db)
    for r in rows:
        r["title"] = r["title"].upper()
        r["id"] = "renamed-" + r["id"]
        r["url"] = "https://example.org/" + r["id"]
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    warm = build(src.parent, blank_model_dir, db)
    assert (warm.cache_hits, warm.cache_misses) == (len(rows), 0)
    assert warm.graph.graph["articles"]["renamed-x0"]["title"] == "TITLE 0"
    assert all(a.startswith("renamed-") for a in warm.graph.nodes["organization:taliban"]["article_ids"])
    cold = build(src.parent, blank_model_dir, None)
    assert files_of(warm, tmp_path / "warm") == files_of(cold, tmp_path / "cold")


def test_extraction_version_model_and_spacy_version_are_in_the_key(tmp_path, corpus, blank_model_dir, monkeypatch):
    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    monkeypatch.setattr(kgraph.extract, "EXTRACTION_VERSION", kgraph.extract.EXTRACTION_VERSION + 1)
    assert build(corpus, blank_model_dir, db).cache_misses == len(ARTICLES)
    monkeypatch.setattr(spacy.about, "__version__", "0.0.0-other")
    assert build(corpus, blank_model_dir, db).cache_misses == len(ARTICLES)
    monkeypatch.undo()
    assert build(corpus, blank_model_dir, db).cache_hits == len(ARTICLES)
    # a model folder retrained in place: other files, other entries
    meta = blank_model_dir / "meta.json"
    os.utime(meta, ns=(meta.stat().st_atime_ns, meta.stat().st_mtime_ns + 1_000_000))
    assert build(corpus, blank_model_dir, db).cache_misses == len(ARTICLES)


# -- each article's resolution, kept beside its extraction -----------------------------------
@pytest.fixture
def resolved_anew(monkeypatch) -> list[str]:
    """The ids of the articles a build resolves itself (the others: their records read back)."""
    calls: list[str] = []
    original = kgraph.pipeline.Resolver.resolve_article

    def counted(self: kgraph.pipeline.Resolver, extraction: kgraph.Extraction) -> object:
        calls.append(extraction.article.id)
        return original(self, extraction)

    monkeypatch.setattr(kgraph.pipeline.Resolver, "resolve_article", counted)
    return calls


def test_a_warm_build_reuses_each_articles_resolution(tmp_path, corpus, blank_model_dir, resolved_anew) -> None:
    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    assert sorted(resolved_anew) == sorted(ARTICLES)
    resolved_anew.clear()
    warm = build(corpus, blank_model_dir, db)
    assert resolved_anew == []  # nothing resolved again: every record read back
    (corpus / "a03.txt").write_text("Ned Price met Abdul Ghani Baradar in Doha.", encoding="utf-8")
    write_articles(corpus, {"zz": "Joe Biden thanked the Taliban."})
    mixed = build(corpus, blank_model_dir, db)
    assert sorted(resolved_anew) == ["a03", "zz"]  # only what is new
    resolved_anew.clear()
    cold = build(corpus, blank_model_dir, None)
    assert sorted(resolved_anew) == sorted([*ARTICLES, "zz"])  # without a cache every article is resolved
    assert files_of(mixed, tmp_path / "mixed") == files_of(cold, tmp_path / "cold")
    assert files_of(warm, tmp_path / "warm") != files_of(cold, tmp_path / "cold")  # (the edit shows)


def test_other_aliases_resolve_every_article_again(tmp_path, corpus, blank_model_dir, resolved_anew) -> None:
    db = tmp_path / "cache.sqlite"
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("groups:\n  - name: Khalilzad\n    type: person\n", encoding="utf-8")
    build(corpus, blank_model_dir, db, aliases=str(aliases))
    aliases.write_text(
        "groups:\n  - name: The Taliban movement\n    type: organization\n    variants: [Taliban]\n", encoding="utf-8"
    )
    resolved_anew.clear()
    warm = build(corpus, blank_model_dir, db, aliases=str(aliases))
    assert warm.cache_misses == 0 and sorted(resolved_anew) == sorted(ARTICLES)  # NER kept, resolution not
    assert "organization:the-taliban-movement" in warm.graph
    cold = build(corpus, blank_model_dir, None, aliases=str(aliases))
    assert files_of(warm, tmp_path / "warm") == files_of(cold, tmp_path / "cold")


def _edited_copy(src: Path, dst: Path, name: str) -> Path:
    import shutil

    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
    with open(dst / name, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    return dst


@pytest.mark.parametrize(
    "change", ["a resolve module", "the name lists module", "a name list", "the aliases", "the lexicon", "nothing"]
)
def test_resolution_digest_follows_the_code_and_data_resolution_depends_on(tmp_path, monkeypatch, change) -> None:
    import importlib.resources

    import kgraph.normalize
    import kgraph.resolve
    from kgraph.aliases import AliasFile, AliasGroup, alias_table

    package = Path(kgraph.__file__).parent
    before = kgraph.cache.resolution_digest(alias_table(), {"cease", "defend"})
    aliases, lexicon = alias_table(), {"cease", "defend"}
    if change == "a resolve module":
        copy = _edited_copy(package / "resolve", tmp_path / "resolve", "article.py")
        monkeypatch.setattr(kgraph.resolve, "__file__", str(copy / "__init__.py"))
    elif change == "the name lists module":
        copy = _edited_copy(package, tmp_path / "kgraph", "normalize.py")
        monkeypatch.setattr(kgraph.normalize.__spec__, "origin", str(copy / "normalize.py"))
    elif change == "a name list":
        copy = _edited_copy(package, tmp_path / "kgraph", "data/given_names.txt")
        monkeypatch.setattr(importlib.resources, "files", lambda _: copy)
    elif change == "the aliases":
        aliases.add(AliasFile(groups=[AliasGroup(name="Acme", type="organization")]), "user")
    elif change == "the lexicon":
        lexicon = {"cease"}
    after = kgraph.cache.resolution_digest(aliases, lexicon)
    assert (after == before) == (change == "nothing")


def test_a_change_of_resolution_code_resolves_every_article_again(
    tmp_path, corpus, blank_model_dir, monkeypatch, resolved_anew
):
    import kgraph.resolve

    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    copy = _edited_copy(Path(kgraph.resolve.__file__).parent, tmp_path / "resolve", "rules.py")
    monkeypatch.setattr(kgraph.resolve, "__file__", str(copy / "__init__.py"))  # as after an upgrade
    resolved_anew.clear()
    warm = build(corpus, blank_model_dir, db)
    assert warm.cache_hits == len(ARTICLES) and sorted(resolved_anew) == sorted(ARTICLES)
    resolved_anew.clear()
    build(corpus, blank_model_dir, db)
    assert resolved_anew == []  # and the new records are kept


def test_windows_of_a_warm_build_are_those_of_a_cold_build(tmp_path, blank_model_dir) -> None:
    rows = [
        {"id": a, "text": t, **({"date": f"2021-03-{i + 1:02d}"} if i % 3 else {})}
        for i, (a, t) in enumerate(ARTICLES.items())
    ]
    src = tmp_path / "in" / "news.jsonl"
    src.parent.mkdir()
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    db = tmp_path / "cache.sqlite"
    build(src.parent, blank_model_dir, db)
    warm, cold = build(src.parent, blank_model_dir, db), build(src.parent, blank_model_dir, None)
    assert warm.cache_hits == len(rows)
    assert warm.info().dated_articles == len([r for r in rows if "date" in r])
    got, want = warm.between("2021-03-02", "2021-03-06"), cold.between("2021-03-02", "2021-03-06")
    assert files_of(got, tmp_path / "w") == files_of(want, tmp_path / "c")
    assert got.graph.graph["article_count"] == 4


def test_the_library_uses_no_cache_unless_asked(tmp_path, corpus, blank_model_dir) -> None:
    kg = kgraph.build([str(corpus)], model=str(blank_model_dir), jobs=1)
    kg.save(tmp_path / "out")
    assert kg.cache_hits is None
    assert not any(p.name.startswith(".kgraph-cache") for p in (tmp_path / "out").iterdir())


# -- bad cache files --------------------------------------------------------------------------
def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "cache" in r.getMessage()]


@pytest.mark.parametrize(
    "damage",
    [
        "not sqlite",
        "foreign sqlite",
        "truncated",
        "damaged entry",
        "damaged resolution",
        "swapped resolution",
        "empty file",
    ],
)
def test_a_bad_cache_file_gives_one_warning_and_the_right_graph(tmp_path, corpus, blank_model_dir, caplog, damage):
    db = tmp_path / "cache.sqlite"
    reference = files_of(build(corpus, blank_model_dir, None), tmp_path / "ref")
    if damage == "not sqlite":
        db.write_text("these are my notes, not a cache\n" * 100, encoding="utf-8")
    elif damage == "foreign sqlite":
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
            con.execute("INSERT INTO invoices VALUES (1, 9.5)")
        con.close()
    elif damage == "empty file":
        db.write_bytes(b"")
    else:
        build(corpus, blank_model_dir, db)
        if damage == "truncated":
            data = db.read_bytes()
            db.write_bytes(data[: len(data) // 3])
        elif damage == "damaged entry":  # read when no resolution is kept (as after an upgrade)
            with sqlite3.connect(db) as con:
                (key,) = con.execute("SELECT key FROM extractions LIMIT 1 OFFSET 3").fetchone()
                con.execute("UPDATE extractions SET value = ? WHERE key = ?", (b"\x78\x01garbage", key))
                con.execute("DELETE FROM resolutions")
            con.close()
        else:
            with sqlite3.connect(db) as con:
                (key, value), (_, other) = con.execute("SELECT key, value FROM resolutions LIMIT 2 OFFSET 3").fetchall()
                broken = b"\x78\x01garbage" if damage == "damaged resolution" else other  # intact, but not its own
                con.execute("UPDATE resolutions SET value = ? WHERE key = ?", (broken, key))
            con.close()
    before = db.read_bytes()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kgraph"):
        kg = build(corpus, blank_model_dir, db)
    assert files_of(kg, tmp_path / "out") == reference
    warnings = _warnings(caplog)
    if damage == "empty file":  # an empty file is a new cache
        assert warnings == [] and kg.cache_misses == len(ARTICLES)
        return
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"extraction cache '{db}' not used: ")
    assert "building without it" in warnings[0]
    if damage in ("not sqlite", "foreign sqlite"):
        assert "not a kgraph cache" in warnings[0]
        assert db.read_bytes() == before  # somebody else's file is never written to


def test_a_locked_cache_gives_one_warning_and_a_cold_build(tmp_path, corpus, blank_model_dir, caplog, monkeypatch):
    db = tmp_path / "cache.sqlite"
    build(corpus, blank_model_dir, db)
    monkeypatch.setattr(kgraph.cache, "TIMEOUT_SECONDS", 0.2)
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("PRAGMA locking_mode = EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="kgraph"):
            kg = build(corpus, blank_model_dir, db)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    warnings = _warnings(caplog)
    assert len(warnings) == 1 and "locked" in warnings[0], warnings
    assert files_of(kg, tmp_path / "out") == files_of(build(corpus, blank_model_dir, None), tmp_path / "ref")


# -- several processes, interruptions ---------------------------------------------------------
def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kgraph", "build", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_builds_sharing_one_cache_at_once_both_finish_correctly(tmp_path, blank_model_dir) -> None:
    many = {f"m{i:03d}": f"{text} Story {i}." for i, text in enumerate(list(ARTICLES.values()) * 25)}
    src = write_articles(tmp_path / "in", many)
    db = tmp_path / "shared.sqlite"
    procs = [
        _cli(
            str(src),
            "-o",
            str(tmp_path / f"out{k}"),
            "--model",
            str(blank_model_dir),
            "-j",
            "1",
            "--batch-size",
            "4",
            "--cache",
            str(db),
        )
        for k in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert err == ""
    reference = files_of(build(src, blank_model_dir, None), tmp_path / "ref")
    for k in range(2):
        got = {n: _CREATED.sub(b"<created>", (tmp_path / f"out{k}" / n).read_bytes()) for n in GRAPH_FILES}
        assert got == reference
    assert kgraph.cache_info(db).entries == len(many)
    warm = build(src, blank_model_dir, db)
    assert (warm.cache_hits, warm.cache_misses) == (len(many), 0)


def test_ctrl_c_leaves_the_cache_consistent(tmp_path, blank_model_dir) -> None:
    many = {f"m{i:04d}": f"{text} Item {i}." for i, text in enumerate(list(ARTICLES.values()) * 100)}
    src = write_articles(tmp_path / "in", many)
    db = tmp_path / "c.sqlite"
    marker = tmp_path / "paused"
    # paused while reading the last file: 799 articles extracted, three commits made
    proc = _cli(
        str(src),
        "-o",
        str(tmp_path / "out"),
        "--model",
        str(blank_model_dir),
        "-j",
        "1",
        "--cache",
        str(db),
        env={"KGRAPH_TEST_PAUSE": "read:m0799.txt", "KGRAPH_TEST_PAUSE_FILE": str(marker)},
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    entries = kgraph.cache_info(db).entries
    assert 0 < entries < len(many) and entries % kgraph.cache.COMMIT_EVERY == 0
    warm = build(src, blank_model_dir, db)
    assert (warm.cache_hits, warm.cache_misses) == (entries, len(many) - entries)
    assert files_of(warm, tmp_path / "warm") == files_of(build(src, blank_model_dir, None), tmp_path / "cold")


# -- the command line -------------------------------------------------------------------------
def test_cli_keeps_the_cache_in_the_output_folder_and_reports_it(tmp_path, corpus, blank_model_dir) -> None:
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "--model", str(blank_model_dir), "-j", "1"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert f"extraction cache: 0 articles found, {len(ARTICLES)} new" in res.output
    assert (out / CACHE_NAME).is_file()
    res = runner.invoke(app, [*args, "--force"])  # up to date otherwise (kgraph.stamp)
    assert f"extraction cache: {len(ARTICLES)} articles found, 0 new" in res.output

    res = runner.invoke(app, ["cache", "info", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"{len(ARTICLES)} distinct article texts" in res.output
    assert f"{len(ARTICLES)} found, 0 new (100.0% hit rate)" in res.output
    res = runner.invoke(app, ["cache", "info", "-o", str(out), "--json"])
    data = json.loads(res.output)
    assert data["entries"] == len(ARTICLES) and data["hit_rate"] == 1.0 and data["size_bytes"] > 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(CACHE_NAME)) == [CACHE_NAME]  # no -wal left

    res = runner.invoke(app, ["cache", "clear", "-o", str(out)])
    assert res.exit_code == 0 and f"cleared {out / CACHE_NAME}" in res.output
    assert not (out / CACHE_NAME).exists()
    assert (out / "graph.json").is_file()  # the outputs stay

    res = runner.invoke(app, [*args, "--no-cache"])
    assert res.exit_code == 0 and "extraction cache" not in res.output
    assert not (out / CACHE_NAME).exists()


def test_cli_shared_cache_and_errors(tmp_path, corpus, blank_model_dir) -> None:
    shared = tmp_path / "caches" / "news.sqlite"
    base = ["build", str(corpus), "--model", str(blank_model_dir), "-j", "1", "--cache", str(shared)]
    assert runner.invoke(app, [*base, "-o", str(tmp_path / "o1")]).exit_code == 0
    res = runner.invoke(app, [*base, "-o", str(tmp_path / "o2")])
    assert f"extraction cache: {len(ARTICLES)} articles found, 0 new" in res.output
    assert not (tmp_path / "o2" / CACHE_NAME).exists()

    res = runner.invoke(app, [*base, "-o", str(tmp_path / "o3"), "--no-cache"])
    assert res.exit_code == 1
    assert res.output.strip() == "error: --cache and --no-cache contradict each other: pass one of them"

    res = runner.invoke(app, ["cache", "info", "--cache", str(tmp_path / "nope.sqlite")])
    assert res.exit_code == 1 and "no extraction cache at" in res.output and "Traceback" not in res.output
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    res = runner.invoke(app, ["cache", "clear", "--cache", str(notes)])
    assert res.exit_code == 1 and "not a kgraph extraction cache: not deleted" in res.output
    assert notes.read_text(encoding="utf-8") == "my notes"
    res = runner.invoke(app, ["cache", "info", "--cache", str(notes)])
    assert res.exit_code == 1 and len(res.output.strip().splitlines()) == 1


def test_a_failed_build_leaves_no_cache_file(tmp_path, blank_model_dir) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    res = runner.invoke(app, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(blank_model_dir)])
    assert res.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_identical_texts_under_two_ids_share_one_entry(tmp_path, corpus, blank_model_dir) -> None:
    write_articles(corpus, {"copy-of-a00": ARTICLES["a00"]})
    db = tmp_path / "cache.sqlite"
    first = build(corpus, blank_model_dir, db)
    assert (first.cache_hits, first.cache_misses) == (0, len(ARTICLES) + 1)
    assert kgraph.cache_info(db).entries == len(ARTICLES)
    warm = build(corpus, blank_model_dir, db)
    assert (warm.cache_hits, warm.cache_misses) == (len(ARTICLES) + 1, 0)
    assert "copy-of-a00" in warm.graph.nodes["person:zalmay-khalilzad"]["article_ids"]
    assert files_of(warm, tmp_path / "warm") == files_of(build(corpus, blank_model_dir, None), tmp_path / "cold")


def test_every_module_extraction_reads_is_in_the_key() -> None:
    """Editing a module the extraction code runs (a new rule in `kgraph.extract.sport`, say)
    must miss the cache: every module of `kgraph.extract` is in the key, and so is each
    other kgraph module they import, except the ones that only run it (signals and child
    processes, failure injection, defaults, error types)."""
    import ast

    import kgraph.cache
    import kgraph.extract

    folder = Path(kgraph.extract.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert {p.stem for p in modules} >= {"__init__", "ner", "repair", "sport", "pieces", "workers", "dask"}
    imported: set[str] = set()
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 2:  # from ..normalize import ...
                imported |= {f"kgraph.{node.module}"} if node.module else {f"kgraph.{a.name}" for a in node.names}
    runners = {"kgraph._runtime", "kgraph._failpoint", "kgraph.config", "kgraph.errors"}
    assert imported - runners <= set(kgraph.cache.EXTRACTION_MODULES), imported - runners
    assert {"kgraph.normalize", "kgraph.places", "kgraph.records"} <= imported  # the check sees them


def test_every_module_of_the_extraction_package_is_in_the_key(tmp_path, monkeypatch) -> None:
    """The key holds a digest of every module of `kgraph.extract`, one added later too."""
    import types

    probe = types.ModuleType("probe")
    probe.__file__ = str(tmp_path / "__init__.py")
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "a.py").write_text("x = 1\n")
    digests = [kgraph.cache._package_digest(probe)]
    (tmp_path / "a.py").write_text("x = 2\n")
    digests.append(kgraph.cache._package_digest(probe))
    (tmp_path / "b.py").write_text("y = 1\n")
    digests.append(kgraph.cache._package_digest(probe))
    assert len(set(digests)) == 3

    identity = {"name": "m"}
    key = kgraph.cache.settings_digest("m", identity, piece_stride=1)
    real = kgraph.cache._package_digest
    monkeypatch.setattr(
        kgraph.cache, "_package_digest", lambda m: "edited" if m.__name__ == "kgraph.extract" else real(m)
    )
    assert kgraph.cache.settings_digest("m", identity, piece_stride=1) != key
