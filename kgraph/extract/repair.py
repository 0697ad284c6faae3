"""Entity spans repaired where NER cut or glued them wrong, before they become mentions.

NER works one token at a time and makes the same kinds of span errors over and over. Each
repair here looks at the article's own text around one span, so it needs no corpus:

- a person's name split in two ("Dries" ORG + "Mertens" PERSON) is joined;
- a one-word name with an unlabelled capitalised neighbour ("Carly" before "Simon") grows
  to the whole name;
- a caption credit glued to a name ("Ahmed Mohamed Image" in "... Image: Twitter") and a
  leading indefinite article ("a World Health Organisation recommendation") are cut off;
- a match score or shirt number after a name ("Sweden 1") is cut off;
- a mention followed by a speaking verb ("Paris claims", "said Mauer") carries a person cue,
  which resolution uses to place a one-word name NER mistyped.

`repair_spans` returns plain `Span`-like tuples; `kgraph.extract.ner` turns them into mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..normalize import fold, is_capitalised, name_words
from ..places import is_known_place, place_kind
from ..records import LABEL_TYPES

#: spaCy labels kgraph keeps.
_KEPT = frozenset(LABEL_TYPES)
_ARTICLES = frozenset({"a", "an"})
#: Words that end a caption and start its credit: "Image: Twitter / NASA."
_CAPTION_WORDS = frozenset({"image", "images", "photo", "photos", "video", "audio", "picture", "file", "credit"})
#: Lowercase words for people only, written right before a name: "his counterpart Retno
#: Marsudi", "striker Harry Kane", "singer-songwriter Carly Simon". (Not "publisher",
#: "investor" or "leader", which also come before companies: "asset manager BlackRock".)
_PERSON_ROLES = frozenset(
    {
        "counterpart",
        "colleague",
        "teammate",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "president",
        "senator",
        "congressman",
        "congresswoman",
        "governor",
        "mayor",
        "ambassador",
        "envoy",
        "wife",
        "husband",
        "son",
        "daughter",
        "brother",
        "sister",
        "mother",
        "father",
        "uncle",
        "aunt",
        "nephew",
        "niece",
        "cousin",
        "widow",
        "widower",
        "girlfriend",
        "boyfriend",
        "historian",
        "economist",
        "novelist",
        "poet",
        "playwright",
        "actor",
        "actress",
        "singer",
        "songwriter",
        "musician",
        "rapper",
        "journalist",
        "reporter",
        "columnist",
        "comedian",
        "striker",
        "goalkeeper",
        "midfielder",
        "defender",
        "coach",
        "captain",
        "lawyer",
        "barrister",
        "solicitor",
        "photographer",
        "filmmaker",
        "billionaire",
        "tycoon",
        "philanthropist",
        "activist",
        "campaigner",
        "physician",
        "nurse",
        "pastor",
        "priest",
        "imam",
        "rabbi",
        "cleric",
        "professor",
    }
)
#: Verbs of speech or belief right after a name (or right before it: "said Mauer"): people do these.
_SPEECH = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "tells",
        "explained",
        "explains",
        "added",
        "adds",
        "asserted",
        "asserts",
        "claimed",
        "claims",
        "admitted",
        "admits",
        "noted",
        "notes",
        "stated",
        "states",
        "wrote",
        "writes",
        "argued",
        "argues",
        "recalled",
        "recalls",
        "believes",
        "believed",
        "thinks",
        "thought",
        "insisted",
        "insists",
        "remarked",
        "commented",
        "tweeted",
        "testified",
        "was born",
        "is married",
        "pointed",
    }
)
_PERSONAL_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr"})
#: Capitalised words that open a sentence without being part of a name after them.
_SENTENCE_OPENERS = frozenset(
    {
        "yesterday",
        "today",
        "tomorrow",
        "tonight",
        "earlier",
        "later",
        "recently",
        "currently",
        "meanwhile",
        "now",
        "then",
        "still",
        "here",
        "there",
        "but",
        "and",
        "so",
        "yet",
        "also",
        "instead",
        "however",
        "finally",
        "initially",
        "eventually",
        "separately",
        "overall",
        "last",
        "next",
        "this",
        "that",
        "when",
        "while",
        "after",
        "before",
        "since",
        "if",
    }
)
_NUMBER = re.compile(r"^\d{1,3}$")
_MONTHS_DAYS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
)


@dataclass(frozen=True)
class RepairedSpan:
    """One entity span after repair: token range, characters, label, and why it changed."""

    start: int  # token index
    end: int
    start_char: int
    end_char: int
    label: str
    person_cue: bool = False
    repair: str = ""
    qualifies: bool = False  # "New York" in "Saratoga Springs, New York": the region of the place before


def repair_spans(
    doc: Doc, starts: list[int] | None = None, capitalised: list[bool] | None = None
) -> list[RepairedSpan]:
    """The entity spans of `doc` with NER's usual span errors repaired (see the module);
    `starts`, each token's sentence start (`sentence_starts`), and `capitalised`
    (`capitalised_tokens`), when the caller has them."""
    ents = [e for e in doc.ents if e.label_ in _KEPT]
    if starts is None:
        starts = sentence_starts(doc)
    if capitalised is None:
        capitalised = capitalised_tokens(doc)
    headline_like = _title_case_sentences(doc, capitalised)
    taken = {i for e in ents for i in range(e.start, e.end)}
    spans: list[RepairedSpan] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        joined = _join(doc, e, nxt) if nxt is not None else None
        if joined is not None:
            spans.append(joined)
            i += 2
            continue
        start, end, label, repair = e.start, e.end, e.label_, ""
        if len(e) == 1 and starts[e.start] not in headline_like:
            start, end, label, repair = _grow(doc, e, taken)
        elif label in ("ORG", "FAC") and _head_after(doc, end, taken):
            end, repair = end + 1, "grown to the head word after it"  # "Orbiter Processing" + "Facility"
        start, end, cut = _trim(doc, start, end)
        if start < end:
            span = _make(doc, start, end, label, repair or cut)
            span = _person_by_role(doc, span)
            for split in (_split_at, _split_credit, _split_glued_person, _split_place_after_of):
                parts = split(doc, span)
                if len(parts) > 1:
                    break
            spans.extend(parts)
        i += 1
    spans.extend(
        _missed_head_names(
            doc, taken | {t for s in spans for t in range(s.start, s.end)}, headline_like, starts, capitalised
        )
    )
    spans.sort(key=lambda s: s.start)
    return spans


def _join(doc: Doc, e: Span, nxt: Span) -> RepairedSpan | None:
    """Two NER spans that are one name: a person's name in two halves, a university and its
    campus, an institution and its department ("Texas A&M's" + "Aerospace Engineering Department")."""
    if _split_name(doc, e, nxt):
        return _make(doc, e.start, nxt.end, _joined_label(e, nxt), "joined (name split in two by NER)")
    if _campus(doc, e, nxt):
        return _make(doc, e.start, nxt.end, "ORG", "joined (a university and its campus)")
    if (
        e.label_ == "ORG"
        and nxt.label_ == "ORG"
        and nxt.start == e.end
        and e[-1].text in ("'s", "’s")
        and fold(nxt[-1].text) in _DEPARTMENTS
    ):
        return _make(doc, e.start, nxt.end, "ORG", "joined (an institution and its department)")
    if _institution_and(doc, e, nxt):
        return _make(doc, e.start, nxt.end, e.label_, "joined (one institution: '... Museum and Art Gallery')")
    return None


#: Second halves of institutions named with 'and': "... Museum and Art Gallery".
_AND_HEADS = frozenset({"gallery", "galleries", "gardens", "archives", "library", "museum", "planetarium"})


def _institution_and(doc: Doc, e: Span, nxt: Span) -> bool:
    """'the Tang Teaching Museum' + 'and' + 'Art Gallery': one institution, when the first
    ends in a head word and the second is a short capitalised phrase ending in one."""
    if e.label_ not in ("ORG", "FAC") or nxt.start != e.end + 1 or doc[e.end].lower_ != "and":
        return False
    if not _head_word(e[-1]) or len(nxt) > 3 or not all(t.text[:1].isupper() for t in nxt):
        return False
    return fold(nxt[-1].text) in _AND_HEADS


#: Parts of an institution named after it: "Texas A&M's Aerospace Engineering Department".
_DEPARTMENTS = frozenset({"department", "school", "faculty", "college", "laboratory", "institute", "division"})


def _head_word(token: Token) -> bool:
    nw = name_words()
    word = fold(token.text.split("-")[0])
    return token.text[:1].isupper() and (word in nw.facility_heads or word in nw.organization_heads)


def _head_after(doc: Doc, end: int, taken: set[int]) -> bool:
    """The token after a span is a capitalised head word NER left out ("Facility-1")."""
    return end < len(doc) and end not in taken and doc[end - 1].whitespace_ == " " and _head_word(doc[end])


def _split_credit(doc: Doc, span: RepairedSpan) -> list[RepairedSpan]:
    """'Video: Miharris & Acphillips': a credit line names its authors, one by one."""
    start, end = span.start, span.end
    if start < 2 or doc[start - 1].text != ":" or fold(doc[start - 2].text) not in _CAPTION_WORDS:
        return [span]
    cuts = [i for i in range(start + 1, end - 1) if doc[i].text in ("&", "/", "and")]
    if not cuts:
        return [span]
    bounds = [start, *cuts, end]
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        a = a if a == start else a + 1
        if a < b:
            one = doc[a:b]
            # an author's user name ("Miharris"); an agency keeps its label ("AFP")
            label = (
                "PERSON" if len(one) == 1 and not one.text.isupper() and not is_known_place(one.text) else span.label
            )
            parts.append(_make(doc, a, b, label, "split (a credit line names several authors)"))
    return parts


def _person_by_role(doc: Doc, span: RepairedSpan) -> RepairedSpan:
    """'his counterpart Retno Marsudi' (ORG): a name right after a role only people have, made
    of one to three capitalised words that name no institution and no known place, is a
    person's."""
    if span.label == "PERSON" or span.start == 0 or not 1 <= span.end - span.start <= 3:
        return span
    role = doc[span.start - 1]
    if not role.text.islower() or fold(role.text).split("-")[-1] not in _PERSON_ROLES or not role.whitespace_:
        return span
    words = doc[span.start : span.end]
    if not all(_word_like(t) for t in words) or any(_head_word(t) for t in words) or is_known_place(words.text):
        return span
    return _make(doc, span.start, span.end, "PERSON", span.repair or "a person's role before it")


