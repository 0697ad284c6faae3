from __future__ import annotations

import json

import pytest

from kgraph.errors import InputError
from kgraph.ingest import read_articles


def test_folder_is_read_recursively_in_order(tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Headline\n\nBody text.")
    (tmp_path / "sub" / "a.md").write_text("# Markdown title\n\nBody.")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    arts = list(read_articles([tmp_path]))
    assert [(a.id, a.title) for a in arts] == [("b", "Headline"), ("sub/a", "Markdown title")]


def test_jsonl_articles_keep_metadata(tmp_path) -> None:
    lines = [
        {"id": "x1", "text": "One.", "title": "T1", "date": "2021-03-01", "url": "https://example.org/1"},
        {"id": "x2", "text": "Two."},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    arts = list(read_articles([tmp_path / "c.jsonl"]))
    assert [a.id for a in arts] == ["x1", "x2"]
    assert arts[0].date == "2021-03-01" and arts[0].url == "https://example.org/1" and arts[0].title == "T1"


def test_bad_jsonl_lines_are_reported_with_line_numbers(tmp_path) -> None:
    (tmp_path / "c.jsonl").write_text('{"id": "ok", "text": "Fine."}\n{broken\n{"id": "nt"}\n')
    skipped = []
    arts = list(read_articles([tmp_path], skipped=skipped))
    assert [a.id for a in arts] == ["ok"]
    assert [(s.line, s.reason) for s in skipped] == [(2, "invalid JSON"), (3, "no text")]


def test_missing_path_is_a_user_error(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_articles([tmp_path / "nope"]))


def test_duplicate_ids_are_kept_and_reported(tmp_path) -> None:
    (tmp_path / "c.jsonl").write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n')
    skipped = []
    arts = list(read_articles([tmp_path], skipped=skipped))
    assert [a.id for a in arts] == ["a", "a~2"]
    assert skipped[0].reason == "duplicate id"


def test_legacy_encoding_is_read_and_noted(tmp_path) -> None:
    (tmp_path / "old.txt").write_bytes("Caf\xe9 in S\xe3o Paulo.".encode("cp1252"))
    skipped = []
    (art,) = list(read_articles([tmp_path], skipped=skipped))
    assert art.text == "Café in São Paulo."
    assert skipped[0].reason == "encoding fallback"
