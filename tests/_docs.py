"""Build the documents the reader tests read: PDFs written by hand (a few objects and an
xref table), DOCX with python-docx, XLSX with openpyxl, saved news pages, feeds, GDELT GKG
records, and the broken variants of each (truncated, encrypted, zip bombs)."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path


def _pdf_string(text: str) -> str:
    out = []
    for byte in text.encode("cp1252", errors="replace"):
        ch = chr(byte)
        out.append(f"\\{byte:03o}" if byte > 126 or ch in "()\\" else ch)
    return "(" + "".join(out) + ")"


def write_pdf(
    path: Path,
    pages: list[str],
    *,
    title: str | None = None,
    created: str | None = None,
    encrypted: bool = False,
    padding: int = 0,
) -> Path:
    """A PDF with one page per item of `pages` (lines of Helvetica text; '' gives a page with no
    text), an info dictionary, optionally an /Encrypt dictionary no empty password opens, and
    `padding` bytes of an image stream the pages hold but text extraction never reads."""
    n = len(pages)
    font = 3
    first_page = 4
    info = first_page + 2 * n
    image = info + 1
    encrypt = image + 1
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n))
    resources = (
        f"<< /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >>"
        if padding
        else f"<< /Font << /F1 {font} 0 R >> >>"
    )
    objects: dict[int, bytes | tuple[bytes, int]] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        font: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for i, text in enumerate(pages):
        ops = []
        y = 760
        for line in text.split("\n"):
            if line:
                ops.append(f"BT /F1 11 Tf 56 {y} Td {_pdf_string(line)} Tj ET")
            y -= 14
        stream = "\n".join(ops).encode("latin-1")
        objects[first_page + 2 * i] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources {resources} "
            f"/Contents {first_page + 2 * i + 1} 0 R >>"
        ).encode()
        objects[first_page + 2 * i + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    meta = []
    if title:
        meta.append(f"/Title {_pdf_string(title)}")
    if created:
        meta.append(f"/CreationDate (D:{created})")
    objects[info] = ("<< " + " ".join(meta) + " >>").encode()
    if padding:
        objects[image] = (
            b"<< /Type /XObject /Subtype /Image /Width 1 /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
            b"/Length %d >>\nstream\n" % (padding, padding),
            padding,
        )
    trailer_extra = ""
    if encrypted:
        objects[encrypt] = (
            "<< /Filter /Standard /V 1 /R 2 /O <" + "ab" * 32 + "> /U <" + "cd" * 32 + "> /P -4 >>"
        ).encode()
        trailer_extra = f" /Encrypt {encrypt} 0 R /ID [<{'01' * 16}> <{'01' * 16}>]"
    size = max(objects) + 1
    offsets: dict[int, int] = {}
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for num in sorted(objects):
            offsets[num] = fh.tell()
            body = objects[num]
            fh.write(b"%d 0 obj\n" % num)
            if isinstance(body, tuple):  # a large stream, written in chunks
                head, length = body
                fh.write(head)
                chunk = b"\x80" * (1 << 20)
                left = length
                while left:
                    fh.write(chunk[: min(left, len(chunk))])
                    left -= min(left, len(chunk))
                fh.write(b"\nendstream")
            else:
                fh.write(body)
            fh.write(b"\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for num in range(1, size):
            fh.write(b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n")
        fh.write(
            f"trailer\n<< /Size {size} /Root 1 0 R /Info {info} 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
        )
    return path


def write_docx(
    path: Path,
    paragraphs: list[str],
    *,
    table: list[list[str]] | None = None,
    title: str | None = None,
    created: str | None = None,
) -> Path:
    """A Word file of `paragraphs`, then a table of `table` rows, with core properties."""
    import datetime as dt

    import docx

    doc = docx.Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    if title is not None:
        doc.core_properties.title = title
    if created is not None:
        doc.core_properties.created = dt.datetime.fromisoformat(created)
    doc.save(path)
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, sheets: dict[str, list[list[object]]] | None = None) -> Path:
    """An Excel workbook whose first sheet holds `rows` (the first row the headers), and further `sheets`."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Articles"
    for row in rows:
        ws.append(row)
    for name, more in (sheets or {}).items():
        extra = book.create_sheet(name)
        for row in more:
            extra.append(row)
    book.save(path)
    return path


