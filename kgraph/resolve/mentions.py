"""What one mention names: the first pass of resolution, one mention at a time.

`read_mention` cleans the span's name and returns the parts it names (usually one; none when
it is dropped, two when NER ran two names together). Each step below looks at the name and
either settles the mention (returns parts, or a drop) or hands a cleaner name to the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..aliases import AliasTable
from ..normalize import (
    coordinated,
    government_of,
    is_ideology,
    is_portfolio,
    match_key,
    name_words,
    noise_reason,
    split_acronym,
    split_titles,
    starts_with_given_name,
    state_of,
    tidy,
    website_of,
    without_company_suffix,
    without_indefinite_article,
    without_lowercase_tail,
    without_place_word,
    without_trailing_title,
)
from ..places import is_major_city, is_state_and_city, name_shape, place_kind, state_of_abbreviation
from ..records import EntityType, Mention
from .cluster import Part, PersonNames, only_suffix_after, part_key, split_person
from .rules import Rule


@dataclass
class MentionContext:
    """What the article tells about one mention."""

    people: PersonNames  # the people the article names
    aliases: AliasTable
    before_person: bool = False  # a PERSON span follows right after ("Defense" Secretary Lloyd Austin)
    others: frozenset[str] = frozenset()  # every name in the article
    acronyms: dict[str, str] = field(default_factory=dict)  # acronyms defined so far (added to)


@dataclass(frozen=True)
class Dropped:
    """A mention that names no entity, and why."""

    rule: str


Read = list[Part] | Dropped

#: Nations that field their own teams without being countries in the gazetteer.
_HOME_NATIONS = frozenset({"england", "scotland", "wales", "northern ireland"})


def read_mention(m: Mention, ctx: MentionContext) -> Read:
    """The parts one mention names, or why it names none (see the module)."""
    name = _first_clean(m, ctx)
    settled = _settle(m, name, ctx)
    if settled is not None:
        return settled
    if m.label != "PERSON" and without_trailing_title(name) != name:
        name = without_trailing_title(name)  # "State Department Spokesperson"
        settled = _alias_or_ignored(m.name, name, ctx.aliases)
        if settled is not None:
            return settled
    if ctx.before_person and m.label != "PERSON" and is_portfolio(name):
        return Dropped(Rule.TITLE_FRONT)
    state = state_of_abbreviation(name) if m.label == "GPE" else None
    if state is not None:  # "Fla." in a dateline or after a city
        return [Part(m.name, state, "place", Rule.STATE_ABBREVIATION, shape="place")]
    part = Part(m.name, name, m.type)
    if m.qualifies and is_state_and_city(name):  # "Saratoga Springs, New York": the state
        part.key, part.rule = match_key(name) + " state", Rule.STATE_SENSE
    _titles(part, m, name, ctx.people)
    if part.rule == Rule.EXACT:
        reshaped = _reshape(part, m, name, ctx.people)
        if reshaped is not None:
            return reshaped
    _finish(part, m, name, ctx)
    return [part]


def _first_clean(m: Mention, ctx: MentionContext) -> str:
    name, acronym = split_acronym(tidy(m.name))
    if acronym:
        ctx.acronyms.setdefault(acronym, name)
    if m.type != "place":
        name = without_lowercase_tail(name)  # "Yonhap news agency"
    name = without_indefinite_article(name)  # "a World Health Organisation recommendation"
    return name


def _settle(m: Mention, name: str, ctx: MentionContext) -> Read | None:
    """Mentions settled by the name alone: a belief, two names run together, an alias, noise,
    two places named at once."""
    surface = m.name
    if is_ideology(name, ctx.others):
        return Dropped(Rule.IDEOLOGY)
    glued = _split_the(name, ctx.people)
    if glued is not None:  # "According to Rathbun the Scientology property ..."
        return [Part(surface, glued[0], "person", Rule.SPLIT), Part(surface, glued[1], m.type, Rule.SPLIT)]
    settled = _alias_or_ignored(surface, name, ctx.aliases)
    if settled is not None:
        return settled
    reason = noise_reason(name, m.label)
    if reason:
        return Dropped(reason)
    pair = coordinated(name)
    if pair is not None:  # "North and South Korea"
        return [Part(surface, n, m.type, Rule.COORDINATION) for n in pair]
    return None


def _alias_or_ignored(surface: str, name: str, aliases: AliasTable) -> Read | None:
    if match_key(name) in aliases.ignored:
        return Dropped(Rule.IGNORED)
    alias = aliases.lookup(name)
    if alias is not None:
        return [Part(surface, name, alias[1], alias_rule(name, alias), alias=alias)]
    return None


def alias_rule(name: str, alias: tuple[str, EntityType, str]) -> str:
    """A user's group always shows as such (so an override can be checked); a built-in group
    only when the name is not the group's own."""
    if alias[2] == "user":
        return Rule.USER
    if match_key(name) != match_key(alias[0]):
        return Rule.BUILTIN
    return Rule.EXACT if name == alias[0] else Rule.NORMALISED


def _split_the(name: str, people: PersonNames) -> tuple[str, str] | None:
    """'Rathbun the Scientology' -> ('Rathbun', 'Scientology'): NER ran a person named in the
    article into the next name across a lower-case 'the'."""
    left, sep, right = name.partition(" the ")
    if not sep or not left or not right[:1].isupper() or match_key(left) not in people:
        return None
    return left, right


