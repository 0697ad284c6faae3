"""Alias tables: the built-in one (package data) and a user's --aliases file, same format.

    groups:
      - name: United States          # the label of the merged entity
        type: place                  # person | place | organization
        variants: [US, U.S., America]
      - name: Price                  # a group of one name keeps it apart: "Price" is
        type: organization           # not Ned Price, whatever the article says
    ignore: [Cease]                  # names that are never entities

A name in a group always resolves to that group's entity (never to a full name it could
be short for), and a user's file wins over the built-in one. Matching ignores case,
accents, acronym dots, hyphens and a leading "the".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ._readtext import read_small_text
from .errors import ConfigError
from .normalize import match_key
from .records import EntityType


class AliasGroup(BaseModel):
    """One entity and the names it goes by."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    type: EntityType
    variants: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_has_letters(cls, v: str) -> str:
        if not match_key(v):
            raise ValueError("name has no letters or digits")
        return v.strip()

    @field_validator("variants")
    @classmethod
    def _variants_have_letters(cls, v: list[str]) -> list[str]:
        for i, variant in enumerate(v):
            if not match_key(variant):
                raise ValueError(f"variant {i} ({variant!r}) has no letters or digits")
        return [x.strip() for x in v]


class AliasFile(BaseModel):
    """The contents of an alias file."""

    model_config = ConfigDict(extra="forbid")

    groups: list[AliasGroup] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_entity_per_name(self) -> AliasFile:
        seen: dict[str, str] = {}
        for i, group in enumerate(self.groups):
            for surface in dict.fromkeys([group.name, *group.variants]):
                key = match_key(surface)
                other = seen.get(key)
                if other is not None and other != group.name:
                    raise ValueError(f"groups.{i}: '{surface}' is already a name of '{other}' (one name, one entity)")
                seen[key] = group.name
        for j, name in enumerate(self.ignore):
            if match_key(name) in seen:
                raise ValueError(f"ignore.{j}: '{name}' is also a name of '{seen[match_key(name)]}'")
        return self


@dataclass
class AliasTable:
    """Lookup from a name's match key to (canonical name, type, source), plus ignored keys."""

    entries: dict[str, tuple[str, EntityType, str]] = field(default_factory=dict)
    ignored: set[str] = field(default_factory=set)

    def add(self, data: AliasFile, source: str) -> None:
        """Add `data` on top of what is there: later files win."""
        for group in data.groups:
            for surface in [group.name, *group.variants]:
                key = match_key(surface)
                if key:
                    self.entries[key] = (group.name, group.type, source)
                    self.ignored.discard(key)
        for name in data.ignore:
            key = match_key(name)
            if key:
                self.ignored.add(key)
                self.entries.pop(key, None)

    def lookup(self, name: str) -> tuple[str, EntityType, str] | None:
        """(canonical name, type, 'builtin' | 'user') for a known name, else None."""
        return self.entries.get(match_key(name))


def parse_alias_file(path: str | Path) -> AliasFile:
    """Read and validate an alias file (YAML or JSON). Raises ConfigError with the location."""
    path = Path(path)
    try:
        raw = read_small_text(path, limit=16 * 2**20)  # not a FIFO, not /dev/zero
    except FileNotFoundError:
        raise ConfigError(f"aliases file not found: '{path}' (check the --aliases path)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"aliases file '{path}' cannot be read: {e}") from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except json.JSONDecodeError as e:
        raise ConfigError(f"aliases file '{path}' line {e.lineno} column {e.colno}: invalid JSON: {e.msg}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "invalid YAML"
        raise ConfigError(f"aliases file '{path}'{where}: {problem}") from None
    if data is None:
        data = {}
    try:
        return AliasFile.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        if not loc and "." in msg.split(":", 1)[0]:  # a check across the file names its own place
            loc, msg = (part.strip() for part in msg.split(":", 1))
        if isinstance(err.get("input"), (str, int, float)) and err["type"] != "value_error":
            msg += f" (got {err['input']!r})"
        line = _line_of(raw, loc)
        where = (f"line {line} " if line else "") + f"at {loc or 'top level'}"
        more = f" (and {len(e.errors()) - 1} more problem(s))" if len(e.errors()) > 1 else ""
        raise ConfigError(f"aliases file '{path}' {where}: {msg}{more}") from None


def _line_of(raw: str, loc: str) -> int | None:
    """The line (1-based) of the value at `loc` ("groups.2.type") in a YAML or JSON text."""
    try:
        node = yaml.compose(raw)  # JSON is YAML, for finding lines
    except yaml.YAMLError:
        return None
    for step in [p for p in loc.split(".") if p]:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
        elif isinstance(node, yaml.SequenceNode) and step.isdigit() and int(step) < len(node.value):
            node = node.value[int(step)]
        else:
            break
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def builtin_aliases() -> AliasFile:
    """The alias groups shipped with kgraph (kgraph/data/aliases.yaml)."""
    text = resources.files("kgraph").joinpath("data/aliases.yaml").read_text(encoding="utf-8")
    return AliasFile.model_validate(yaml.safe_load(text))


def alias_table(user_file: str | Path | None = None) -> AliasTable:
    """The built-in aliases with a user's file (if any) on top."""
    table = AliasTable()
    table.add(builtin_aliases(), "builtin")
    if user_file is not None:
        table.add(parse_alias_file(user_file), "user")
    return table
