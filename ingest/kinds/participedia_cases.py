"""Participedia's case export (seeds/participedia-cases-2018.json) as a source kind: cases as practices.

Each case becomes a `Practice` `participedia-case-{id}` named by its English title
(seeds/participedia-case-titles-2017.csv); a case without one is named from its coded fields,
saying so ("Participedia case 4797 (untitled): Participatory Budgeting in Newcastle Upon Tyne,
United Kingdom"). It is PRACTISED_IN the most precise jurisdiction its city, venue name or
province matches (ingest/places.py), else its country; what does not match is reported. Coded
values are read through seeds/participedia-terms.csv: each has a readable label, kept on the
practice as `methods` (decision methods, voting rules), `topics` (tags, specific topics, issues)
or `scopes` (scope of influence), and a theme where the taxonomy has one meaning the same. Venue addresses and postal codes
are never read.
"""

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from graph.models import Source
from graph.relationships import PRACTICE_HAS_THEME, PRACTICE_PRACTISED_IN
from graph.vocabulary import JurisdictionLevel, Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import add_jurisdiction
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.json_items import JsonItem, read_json_items
from ingest.kind import Candidate, SourceKind
from ingest.places import (
    PlaceIndex,
    Placement,
    Precision,
    load_place_index,
    most_precise,
    new_country,
)
from ingest.themes import add_theme

CASES_FILE = "participedia-cases-2018.json"
TITLES_FILE = "participedia-case-titles-2017.csv"
TERMS_FILE = "participedia-terms.csv"
CASE_URL = "https://participedia.net/case/{id}"
# Keys only Participedia's case export has together; how the file is recognised.
SIGNATURE_KEYS = ('"specific_topics"', '"decision_methods"', '"scope_of_influence"')
SIGNATURE_PREFIX = 8000
METHOD_FIELDS = ("decision_methods", "if_voting")
TOPIC_FIELDS = ("tags", "specific_topics", "issues")  # most specific first
SCOPE_FIELDS = ("scope_of_influence",)

Codes = list[StrictStr]
Date = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}")]


class CaseRecord(BaseModel):
    """The fields ogkg reads from a case; everything else (addresses included) is ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: Annotated[str, Field(pattern=r"^[1-9][0-9]*$")]
    type: Literal["case"]
    hidden: StrictBool = False
    published: StrictBool = True
    country: StrictStr = ""
    province: StrictStr = ""
    city: StrictStr = ""
    location_name: StrictStr = ""
    start_date: Date | None = None
    end_date: Date | None = None
    ongoing: StrictBool | None = None
    number_of_participants: Annotated[StrictInt, Field(ge=0)] | None = None
    decision_methods: Codes = []
    if_voting: Codes = []
    issues: Codes = []
    specific_topics: Codes = []
    tags: Codes = []
    scope_of_influence: Codes = []


class TitleRow(BaseModel):
    """A row of seeds/participedia-case-titles-2017.csv."""

    model_config = ConfigDict(extra="forbid")

    case_id: Annotated[str, Field(pattern=r"^[1-9][0-9]*$")]
    language: str
    title: str


class TermRow(BaseModel):
    """A row of seeds/participedia-terms.csv: a coded value, its label (none: not a value) and theme."""

    model_config = ConfigDict(extra="forbid")

    field: Literal[
        "decision_methods", "if_voting", "issues", "specific_topics", "tags", "scope_of_influence"
    ]
    value: str
    label: str | None = None
    theme: str | None = None


def case_id(participedia_id: str) -> str:
    return f"participedia-case-{participedia_id}"


def case_location(participedia_id: str) -> str:
    return f"case {participedia_id}"


def read_cases(file: TextFile) -> list[tuple[JsonItem, CaseRecord]]:
    """Every case, validated; a bad one is refused naming its line, position, id and field."""
    cases: list[tuple[JsonItem, CaseRecord]] = []
    for item in read_json_items(file):
        if not isinstance(item.value, dict):
            raise IngestError(
                file.path, f"item {item.position}: a case is an object", line=item.line
            )
        raw_id = item.value.get("id")
        which = f"case {raw_id} (item {item.position})" if raw_id else f"item {item.position}"
        try:
            cases.append((item, CaseRecord.model_validate(item.value)))
        except ValidationError as error:
            first = error.errors()[0]
            column = ".".join(str(part) for part in first["loc"]) or None
            raise IngestError(
                file.path, f"{which}: {first['msg']}", line=item.line, field=column
            ) from None
    if not cases:
        raise IngestError(file.path, "no cases")
    return cases


def read_titles(file: TextFile) -> dict[str, tuple[int, str]]:
    """English titles by case id, with their lines; a case titled twice is refused."""
    titles: dict[str, tuple[int, str]] = {}
    for line, row in read_rows(file, TitleRow):
        if row.case_id in titles:
            raise IngestError(
                file.path,
                f"case {row.case_id} already has a title on line {titles[row.case_id][0]}",
                line=line,
                field="case_id",
            )
        if row.language == "en":
            titles[row.case_id] = (line, row.title.strip())
    return titles


def read_terms(context: IngestContext) -> dict[tuple[str, str], TermRow]:
    """The terms table, its themes checked against the taxonomy."""
    file = context.seed_file(TERMS_FILE)
    terms: dict[tuple[str, str], TermRow] = {}
    for line, row in read_rows(file, TermRow):
        if (row.field, row.value) in terms:
            raise IngestError(file.path, f"{row.field} {row.value!r} is listed twice", line=line)
        if row.theme is not None and row.theme not in context.taxonomy.themes:
            raise IngestError(file.path, f"unknown theme {row.theme!r}", line=line, field="theme")
        terms[(row.field, row.value)] = row
    return terms


def readable(value: str) -> str:
    """A code as words, for values the terms table does not list: "budget_local" → "Budget local"."""
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


UNTITLED_NAME = re.compile(r"Participedia case \d+ \(untitled\): ")


def untitled_name(case: CaseRecord, topics: list[str]) -> str:
    """A name from the coded fields, saying the case has no title."""
    what = topics[0] if topics else "participation"
    where = ", ".join(part.strip() for part in (case.city, case.country) if part.strip())
    return f"Participedia case {case.id} (untitled): {what}" + (f" in {where}" if where else "")


def is_untitled_name(name: str) -> bool:
    """Whether a name is one `untitled_name` made: words of ogkg's, not of the case."""
    return UNTITLED_NAME.match(name) is not None


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