def _split_glued_person(doc: Doc, span: RepairedSpan) -> list[RepairedSpan]:
    """'the Council on American - Islamic Relations Alia Salem said': an organization's name
    with a person's glued after it, who speaks."""
    if span.label != "ORG" or span.end - span.start < 4 or not span.person_cue:
        return [span]
    a, b = doc[span.end - 2], doc[span.end - 1]
    before = doc[span.end - 3]
    if not (_word_like(a) and _word_like(b)) or _head_word(a) or _head_word(b):
        return [span]
    if not before.text[:1].isupper() or before.is_stop:
        return [span]
    org = _make(doc, span.start, span.end - 2, "ORG", "split (a person's name glued to an organization's)")
    person = _make(doc, span.end - 2, span.end, "PERSON", "split (a person's name glued to an organization's)")
    return [org, person]


def _split_place_after_of(doc: Doc, span: RepairedSpan) -> list[RepairedSpan]:
    """'the Evergreen Aviation & Space Museum of McMinnville, Oregon': the town after 'of' is
    where it is (the next words name its state), not part of its name."""
    if span.label not in ("ORG", "FAC") or span.end + 1 >= len(doc) or doc[span.end].text != ",":
        return [span]
    for i in range(span.end - 2, span.start, -1):
        if doc[i].lower_ == "of":
            place = doc[i + 1 : span.end]
            nxt = doc[span.end + 1]
            if place_kind(place.text) == "city" and nxt.ent_type_ in ("GPE", "LOC") and is_known_place(nxt.text):
                return [
                    _make(doc, span.start, i, span.label, "split (the town after 'of' is where it is)"),
                    _make(doc, i + 1, span.end, "GPE", "split (the town after 'of' is where it is)"),
                ]
            break
    return [span]


