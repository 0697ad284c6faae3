from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from kgraph.errors import InputError
from kgraph.ingest import decode, describe, display_path, find_files, read_articles


def read(paths, **kw):
    """(articles, skipped records) of `paths`."""
    skipped: list = []
    arts = list(read_articles(paths if isinstance(paths, list) else [paths], skipped=skipped, **kw))
    return arts, skipped


def reasons(skipped) -> dict[str, str]:
    """{file name (with :line for JSONL lines): reason}."""
    return {Path(s.source).name + (f":{s.line}" if s.line else ""): s.reason for s in skipped}


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
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["ok"]
    assert [(s.line, s.reason) for s in skipped] == [(2, "invalid JSON"), (3, "no text")]


def test_missing_path_is_a_user_error(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_articles([tmp_path / "nope"]))


def test_duplicate_ids_are_kept_and_reported(tmp_path) -> None:
    (tmp_path / "c.jsonl").write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\n')
    arts, skipped = read(tmp_path)
    assert [(a.id, a.text) for a in arts] == [("a", "One."), ("a~2", "Two.")]
    assert [(s.reason, s.line) for s in skipped] == [("duplicate id", 2)]
    assert "kept as 'a~2'" in skipped[0].detail


def test_duplicate_ids_across_files_and_suffix_clashes(tmp_path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "a~2", "text": "One."}\n{"id": "a", "text": "Two."}\n')
    (tmp_path / "a.txt").write_text("Three.")
    arts, skipped = read(tmp_path)
    assert sorted(a.id for a in arts) == ["a", "a~2", "a~3"]
    assert len({a.id for a in arts}) == 3
    assert [s.reason for s in skipped] == ["duplicate id"]


TEXT = "Café in São Paulo — “quoted”."


@pytest.mark.parametrize(
    ("data", "encoding", "noted"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", False),
        (TEXT.encode("utf-16"), "utf-16", False),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", False),
        (TEXT.encode("utf-32"), "utf-32", False),
        (TEXT.encode("cp1252"), "cp1252", True),
    ],
)
def test_encodings_are_read(tmp_path, data: bytes, encoding: str, noted: bool) -> None:
    assert decode(data) == (TEXT, encoding)
    (tmp_path / "a.txt").write_bytes(data)
    (art,), skipped = read(tmp_path)
    assert art.text == TEXT
    assert [s.reason for s in skipped] == (["encoding fallback"] if noted else [])


def test_latin1_is_the_last_fallback(tmp_path) -> None:
    # 0x81 and 0x8d are undefined in cp1252
    (tmp_path / "a.txt").write_bytes(b"Stra\xdfe \x81 in K\xf6ln, \x8d.")
    (art,), skipped = read(tmp_path)
    assert art.text.startswith("Straße") and "Köln" in art.text
    assert skipped[0].reason == "encoding fallback" and "latin-1" in skipped[0].detail


def test_utf8_with_one_bad_byte_stays_utf8(tmp_path) -> None:
    good = "Mevlüt Çavuşoğlu met Zalmay Khalilzad in Doha. " * 3
    (tmp_path / "a.txt").write_bytes(good.encode() + b"\xff end.")
    (art,), skipped = read(tmp_path)
    assert art.text.startswith(good) and "\ufffd" in art.text
    assert skipped[0].reason == "encoding fallback" and "1 undecodable" in skipped[0].detail


def test_broken_utf16_is_kept_with_a_note(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes("Kabul news".encode("utf-16") + b"\x00\xd8")  # a lone high surrogate
    (art,), skipped = read(tmp_path)
    assert art.text.startswith("Kabul news")
    assert [s.reason for s in skipped] == ["encoding fallback"]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1f\x8b\x08\x00" + bytes(range(1, 32)) * 20,  # control bytes, no NUL
        "UTF-16 without a byte order mark".encode("utf-16-le"),
    ],
)
def test_binary_files_are_skipped(tmp_path, data: bytes) -> None:
    (tmp_path / "x.txt").write_bytes(data)
    (tmp_path / "ok.txt").write_text("Fine.")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["ok"]
    assert reasons(skipped) == {"x.txt": "binary"}


