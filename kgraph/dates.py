"""Articles -> dated Articles: each article's date, and where it came from, or none.

A build runs this stage right after the articles are read and before extraction
(`date_articles`). In order:

1. an explicit date (``date_source`` "field" or "metadata": a JSONL ``date``, a CSV or feed
   date column, a document's own metadata) is made canonical, ``YYYY-MM-DD``
   (`canonical_date`); one that does not parse strictly leaves the article undated, with a
   "date not understood" note in skipped.csv;
2. otherwise a date line or a dateline at the top of the text (the title and the first few
   lines) gives it, ``date_source="dateline"`` (`dateline_date`): ``date 2021-07-11``,
   ``Published: 15 March 2021``, ``KABUL, March 15, 2021 (Reuters) -``, ``Tuesday, March 16,
   2021``. English month names only, numeric dates only when their order is certain;
3. otherwise the article is undated, with an "undated" note in skipped.csv.

Never a guess: a dateline without a year ("KABUL, March 15 (Reuters) -") takes its year from a
full date with the same month and day elsewhere in the article, or from the file's time
(mtime) only when that is sound: a file that holds this one article only, saved on the
dateline's day or within `MTIME_WINDOW_DAYS` after it, and a text that names no year or names
that one. A weekday alone ("WASHINGTON, Tuesday -"), "today" or "yesterday" is no date:
the file's time cannot confirm which Tuesday. A weekday next to a full date must agree with it.
A date after today (tomorrow, for time zones) is not taken: past dates are preferred.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import logging
import os
import re
from collections.abc import Iterable, Iterator

from ._regex import LazyPattern
from .records import Article, Skipped, note

log = logging.getLogger("kgraph")

#: Reasons of the skipped.csv notes this stage writes: the article is used all the same.
UNDATED = "undated"
BAD_DATE = "date not understood"
DATE_NOTES = (UNDATED, BAD_DATE)
#: The one note of many undated articles names this many of them.
UNDATED_LISTED = 5
#: Reason of the skipped.csv rows of articles left out by a time window (--since, --until).
OUTSIDE_WINDOW = "outside the time window"
#: A year-less dateline takes the year of the file's time only if the file was saved this
#: many days after the dateline's month and day, or fewer.
MTIME_WINDOW_DAYS = 7
#: Dates before this year are taken for typos, not news.
MIN_YEAR = 1800
#: How much of the top of an article is searched for a dateline (characters, lines).
TOP_CHARS, TOP_LINES = 400, 4
#: Files that hold one article each: only their time can speak for the article's.
SINGLE_ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# one calendar date in words: "March 15, 2021", "15 March 2021", "Tuesday, March 16"
_US = _WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?"
_EU = _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?(?:\s+" + _YEAR + r")?"
_ISO = r"(?P<iso>\d{4}-\d{2}-\d{2})"
_NUMERIC = r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y4>\d{4})"


def _named(pattern: str, prefix: str) -> str:
    """`pattern` with its group names prefixed, so that two can share one regular expression."""
    return pattern.replace("?P<", f"?P<{prefix}")


_WORD_DATE = LazyPattern(rf"{_named(_US, 'u_')}|{_named(_EU, 'e_')}", re.IGNORECASE)
_FULL_DATE = LazyPattern(
    rf"\b(?:{_named(_MONTH, 'u_')}\s+{_named(_DAY, 'u_')},?\s+{_named(_YEAR, 'u_')}"
    rf"|{_named(_DAY, 'e_')}\s+{_named(_MONTH, 'e_')},?\s+{_named(_YEAR, 'e_')})\b",
    re.IGNORECASE,
)
# a date line: the date alone, or after "date", "dated", "published", "posted", "updated", "filed"
_DATE_LINE = LazyPattern(
    r"(?:(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|filed)\s*:?\s*)?"
    rf"(?:{_ISO}|{_NUMERIC}|{_named(_US, 'u_')}|{_named(_EU, 'e_')})"
    r"(?=$|[\s,.;:|(\[–—-])",
    re.IGNORECASE,
)
# a dateline: "KABUL, March 15 (Reuters) -", "Washington DC [US], July 10 (ANI):", "Miami, Fla., March 17 --"
_CALENDAR_WORD = r"(?i:" + "|".join(sorted([*_MONTHS, *_WEEKDAYS], key=len, reverse=True)) + r")\b"
_PLACE_WORD = rf"(?!{_CALENDAR_WORD})(?:[A-Z][\w'’.-]*|of|de|la|el|al)"
_DATELINE = LazyPattern(
    rf"(?P<place>{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,4}}(?:\s*\[[^\]\n]{{1,30}}\])?(?:,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}}){{0,2}}),\s+"
    rf"(?i:{_named(_US, 'u_')}|{_named(_EU, 'e_')})\.?"
    r"\s*(?:\((?P<agency>[^)\n]{1,40})\)|/[A-Z][\w ]{1,30}/)?\s*(?:--|[-–—:]|$)",
    re.MULTILINE,
)
_YEARS = LazyPattern(r"\b(1[89]\d\d|20\d\d)\b")


def canonical_date(value: str) -> str | None:
    """`value` as ``YYYY-MM-DD`` if it is a date written unambiguously, else None.

    Takes ISO 8601 dates and date-times (the date as written: no time zone shift), RFC 2822
    dates (feeds, e-mail), dates in English words in either order, and numeric day/month
    dates only when the order is certain (one of the two is over 12, or both are equal).

    >>> [canonical_date(v) for v in ("2021-07-11", "2021-07-11T23:30:00-05:00", "Mon, 15 Mar 2021 10:00:00 GMT")]
    ['2021-07-11', '2021-07-11', '2021-03-15']
    >>> [canonical_date(v) for v in ("15 March 2021", "March 15th, 2021", "15/03/2021", "03/15/2021")]
    ['2021-03-15', '2021-03-15', '2021-03-15', '2021-03-15']
    >>> [canonical_date(v) for v in ("03/04/2021", "2021-02-30", "March 2021", "soon", "20210315")]
    [None, None, None, None, None]
    """
    text = " ".join(str(value).split())
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?", text)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", text)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(_NUMERIC, text)
    if m:
        return _numeric(m)
    if re.match(r"[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        return _iso(parsed.year, parsed.month, parsed.day)
    m = _WORD_DATE.fullmatch(text.rstrip("."))
    if m is None:
        return None
    p = "u_" if m["u_month"] else "e_"
    return _checked_weekday(m, int(m[p + "year"]), p) if m[p + "year"] else None


def _iso(year: int, month: int, day: int) -> str | None:
    if year < MIN_YEAR:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(m: re.Match[str]) -> str | None:
    a, b, year = int(m["a"]), int(m["b"]), int(m["y4"])
    if a == b or (a > 12 and b <= 12):  # 15/03/2021: day first
        return _iso(year, b, a)
    if b > 12 and a <= 12:  # 03/15/2021: month first
        return _iso(year, a, b)
    return None  # 03/04/2021: March 4 or 3 April


def _checked_weekday(m: re.Match[str], year: int, prefix: str = "") -> str | None:
    """The date of a word match (groups named with `prefix`) in `year`, if its weekday (when
    given) agrees."""
    month = _MONTHS[m[prefix + "month"].lower()]
    iso = _iso(year, month, int(m[prefix + "day"]))
    weekday = m[prefix + "weekday"]
    if iso and weekday and _dt.date.fromisoformat(iso).weekday() != _WEEKDAYS[weekday.lower()]:
        return None
    return iso


def dateline_date(text: str, *, title: str | None = None, mtime: _dt.date | None = None) -> str | None:
    """The date of a date line or a dateline at the top of an article (its title, then the
    first `TOP_LINES` lines of `text`), as ``YYYY-MM-DD``, or None (see the module docstring).

    `mtime` is the day the article's file was saved, when that can speak for the article
    (one article per file); a year-less dateline needs it, or a full date of the same month
    and day in the text.

    >>> dateline_date("KABUL, March 15, 2021 (Reuters) - The Taliban said ...")
    '2021-03-15'
    >>> dateline_date("Body.", title="date 2021-07-11 Washington DC [US], July 10 (ANI): ...")
    '2021-07-11'
    >>> dateline_date("KABUL, March 15 (Reuters) - ...", mtime=_dt.date(2021, 3, 16))
    '2021-03-15'
    >>> dateline_date("KABUL, March 15 (Reuters) - ...") is None  # which year? no guess
    True
    """
    top = _top(text, title)
    limit = _dt.date.today() + _dt.timedelta(days=1)  # a day ahead somewhere on Earth
    for line in top:
        found = _date_line(line, limit)
        if found is not None:
            return found or None
        found = _dateline(line, text, mtime, limit)
        if found is not None:
            return found or None
    return None


def _top(text: str, title: str | None) -> list[str]:
    lines = [x.strip() for x in (title or "").splitlines() if x.strip()]
    for x in text[:TOP_CHARS].splitlines():
        if x.strip():
            lines.append(x.strip())
        if len(lines) >= TOP_LINES + (1 if title else 0):
            break
    return lines


def _date_line(line: str, limit: _dt.date) -> str | None:
    """A line that starts with a date (after a word such as "date" or "Published"): its date,
    "" for a date line that is no date (refused), None if the line is no date line."""
    m = _DATE_LINE.match(line)
    if m is None:
        return None
    if m["iso"]:
        iso = canonical_date(m["iso"])
    elif m["a"]:
        iso = _numeric(m)
    elif m["u_month"] and m["u_year"]:
        iso = _checked_weekday(m, int(m["u_year"]), "u_")
    elif m["e_month"] and m["e_year"]:
        iso = _checked_weekday(m, int(m["e_year"]), "e_")
    else:
        return None  # a year-less date at the start of a line: a dateline without a place, no guess
    if iso is None or _dt.date.fromisoformat(iso) > limit:
        return ""
    return iso


def _dateline(line: str, text: str, mtime: _dt.date | None, limit: _dt.date) -> str | None:
    """The date of a place-and-date dateline at the start of `line`: as `_date_line`."""
    m = _DATELINE.match(line)
    if m is None:
        return None
    p = "u_" if m["u_month"] else "e_"
    year = m[p + "year"]
    if year:
        iso = _checked_weekday(m, int(year), p)
        return iso if iso and _dt.date.fromisoformat(iso) <= limit else ""
    month, day = _MONTHS[m[p + "month"].lower()], int(m[p + "day"])
    years = _years_of(text, month, day)
    if len(years) == 1:
        iso = _checked_weekday(m, years.pop(), p)
        return iso if iso and _dt.date.fromisoformat(iso) <= limit else ""
    if mtime is None or years:
        return ""
    return _from_mtime(m, p, month, day, mtime, text) or ""


def _years_of(text: str, month: int, day: int) -> set[int]:
    """The years of the full dates in `text` that fall on `month` and `day`."""
    found = set()
    for f in _FULL_DATE.finditer(text):
        p = "u_" if f["u_month"] else "e_"
        if _MONTHS[f[p + "month"].lower()] == month and int(f[p + "day"]) == day:
            found.add(int(f[p + "year"]))
    return found


def _from_mtime(m: re.Match[str], p: str, month: int, day: int, mtime: _dt.date, text: str) -> str | None:
    """The year-less date in the year that puts it on or shortly before the file's day."""
    for year in (mtime.year, mtime.year - 1):
        iso = _iso(year, month, day)
        if iso is None:
            continue
        date = _dt.date.fromisoformat(iso)
        if 0 <= (mtime - date).days <= MTIME_WINDOW_DAYS:
            mentioned = {int(y) for y in _YEARS.findall(text)}
            if mentioned and year not in mentioned:
                return None  # the text speaks of other years only: the file's year is not confirmed
            return _checked_weekday(m, year, p)
    return None


