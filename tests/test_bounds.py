"""No one input takes unbounded memory or time: sniffing, size limits, the tokenizer guard.

The limits are lowered through the module constants so that small files show what a
50 MB article or a 12 GB file would do (bench/bounds.py measures the real sizes).
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

import kgraph
import kgraph.ingest._read as ingest_read
from kgraph.dates import DATE_NOTES
from kgraph.ingest import MAX_RUN_CHARS, read_articles


def read(paths):
    skipped: list = []
    return list(read_articles(paths, skipped=skipped)), skipped


def test_a_sparse_file_of_nul_bytes_is_skipped_without_being_read(tmp_path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(256 * 2**20)  # 256 MB of NUL bytes that take no disk space
    tracemalloc.start()
    try:
        arts, skipped = read([f])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert arts == []
    assert [(s.reason, s.detail.split(" (")[0]) for s in skipped] == [("binary", "binary file")]
    assert peak < 2**20  # the first 8 KB were read, not 256 MB


def test_a_text_file_larger_than_the_limit_is_skipped_unread(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(ingest_read, "MAX_ARTICLE_BYTES", 10_000)
    (tmp_path / "big.txt").write_text("Joe Biden spoke. " * 1000)
    (tmp_path / "small.txt").write_text("Joe Biden spoke.")
    arts, skipped = read([tmp_path])
    assert [a.id for a in arts] == ["small"]
    assert [(s.source.rsplit("/", 1)[-1], s.reason) for s in skipped] == [("big.txt", "too large")]
    assert "split it into articles" in skipped[0].detail


def test_a_jsonl_line_larger_than_the_limit_is_skipped_and_the_others_kept(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(ingest_read, "MAX_ARTICLE_BYTES", 10_000)
    lines = [{"id": "a", "text": "first"}, {"id": "b", "text": "x " * 20_000}, {"id": "c", "text": "last"}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    tracemalloc.start()
    try:
        arts, skipped = read([tmp_path / "feed.jsonl"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.id for a in arts] == ["a", "c"]
    assert [(s.line, s.reason) for s in skipped] == [(2, "too large")]
    assert peak < 200_000  # the 40 KB line was never held whole (bounded pieces of it are)


def test_long_runs_without_spaces_are_cut_with_a_note(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Joe Biden wrote " + "😀" * 1000 + " in Kabul.")
    arts, skipped = read([tmp_path])
    runs = [w for w in arts[0].text.split() if "😀" in w]
    assert [len(w) for w in runs] == [MAX_RUN_CHARS] * 3 + [1000 - 3 * MAX_RUN_CHARS]
    assert arts[0].text.startswith("Joe Biden wrote ") and arts[0].text.endswith(" in Kabul.")
    assert [(s.reason, s.line) for s in skipped] == [("long run cut", None)]
    assert "article kept" in skipped[0].detail


def test_a_line_of_emoji_builds_in_reasonable_time(tmp_path, blank_model_dir) -> None:
    """spaCy's tokenizer is quadratic on a run of emoji: 20,000 of them took over a minute
    before the guard; cut, they are a few hundred short tokens."""
    (tmp_path / "emoji.txt").write_text("😀" * 20_000 + "\nJoe Biden spoke about Kabul.")
    kg = kgraph.build([tmp_path], model=str(blank_model_dir), jobs=1)
    assert kg.find("Biden").label == "Joe Biden"
    assert [s.reason for s in kg.skipped if s.reason not in DATE_NOTES] == ["long run cut"]


@pytest.mark.parametrize("sep", ["\n", " "])
def test_text_of_exactly_the_limit_is_not_cut(tmp_path, sep) -> None:
    (tmp_path / "a.txt").write_text("x" * MAX_RUN_CHARS + sep + "y")
    arts, skipped = read([tmp_path])
    assert arts[0].text == "x" * MAX_RUN_CHARS + sep + "y" and skipped == []


def test_a_long_one_line_article_goes_to_ner_in_pieces_cut_between_sentences(
    tmp_path, blank_model_dir, monkeypatch
) -> None:
    import kgraph.pipeline as pipeline

    seen: list[int] = []
    real = pipeline.pieces

    def spy(articles, limit):
        for piece in real(articles, limit):
            seen.append(len(piece.text))
            yield piece

    monkeypatch.setattr(pipeline, "PIECE_CHARS", 300)
    monkeypatch.setattr(pipeline, "pieces", spy)
    sentence = "Joe Biden met Ned Price in Kabul. "
    (tmp_path / "long.txt").write_text(sentence * 100)  # 3,400 characters, no line break
    kg = kgraph.build([tmp_path], model=str(blank_model_dir), jobs=1)
    assert len(seen) > 10 and max(seen) <= 300
    ev = kg.evidence("Joe Biden", "Kabul")
    assert ev.weight == 1 and ev.sentence_count == 100  # every sentence whole, none split at a cut
    assert set(ev.articles[0].sentences) == {sentence.strip()}