def test_empty_and_blank_files_are_skipped(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.md").write_text(" \n\t\r\n")
    (tmp_path / "c.jsonl").write_text("\n\n")
    (tmp_path / "d.jsonl").write_bytes(b"")
    (tmp_path / "e.txt").write_bytes(codecs.BOM_UTF8 + b"  ")
    arts, skipped = read(tmp_path)
    assert arts == []
    assert reasons(skipped) == {n: "empty" for n in ("a.txt", "b.md", "c.jsonl", "d.jsonl", "e.txt")}


def test_a_big_single_article_is_read_whole(tmp_path) -> None:
    text = ("Zalmay Khalilzad met the Taliban in Doha. " * 24 + "\n\n") * 5000  # ~5 MB
    (tmp_path / "big.txt").write_text(text)
    (art,), skipped = read(tmp_path)
    assert len(art.text) == len(text) > 5_000_000 and skipped == []


def test_file_that_vanishes_after_listing_is_reported(tmp_path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Article {name}.")
    (tmp_path / "d.jsonl").write_text('{"text": "x"}\n')
    files = find_files([tmp_path])
    (tmp_path / "b.txt").unlink()
    (tmp_path / "d.jsonl").unlink()
    arts, skipped = read(tmp_path, files=files)
    assert [a.id for a in arts] == ["a", "c"]
    assert reasons(skipped) == {"b.txt": "vanished", "d.jsonl": "vanished"}


def test_permission_denied_is_reported(tmp_path, monkeypatch) -> None:
    # Tests run as root, who reads any file whatever its mode: make os.open refuse one.
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "locked.txt").write_text("Two.")
    real_open = os.open

    def refusing_open(path, *args, **kw):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", refusing_open)
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a"]
    assert [(Path(s.source).name, s.reason, s.detail) for s in skipped] == [
        ("locked.txt", "unreadable", "permission denied")
    ]


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_read_error_is_reported(tmp_path) -> None:
    # /proc/self/mem is a regular file whose read fails with EIO, even for root
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "mem.txt").symlink_to("/proc/self/mem")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a"]
    assert reasons(skipped) == {"mem.txt": "unreadable"}
    assert "error" in skipped[0].detail.lower()


def test_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("Two.")
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "c.txt").write_text("Three.")
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a", "open/c"]
    assert [(Path(s.source).name, s.reason, s.detail) for s in skipped] == [
        ("locked", "unreadable folder", "Permission denied")
    ]