def _titles(part: Part, m: Mention, name: str, people: PersonNames) -> None:
    """Titles in front of a name: 'Special Representative Khalilzad' is Khalilzad, a person."""
    titled = split_titles(name)
    if not titled.titles:
        return
    core_key = match_key(titled.core)
    if titled.person_title:  # "Special Representative Khalilzad": Khalilzad is a person here
        sure = m.label == "PERSON" or core_key in people or starts_with_given_name(titled.core)
    else:  # only "Defence": the rest must be a person's name ("Defence Lloyd Austin")
        sure = core_key in people.full or starts_with_given_name(titled.core)
        sure = sure or (m.label == "PERSON" and " " in titled.core)
    if sure:
        part.core, part.rule, part.titled = titled.core, Rule.TITLE, titled.person_title
        part.royal = titled.first_name_title
        if titled.first_name_title and (" " not in titled.core or only_suffix_after(titled.core)):
            # "King Salman", "Prince Mohammed": the title stays, with the first name
            title = next(t for t in reversed(titled.titles) if t[:1].isupper())
            part.core, part.rule = f"{title} {titled.core}", Rule.EXACT
            part.first_ref = match_key(titled.core.split()[0])
    elif m.label != "PERSON" and not titled.first_name_title:
        part.alt, part.alt_titled = core_key, titled.person_title


def _reshape(part: Part, m: Mention, name: str, people: PersonNames) -> list[Part] | None:
    """Names that stand for a shorter one ('Government of Uzbekistan', 'State of Texas', 'CNN.com',
    'Khost province', 'Apple Inc.'), or that swallowed a person's ('... Council Abdullah
    Abdullah': returned as two parts)."""
    place, formal, site = government_of(name), state_of(name), website_of(name)
    if site:
        part.core, part.rule = site, Rule.WEBSITE
    elif place:
        part.core, part.etype, part.rule = place, "place", Rule.GOVERNMENT
    elif formal:
        part.core, part.etype, part.rule = formal, "place", Rule.FORMAL_PLACE
    elif part.etype == "place" and without_place_word(name) != name:
        part.core, part.rule = without_place_word(name), Rule.PLACE_WORD
    elif m.label != "PERSON" and without_company_suffix(name) != name:
        part.key, part.rule = match_key(without_company_suffix(name)), Rule.COMPANY
    elif part.etype == "organization":
        split = split_person(name, people)
        if split is not None:
            head, person = split
            parts = [Part(m.name, person, "person", Rule.SPLIT, evidence=True)]
            if len(head.split()) >= 2:
                parts.insert(0, Part(m.name, head, "organization", Rule.SPLIT))
            return parts
    return None


def _lone_city(core: str, people: PersonNames) -> bool:
    """A one-word name of a major city that no full name of the article ends or starts with."""
    if " " in core or not is_major_city(core):
        return False
    key = match_key(core)
    return not any(key in full.split() for full in people.full)


def _finish(part: Part, m: Mention, name: str, ctx: MentionContext) -> None:
    """The alias of the cleaned name, and what the mention says about the entity's type."""
    if part.core != name:
        alias = ctx.aliases.lookup(part.core)
        if alias is not None:
            part.alias, part.etype = alias, alias[1]
            part.rule = Rule.USER if alias[2] == "user" else Rule.BUILTIN
    part.evidence = part.etype != "place" and starts_with_given_name(part.core)
    part.cue = m.person_cue
    if part.alias is None:
        part.shape = name_shape(part.core)
        if not part.shape and m.label != "PERSON" and match_key(part.core) in ctx.people.full:
            part.shape = "person"  # "Dries Mertens" (ORG) and "Mertens" (PERSON) in one article
        elif not part.shape and m.label == "PERSON" and not m.person_cue and _lone_city(part.core, ctx.people):
            part.shape = "place"  # "Moscow said Kyiv had shelled ...": NER's PERSON for a capital
    part.royal = part.royal or any(w.lower() in name_words().patronymic_particles for w in part.core.split()[1:-1])
    if part.rule == Rule.EXACT and match_key(m.name) == match_key(part.core) and m.name != part.core:
        part.rule = Rule.NORMALISED


def national_teams(mentions: Sequence[Mention], reads: Sequence[Read]) -> dict[str, str]:
    """Match key of a country -> its national team's name, for each country an article names
    as a side in a sports result (`Mention.team`, see `kgraph.extract.sport`).

    Every mention of that country in the article then names the team ("Sweden's first victory
    in the opening match"), and the team is not the country of other articles.
    """
    teams: dict[str, str] = {}
    for m, read in zip(mentions, reads):
        if not m.team or isinstance(read, Dropped) or len(read) != 1:
            continue
        country = read[0].alias[0] if read[0].alias else read[0].core
        if place_kind(country) != "country" and match_key(country) not in _HOME_NATIONS:
            continue
        sport = "" if m.team == "sport" else m.team + " "
        teams.setdefault(part_key(read[0]), f"{country} national {sport}team")
    return teams | _team_short_names(teams, reads)


def _team_short_names(teams: dict[str, str], reads: Sequence[Read]) -> dict[str, str]:
    """ "Korea" for the South Korea of a match report, when no other name in the article ends so."""
    keys = {part_key(p) for read in reads if not isinstance(read, Dropped) for p in read}
    short: dict[str, str] = {}
    for key, team in teams.items():
        words = key.split()
        for i in range(1, len(words)):
            tail = " ".join(words[i:])
            others = [k for k in keys if k not in (key, tail) and k.endswith(" " + tail)]
            if tail in keys and not others:
                short[tail] = team if tail not in short else ""
    return {k: v for k, v in short.items() if v and k not in teams}


def as_team(part: Part, team: str) -> Part:
    """The part of a country's name read as its national team `team`."""
    return Part(part.surface, team, "organization", Rule.NATIONAL_TEAM, shape="organization")