def _missed_head_names(
    doc: Doc, taken: set[int], headline_like: set[int], starts: list[int], capitalised: list[bool]
) -> list[RepairedSpan]:
    """Capitalised names that end in a head word and NER missed: 'the Al-Ghaza Hotel',
    'Shandao Station', 'the Saudi Interior Ministry'. Two words at least, outside headlines."""
    out: list[RepairedSpan] = []
    i = 0
    n = len(doc)
    while i < n:
        if not capitalised[i] or i in taken or starts[i] in headline_like or not _name_token(doc[i]):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and j + 1 not in taken
            and (
                capitalised[j + 1]
                and _name_token(doc[j + 1])
                or doc[j + 1].text == "-"
                and not doc[j].whitespace_
                and j + 2 < n
            )
        ):
            j += 1
        end = j + 1
        words = [t for t in doc[i:end] if t.text != "-"]
        if len(words) >= 2 and _head_word(doc[end - 1]) and not doc[i].is_sent_start:
            label = "FAC" if fold(doc[end - 1].text.split("-")[0]) in name_words().facility_heads else "ORG"
            out.append(_make(doc, i, end, label, "found (a name with a head word that NER missed)"))
        i = end
    return out


def _name_token(token: Token) -> bool:
    """A token that can be part of a name NER missed: a capitalised word, not a function word."""
    return _word_like(token) or _head_word(token) and not token.is_stop


