"""The build pipeline at scale: worker processes, streaming, long articles (rule-based pipeline)."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import kgraph
import kgraph.extract.workers
from kgraph.config import make_config
from kgraph.errors import ModelError
from kgraph.extract import extract, load_nlp
from kgraph.pipeline import _extract_articles, _processes
from kgraph.records import Article

from .conftest import make_blank_nlp, write_articles

NAMES = ["Zalmay Khalilzad", "the Taliban", "Doha", "Kabul", "NATO", "Ashraf Ghani", "Joe Biden", "Bagram Airfield"]


def article(i: int) -> Article:
    a, b, c = NAMES[i % 8], NAMES[(3 * i + 1) % 8], NAMES[(5 * i + 2) % 8]
    return Article(id=f"n{i:03d}", text=f"{a} met {b} on day {i}.\n\n{c} said nothing. {a} flew home.")


def articles(n: int) -> list[Article]:
    return [article(i) for i in range(n)]


@Language.component("kgraph_test_fail_on_boom")
def _fail_on_boom(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise ValueError("cannot digest BOOM")
    if "DIE" in doc.text:
        os._exit(7)
    return doc


# -- worker processes -----------------------------------------------------------------------
def test_worker_processes_give_what_one_process_gives(blank_nlp) -> None:
    arts = articles(40)
    one = list(extract(arts, blank_nlp, n_process=1, batch_size=4))
    two = list(extract(arts, blank_nlp, n_process=2, batch_size=4))
    assert [ex.article.id for ex in two] == [a.id for a in arts]  # article order is kept
    assert two == one
    assert all(ex.mentions for ex in two)
    assert not multiprocessing.active_children()  # the workers are gone


@pytest.mark.parametrize("expected", [80, 10, 800], ids=["right", "too-low", "too-high"])
def test_smaller_batches_at_the_end_change_nothing_but_the_batches(blank_nlp, expected: int) -> None:
    arts = articles(80)
    sizes: list[int] = []
    real = kgraph.extract.workers.batch_sizes

    def spy(*args):
        for size in real(*args):
            sizes.append(size)
            yield size

    kgraph.extract.workers.batch_sizes = spy
    try:
        out = list(extract(arts, blank_nlp, n_process=2, batch_size=16, expected=expected))
    finally:
        kgraph.extract.workers.batch_sizes = real
    assert out == list(extract(arts, blank_nlp, batch_size=16))
    # a small first batch (its results come back soon), then:
    if expected == 80:  # an exact estimate: full batches, then ever smaller ones for the last articles
        assert sizes[:6] == [8, 16, 14, 11, 8, 8], sizes
    elif expected == 10:  # small batches for the 10 expected, then full batches again past the estimate
        assert sizes[:5] == [8, 8, 16, 16, 16], sizes
    else:
        assert sizes[:6] == [8] + [16] * 5


def test_batch_size_examples_run() -> None:
    import doctest

    result = doctest.testmod(kgraph.extract.workers)
    assert result.attempted > 0 and result.failed == 0


def test_an_error_in_a_worker_is_one_clear_error() -> None:
    nlp = make_blank_nlp()
    nlp.add_pipe("kgraph_test_fail_on_boom")
    arts = articles(10) + [Article(id="bad", text="BOOM in Kabul.")] + articles(10)
    with pytest.raises(
        ModelError, match=r"NER failed in a worker process \(ValueError: cannot digest BOOM\).*--jobs 1"
    ):
        list(extract(arts, nlp, n_process=2, batch_size=3))
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_is_reported() -> None:
    nlp = make_blank_nlp()
    nlp.add_pipe("kgraph_test_fail_on_boom")
    arts = articles(6) + [Article(id="bad", text="DIE in Kabul.")] + articles(6)
    with pytest.raises(ModelError, match=r"worker process stopped \(exit code 7\).*--jobs"):
        list(extract(arts, nlp, n_process=2, batch_size=3))
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("n_process", [1, 2])
def test_extraction_streams_articles(blank_nlp, n_process: int) -> None:
    """Only a few batches are read ahead of what has been handed on: memory does not grow
    with the corpus."""
    pulled = 0

    def endless() -> Iterator[Article]:
        nonlocal pulled
        i = 0
        while True:
            pulled += 1
            yield article(i)
            i += 1

    batch = 5
    stream = extract(endless(), blank_nlp, n_process=n_process, batch_size=batch)
    for taken in range(1, 61):
        next(stream)
        assert pulled <= taken + (2 * n_process + 1) * batch
    stream.close()
    assert not multiprocessing.active_children()


def test_small_corpora_use_one_process() -> None:
    assert _processes(10, 8, 64) == 1  # one batch: workers would only cost their start-up
    assert _processes(64, 8, 64) == 1
    assert _processes(65, 8, 64) == 2
    assert _processes(100_000, 8, 64, cores=8) == 8
    assert _processes(100_000, 300, 1, cores=8) == 8  # never more workers than cores
    assert _processes(100_000, 1, 64) == 1


def test_build_with_jobs_gives_the_graph_one_process_gives(tmp_path, blank_model_dir) -> None:
    src = write_articles(tmp_path / "in", {a.id: a.text for a in articles(24)})
    one = kgraph.build([src], model=str(blank_model_dir), jobs=1, batch_size=4).graph
    two = kgraph.build([src], model=str(blank_model_dir), jobs=2, batch_size=4).graph
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert list(one.edges(data=True)) == list(two.edges(data=True))
    assert one.graph["token_count"] == two.graph["token_count"] > 0


# -- articles longer than nlp.max_length ------------------------------------------------------
LONG = "\n\n".join(
    [
        "Zalmay Khalilzad met the Taliban in Doha.",
        *[f"Paragraph {i} is about nothing in particular, and it goes on for a while." for i in range(20)],
        "NATO left Bagram Airfield near Kabul.",
    ]
)


def test_a_long_article_is_processed_in_pieces() -> None:
    nlp = make_blank_nlp()
    nlp.max_length = 300
    assert len(LONG) > 4 * nlp.max_length
    with pytest.raises(ValueError, match="max_length"):
        nlp(LONG)  # spaCy itself refuses it
    config = make_config(batch_size=4)
    arts = [Article(id="short", text="Ashraf Ghani was in Kabul."), Article(id="long", text=LONG), article(1)]
    out = list(_extract_articles(iter(arts), nlp, config, 1))
    assert [ex.article.id for ex in out] == ["short", "long", "n001"]  # one Extraction per article
    long = out[1]
    names = [m.name for m in long.mentions]
    assert names == ["Zalmay Khalilzad", "Taliban", "Doha", "NATO", "Bagram Airfield", "Kabul"]
    sentence = {m.name: m.sentence for m in long.mentions}
    assert sentence["Zalmay Khalilzad"] == sentence["Doha"]
    assert sentence["NATO"] == sentence["Kabul"] != sentence["Doha"]  # pieces keep sentences apart
    assert long.sentences[sentence["Kabul"]] == "NATO left Bagram Airfield near Kabul."
    whole = make_blank_nlp()
    whole.max_length = 10 * len(LONG)
    assert long.tokens == len(whole(LONG))


@pytest.mark.parametrize("after", [[], [Article(id="next", text="Ashraf Ghani was in Kabul.")]])
def test_a_long_articles_mentions_are_held_once(after: list[Article]) -> None:
    """Once an article's pieces are joined the pieces are let go, and a mention is a small record
    with no dict of its own: a one-line article of millions of names costs one small record per
    name, not two large ones (issue 18: a 50 MB one-line article)."""
    nlp = make_blank_nlp()
    nlp.max_length = 300
    text = " ".join(["Zalmay Khalilzad met the Taliban in Doha."] * 200)
    stream = _extract_articles(iter([Article(id="long", text=text), *after]), nlp, make_config(batch_size=4), 1)
    long = next(stream)
    assert stream.gi_frame is not None
    assert stream.gi_frame.f_locals["pending"] == []  # no piece held beside the whole while it is used
    assert len(long.mentions) == 600
    assert [m.sentence for m in long.mentions] == sorted(m.sentence for m in long.mentions)
    assert not any(hasattr(m, "__dict__") for m in long.mentions)
    assert max(sys.getsizeof(m) for m in long.mentions) <= 160  # its twelve fields' slots


def test_build_accepts_an_article_longer_than_max_length(tmp_path, blank_model_dir) -> None:
    src = write_articles(tmp_path / "in", {"long": LONG})
    nlp = load_nlp(str(blank_model_dir))  # the cached pipeline build() will use
    before = nlp.max_length
    nlp.max_length = 300
    try:
        g = kgraph.build([src], model=str(blank_model_dir), jobs=1).graph
    finally:
        nlp.max_length = before
    assert g.graph["article_count"] == 1
    assert g.has_edge("place:doha", "person:zalmay-khalilzad")
    assert g.has_edge("organization:nato", "place:kabul")
    assert g.edges["organization:nato", "person:zalmay-khalilzad"]["sentence_count"] == 0


def test_progress_counts_every_article_and_ends_at_the_real_total(tmp_path, blank_model_dir) -> None:
    src = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": a.id, "text": a.text}) for a in articles(9)]
    src.write_text("\n".join([*lines, "{not json", '{"id": "x"}']) + "\n")  # 11 lines, 9 articles
    calls: list[tuple[int, int]] = []
    kgraph.build([src], model=str(blank_model_dir), jobs=1, progress=lambda done, total: calls.append((done, total)))
    assert [done for done, _ in calls[:-1]] == list(range(1, 10))
    assert all(total == 11 for _, total in calls[:-1])  # the estimate: one article a line
    assert calls[-1] == (9, 9)  # the end: the real count


def test_new_words_stop_growing_the_vocabulary_past_a_budget(monkeypatch) -> None:
    """Batches run outside spaCy memory zones (its tokenizer caches nothing inside one) until
    the vocabulary has taken on `VOCAB_GROWTH` strings, then inside them: the strings of
    words never seen before are freed with each batch, so a long run over ever new words
    keeps a flat vocabulary."""
    from kgraph.extract import ner

    monkeypatch.setattr(ner, "VOCAB_GROWTH", 100)
    nlp = make_blank_nlp()
    list(extract(articles(8), nlp, batch_size=4))  # the words every article shares
    start = len(nlp.vocab.strings)

    def novel(first: int, last: int) -> list[Article]:
        return [Article(id=f"w{i}", text=f"Doha saw zqx{i}a and vbn{i}b at Kabul.") for i in range(first, last)]

    list(extract(novel(0, 200), nlp, batch_size=16))
    grown = len(nlp.vocab.strings) - start
    assert 100 <= grown < 100 + 16 * 2 * 4  # kept up to the budget, and the batch that passed it
    out = list(extract(novel(200, 400), nlp, batch_size=16))
    assert [m.name for m in out[-1].mentions] == ["Doha", "Kabul"]
    assert out[-1].sentences == {0: "Doha saw zqx399a and vbn399b at Kabul."}
    assert len(nlp.vocab.strings) - start == grown


def test_workers_that_start_fresh_get_the_pipeline_pickled(blank_nlp, monkeypatch) -> None:
    """Where fork is not available (macOS, Windows), workers are spawned and receive the
    pipeline pickled: the same Extractions come back."""
    import kgraph.extract.workers as workers

    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("spawn"))
    arts = articles(12)
    assert list(extract(arts, blank_nlp, n_process=2, batch_size=3)) == list(extract(arts, blank_nlp, batch_size=3))
    assert not multiprocessing.active_children()


def test_build_takes_a_ready_config_or_options_not_both(tmp_path, blank_model_dir) -> None:
    from kgraph.errors import ConfigError

    (tmp_path / "a.txt").write_text("Khalilzad met the Taliban in Doha.")
    config = make_config(model=str(blank_model_dir), jobs=1, types="place")
    kg = kgraph.build([tmp_path], config=config)
    assert [d["label"] for _, d in kg.graph.nodes(data=True)] == ["Doha"]
    with pytest.raises(ConfigError, match="not both"):
        kgraph.build([tmp_path], config=config, jobs=2)
