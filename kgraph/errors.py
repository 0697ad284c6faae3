"""Errors kgraph raises on purpose.

Every message is one line that names the problem and the next step. The CLI prints
the message and exits non-zero; anything else that escapes is a bug.

    KGraphError
     ├── InputError        no such input path, no usable article
     ├── ConfigError       an invalid option or --aliases file
     ├── ModelError        a spaCy model that is missing or has no NER
     ├── OutputError       an output folder or file that cannot be written or read
     └── LookupFailed      a name that matches no entity, or several
          ├── UnknownEntity
          └── AmbiguousEntity
"""

from __future__ import annotations


class KGraphError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class InputError(KGraphError):
    """The inputs cannot be read, or hold no usable article."""


class ConfigError(KGraphError):
    """An option or an --aliases file is invalid."""


class ModelError(KGraphError):
    """The spaCy model cannot be used."""


class OutputError(KGraphError):
    """An output cannot be written, or a saved graph cannot be read."""


class LookupFailed(KGraphError, LookupError):
    """A name does not identify exactly one entity."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates: list[str] = list(candidates or [])


class UnknownEntity(LookupFailed):
    """No entity matches the name; `candidates` holds the ids of the closest ones."""


class AmbiguousEntity(LookupFailed):
    """Several entities match the name; `candidates` holds their ids."""