def _make(doc: Doc, start: int, end: int, label: str, repair: str) -> RepairedSpan:
    span = doc[start:end]
    qualifies = (
        label in ("GPE", "LOC") and start >= 2 and doc[start - 1].text == "," and doc[start - 2].ent_type_ in _PLACES
    )
    return RepairedSpan(
        start, end, span.start_char, span.end_char, label, _person_cue(doc, start, end), repair, qualifies
    )


_PLACES = frozenset({"GPE", "LOC", "FAC"})


def _word_like(token: Token) -> bool:
    """A capitalised word that could be part of a name (not a function word, month or title)."""
    text = token.text
    if not text.isalpha() or not is_capitalised(text) or text.isupper() and len(text) > 1:
        return False
    key = fold(text)
    nw = name_words()
    return not (
        token.is_stop
        or key in _MONTHS_DAYS
        or key in nw.person_titles
        or key in nw.title_modifiers
        or key in _CAPTION_WORDS
    )


def _split_name(doc: Doc, a: Span, b: Span) -> bool:
    """'Dries' (ORG) + 'Mertens' (PERSON), 'Valeska' + 'Paris': two one-word spans with only a
    space between them that together read as one person's name."""
    if len(a) != 1 or len(b) != 1 or b.start != a.end or a[0].whitespace_ != " ":
        return False
    if not (_word_like(a[0]) and _word_like(b[0])):
        return False
    if a.label_ == "PERSON" or b.label_ == "PERSON":
        return True
    # two place labels: a person when the first word is no place ("Valeska Paris"), but not
    # two places in a row ("Kabul Afghanistan" in a dateline)
    return not is_known_place(a.text)


def _joined_label(a: Span, b: Span) -> str:
    if "PERSON" in (a.label_, b.label_) or fold(a.text) in name_words().given_names:
        return "PERSON"
    return "PERSON" if not is_known_place(a.text) else b.label_


