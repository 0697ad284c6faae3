"""Saved web pages (.html, .htm): the main text without menus, ads, related links and
comments, with the page's title, date, canonical URL and site name, by trafilatura.

Nothing is fetched: trafilatura and htmldate only read the bytes given (no URL is passed in).
A page whose main text cannot be told from its boilerplate is one "no main text" row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO

from ..records import Article
from ._read import ReadContext, Unusable, read_bounded
from ._text import make_article, one_line

if TYPE_CHECKING:
    from configparser import ConfigParser

#: The largest page read (a saved news page is well under 5 MB; parsing takes ~10x its size).
MAX_HTML_BYTES = 20 * 1024 * 1024
#: Page widgets that are never the article, removed before extraction: cookie and consent
#: banners and newsletter sign-up boxes (trafilatura's own rules miss them on a page that
#: has no article, and then return them as its text).
_WIDGETS = [
    "//*[contains(@id, 'cookie') or contains(@class, 'cookie') or contains(@class, 'consent')"
    " or contains(@id, 'consent') or contains(@class, 'newsletter') or contains(@id, 'newsletter')]"
]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def read_html(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """One article: the page's main text and its metadata."""
    data = read_bounded(fh, MAX_HTML_BYTES)
    if not data.strip():
        raise Unusable("empty", "0 bytes" if not data else "only white space")
    doc = _extract(data)
    text = _main_text(doc.text or "") if doc is not None else ""
    title = one_line(doc.title) if doc is not None else None
    if not any(line.strip() and line.strip() != title for line in text.splitlines()):
        raise Unusable("no main text", "no article text found in the page (only navigation or boilerplate?)")
    date = one_line(doc.date)
    if date and not _ISO_DATE.match(date):
        date = None
    yield make_article(
        ctx,
        text,
        title=title,
        date=date[:10] if date else None,
        date_source="metadata" if date else None,
        url=_web_url(doc.url),
        site=one_line(doc.sitename) or None,
    )


def _extract(data: bytes) -> Any:
    """trafilatura's Document of the page (text and metadata), or None when it finds no text."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            favor_precision=True,
            fast=True,
            include_tables=True,
            prune_xpath=_WIDGETS,
            include_images=False,
            include_links=False,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=_config(),
        )
    except (ValueError, TypeError, LookupError) as e:  # bytes lxml cannot make a tree of
        raise Unusable("corrupt", f"not a readable HTML page ({type(e).__name__})") from None


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal.alarm: readers run in any thread
    return config


def _main_text(text: str) -> str:
    """trafilatura's text without the cell bars of the tables it kept ('| a | b |'): a page
    laid out in a table gives its story as a table cell."""
    lines = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            line = " ".join(line.replace("|", " ").split())
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def _web_url(url: object) -> str | None:
    """The page's own (canonical) URL, when it is a web address."""
    text = one_line(url)
    return text if text and text.lower().startswith(("http://", "https://")) else None