def file_day(source: str) -> _dt.date | None:
    """The day (UTC) the file `source` was last written, if it holds one article only and
    can be found; else None.

    The suffix is read with `os.path`, not `pathlib`: a Path interns each part of its path,
    and an article's source ("news.jsonl:7") is its own last part, so every article's source
    stayed in Python's table of interned strings (64 bytes an article)."""
    if os.path.splitext(os.path.basename(source))[1].lower() not in SINGLE_ARTICLE_SUFFIXES:
        return None
    try:
        stamp = os.stat(source).st_mtime
    except (OSError, ValueError):
        return None
    return _dt.datetime.fromtimestamp(stamp, _dt.timezone.utc).date()


def date_article(article: Article, notes: list[Skipped]) -> Article:
    """`article` with its canonical date and its source, or undated (with a note in `notes`)."""
    if article.date is not None:
        iso = canonical_date(article.date)
        if iso is not None:
            return article if iso == article.date else article.model_copy(update={"date": iso})
        notes.append(
            Skipped(
                source=article.source or article.id,
                reason=BAD_DATE,
                detail=f"{article.date_source or 'given'} date {article.date[:60]!r} is not a date kgraph reads "
                "(use YYYY-MM-DD); article kept undated",
            )
        )
        article = article.model_copy(update={"date": None, "date_source": None})
    found = dateline_date(article.text, title=article.title, mtime=file_day(article.source))
    if found is not None:
        return article.model_copy(update={"date": found, "date_source": "dateline"})
    notes.append(
        note(
            source=article.source or article.id,
            reason=UNDATED,
            detail=f"article '{article.id}': no date field, metadata or dateline; kept, outside every time window",
        )
    )
    return article


