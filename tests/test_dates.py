"""kgraph.dates: which date an article gets, and where from; never a guess."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pytest

from kgraph.dates import (
    BAD_DATE,
    UNDATED,
    canonical_date,
    date_article,
    date_articles,
    dateline_date,
    file_day,
)
from kgraph.records import Article, Skipped

D = dt.date

# (top of an article, the file's day or None, expected date or None). Real shapes of datelines.
DATELINES = [
    # agency datelines with a year
    ("KABUL, March 15, 2021 (Reuters) - The Taliban said on Monday ...", None, "2021-03-15"),
    ("WASHINGTON, Sept. 9, 2021 (AP) — The State Department said ...", None, "2021-09-09"),
    ("LONDON, 15 March 2021 (Reuters) - Britain's ...", None, "2021-03-15"),
    ("Washington DC [US], July 10, 2021 (ANI): America's military engagement ...", None, "2021-07-10"),
    ("NEW DELHI, Jan 5, 2022 /PRNewswire/ -- A company ...", None, "2022-01-05"),
    ("PARIS, 3rd of May 2020 (AFP) - ...", None, "2020-05-03"),
    # date lines
    ("date 2021-07-11 Washington DC [US], July 10 (ANI): ...", None, "2021-07-11"),
    ("Published: 15/03/2021\nThe minister said ...", None, "2021-03-15"),  # day first: 15 > 12
    ("Posted on 03/15/2021\nThe minister said ...", None, "2021-03-15"),  # month first: 15 > 12
    ("Updated 2020-02-29\nLeap day.", None, "2020-02-29"),
    ("March 15, 2021\n\nThe envoy arrived in Doha.", None, "2021-03-15"),
    # weekday forms: the weekday must agree with the date
    ("WASHINGTON, Tuesday, March 16, 2021 (AP) — ...", None, "2021-03-16"),
    ("Tuesday, 16 March 2021\nText.", None, "2021-03-16"),
    ("WASHINGTON, Monday, March 16, 2021 (AP) — ...", None, None),  # March 16, 2021 was a Tuesday
    ("WASHINGTON, Tuesday (AP) — The Senate voted ...", D(2021, 3, 18), None),  # which Tuesday? no guess
    # year-less datelines: the year from the text, or from a sound file time, else none
    ("KABUL, March 15 (Reuters) - Talks. A photo taken in Kabul, March 15, 2021.", None, "2021-03-15"),
    ("KABUL, March 15 (Reuters) - Talks went on.", D(2021, 3, 16), "2021-03-15"),
    ("KABUL, March 15 (Reuters) - Talks went on.", D(2021, 3, 15), "2021-03-15"),
    ("Miami, Fla., March 17 -- The Orioles tonight retained ...", D(2022, 1, 3), None),  # saved 10 months later
    ("Miami, Fla., March 17 -- The Orioles tonight retained ...", None, None),
    ("Philadelphia, Jan. 23 -- Nick Skorich ...", D(2023, 1, 25), "2023-01-23"),
    ("Philadelphia, Jan. 23 -- Nick Skorich, coach in 1961 ...", D(2023, 1, 25), None),  # text is older
    ("LONDON, Dec. 30 (Reuters) - ...", D(2022, 1, 2), "2021-12-30"),  # across the new year
    # ambiguous or no date
    ("03/04/2021\nMarch 4 or 3 April?", None, None),
    ("Berlin, 3. März 2021 - Die Regierung ...", None, None),  # English only
    ("WASHINGTON (Reuters) - The Senate voted on Tuesday ...", None, None),
    ("Mr. Brett, born in Brooklyn, N.Y., Dec. 15, 1886, came to Portland in 1920.", None, None),
    ("The Bayreuth Festival opens July 23 with a new production.", None, None),
    ("In 1958, the Birds were 3-10 on May 1.", None, None),
    ("Published: 2099-01-01\nFrom the future.", None, None),  # past dates only
    ("date 2021-02-30\nNo such day.", None, None),
    ("", None, None),
]


@pytest.mark.parametrize(("top", "mtime", "expected"), DATELINES)
def test_datelines(top: str, mtime: dt.date | None, expected: str | None) -> None:
    assert dateline_date(top, mtime=mtime) == expected


def test_a_dateline_is_read_at_the_top_only() -> None:
    body = "The envoy spoke.\n" * 10 + "KABUL, March 15, 2021 (Reuters) - ..."
    assert dateline_date(body) is None
    assert dateline_date("Second paragraph.", title="KABUL, March 15, 2021 (Reuters) - headline") == "2021-03-15"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-07-11", "2021-07-11"),
        ("2021-07-11T23:59:59Z", "2021-07-11"),
        ("2021-07-11 08:00", "2021-07-11"),
        ("2021/7/11", "2021-07-11"),
        ("Sun, 11 Jul 2021 08:00:00 +0000", "2021-07-11"),
        ("11 July 2021", "2021-07-11"),
        ("July 11th, 2021", "2021-07-11"),
        ("Sunday, July 11, 2021", "2021-07-11"),
        ("Monday, July 11, 2021", None),
        ("11/07/2021", None),
        ("2021-13-01", None),
        ("July 2021", None),
        ("yesterday", None),
        ("1066-10-14", None),
    ],
)
def test_explicit_dates_are_canonical_or_refused(value: str, expected: str | None) -> None:
    assert canonical_date(value) == expected


def test_an_explicit_date_wins_and_a_bad_one_is_noted_not_guessed() -> None:
    notes: list[Skipped] = []
    a = Article(id="a", text="KABUL, March 15, 2021 (Reuters) - x", date="2021-07-11T10:00:00Z", date_source="field")
    assert date_article(a, notes).model_dump(include={"date", "date_source"}) == {
        "date": "2021-07-11",
        "date_source": "field",
    }
    bad = Article(id="b", text="No dateline here.", date="next Tuesday", date_source="field", source="f.jsonl:2")
    out = date_article(bad, notes)
    assert (out.date, out.date_source) == (None, None)
    assert [(n.reason, n.source) for n in notes] == [(BAD_DATE, "f.jsonl:2"), (UNDATED, "f.jsonl:2")]
    assert "'next Tuesday'" in notes[0].detail
    dated = date_article(Article(id="c", text="LONDON, 15 March 2021 (Reuters) - x"), notes)
    assert (dated.date, dated.date_source) == ("2021-03-15", "dateline")


def test_reading_the_file_time_keeps_no_article_source() -> None:
    # pathlib interns each part of a path: every article's source ("news.jsonl:7") stayed in
    # Python's table of interned strings, 64 bytes an article of a million-article build
    source = "".join(["news.jsonl", ":7"])  # made at run time: not interned
    assert file_day(source) is None
    assert sys.intern("".join(["news.jsonl", ":7"])) is not source


def test_the_file_time_speaks_only_for_a_file_of_one_article(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("KABUL, March 15 (Reuters) - Talks went on.")
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"id": "x", "text": "KABUL, March 15 (Reuters) - Talks went on."}))
    stamp = dt.datetime(2021, 3, 16, 12, tzinfo=dt.timezone.utc).timestamp()
    for f in (txt, jsonl):
        os.utime(f, (stamp, stamp))
    assert file_day(str(txt)) == D(2021, 3, 16)
    assert file_day(str(jsonl)) is None
    assert file_day(str(tmp_path / "gone.txt")) is None
    notes: list[Skipped] = []
    got = [
        date_article(
            Article(id=i, text=f.read_text()[:60] if i == "t" else "KABUL, March 15 (Reuters) - x", source=str(s)),
            notes,
        ).date
        for i, f, s in (("t", txt, txt), ("j", jsonl, f"{jsonl}:1"))
    ]
    assert got == ["2021-03-15", None]


def test_a_window_keeps_the_dated_articles_within_it_and_says_why_others_are_out() -> None:
    arts = [
        Article(id="early", text="x", date="2021-01-01", date_source="field"),
        Article(id="in", text="x", date="2021-03-01", date_source="field"),
        Article(id="none", text="x"),
    ]
    notes: list[Skipped] = []
    kept = [a.id for a in date_articles(arts, notes, since="2021-02-01", until="2021-03-01")]
    assert kept == ["in"]
    assert [(n.reason, n.detail) for n in notes] == [
        ("outside the time window", "article 'early': dated 2021-01-01"),
        ("outside the time window", "article 'none': undated"),
    ]