def _grow(doc: Doc, e: Span, taken: set[int]) -> tuple[int, int, str, str]:
    """A one-word span with a capitalised, unlabelled neighbour joined by one space: 'Carly'
    + 'Simon', 'Vitas' + 'Gerulaitis', 'Duran' + 'Duran'."""
    start, end, label = e.start, e.end, e.label_
    left = doc[start - 1] if start > 0 else None
    right = doc[end] if end < len(doc) else None
    grown = ""
    if (
        left is not None
        and left.i not in taken
        and left.whitespace_ == " "
        and (not left.is_sent_start or e.label_ == "ORG" and fold(left.text) not in _SENTENCE_OPENERS)
        and _word_like(left)
        and not (left.i > 0 and _word_like(doc[left.i - 1]))
    ):
        start, grown = start - 1, "left"
    elif (
        right is not None
        and right.i not in taken
        and e[-1].whitespace_ == " "
        and _word_like(right)
        and not (right.i + 1 < len(doc) and _word_like(doc[right.i + 1]))
        and fold(right.text) not in name_words().non_person_heads
    ):
        end, grown = end + 1, "right"
    if not grown:
        return start, end, label, ""
    first = fold(doc[start].text)
    if label != "PERSON" and (first in name_words().given_names or (grown == "left" and not is_known_place(e.text))):
        label = "PERSON"
    return start, end, label, "grown to the neighbouring capitalised word"


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int, str]:
    """Cut at a line break, a leading 'a'/'an', a caption word before its credit, a trailing
    score, the letter of 'T-shirt'."""
    cut = ""
    for i in range(start, end - 1):
        if "\n" in doc[i].whitespace_ or doc[i].is_space and "\n" in doc[i].text:
            end, cut = i + 1, "cut at a line break"
            break
    while end > start and doc[end - 1].is_space:
        end -= 1
    if (
        end - start >= 2
        and doc[start].lower_ in _ARTICLES
        and is_capitalised(doc[start + 1].text)
        and not doc[start:end].text.isupper()  # "A THIRD PARTY" stays a caption, dropped later
    ):
        start, cut = start + 1, "indefinite article removed"
    if end - start >= 2 and doc[end - 1].lower_ in _CAPTION_WORDS and end < len(doc) and doc[end].text == ":":
        end, cut = end - 1, "caption credit removed"
    if end - start >= 2 and _NUMBER.match(doc[end - 1].text) and doc[end - 2].is_alpha:
        rest = doc[start : end - 1].text
        if is_known_place(rest) or end - start >= 3 and all(is_capitalised(t.text) for t in doc[start : end - 1]):
            end, cut = end - 1, "number after the name removed"  # "Sweden 1", "Glenn McGrath 2"; not "Studio 54"
    if (
        end - start >= 2
        and len(doc[end - 1].text) == 1
        and doc[end - 1].text.isupper()
        and end < len(doc)
        and doc[end].text.startswith("-")
        and not doc[end - 1].whitespace_
    ):
        end, cut = end - 1, "letter of a compound removed"  # "NASA T" of "NASA T-shirt"
    return start, end, cut


#: Head words of the institutions a campus or museum is "at": "... Museum of Art at Northwestern University".
_SEATS = frozenset({"university", "college", "institute", "school", "academy"})


def _split_at(doc: Doc, span: RepairedSpan) -> list[RepairedSpan]:
    """'the Mary & Leigh Block Museum of Art at Northwestern University': two names, the second
    an institution. ('University of North Carolina at Chapel Hill' is one: see `_campus`.)"""
    if span.label not in ("ORG", "FAC"):
        return [span]
    for i in range(span.start + 1, span.end - 1):
        if doc[i].lower_ == "at" and is_capitalised(doc[i + 1].text):
            right = doc[i + 1 : span.end]
            if fold(right[-1].text) in _SEATS or fold(right[0].text) in _SEATS and len(right) >= 3:
                left_part = _make(doc, span.start, i, span.label, "split at 'at' (two names)")
                right_part = _make(doc, i + 1, span.end, "ORG", "split at 'at' (two names)")
                return [left_part, right_part]
    return [span]


def _campus(doc: Doc, a: Span, nxt: Span | None) -> bool:
    """'University of North Carolina' + 'at' + 'Chapel Hill': a university's campus is part of
    its name."""
    if nxt is None or a.label_ != "ORG" or nxt.label_ not in ("GPE", "LOC"):
        return False
    if not any(fold(t.text) == "university" for t in a):
        return False
    return nxt.start == a.end + 1 and doc[a.end].lower_ == "at"


