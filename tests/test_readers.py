"""The readers of kgraph.ingest, one format at a time: the text and metadata each keeps, and
the one skipped.csv row each kind of bad file gives (the fixtures are built here: PDFs by
hand, DOCX with python-docx, XLSX with openpyxl; see tests/_docs.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kgraph
from kgraph.cli import app
from kgraph.dates import DATE_NOTES
from kgraph.errors import InputError
from kgraph.ingest import read_articles

from . import _docs as D

STORY = (
    "Zalmay Khalilzad arrived in Kabul on Monday for talks with Ashraf Ghani about the peace process.\n\n"
    "He later flew to Doha to meet Taliban negotiators, officials said, before returning to Kabul.\n\n"
    "NATO officials said the talks would continue next week in Doha."
)


def read(*paths, **kw):
    skipped: list = []
    arts = list(read_articles(list(paths), skipped=skipped, **kw))
    return arts, skipped


def rows(skipped) -> list[tuple[str, str]]:
    return [(Path(s.source).name, s.reason) for s in skipped]


# -- HTML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [0, 1, 2])
def test_html_keeps_the_story_and_drops_the_page_around_it(tmp_path, layout) -> None:
    (tmp_path / "p.html").write_text(D.news_page("Envoy visits Kabul", STORY * 2, layout=layout))
    (art,), skipped = read(tmp_path / "p.html")
    assert "Zalmay Khalilzad arrived in Kabul" in art.text and "Taliban negotiators" in art.text
    for boilerplate in (
        D.COOKIE[:30],
        D.FOOTER[:30],
        D.BOILERPLATE_RELATED[0],
        "Sign up for our newsletter",
        "Great article",
        "Politics",
    ):
        assert boilerplate not in art.text
    assert (art.title, art.date, art.date_source) == ("Envoy visits Kabul", "2021-03-15", "metadata")
    assert art.url == "https://news.example.org/a/1" and art.source.endswith("p.html")
    assert art.site == "The Daily Example"
    assert skipped == []


def test_an_html_page_of_boilerplate_only_is_one_row(tmp_path) -> None:
    page = D.news_page("Nothing here", "")
    (tmp_path / "empty.html").write_text(page)
    (tmp_path / "ok.txt").write_text("Joe Biden spoke.")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["ok"]
    assert rows(skipped) == [("empty.html", "no main text")]


def test_reading_never_touches_the_network(tmp_path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to connect")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = D.news_page("Envoy", STORY).replace(
        "<head>", '<head><base href="https://evil.example/"><link rel="alternate" href="https://evil.example/feed">'
    )
    (tmp_path / "p.html").write_text(page)
    (tmp_path / "https:").mkdir()  # a feed must not be taken for a URL or a file name either
    (tmp_path / "f.rss").write_text(
        D.rss(
            [
                {
                    "title": "T",
                    "link": "https://evil.example/1",
                    "date": "Mon, 15 Mar 2021 10:00:00 GMT",
                    "summary": "Kabul.",
                }
            ]
        )
    )
    arts, skipped = read(tmp_path)
    assert {a.id for a in arts} == {"p", "f:1"}


# -- PDF -----------------------------------------------------------------------------------


def test_pdf_pages_are_articles_with_the_document_title_and_date(tmp_path) -> None:
    D.write_pdf(
        tmp_path / "r.pdf",
        ["Ashraf Ghani spoke in Kabul.\nCafé talks went on.", "", "NATO met in Doha."],
        title="Quarterly report",
        created="20210315120000+01'00'",
    )
    arts, skipped = read(tmp_path)
    assert [(a.id, a.source.rsplit("/", 1)[-1]) for a in arts] == [("r:p1", "r.pdf:page 1"), ("r:p3", "r.pdf:page 3")]
    assert arts[0].text.split("\n")[:2] == ["Ashraf Ghani spoke in Kabul.", "Café talks went on."]
    assert {(a.title, a.date, a.date_source) for a in arts} == {("Quarterly report", "2021-03-15", "metadata")}
    assert skipped == []


@pytest.mark.parametrize(
    ("make", "reason", "detail"),
    [
        (lambda p: D.write_pdf(p, ["", ""]), "no text layer", "no text layer (scanned?)"),
        (lambda p: D.write_pdf(p, ["Secret talks in Kabul."], encrypted=True), "encrypted", "password"),
        (lambda p: D.truncate(D.write_pdf(p, ["Ashraf Ghani spoke."] * 3), 0.3), "corrupt", "PDFium"),
        (lambda p: p.write_bytes(b"<html>not a pdf</html>"), "corrupt", "not a PDF"),
    ],
    ids=["scanned", "encrypted", "truncated", "not-a-pdf"],
)
def test_bad_pdfs_are_one_row_each_and_the_good_files_are_read(tmp_path, make, reason, detail) -> None:
    make(tmp_path / "bad.pdf")
    D.write_pdf(tmp_path / "good.pdf", ["Joe Biden spoke."])
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["good"]
    assert rows(skipped) == [("bad.pdf", reason)] and detail in skipped[0].detail


def test_a_200_mb_pdf_is_read_in_bounded_memory(tmp_path) -> None:
    """PDFium reads the file through its handle: a 200 MB PDF (an image the text never needs)
    costs the reading process about what a 2 KB one does."""
    D.write_pdf(tmp_path / "big.pdf", ["Ashraf Ghani spoke in Kabul."], padding=200 * 2**20)
    D.write_pdf(tmp_path / "small.pdf", ["Ashraf Ghani spoke in Kabul."])
    assert (tmp_path / "big.pdf").stat().st_size > 200 * 2**20
    probe = (
        "import json, resource, sys; from kgraph.ingest import read_articles; "
        "arts = list(read_articles([sys.argv[1]])); "
        "print(json.dumps([[a.text for a in arts], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))"
    )
    peaks = {}
    for name in ("small.pdf", "big.pdf"):
        out = subprocess.run(
            [sys.executable, "-c", probe, str(tmp_path / name)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        texts, peaks[name] = json.loads(out.stdout)
        assert texts == ["Ashraf Ghani spoke in Kabul."]
    assert peaks["big.pdf"] - peaks["small.pdf"] < 30 * 1024  # KB: not the 200 MB


# -- DOCX and XLSX ---------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_core_properties(tmp_path) -> None:
    D.write_docx(
        tmp_path / "memo.docx",
        ["Zalmay Khalilzad met the Taliban in Doha.", "", "Talks went on."],
        table=[["Name", "Role"], ["Ned Price", "spokesman"]],
        title="Memo",
        created="2021-04-01T10:00:00",
    )
    (art,), skipped = read(tmp_path)
    assert art.text == "Zalmay Khalilzad met the Taliban in Doha.\n\nTalks went on.\n\nName\tRole\nNed Price\tspokesman"
    assert (art.id, art.title, art.date, art.date_source) == ("memo", "Memo", "2021-04-01", "metadata")
    assert skipped == []


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_office_zip_bombs_are_refused_before_unpacking(tmp_path, suffix) -> None:
    inner = "word/document.xml" if suffix == ".docx" else "xl/worksheets/sheet1.xml"
    D.write_zip_bomb(tmp_path / f"bomb{suffix}", inner)  # 300 MB of zeros in 0.3 MB
    assert (tmp_path / f"bomb{suffix}").stat().st_size < 2**20
    (tmp_path / "ok.txt").write_text("Joe Biden spoke.")
    started = time.perf_counter()
    arts, skipped = read(tmp_path)
    assert time.perf_counter() - started < 5
    assert [a.id for a in arts] == ["ok"]
    assert rows(skipped) == [(f"bomb{suffix}", "zip bomb")] and "300 MB" in skipped[0].detail


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_truncated_office_files_are_corrupt(tmp_path, suffix) -> None:
    if suffix == ".docx":
        D.write_docx(tmp_path / f"cut{suffix}", ["Ashraf Ghani spoke in Kabul."] * 50)
    else:
        D.write_xlsx(tmp_path / f"cut{suffix}", [["text"], *[["Ashraf Ghani spoke in Kabul."]] * 50])
    D.truncate(tmp_path / f"cut{suffix}", 0.6)
    (tmp_path / "not.docx").write_text("plain text with a docx name")
    arts, skipped = read(tmp_path)
    assert arts == []
    assert sorted(rows(skipped)) == [(f"cut{suffix}", "corrupt"), ("not.docx", "corrupt")]


def test_xlsx_rows_with_guessed_columns_and_several_sheets(tmp_path) -> None:
    import datetime as dt

    D.write_xlsx(
        tmp_path / "book.xlsx",
        [
            ["ID", "Headline", "Body", "Published", "Link"],
            ["x1", "Talks", "Joe Biden spoke in Kabul.", dt.datetime(2021, 3, 1), "https://x.org/1"],
            ["x2", "Empty", None, None, None],
        ],
        sheets={"Notes": [["remark"], ["not an article"]], "More": [["text"], ["NATO met in Doha."]]},
    )
    arts, skipped = read(tmp_path)
    assert [(a.id, a.source.rsplit("/", 1)[-1], a.title, a.date, a.url) for a in arts] == [
        ("x1", "book.xlsx:Articles:row 2", "Talks", "2021-03-01", "https://x.org/1"),
        ("book:More:2", "book.xlsx:More:row 2", None, None, None),
    ]
    assert arts[0].date_source == "field"
    assert [(s.reason, s.detail) for s in skipped] == [
        ("no text", "1 row(s) in sheet 'Articles' with an empty text column not used"),
        ("no text column", "no text column in sheet 'Notes' among the headers ('remark'); pass --text-column NAME"),
    ]


# -- CSV and TSV ---------------------------------------------------------------------------


def test_csv_rows_are_articles_with_guessed_columns(tmp_path) -> None:
    (tmp_path / "a.csv").write_text(
        "article_id,headline,content,pubdate,url\n"
        'n1,Talks,"Ashraf Ghani spoke in Kabul.\nA second line.",15 March 2021,https://x.org/1\n'
        ",No id,NATO met.,,\n"
    )
    arts, skipped = read(tmp_path)
    assert [(a.id, a.source.rsplit("/", 1)[-1], a.title, a.date, a.date_source, a.url) for a in arts] == [
        ("n1", "a.csv:row 2", "Talks", "15 March 2021", "field", "https://x.org/1"),
        ("a:3", "a.csv:row 3", "No id", None, None, None),
    ]
    assert arts[0].text == "Ashraf Ghani spoke in Kabul.\nA second line."
    assert skipped == []


def test_named_columns_tsv_semicolons_and_cp1252(tmp_path) -> None:
    (tmp_path / "a.tsv").write_text("story\tnotes\nJoe Biden spoke.\tx\n")
    (tmp_path / "b.csv").write_bytes("story;note\nCafé in Doha.;y\n".encode("cp1252"))
    arts, skipped = read(tmp_path, columns={"text": "story"})
    assert [a.text for a in arts] == ["Joe Biden spoke.", "Café in Doha."]
    assert skipped == []


def test_a_csv_with_a_broken_quote_keeps_the_rows_before_it(tmp_path) -> None:
    (tmp_path / "a.csv").write_text('id,text\n1,Joe Biden spoke.\n2,"Unclosed quote\n3,NATO met.\n')
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["1"]
    assert rows(skipped) == [("a.csv", "invalid CSV")]
    assert skipped[0].detail.startswith("row 3: unexpected end of data")


def test_a_csv_without_a_text_column_lists_its_headers(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("name,age\nJoe,78\n")
    (tmp_path / "ok.txt").write_text("Joe Biden spoke.")
    arts, skipped = read(tmp_path)
    assert [a.id for a in arts] == ["ok"]
    assert [(s.reason, s.detail) for s in skipped] == [
        ("no text column", "no text column among the headers ('name', 'age'); pass --text-column NAME")
    ]


def test_a_named_column_that_is_missing_is_a_one_line_error(tmp_path, blank_model_dir) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("id,headline,body\n1,T,Joe Biden spoke in Kabul.\n")
    res = CliRunner().invoke(
        app,
        [
            "build",
            str(tmp_path / "in"),
            "-o",
            str(tmp_path / "out"),
            "--model",
            str(blank_model_dir),
            "--text-column",
            "story",
        ],
    )
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"error: no column 'story' (--text-column) in '{tmp_path / 'in' / 'a.csv'}'; "
        "its headers are: 'id', 'headline', 'body'"
    ]
    (tmp_path / "n.csv").write_text("name,age\nJoe,78\n")  # no column named, none guessed: the same line
    with pytest.raises(InputError, match=r"n.csv: no text column among the headers \('name', 'age'\)"):
        kgraph.build([tmp_path / "n.csv"], model=str(blank_model_dir), jobs=1)


def test_build_with_named_columns(tmp_path, blank_model_dir) -> None:
    (tmp_path / "a.csv").write_text("key,story,head\nk1,Joe Biden spoke in Kabul.,Kabul talks\n")
    kg = kgraph.build(
        [tmp_path], model=str(blank_model_dir), jobs=1, text_column="story", id_column="key", title_column="head"
    )
    assert kg.find("Biden").article_ids == ("k1",)
    assert kg.graph.graph["articles"]["k1"]["title"] == "Kabul talks"


# -- feeds ---------------------------------------------------------------------------------


def test_rss_entries_are_articles_and_summaries_are_noted(tmp_path) -> None:
    (tmp_path / "f.rss").write_text(
        D.rss(
            [
                {
                    "title": "T1",
                    "link": "https://x.org/1",
                    "date": "Mon, 15 Mar 2021 10:00:00 GMT",
                    "content": "<p>Ashraf Ghani spoke.</p><p>In Kabul.</p>",
                },
                {"title": "T2", "link": "https://x.org/2", "date": "sometime in spring", "summary": "NATO met."},
            ]
        )
    )
    arts, skipped = read(tmp_path)
    assert [(a.id, a.source.rsplit("/", 1)[-1], a.title, a.url, a.date, a.date_source) for a in arts] == [
        ("f:1", "f.rss:entry 1", "T1", "https://x.org/1", "2021-03-15", "metadata"),
        ("f:2", "f.rss:entry 2", "T2", "https://x.org/2", "sometime in spring", "field"),
    ]
    assert arts[0].text == "Ashraf Ghani spoke.\nIn Kabul."
    assert [(s.reason, s.detail) for s in skipped] == [
        ("summary only", "1 of 2 entries have only a summary, not the article's full text; kept")
    ]


def test_atom_xml_and_bad_feeds(tmp_path) -> None:
    (tmp_path / "a.xml").write_text(
        D.rss(
            [{"title": "A", "link": "https://x.org/a", "date": "2021-03-15T10:00:00Z", "content": "Joe Biden spoke."}],
            atom=True,
        )
    )
    (tmp_path / "broken.rss").write_text("<rss><channel><item><title>unclosed")
    (tmp_path / "config.xml").write_text("<?xml version='1.0'?><settings><a>1</a></settings>")
    (tmp_path / "encoding.rss").write_bytes(b'<?xml version="1.0" encoding="utf-\xff"?><rss><channel></channel></rss>')
    arts, skipped = read(tmp_path)
    assert [(a.id, a.text, a.date) for a in arts] == [("a:1", "Joe Biden spoke.", "2021-03-15")]
    assert rows(skipped) == [
        ("broken.rss", "invalid feed"),
        ("config.xml", "unsupported type"),
        ("encoding.rss", "invalid feed"),
    ]


# -- GDELT ---------------------------------------------------------------------------------


def _gkg(path: Path) -> Path:
    path.write_text(
        D.gkg_record(
            "20210315120000-1",
            "https://x.org/g1",
            persons=[("Ashraf Ghani", 10), ("Zalmay Khalilzad", 50)],
            orgs=[("united nations", 90)],
            places=[(4, "Kabul, Kabul, Afghanistan", 30)],
            title="Ghani & UN",
        )
        + D.gkg_record(
            "20210316120000-T2",
            "https://x.org/g2",
            persons=[("Zalmay Khalilzad", 5)],
            places=[(1, "Afghanistan", 70)],
            date="20210316120000",
        )
        + "a line that is not a record\n"
    )
    return path


def test_gdelt_records_carry_their_names(tmp_path) -> None:
    arts, skipped = read(_gkg(tmp_path / "20210315.gkg.csv"))
    assert [(a.id, a.text, a.title, a.date, a.url) for a in arts] == [
        ("20210315120000-1", "", "Ghani & UN", "2021-03-15", "https://x.org/g1"),
        ("20210316120000-T2", "", None, "2021-03-16", "https://x.org/g2"),
    ]
    assert [(g.label, g.name, g.offset) for g in arts[0].given] == [
        ("PERSON", "Ashraf Ghani", 10),
        ("PERSON", "Zalmay Khalilzad", 50),
        ("ORG", "United Nations", 90),
        ("GPE", "Kabul", 30),
    ]
    assert [(s.reason, s.line) for s in skipped] == [("invalid GKG", 3)]


def test_a_gdelt_extract_builds_a_graph_without_ner(tmp_path, blank_model_dir, monkeypatch) -> None:
    import kgraph.pipeline

    def no_ner(*args, **kwargs):
        raise AssertionError("NER ran on a GDELT record")

    monkeypatch.setattr(kgraph.pipeline, "extract", no_ner)
    _gkg(tmp_path / "export.csv")  # a .csv named by its content
    kg = kgraph.build([tmp_path], model=str(blank_model_dir), jobs=1)
    assert kg.find("Khalilzad").article_ids == ("20210315120000-1", "20210316120000-T2")
    ev = kg.evidence("Ashraf Ghani", "Kabul")
    assert [(a.id, a.url) for a in ev.articles] == [("20210315120000-1", "https://x.org/g1")]


# -- Markdown --------------------------------------------------------------------------------


def test_markdown_syntax_is_blanked_and_words_keep_their_offsets(tmp_path) -> None:
    text = (
        "# Talks in *Doha*\n\nAshraf **Ghani** met [Zalmay Khalilzad](https://x.org/zk) ![photo](a.jpg).\n\n"
        "```\ncode stays\n```\n> quoted `NATO` line\n- a bullet\n"
    )
    (tmp_path / "a.md").write_text(text)
    (art,), _ = read(tmp_path)
    assert len(art.text) == len(text) and art.title == "Talks in Doha"
    for word in ("Ashraf", "Ghani", "Zalmay Khalilzad", "code stays", "NATO", "bullet"):
        assert art.text.index(word) == text.index(word)
    assert not any(mark in art.text for mark in ("#", "*", "](", "https", "![", "```", ">", "`", "- a"))
    assert art.text.startswith(" Talks in  Doha. \n")  # a heading ends as a sentence


@pytest.mark.model
def test_a_markdown_heading_no_longer_hides_the_name_below_it(tmp_path) -> None:
    (tmp_path / "a.md").write_text("# Talks\n\nAshraf Ghani spoke in Kabul with NATO officials.")
    kg = kgraph.build([tmp_path], jobs=1)
    assert kg.find("Ashraf Ghani").type == "person"
    assert list(kg.evidence("Ashraf Ghani", "Kabul").articles[0].sentences) == [
        "Ashraf Ghani spoke in Kabul with NATO officials."
    ]


# -- a mixed folder ----------------------------------------------------------------------------


def test_a_mixed_folder_builds_with_one_row_per_bad_file(tmp_path, blank_model_dir) -> None:
    """Every format, every kind of bad file among them: the build ends, each bad file is one
    row of skipped.csv with its reason, and each good file is an article of the graph."""
    src = tmp_path / "in"
    src.mkdir()
    ids = set()
    for i, fmt in enumerate(D.MIXED_FORMATS):
        _, art_id = D.write_good(src, i, fmt, f"Story {i}", f"Joe Biden spoke in Kabul.\n\nNATO met in Doha ({fmt}).")
        ids.add(art_id)
    for j, kind in enumerate(D.BAD_KINDS):
        D.write_bad(src, f"{100 + j}-{kind}")
    kg = kgraph.build([src], model=str(blank_model_dir), jobs=1)
    assert set(kg.graph.graph["articles"]) == ids
    skipped = [s for s in kg.skipped if s.reason not in DATE_NOTES]  # undated articles are used, and noted
    assert sorted((Path(s.source.split(":")[0]).name, s.reason) for s in skipped) == sorted(
        (f"{100 + j}-{kind}", reason) for j, (kind, reason) in enumerate(D.BAD_KINDS.items())
    )
    assert set(kg.find("Kabul").article_ids) == ids  # GDELT's record names Kabul too
    out = kg.save(tmp_path / "out")
    rows = (tmp_path / "out" / "skipped.csv").read_text().splitlines()[1:]
    assert sum(",undated," not in r for r in rows) == len(D.BAD_KINDS)
    assert out


def test_a_table_with_only_its_header_is_empty(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("id,text\n")
    D.write_xlsx(tmp_path / "b.xlsx", [["text"]])
    arts, skipped = read(tmp_path)
    assert arts == []
    assert [(Path(s.source).name, s.reason, s.detail) for s in skipped] == [
        ("a.csv", "empty", "a header row and no rows"),
        ("b.xlsx", "empty", "a header row and no rows"),
    ]