def write_zip_bomb(path: Path, inner: str = "word/document.xml", size: int = 300 << 20) -> Path:
    """A zip whose `inner` part inflates to `size` bytes of zeros (about 1 MB packed per GB)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(inner, "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(size // len(block)):
                fh.write(block)
    return path


def truncate(path: Path, keep: float = 0.5) -> Path:
    """Cut `path` to the first `keep` of its bytes, as a download cut short."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


BOILERPLATE_NAV = ["Home", "World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Opinion"]
BOILERPLATE_RELATED = [
    "Markets rally as investors weigh the latest inflation figures",
    "Ten gadgets that changed how we cook at home",
    "Weekend weather: storms expected across the north",
    "Opinion: why the city needs more cycle lanes now",
]
COOKIE = "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies."
FOOTER = "Copyright 2021 The Daily Example. All rights reserved. Terms of use. Privacy policy. Contact us. Advertise."


ADVERT = "Advertisement"
READ_MORE = "Read more: Ten things you need to know about the budget"


def news_page(
    title: str,
    text: str,
    *,
    date: str = "2021-03-15",
    url: str = "https://news.example.org/a/1",
    layout: int = 0,
) -> str:
    """A saved news page: `text` (paragraphs split at blank lines) inside navigation, a cookie
    banner, share buttons, related links, a newsletter box, comments and a footer. `layout`
    0 puts the story in an <article>; 1 in plain <div>s beside a sidebar, with an
    advertisement and a "Read more" link between its paragraphs; 2 as a blog page, in a
    table layout of old with the comments below."""
    parts = [p for p in text.split("\n\n") if p.strip()]
    paras = [f"<p>{html.escape(p)}</p>" for p in parts]
    if layout == 1 and len(paras) > 2:
        paras.insert(2, f'<div class="ad-slot"><span>{ADVERT}</span></div>')
        paras.insert(1, f'<p class="read-more"><a href="/budget">{READ_MORE}</a></p>')
    body = "\n".join(paras)
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in BOILERPLATE_NAV)
    related = "".join(f'<li><a href="/r/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(BOILERPLATE_RELATED))
    head = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | The Daily Example</title>
<link rel="canonical" href="{url}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="{date}T08:30:00Z">
<script>window.dataLayer = [];</script><style>body {{ font-family: serif; }}</style>
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>{COOKIE}</p><button>Accept all</button></div>
<header><nav class="main-nav"><ul>{nav}</ul></nav><form><input placeholder="Search"></form></header>"""
    share = '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>'
    byline = f'<div class="byline">By Staff Reporter · <time datetime="{date}">{date}</time></div>'
    aside = f'<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>'
    letter = (
        '<div class="newsletter"><h3>Sign up for our newsletter</h3>'
        "<p>Get the day's top stories in your inbox every morning.</p></div>"
    )
    comments = (
        '<section id="comments" class="comments"><h3>Comments</h3>'
        '<div class="comment"><p>Great article, thanks for sharing!</p></div>'
        '<div class="comment"><p>I disagree with the premise of this piece entirely.</p></div></section>'
    )
    foot = f"<footer><p>{FOOTER}</p></footer>"
    if layout == 1:
        main = (
            f'<div id="wrapper"><div class="col-main"><h1 class="headline">{html.escape(title)}</h1>{byline}{share}'
            f'<div class="story-text">{body}</div>{letter}</div>'
            f'<div class="sidebar"><div class="most-read"><h2>Most read</h2><ol>{related}</ol></div></div></div>'
        )
    elif layout == 2:
        main = (
            f'<table class="layout"><tr><td class="left">{aside}</td><td class="content">'
            f'<h2 class="post-title">{html.escape(title)}</h2>{byline}<div class="entry">{body}</div>'
            f"{comments}</td></tr></table>"
        )
    else:
        main = f'<main><article><h1>{html.escape(title)}</h1>{byline}{share}<div class="article-body">{body}</div></article>{aside}{letter}{comments}</main>'
    return f"{head}\n{main}\n{foot}\n</body></html>\n"


def rss(entries: list[dict[str, str]], *, atom: bool = False) -> str:
    """An RSS 2.0 (or Atom) feed of `entries` with title, link, date (RFC 822 for RSS, ISO for
    Atom) and 'content' (full text, as content:encoded) or 'summary'."""
    if atom:
        items = "".join(
            f'<entry><title>{html.escape(e["title"])}</title><link href="{e["link"]}"/><id>{e["link"]}</id>'
            f"<updated>{e['date']}</updated>"
            + (f'<content type="html">{html.escape(e["content"])}</content>' if "content" in e else "")
            + (f"<summary>{html.escape(e['summary'])}</summary>" if "summary" in e else "")
            + "</entry>"
            for e in entries
        )
        return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{items}</feed>'
    items = "".join(
        f"<item><title>{html.escape(e['title'])}</title><link>{e['link']}</link><pubDate>{e['date']}</pubDate>"
        + (f"<content:encoded><![CDATA[{e['content']}]]></content:encoded>" if "content" in e else "")
        + (f"<description>{html.escape(e['summary'])}</description>" if "summary" in e else "")
        + "</item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>F</title>'
        f"{items}</channel></rss>"
    )


def gkg_record(
    record_id: str,
    url: str,
    *,
    persons: list[tuple[str, int]] = (),  # type: ignore[assignment]
    orgs: list[tuple[str, int]] = (),  # type: ignore[assignment]
    places: list[tuple[int, str, int]] = (),  # type: ignore[assignment]
    title: str | None = None,
    date: str = "20210315120000",
) -> str:
    """One GDELT GKG 2.1 line (27 tab-separated fields) naming `persons`, `orgs` and
    `places` ((type, full name, offset)) found in the document at `url`."""
    fields = [""] * 27
    fields[0], fields[1], fields[2], fields[3], fields[4] = record_id, date, "1", "example.org", url
    fields[9] = ";".join(f"{t}#{name}#AF#AF01#34.5#69.2#-3378435" for t, name, _ in places)
    fields[10] = ";".join(f"{t}#{name}#AF#AF01##34.5#69.2#-3378435#{off}" for t, name, off in places)
    fields[11] = ";".join(n.lower() for n, _ in persons)
    fields[12] = ";".join(f"{n},{off}" for n, off in persons)
    fields[13] = ";".join(n.lower() for n, _ in orgs)
    fields[14] = ";".join(f"{n},{off}" for n, off in orgs)
    fields[15] = "-1.5,2.1,3.6,5.7,20.1,0,540"
    if title is not None:
        fields[26] = f"<PAGE_TITLE>{html.escape(title)}</PAGE_TITLE>"
    return "\t".join(fields) + "\n"


def sparse(path: Path, size: int) -> Path:
    """A file of `size` NUL bytes that takes no disk space."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


#: The formats of a mixed folder, in turn, and the bad files it holds (name -> reason).
MIXED_FORMATS = ("txt", "md", "jsonl", "html", "pdf", "docx", "rss", "csv", "tsv", "xlsx", "gkg")
BAD_KINDS = {
    "corrupt.pdf": "corrupt",
    "scanned.pdf": "no text layer",
    "locked.pdf": "encrypted",
    "cut.docx": "corrupt",
    "bomb.docx": "zip bomb",
    "cut.xlsx": "corrupt",
    "bomb.xlsx": "zip bomb",
    "boilerplate.html": "no main text",
    "broken.rss": "invalid feed",
    "quote.csv": "invalid CSV",
    "columns.csv": "no text column",
}


def write_bad(folder: Path, name: str) -> Path:
    """One bad file of BAD_KINDS, named `<i>-<kind>` by the caller."""
    kind = name.split("-", 1)[-1]
    path = folder / name
    story = "Ashraf Ghani spoke in Kabul with NATO officials."
    if kind == "corrupt.pdf":
        truncate(write_pdf(path, [story] * 4), 0.3)
    elif kind == "scanned.pdf":
        write_pdf(path, ["", ""])
    elif kind == "locked.pdf":
        write_pdf(path, [story], encrypted=True)
    elif kind == "cut.docx":
        truncate(write_docx(path, [story] * 40), 0.6)
    elif kind == "bomb.docx":
        write_zip_bomb(path, "word/document.xml")
    elif kind == "cut.xlsx":
        truncate(write_xlsx(path, [["text"], *[[story]] * 40]), 0.6)
    elif kind == "bomb.xlsx":
        write_zip_bomb(path, "xl/worksheets/sheet1.xml")
    elif kind == "boilerplate.html":
        path.write_text(news_page("Nothing here", ""), encoding="utf-8")
    elif kind == "broken.rss":
        path.write_text("<rss><channel><item><title>unclosed", encoding="utf-8")
    elif kind == "quote.csv":
        path.write_text('text\n"an unclosed quote\n', encoding="utf-8")
    elif kind == "columns.csv":
        path.write_text("name,age\nJoe,78\n", encoding="utf-8")
    return path


def write_good(folder: Path, i: int, fmt: str, title: str, text: str) -> tuple[Path, str]:
    """Article `i` saved as `fmt`; returns its path and the id kgraph gives it."""
    stem = f"{i:04d}"
    if fmt == "txt":
        (folder / f"{stem}.txt").write_text(f"{title}\n\n{text}", encoding="utf-8")
        return folder / f"{stem}.txt", stem
    if fmt == "md":
        (folder / f"{stem}.md").write_text(f"# {title}\n\n{text}", encoding="utf-8")
        return folder / f"{stem}.md", stem
    if fmt == "jsonl":
        import json

        (folder / f"{stem}.jsonl").write_text(json.dumps({"id": f"j{stem}", "title": title, "text": text}) + "\n")
        return folder / f"{stem}.jsonl", f"j{stem}"
    if fmt == "html":
        (folder / f"{stem}.html").write_text(news_page(title, text, layout=i % 3), encoding="utf-8")
        return folder / f"{stem}.html", stem
    if fmt == "pdf":
        lines = [text[k : k + 90] for k in range(0, min(len(text), 4500), 90)]
        return write_pdf(folder / f"{stem}.pdf", ["\n".join(lines)], title=title), stem
    if fmt == "docx":
        return write_docx(folder / f"{stem}.docx", text.split("\n\n"), title=title), stem
    if fmt == "rss":
        entry = {
            "title": title,
            "link": f"https://x.org/{stem}",
            "date": "Mon, 15 Mar 2021 10:00:00 GMT",
            "content": "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n")),
        }
        (folder / f"{stem}.rss").write_text(rss([entry]), encoding="utf-8")
        return folder / f"{stem}.rss", f"{stem}:1"
    if fmt in ("csv", "tsv"):
        import csv

        with open(folder / f"{stem}.{fmt}", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="," if fmt == "csv" else "\t")
            w.writerow(["id", "title", "text"])
            w.writerow([f"c{stem}", title, text])
        return folder / f"{stem}.{fmt}", f"c{stem}"
    if fmt == "xlsx":
        return write_xlsx(
            folder / f"{stem}.xlsx", [["id", "title", "text"], [f"x{stem}", title, text[:32000]]]
        ), f"x{stem}"
    if fmt == "gkg":
        line = gkg_record(
            f"20210315120000-{i}",
            f"https://x.org/{stem}",
            persons=[("Ashraf Ghani", 10)],
            places=[(4, "Kabul, Kabul, Afghanistan", 40)],
            title=title,
        )
        (folder / f"{stem}.gkg.csv").write_text(line, encoding="utf-8")
        return folder / f"{stem}.gkg.csv", f"20210315120000-{i}"
    raise ValueError(fmt)
