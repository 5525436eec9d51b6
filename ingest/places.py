"""Place names as sources write them, matched to jurisdictions (local authority, nation, country) or reported.

A name matches a jurisdiction when, case, apostrophes and `&`/`and` aside, it is one of the
jurisdiction's names: a local authority's name, official name or any alternative name of the
register (seeds/uk-local-authorities.csv, current authorities only), a registry jurisdiction's name
or alias (seeds/jurisdictions.csv), a country the OGP file names, or a row of
seeds/place-names.csv (names a source writes that no register gives, e.g. "London" for Greater
London). A name two current authorities share is ambiguous. Nothing is matched by part of a name
or by spelling distance: what does not match is reported, never guessed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from pydantic import BaseModel, ConfigDict

from graph.vocabulary import JurisdictionLevel
from ingest.batches import slugify
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.kinds.local_authorities import (
    LOCAL_AUTHORITIES_FILE,
    jurisdiction_id,
    read_local_authorities,
)
from ingest.kinds.ogp_commitments import ogp_country_id
from ingest.names import normalise_name
from ingest.ogp_rows import countries_named
from ingest.primary_sources import OGP_COMMITMENTS_FILE
from ingest.registry import Slug

PLACE_NAMES_FILE = "place-names.csv"


class PlaceNameRow(BaseModel):
    """A row of seeds/place-names.csv: a name a source writes and the jurisdiction it names."""

    model_config = ConfigDict(extra="forbid")

    name: str
    jurisdiction: Slug
    why: str


class Precision(IntEnum):
    """How precisely a jurisdiction places something: higher is more precise."""

    COUNTRY = 1
    NATION = 2
    LOCAL_AUTHORITY = 3


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    precision: Precision
    # The jurisdictions it is part of, transitively (a borough's combined authority and nation).
    within: frozenset[str] = frozenset()


@dataclass
class PlaceIndex:
    """Every jurisdiction a place name can match, by normalised name."""

    places: dict[str, Place] = field(default_factory=dict)
    by_name: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    by_other_name: dict[tuple[str, ...], set[str]] = field(default_factory=dict)

    def add(self, place: Place, names: Sequence[str], other_names: Sequence[str] = ()) -> None:
        """Index a place by its own names and by other names (a register's alternatives)."""
        self.places.setdefault(place.id, place)
        for index, given in ((self.by_name, names), (self.by_other_name, other_names)):
            for name in given:
                key = normalise_name(name)
                if key:
                    index.setdefault(key, set()).add(place.id)

    def matches(self, name: str) -> list[Place]:
        """The jurisdictions the name is a name of: none, one, or several (ambiguous).

        A jurisdiction's own name outranks another's alternative name: the register lists
        "Newcastle upon Tyne" among the North of Tyne Combined Authority's alternatives (a
        fragment of its long name), yet it is the name of Newcastle City Council's area.
        """
        key = normalise_name(name)
        ids = self.by_name.get(key) or self.by_other_name.get(key, set())
        return sorted((self.places[place_id] for place_id in ids), key=lambda place: place.id)

    def has_parts(self, place_id: str) -> bool:
        """Whether any jurisdiction of the index is within this one."""
        return any(place_id in place.within for place in self.places.values())

    def country(self, name: str) -> Place | None:
        found = [place for place in self.matches(name) if place.precision is Precision.COUNTRY]
        return found[0] if len(found) == 1 else None


def load_place_index(context: IngestContext) -> PlaceIndex:
    """The index of one run: registry, local-authority register, OGP countries, seeds/place-names.csv."""
    return context.memo("place-index", lambda: _build_index(context))


def _build_index(context: IngestContext) -> PlaceIndex:
    registry, index = context.registry, PlaceIndex()
    levels = {
        JurisdictionLevel.COUNTRY: Precision.COUNTRY,
        JurisdictionLevel.NATION: Precision.NATION,
    }
    for jurisdiction in registry.jurisdictions.values():
        if jurisdiction.level in levels:
            chain = registry.jurisdiction_chain(jurisdiction.id)
            index.add(
                Place(
                    jurisdiction.id,
                    jurisdiction.name,
                    levels[jurisdiction.level],
                    frozenset(j.id for j in chain[1:]),
                ),
                (jurisdiction.name, *jurisdiction.aliases),
            )
    for country in sorted(countries_named(context.seed_file(OGP_COMMITMENTS_FILE))):
        country_id = ogp_country_id(registry, country)
        if country_id not in registry.jurisdictions:
            index.add(Place(country_id, country, Precision.COUNTRY), (country,))
    authorities = read_local_authorities(context.seed_file(LOCAL_AUTHORITIES_FILE))
    current = {row.code for _, row in authorities}
    parents: dict[str, set[str]] = {}
    for _, row in authorities:
        nation_id = registry.jurisdiction_names.lookup(row.nation)
        parents[row.code] = {
            jurisdiction_id(code)
            for code in (row.county, row.combined_authority)
            if code and code in current and code != row.code
        }
        if nation_id is not None:
            parents[row.code] |= {j.id for j in registry.jurisdiction_chain(nation_id)}
    for _, row in authorities:
        within = set(parents[row.code])
        for parent in list(within):  # A county's combined authority is above its districts too.
            code = parent.removeprefix("la-").upper()
            within |= parents.get(code, set())
        index.add(
            Place(
                jurisdiction_id(row.code),
                row.nice_name,
                Precision.LOCAL_AUTHORITY,
                frozenset(within),
            ),
            (row.nice_name, row.official_name),
            [name.strip() for name in (row.alt_names or "").split(",") if name.strip()],
        )
    file = context.seed_file(PLACE_NAMES_FILE)
    for line, name_row in read_rows(file, PlaceNameRow):
        if name_row.jurisdiction not in index.places:
            raise IngestError(
                file.path,
                f"unknown jurisdiction {name_row.jurisdiction!r}",
                line=line,
                field="jurisdiction",
            )
        known = index.matches(name_row.name)
        if known:
            raise IngestError(
                file.path,
                f"{name_row.name!r} already names {', '.join(p.id for p in known)}",
                line=line,
                field="name",
            )
        index.add(index.places[name_row.jurisdiction], (name_row.name,))
    return index


def new_country(name: str) -> Place:
    """A country no register holds, named as the source names it (as the OGP import adds its own)."""
    return Place(slugify(name), name, Precision.COUNTRY)


@dataclass(frozen=True)
class Placement:
    """Where something happened, and what about its place names the reader should know."""

    place: Place | None
    unmatched: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    conflicting: tuple[str, ...] = ()


def most_precise(index: PlaceIndex, country: Place, names: Sequence[str]) -> Placement:
    """The most precise jurisdiction within `country` that `names` (most precise first) match.

    Each name is matched whole. Among the jurisdictions matched, the most precise level wins; of
    several at that level, one within all the others wins (a borough within its combined
    authority); otherwise the first name's, and the others are reported as conflicting. A name
    matching nothing, or two jurisdictions, is reported; the country itself is the fallback.
    """
    found: list[Place] = []
    unmatched: list[str] = []
    ambiguous: list[str] = []
    for name in names:
        matches = [
            place
            for place in index.matches(name)
            if place.id == country.id or country.id in place.within
        ]
        if len(matches) > 1:
            ambiguous.append(f"{name} ({', '.join(place.id for place in matches)})")
        elif matches:
            found.append(matches[0])
        else:
            unmatched.append(name)
    if not found:
        return Placement(country, tuple(unmatched), tuple(ambiguous))
    best = max(place.precision for place in found)
    candidates = list(dict.fromkeys(place for place in found if place.precision == best))
    inner = [
        place
        for place in candidates
        if all(other.id == place.id or other.id in place.within for other in candidates)
    ]
    chosen = inner[0] if inner else candidates[0]
    conflicting = tuple(
        place.name
        for place in candidates
        if place.id != chosen.id and place.id not in chosen.within
    )
    return Placement(chosen, tuple(unmatched), tuple(ambiguous), conflicting)