def date_articles(
    articles: Iterable[Article],
    notes: list[Skipped],
    *,
    since: str | None = None,
    until: str | None = None,
) -> Iterator[Article]:
    """Each article dated (`date_article`), in order; with `since` and/or `until` (ISO dates,
    both included) only the articles dated within them.

    The undated articles get one note between them, added to `notes` once the articles are
    read (`undated_note`): a note each was a million rows of skipped.csv, and kept in memory
    all along, for a million undated articles; the graph's ``articles`` tell which they are."""
    first: Skipped | None = None  # the note of the first undated article
    named: list[str] = []  # the ids of the first few
    count = 0
    for article in articles:
        own: list[Skipped] = []
        dated = date_article(article, own)
        if in_window(dated.date, since, until):
            notes.extend(n for n in own if n.reason != UNDATED)
            if dated.date is None:
                first = first or next(n for n in own if n.reason == UNDATED)
                count += 1
                if len(named) < UNDATED_LISTED:
                    named.append(dated.id)
            yield dated
            continue
        notes.extend(s for s in own if s.reason != UNDATED)
        notes.append(
            note(
                source=article.source or article.id,
                reason=OUTSIDE_WINDOW,
                detail=f"article '{article.id}': " + (f"dated {dated.date}" if dated.date else "undated"),
            )
        )
    if first is not None:
        notes.append(first if count == 1 else undated_note(named, count))


def undated_note(named: list[str], count: int) -> Skipped:
    """The one note of `count` undated articles (more than one), the first of which are `named`.

    >>> undated_note(["a1", "a2"], 2500).detail
    "2,500 articles have no date field, metadata or dateline ('a1', 'a2' and 2,498 more); kept, outside every time window"
    """
    names = ", ".join(f"'{i}'" for i in named)
    more = f" and {count - len(named):,} more" if count > len(named) else ""
    return note(
        source="",
        reason=UNDATED,
        detail=f"{count:,} articles have no date field, metadata or dateline ({names}{more}); "
        "kept, outside every time window",
    )


def in_window(date: str | None, since: str | None, until: str | None) -> bool:
    """True if `date` is within [since, until] (either may be None: open); an undated article
    is within the open window only.

    >>> in_window("2021-03-15", "2021-03-01", None), in_window(None, None, "2021-01-01"), in_window(None, None, None)
    (True, False, True)
    """
    if since is None and until is None:
        return True
    if date is None:
        return False
    return (since is None or date >= since) and (until is None or date <= until)
