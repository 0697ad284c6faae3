"""RSS and Atom feeds saved on disk (.rss, .atom, .xml holding a feed): one article per entry,
with its title, link and published date, by feedparser.

Nothing is fetched: feedparser is given the file's bytes as a stream (given a string, it
would take it for a URL or a file name). An entry's text is its full content when the feed
carries it, else its summary; a feed whose entries have only summaries gets one
"summary only" note. A feed that does not parse and yields no entry is "invalid feed".
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..records import Article
from ._read import ReadContext, Unusable, read_bounded
from ._text import make_article, one_line

_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre")


def read_feed(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """The entries of a feed with text, each an article (id ``base:N``, source ``path:entry N``)."""
    import feedparser

    data = read_bounded(fh)
    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    except (ValueError, LookupError) as e:  # an encoding name of undecodable bytes in the XML declaration
        raise Unusable("invalid feed", f"not a readable RSS or Atom feed ({type(e).__name__})") from None
    entries = [e for e in parsed.get("entries") or [] if e]  # a feed cut short can give an empty entry
    if not entries:
        if parsed.get("bozo"):
            problem = " ".join(str(parsed.get("bozo_exception", "")).split())[:160]
            raise Unusable("invalid feed", f"not a readable RSS or Atom feed ({problem or 'no entries'})")
        raise Unusable("empty", "the feed has no entries")
    summary_only = 0
    kept = 0
    for n, entry in enumerate(entries, 1):
        html, full = _body(entry)
        text = _html_text(html)
        if not text.strip():
            text = one_line(entry.get("title")) or ""
            if not text:
                ctx.note("no text", f"entry {n} has no title, content or summary", n)
                continue
        summary_only += not full
        kept += 1
        date, source = _date(entry)
        yield make_article(
            ctx,
            text,
            id=f"{ctx.base_id}:{n}",
            where=f"entry {n}",
            line=n,
            title=one_line(entry.get("title")),
            date=date,
            date_source=source,
            url=_web_url(entry.get("link")),
        )
    if summary_only:
        ctx.note(
            "summary only",
            f"{summary_only} of {kept} entries have only a summary, not the article's full text; kept",
        )


def _body(entry: Any) -> tuple[str, bool]:
    """(HTML of the entry's text, whether it is the full content rather than a summary)."""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if isinstance(value, str) and value.strip():
            return value, True
    summary = entry.get("summary")
    return (summary if isinstance(summary, str) else ""), False


def _html_text(html: str) -> str:
    """The text of an HTML fragment, a line break after each block element."""
    if "<" not in html:
        return html
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return html
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines()).strip()


def _date(entry: Any) -> tuple[str | None, str | None]:
    """The entry's published (else updated) date: ISO when feedparser parsed it, else as written."""
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            return time.strftime("%Y-%m-%d", parsed), "metadata"
        raw = one_line(entry.get(key))
        if raw:
            return raw, "field"
    return None, None


def _web_url(url: object) -> str | None:
    text = one_line(url)
    return text if text and text.lower().startswith(("http://", "https://")) else None