@dataclass(frozen=True)
class CaseTables:
    """What reading the cases needs besides the export: titles, terms, places, the run's context."""

    titles: dict[str, tuple[int, str]]
    terms: dict[tuple[str, str], TermRow]
    places: PlaceIndex
    context: IngestContext

    @classmethod
    def load(cls, context: IngestContext) -> "CaseTables":
        titles = read_titles(context.seed_file(TITLES_FILE))
        return cls(titles, read_terms(context), load_place_index(context), context)


class _Notes:
    """What the ingest reports about the file, gathered case by case."""

    def __init__(self, file: TextFile) -> None:
        self.name = file.path.name
        self.found: dict[str, list[str]] = {}

    def add(self, what: str, detail: str) -> None:
        self.found.setdefault(what, []).append(detail)

    def lines(self) -> list[str]:
        return [
            f"{self.name}: {what} ({len(details)}): {'; '.join(details)}"
            for what, details in self.found.items()
        ]


def cases_batch(file: TextFile, tables: CaseTables, source: Source) -> GraphBatch:
    """Every published case as a practice, placed, labelled and themed."""
    batch = GraphBatch(source)
    notes = _Notes(file)
    seen: dict[str, tuple[JsonItem, CaseRecord]] = {}
    for item, case in read_cases(file):
        if case.id in seen:
            first_item, first = seen[case.id]
            if first != case:
                raise IngestError(
                    file.path,
                    f"case {case.id} (item {item.position}) differs from item "
                    f"{first_item.position}, which has the same id",
                    line=item.line,
                    field="id",
                )
            notes.add("repeated cases, ingested once", f"case {case.id} (items "
                      f"{first_item.position} and {item.position})")  # fmt: skip
            continue
        seen[case.id] = (item, case)
        if case.hidden or not case.published:
            notes.add("hidden or unpublished cases, not ingested", f"case {case.id}")
            continue
        _add_case(batch, case, tables, notes)
    for unknown in sorted(int(i) for i in tables.titles if i not in seen):
        notes.add(f"titles in {TITLES_FILE} of cases the export does not hold", f"case {unknown}")
    batch.notes.extend(notes.lines())
    return batch


