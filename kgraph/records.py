"""Typed records that flow between the stages of a build."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

EntityType = Literal["person", "place", "organization"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "place", "organization")

#: spaCy NER labels kept by kgraph, and the entity type each maps to.
LABEL_TYPES: dict[str, EntityType] = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "ORG": "organization",
}


#: The first line of an article without a title is kept up to this many characters.
LEAD_CHARS = 160


class _Record(BaseModel):
    # defer_build: each record's validator is made when the record is first used, not on
    # `import kgraph` (a query uses two of them; building all took a fifth of its start-up)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class GivenName(_Record):
    """A name a source already found in an article (a GDELT GKG record), used without NER."""

    label: str = Field(description="the spaCy label it stands for: PERSON, ORG or GPE")
    name: str
    offset: int = Field(default=-1, description="character offset in the source document, -1 when unknown")


class Article(_Record):
    """One news article: its text and what is known about it."""

    id: str
    text: str
    title: str | None = None
    date: str | None = Field(default=None, description="ISO 8601 date (YYYY-MM-DD) when one is known")
    date_source: str | None = Field(default=None, description="where the date came from, e.g. 'field'")
    url: str | None = None
    site: str | None = Field(default=None, description="the site or publication it comes from, when it says")
    source: str = ""
    given: tuple[GivenName, ...] = Field(
        default=(), description="names a source already found (GDELT): they become the mentions, and no NER runs"
    )

    def meta(self) -> ArticleMeta:
        """The article without its text (but its first line, when it has no title)."""
        lead = None
        if not self.title:
            line = next((x.strip() for x in self.text.splitlines() if x.strip()), "")
            lead = " ".join(line.split())[:LEAD_CHARS] or None
        # not validated again (the article was) and with one field set shared by all: a
        # corpus of a million short articles keeps a million of these
        return ArticleMeta.model_construct(
            _fields_set=_META_FIELDS,
            id=self.id,
            title=self.title,
            date=self.date,
            date_source=self.date_source,
            url=self.url,
            site=self.site,
            source=self.source,
            lead=lead,
        )


class ArticleMeta(_Record):
    """What a graph keeps of an article: everything but the text (its first line stands in for
    a missing title)."""

    id: str
    title: str | None = None
    date: str | None = None
    date_source: str | None = None
    url: str | None = None
    site: str | None = None
    source: str = ""
    lead: str | None = Field(default=None, description="the first line of an article without a title")

    def info(self) -> dict[str, str]:
        """What the graph keeps of the article under its id (``g.graph["articles"][id]``): its
        fields but the id, in order, without the empty ones."""
        values = self.__dict__
        return {k: values[k] for k in _INFO_FIELDS if values[k] is not None and values[k] != ""}


_META_FIELDS: set[str] = set(ArticleMeta.model_fields)
_INFO_FIELDS: tuple[str, ...] = tuple(f for f in ArticleMeta.model_fields if f != "id")


@pydantic_dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class Mention:
    """One named-entity span found by NER in one article.

    A validated, frozen dataclass with slots rather than a model: a very long article has
    millions of mentions, and a model keeps a dict of its fields per instance (about 650 bytes a
    mention against 230). `model_copy(update=...)` and `model_dump()` work as on the other records.
    """

    article_id: str
    text: Annotated[str, Field(description="the span as written")]
    name: Annotated[str, Field(description="the span after basic clean-up")]
    label: Annotated[str, Field(description="the spaCy label, e.g. PERSON")]
    type: EntityType
    sentence: Annotated[int, Field(description="index of the sentence within the article")]
    start: Annotated[
        int, Field(description="character offset of the span (within its piece, for an article split for length)")
    ]
    end: int
    person_cue: bool = Field(default=False, description="a speaking verb or a personal title next to it ('Paris said')")
    repair: str = Field(default="", description="how the NER span was repaired, if it was (kgraph.extract.repair)")
    qualifies: bool = Field(
        default=False, description="names the region of the place before it ('Saratoga Springs, New York')"
    )
    team: str = Field(
        default="", description="the sport, when the place is named as a side in a result ('Sweden beat Korea 1 – 0')"
    )

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Mention:
        """A copy with the fields in `update` changed (not validated again, as on a model)."""
        return mention(**{**self.model_dump(), **update}) if update else self

    def model_dump(self) -> dict[str, Any]:
        """The fields as a dict."""
        return {f: getattr(self, f) for f in MENTION_FIELDS}


#: The names of a Mention's fields, in order.
MENTION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Mention))
_new_mention = object.__new__
_set = object.__setattr__


def mention(**values: Any) -> Mention:
    """A Mention from values kgraph made itself (extraction, the joining of an article's pieces),
    not validated again: the millions of mentions of a very long article are made quickly.
    Fields not given take their defaults."""
    m = _new_mention(Mention)
    for f in MENTION_FIELDS:
        _set(m, f, values[f] if f in values else _MENTION_DEFAULTS[f])
    return m


_MENTION_DEFAULTS: dict[str, Any] = {
    name: info.default
    for name, info in Mention.__pydantic_fields__.items()  # type: ignore[attr-defined]
    if not info.is_required()
}


class Extraction(_Record):
    """Everything extraction found in one article."""

    article: ArticleMeta
    mentions: tuple[Mention, ...]
    sentences: dict[int, str] = Field(
        default_factory=dict, description="text of the sentences that hold two or more mentions"
    )
    acronyms: dict[str, str] = Field(
        default_factory=dict, description="acronym -> expansion defined in the text, e.g. CMA"
    )
    tokens: int = 0
    unlabelled: dict[str, tuple[int, ...]] = Field(
        default_factory=dict, description="capitalised words NER did not tag -> their sentences (kgraph.extract.repair)"
    )


class Skipped(_Record):
    """An input (a file, or a line of one) that was not used, and why."""

    source: str
    reason: str
    detail: str = ""
    line: int | None = None


_SKIPPED_FIELDS: set[str] = set(Skipped.model_fields)


def note(source: str, reason: str, detail: str = "", line: int | None = None) -> Skipped:
    """A Skipped from values kgraph made itself, not validated again and with one shared field
    set: the notes made for every article (an undated article's) stay small in a corpus of
    millions."""
    return Skipped.model_construct(_fields_set=_SKIPPED_FIELDS, source=source, reason=reason, detail=detail, line=line)


class AliasRow(_Record):
    """Why a surface form was attached to an entity (one row of aliases.csv)."""

    surface: str
    entity_id: str
    entity_label: str
    rule: str
    article_ids: tuple[str, ...]


class Entity(_Record):
    """One real-world entity: all the names it was mentioned by, merged."""

    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    mention_count: int

    @property
    def article_count(self) -> int:
        """How many articles mention the entity."""
        return len(self.article_ids)