def _person_cue(doc: Doc, start: int, end: int) -> bool:
    """A speaking verb right after the name ('Wilkins said') or right before it at the end of a
    clause ('said Mauer,'), or a personal title right before it ('Ms Paris')."""
    after = doc[end : end + 2]
    if len(after) and (after[0].lower_ in _SPEECH or after.text.lower() in _SPEECH):
        return True
    if start > 0:
        before = doc[start - 1]
        if fold(before.text).strip(".") in _PERSONAL_TITLES:
            return True
        # "said Mauer," ends a clause; "said the Economic Community ... (ECOWAS)" does not
        if before.lower_ in _SPEECH and (end >= len(doc) or doc[end].is_punct and not doc[end].is_left_punct):
            return True
    return False


def sentence_starts(doc: Doc) -> list[int]:
    """The index of the first token of each token's sentence (computed once: `Token.sent`
    walks the document every time)."""
    starts = [0] * len(doc)
    sents = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    for sent in sents:
        starts[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
    return starts


#: Whether a word (by its ORTH hash) starts with a capital letter: most words come again and
#: again, and a spaCy Token made to ask costs more than the question. Cleared when it grows
#: past `_CAPITALISED_MAX` words.
_capitalised: dict[int, bool] = {}
_CAPITALISED_MAX = 1_000_000


def capitalised_tokens(doc: Doc) -> list[bool]:
    """Whether each token's text starts with a capital letter (``token.text[:1].isupper()``),
    read from the document's arrays rather than from a Token object per token.

    >>> import spacy
    >>> capitalised_tokens(spacy.blank("en")("Dr. Ömer met 3 people in İzmir"))
    [True, True, False, False, False, False, True]
    """
    known = _capitalised
    if len(known) > _CAPITALISED_MAX:
        known.clear()
    strings = doc.vocab.strings
    out: list[bool] = []
    for orth in doc.to_array("ORTH").tolist() if len(doc) else ():
        flag = known.get(orth)
        if flag is None:
            flag = known[orth] = strings[orth][:1].isupper()
        out.append(flag)
    return out


def _title_case_sentences(doc: Doc, capitalised: list[bool]) -> set[int]:
    """Starts of sentences written in title case (headlines): there a capitalised word says
    nothing about names: four or more words of four or more letters, three in four of them
    capitalised."""
    out: set[int] = set()
    if not len(doc):
        return out
    flags = doc.to_array(["IS_ALPHA", "LENGTH"])
    words = (flags[:, 0] == 1) & (flags[:, 1] > 3)
    upper = words & np.array(capitalised, dtype=bool)
    sents = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    for s in sents:
        n = int(words[s.start : s.end].sum())
        if n >= 4 and int(upper[s.start : s.end].sum()) * 4 >= n * 3:
            out.add(s.start)
    return out


def unlabelled_names(
    doc: Doc, spans: list[RepairedSpan], starts: list[int] | None = None, capitalised: list[bool] | None = None
) -> list[tuple[int, int]]:
    """Runs of capitalised words outside every entity span (token ranges): where a name NER
    found elsewhere in the corpus may stand unrecognised ("Tasmania was excluded"). Runs
    longer than five words (headlines, titles of works) are left out."""
    taken = {t for s in spans for t in range(s.start, s.end)}
    if starts is None:
        starts = sentence_starts(doc)
    if capitalised is None:
        capitalised = capitalised_tokens(doc)
    out: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        if not capitalised[i] or i in taken or not _capitalised_word(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n and j not in taken and starts[j] == starts[i] and _capitalised_word(doc[j]):
            j += 1
        if j - i <= 5:
            out.append((i, j))
        i = j
    return out


def _capitalised_word(token: Token) -> bool:
    text = token.text
    return text.isalpha() and len(text) >= 2 and text[0].isupper() and not token.is_stop