def _labels(
    case: CaseRecord,
    fields: tuple[str, ...],
    terms: dict[tuple[str, str], TermRow],
    notes: _Notes,
) -> tuple[list[str], list[str]]:
    """The readable values of `fields` (in order, each once) and the themes they map to."""
    labels: list[str] = []
    themes: list[str] = []
    for field_name in fields:
        values: list[str] = getattr(case, field_name)
        for value in values:
            term = terms.get((field_name, value))
            if term is None:
                notes.add(f"values not in {TERMS_FILE}", f"{field_name} {value!r} (case {case.id})")
            label = readable(value) if term is None else term.label
            if label and label not in labels:
                labels.append(label)
            if term is not None and term.theme and term.theme not in themes:
                themes.append(term.theme)
    return labels, themes


def _add_case(batch: GraphBatch, case: CaseRecord, tables: CaseTables, notes: _Notes) -> None:
    terms, places, context = tables.terms, tables.places, tables.context
    practice_id, location = case_id(case.id), case_location(case.id)
    methods, method_themes = _labels(case, METHOD_FIELDS, terms, notes)
    topics, topic_themes = _labels(case, TOPIC_FIELDS, terms, notes)
    scopes, scope_themes = _labels(case, SCOPE_FIELDS, terms, notes)
    title = tables.titles.get(case.id)
    batch.add_node(
        Label.PRACTICE,
        NodeRow(
            id=practice_id,
            properties={
                "name": title[1] if title else untitled_name(case, topics),
                "participediaId": case.id,
                "url": CASE_URL.format(id=case.id),
                "startYear": _year(case.start_date),
                "endYear": _year(case.end_date),
                "ongoing": case.ongoing,
                "numberOfParticipants": case.number_of_participants,
                "methods": methods,
                "topics": topics,
                "scopes": scopes,
            },
            location=location,
        ),
    )
    for theme_id in dict.fromkeys(method_themes + topic_themes + scope_themes):
        add_theme(batch, context.taxonomy, theme_id, location)
        batch.add_relationship(
            PRACTICE_HAS_THEME,
            RelationshipRow(start_id=practice_id, end_id=theme_id, location=location),
        )
    placement = _placement(case, places, notes)
    if placement.place is None:
        return
    place = placement.place
    if place.id in context.registry.jurisdictions:
        add_jurisdiction(batch, context.registry, place.id, location)
    elif place.id not in places.places and not batch.has_node(Label.JURISDICTION, place.id):
        notes.add("countries no register holds, added", f"{place.name} ({place.id})")
        batch.add_node(
            Label.JURISDICTION,
            NodeRow(
                id=place.id,
                properties={
                    "name": place.name,
                    "level": JurisdictionLevel.COUNTRY.value,
                    "aliases": [],
                },
                location=location,
            ),
        )
    batch.add_relationship(
        PRACTICE_PRACTISED_IN,
        RelationshipRow(start_id=practice_id, end_id=place.id, location=location),
    )


def _placement(case: CaseRecord, places: PlaceIndex, notes: _Notes) -> Placement:
    """Where the case was practised; what could not be placed more precisely is reported."""
    if not case.country.strip():
        notes.add("cases naming no country, not placed", f"case {case.id}")
        return Placement(None)
    country = places.country(case.country.strip()) or new_country(case.country.strip())
    city, venue, province = (v.strip() for v in (case.city, case.location_name, case.province))
    placement = most_precise(places, country, [name for name in (city, venue, province) if name])
    place = placement.place or country
    if place.precision is not Precision.LOCAL_AUTHORITY and places.has_parts(place.id):
        named = "; ".join(
            f"{what} {name!r}" for what, name in (("city", city), ("province", province)) if name
        )
        notes.add(
            "cases placed in a nation or country only (no local authority matched)",
            f"case {case.id} ({named or 'no city or province'}) in {place.id}",
        )
    elif city and city in placement.unmatched and places.has_parts(country.id):
        notes.add(
            "cities matching no local authority (placed by province or venue)",
            f"case {case.id}: {city!r} in {place.id}",
        )
    for ambiguous in placement.ambiguous:
        notes.add("ambiguous place names, not used", f"case {case.id}: {ambiguous}")
    if placement.conflicting:
        notes.add(
            "place names naming other authorities, not used",
            f"case {case.id}: placed in {place.name}, also named "
            + ", ".join(placement.conflicting),
        )
    return placement


def _recognises(candidate: Candidate) -> bool:
    head = candidate.file.text[:SIGNATURE_PREFIX]
    return candidate.is_json and all(key in head for key in SIGNATURE_KEYS)


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "Participedia cases")
    return cases_batch(file, CaseTables.load(context), source)


KIND = SourceKind("Participedia cases", _recognises, _build)