def test_symlink_loops_do_not_hang_and_are_reported_once(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Two.")
    (tmp_path / "sub" / "up").symlink_to("..")
    (tmp_path / "sub" / "self").symlink_to(".")
    (tmp_path / "x.txt").symlink_to("y.txt")
    (tmp_path / "y.txt").symlink_to("x.txt")
    (tmp_path / "dangling.md").symlink_to("nowhere.md")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a", "sub/b"]
    assert reasons(skipped) == {
        "up": "repeated folder",
        "self": "repeated folder",
        "x.txt": "broken link",
        "y.txt": "broken link",
        "dangling.md": "broken link",
    }


def test_links_to_one_file_read_it_once(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.txt").symlink_to("a.txt")
    arts, skipped = read([tmp_path, tmp_path / "a.txt"])
    assert [a.id for a in arts] == ["a"]
    assert [s.reason for s in skipped] == ["repeated file", "repeated file"]


def _remove_deep(top: Path) -> None:
    """Delete a tree too deep for shutil.rmtree (and so for pytest's own clean-up), without recursion."""
    here = os.getcwd()
    try:
        os.chdir(top)
        depth = 0
        while True:
            subdirs = [e.name for e in os.scandir(".") if e.is_dir(follow_symlinks=False)]
            if not subdirs:
                break
            os.chdir(subdirs[0])
            depth += 1
        for _ in range(depth + 1):
            for e in os.scandir("."):
                if e.is_dir(follow_symlinks=False):
                    os.rmdir(e.name)
                else:
                    os.unlink(e.name)
            os.chdir("..")
        os.rmdir(top)
    finally:
        os.chdir(here)


def test_very_deep_folders_are_walked_without_recursion(tmp_path) -> None:
    # 1,500 levels: deeper than Python's recursion limit (os.walk recurses in 3.11)
    top = tmp_path / "deep"
    here = os.getcwd()
    try:
        top.mkdir()
        os.chdir(top)
        for _ in range(1500):
            os.mkdir("d")
            os.chdir("d")
        Path("bottom.txt").write_text("Found at the bottom.")
    finally:
        os.chdir(here)
    try:
        (art,), skipped = read(top)
    finally:
        _remove_deep(top)
    assert art.id == "d/" * 1500 + "bottom" and skipped == []


def test_paths_too_long_are_reported_not_fatal(tmp_path) -> None:
    top = tmp_path / "long"
    top.mkdir()
    (top / "a.txt").write_text("One.")
    here = os.getcwd()
    try:
        os.chdir(top)
        for _ in range(40):  # 40 * 200 characters: far past PATH_MAX (4096)
            os.mkdir("n" * 200)
            os.chdir("n" * 200)
        Path("deep.txt").write_text("Too deep.")
    finally:
        os.chdir(here)
    try:
        arts, skipped = read(top)
    finally:
        _remove_deep(top)
    assert [a.id for a in arts] == ["a"]
    assert [s.reason for s in skipped] == ["unreadable folder"]
    assert "too long" in skipped[0].detail.lower()


def test_fifos_are_not_opened(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("One.")
    os.mkfifo(tmp_path / "pipe.txt")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a"]
    assert reasons(skipped) == {"pipe.txt": "not a file"}
    arts, skipped = read(tmp_path / "pipe.txt")  # named on its own
    assert arts == [] and reasons(skipped) == {"pipe.txt": "not a file"}


def test_other_types_are_counted_and_hidden_entries_summed(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("One.")
    for name in ("report.pdf", "page.html", "notes.docx", "photo.jpg", "README"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    for i in range(50):
        (tmp_path / ".git" / "objects" / f"{i}.txt").write_text("not an article")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a"]
    assert reasons(skipped) == {
        "report.pdf": "corrupt",  # read since issue 16; one byte is no PDF
        "page.html": "no main text",
        "notes.docx": "corrupt",
        "photo.jpg": "unsupported type",
        "README": "unsupported type",
        tmp_path.name: "hidden",
    }
    hidden = next(s for s in skipped if s.reason == "hidden")
    assert hidden.detail.startswith("2 hidden")  # .DS_Store and .git, not 50 files inside it


def test_a_file_named_on_its_own_is_read_whatever_its_suffix(tmp_path) -> None:
    (tmp_path / "notes.text").write_text("Plain text.")
    (art,), skipped = read(tmp_path / "notes.text")
    assert art.text == "Plain text." and skipped == []


def test_undecodable_and_control_characters_in_file_names(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    Path(os.fsdecode(os.fsencode(tmp_path / "in") + b"/caf\xe9.txt")).write_bytes(b"One.")
    (tmp_path / "in" / "new\nline.txt").write_text("Two.")
    arts, skipped = read(tmp_path / "in")
    assert skipped == []
    assert sorted(a.id for a in arts) == ["caf\ufffd", "new\\x0aline"]
    for a in arts:
        a.source.encode("utf-8")  # no lone surrogates
        assert "\n" not in a.source
    assert display_path(b"caf\xe9") == "caf\ufffd"


def test_jsonl_edge_cases(tmp_path) -> None:
    lines = [
        b'{"id": "a", "text": "Line separator \xe2\x80\xa8 stays inside the string."}',
        b'{"id": "b", "text": "Lone \\ud800 surrogate."}',
        b"[" * 50_000,
        b'{"id": "c", "text": "n", "n": ' + b"1" * 5000 + b"}",
        b'"just a string"',
        b'{"id": "d", "text": ["not", "a", "string"]}',
        b'{"id": {"nested": 1}, "text": "Odd id."}',
        b'{"id": "e", "text": "Caf\xe9 in cp1252."}',
        b'{"id": "f", "text": "Windows line end."}\r',
    ]
    (tmp_path / "f.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["a", "b", "f:7", "e", "f"]
    assert "\u2028" in arts[0].text
    assert arts[1].text == "Lone \ufffd surrogate."
    assert arts[3].text == "Café in cp1252."
    assert reasons(skipped) == {
        "f.jsonl:3": "invalid JSON",
        "f.jsonl:4": "invalid JSON",
        "f.jsonl:5": "invalid JSON",
        "f.jsonl:6": "no text",
        "f.jsonl:8": "encoding fallback",
    }
    assert next(s for s in skipped if s.line == 3).detail == "nested too deeply"


def test_utf16_jsonl_is_read(tmp_path) -> None:
    (tmp_path / "f.jsonl").write_bytes(
        '{"id": "a", "text": "Ünïcode."}\n{"id": "b", "text": "Two."}\n'.encode("utf-16")
    )
    arts, skipped = read(tmp_path)
    assert [(a.id, a.text) for a in arts] == [("a", "Ünïcode."), ("b", "Two.")] and skipped == []


def test_binary_jsonl_is_one_record_not_one_per_line(tmp_path) -> None:
    (tmp_path / "f.jsonl").write_bytes(b"\x1f\x8b\x08\x00\x00\x00" + b"junk\n" * 1000)
    arts, skipped = read(tmp_path)
    assert arts == [] and reasons(skipped) == {"f.jsonl": "binary"}


def test_ten_thousand_files_with_bad_ones_among_them(tmp_path) -> None:
    bad = {731: b"\x00\x01binary", 7312: b"", 9999: b"   \n"}
    for i in range(10_000):
        sub = tmp_path / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}.txt").write_bytes(bad.get(i, f"Article {i}.".encode()))
    arts, skipped = read(tmp_path)
    assert len(arts) == 10_000 - len(bad)
    assert {Path(s.source).name: s.reason for s in skipped} == {
        "00731.txt": "binary",
        "07312.txt": "empty",
        "09999.txt": "empty",
    }
    assert describe(skipped) == "3 skipped (2 empty, 1 binary)"


def test_describe_counts_skips_and_notes_apart(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes("Caf\xe9.".encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    _, skipped = read(tmp_path)
    assert describe(skipped) == "2 skipped (1 unsupported type, 1 empty); 1 noted (1 encoding fallback)"
