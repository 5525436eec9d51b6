"""Import the OGP/IRM commitments data: countries, plans, commitments, institutions, themes, IRM ratings."""

import contextlib
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from graph.models import Body, Source
from graph.vocabulary import (
    BodyKind,
    Completion,
    CompletionChange,
    JurisdictionLevel,
    Label,
    OpenedGovernment,
    PartnerRole,
    PotentialImpact,
    Rel,
    Specificity,
)
from graph.writes import GraphBatch, NodeRow, RelationshipRow, RelationshipSpec
from ingest.actors import split_actors
from ingest.batches import (
    BODY_LEADS,
    BODY_PARTNERS_IN,
    PLAN_FOR_JURISDICTION,
    PLAN_HAS_COMMITMENT,
    action_plan_id,
    add_body,
    add_jurisdiction,
    line_location,
    slugify,
)
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.identity import Located, distinct_ids, text_hash, without_repeats, words_slug
from ingest.names import AmbiguousNameError, NameIndex
from ingest.registry import Registry
from ingest.themes import PLAN_THEMES_SCHEME, THEME_IN_SCHEME, Taxonomy, add_scheme, add_theme

COMMITMENT_HAS_THEME = RelationshipSpec(Rel.HAS_THEME, Label.COMMITMENT, Label.THEME)

HEADER_LINE = 2  # The first line is a column index; the header is the second.
SIGNATURE_COLUMNS = frozenset({"Country", "Action Plan Number", "Comm No", "Commitment Title"})
# Personal data: never read, never stored.
CONTACT_COLUMNS = frozenset(
    {"Contact Name", "Contact Position", "Contact Email", "Contact Telephone"}
)
NO_VALUE = frozenset({"NR", "ND", "NA", "N/A", ""})
# Cell values that name no institution.
NOT_AN_INSTITUTION = frozenset(
    {
        "none specified", "unclear", "none", "not specified", "nr", "nd", "na", "n/a", "tbd",
        "other government departments", "relevant agencies", "all information holders", "all ministries",
    }
)  # fmt: skip
CSO_PREFIX = re.compile(r"^\s*(?:CSOs?|Civil society(?: organi[sz]ations)?)\s*:\s*", re.IGNORECASE)
BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
LEADING_NUMBER = re.compile(r"^\s*[\dA-Za-z]{0,3}(?:\.\d+)*\s*[.)]\s+(?=\S)")
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
CONNECTIVES = frozenset(
    {"de", "del", "la", "las", "los", "el", "y", "of", "for", "and", "the", "on", "in"}
)


def _no_value(value: object) -> object:
    if isinstance(value, str) and value.strip() in NO_VALUE:
        return None
    return value.strip() if isinstance(value, str) else value


def _enum(mapping: Mapping[str, StrEnum]) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if value is None:
            return None
        key = str(value).strip().lower()
        if key not in mapping:
            raise ValueError(f"unexpected value {value!r} (expected one of {sorted(set(mapping))})")
        return mapping[key]

    return convert


def _flag(value: object) -> object:
    if value is None:
        return None
    if value in ("0", "1"):
        return value == "1"
    raise ValueError(f"expected 0 or 1, not {value!r}")


Optional = Annotated[str | None, BeforeValidator(_no_value)]
Flag = Annotated[bool | None, BeforeValidator(_flag), BeforeValidator(_no_value)]
Year = Annotated[Annotated[int, Field(ge=1990, le=2100)] | None, BeforeValidator(_no_value)]
# The file's labels for each IRM rating, matched without regard to case.
COMPLETION_LABELS: dict[str, Completion] = {
    "a. not started": Completion.NOT_STARTED, "b. limited": Completion.LIMITED,
    "c. substantial": Completion.SUBSTANTIAL, "d. complete": Completion.COMPLETE,
    "withdrawn": Completion.WITHDRAWN, "unclear": Completion.UNCLEAR,
}  # fmt: skip
SPECIFICITY_LABELS: dict[str, Specificity] = {
    "none": Specificity.NONE, "a. low": Specificity.LOW,
    "b. medium": Specificity.MEDIUM, "c. high": Specificity.HIGH,
}  # fmt: skip
IMPACT_LABELS: dict[str, PotentialImpact] = {impact.value: impact for impact in PotentialImpact}
CHANGE_LABELS: dict[str, CompletionChange] = {
    "no change": CompletionChange.NO_CHANGE, "increase": CompletionChange.INCREASE,
    "decrease": CompletionChange.DECREASE,
}  # fmt: skip
OPENED_LABELS: dict[str, OpenedGovernment] = {
    "a. worsened": OpenedGovernment.WORSENED, "b. none": OpenedGovernment.DID_NOT_CHANGE,
    "c. marginal": OpenedGovernment.MARGINAL, "d. major": OpenedGovernment.MAJOR,
    "e. outstanding": OpenedGovernment.OUTSTANDING,
}  # fmt: skip

CompletionCell = Annotated[
    Completion | None, BeforeValidator(_enum(COMPLETION_LABELS)), BeforeValidator(_no_value)
]
SpecificityCell = Annotated[
    Specificity | None, BeforeValidator(_enum(SPECIFICITY_LABELS)), BeforeValidator(_no_value)
]
ImpactCell = Annotated[
    PotentialImpact | None, BeforeValidator(_enum(IMPACT_LABELS)), BeforeValidator(_no_value)
]
ChangeCell = Annotated[
    CompletionChange | None, BeforeValidator(_enum(CHANGE_LABELS)), BeforeValidator(_no_value)
]
OpenedCell = Annotated[
    OpenedGovernment | None, BeforeValidator(_enum(OPENED_LABELS)), BeforeValidator(_no_value)
]


class CommitmentRow(BaseModel):
    """The columns ogkg reads from one row, by their names in the file (contact columns excluded)."""

    model_config = ConfigDict(extra="forbid")

    country: str = Field(alias="Country", min_length=1)
    plan_number: int = Field(alias="Action Plan Number", ge=1, le=20)
    theme: Optional = Field(alias="Theme")
    code: Optional = Field(alias="Comm No")
    title: str = Field(alias="Commitment Title", min_length=1)
    short_title: Optional = Field(alias="Short Title")
    full_text: Optional = Field(alias="Full Text")
    start_date: Optional = Field(alias="Start Date")
    end_date: Optional = Field(alias="End Date")
    lead: Optional = Field(alias="Lead Institution")
    supporting: Optional = Field(alias="Supporting Institution(s)")
    specificity: SpecificityCell = Field(alias="Specificity")
    relevant: Flag = Field(alias="_Relevant")
    potential_impact: ImpactCell = Field(alias="Potential impact")
    completion_progress: CompletionCell = Field(alias="Completion (progress report)")
    starred_pre_2014: Flag = Field(alias="Starred (pre-June 2014 assessments)")
    starred_2015: Flag = Field(alias="Starred (2015 only)")
    starred_progress: Flag = Field(alias="Starred (current formula) progress report")
    irm_assessed: Flag = Field(alias="IRM Assessed (Y/N)?")
    year_of_submission: Year = Field(alias="Year of submission")
    progress_report_year: Year = Field(alias="Report publication year (progress report)")
    end_of_term_report_year: Year = Field(alias="Report publication year (end of term)")
    completion_end_of_term: CompletionCell = Field(alias="Completion (end of term)")
    completion_change: ChangeCell = Field(alias="Change in completion")
    opened_government: OpenedCell = Field(alias="Did it open government (end of term only)")
    starred_end_of_term: Flag = Field(alias="Starred (current formula) end of term")
    tags: dict[str, bool] = Field(default_factory=dict)


READ_COLUMNS = frozenset(
    info.alias for name, info in CommitmentRow.model_fields.items() if info.alias is not None
)


def is_ogp_commitments(first_rows: list[list[str]]) -> bool:
    return len(first_rows) >= HEADER_LINE and set(first_rows[HEADER_LINE - 1]) >= SIGNATURE_COLUMNS


@dataclass(frozen=True)
class Institution:
    name: str
    body_id: str | None
    abbreviation: str | None
    civil_society: bool


@dataclass
class ParsedRow:
    line: int
    row: CommitmentRow
    leads: list[Institution] = field(default_factory=list)
    supporters: list[Institution] = field(default_factory=list)


def read_commitment_rows(file: TextFile, taxonomy: Taxonomy) -> Iterator[tuple[int, CommitmentRow]]:
    """Validated rows with their line numbers; the first bad cell raises, naming its column."""
    reader = csv.reader(io.StringIO(file.text, newline=""))
    next(reader, None)
    header = next(reader, None) or []
    tag_columns = taxonomy.theme_for_column()
    wanted = (READ_COLUMNS | set(tag_columns)) - CONTACT_COLUMNS
    missing = sorted(column for column in wanted if column not in header)
    if missing:
        raise IngestError(file.path, f"missing column(s): {', '.join(missing)}", line=HEADER_LINE)
    positions = {column: header.index(column) for column in wanted}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise IngestError(
                file.path, f"{len(cells)} cells where the header has {len(header)}", line=line
            )
        values: dict[str, Any] = {
            column: cells[index] for column, index in positions.items() if column in READ_COLUMNS
        }
        tags: dict[str, bool] = {}
        for column, theme_id in tag_columns.items():
            raw = cells[positions[column]].strip()
            if raw not in ("0", "1") and raw not in NO_VALUE:
                raise IngestError(
                    file.path, f"expected 0, 1 or no value, not {raw!r}", line=line, field=column
                )
            tags[theme_id] = raw == "1"
        values["tags"] = tags
        try:
            yield line, CommitmentRow.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            raise IngestError(
                file.path, first["msg"], line=line, field=_column_of(first["loc"])
            ) from None


def _column_of(location: tuple[int | str, ...]) -> str | None:
    if not location:
        return None
    info = CommitmentRow.model_fields.get(str(location[0]))
    return info.alias if info is not None and info.alias else str(location[0])


def strip_number(title: str) -> str:
    return LEADING_NUMBER.sub("", title, count=1).strip()


def leading_integer(code: str) -> int | None:
    match = re.match(r"\s*(\d+)", code)
    return int(match.group(1)) if match else None


def _text_with_breaks(cell: str, names: NameIndex) -> str:
    """Turn HTML line breaks into spaces where they wrap a name, into separators where they list."""
    as_spaces = BREAK.sub(" ", cell)
    mentions = split_actors(as_spaces, names, and_separates=False).mentions
    if mentions and all(mention.body_id for mention in mentions):
        return as_spaces
    parts = BREAK.split(cell)
    text = parts[0]
    for part in parts[1:]:
        previous = text.split()[-1].lower() if text.split() else ""
        wraps = bool(part) and (part[0].islower() or previous in CONNECTIVES)
        text += (" " if wraps else "; ") + part
    return text


def institutions(cell: str | None, names: NameIndex) -> list[Institution]:
    if cell is None or cell.strip().lower() in NOT_AN_INSTITUTION:
        return []
    civil_society = bool(CSO_PREFIX.match(cell))
    text = _text_with_breaks(CSO_PREFIX.sub("", cell, count=1), names)
    found: list[Institution] = []
    for mention in split_actors(text, names, and_separates=False).mentions:
        name = mention.text.strip(" .;:-")
        if not name or name.lower() in NOT_AN_INSTITUTION or not any(c.isalpha() for c in name):
            continue
        if mention.body_id is None and not name[0].isupper() and not name[0].isdigit():
            continue  # A fragment of running text ("in cooperation with the"), not a name.
        found.append(Institution(name, mention.body_id, mention.abbreviation, civil_society))
    return found


def country_names(registry: Registry, country_id: str) -> NameIndex:
    """Registry bodies that can appear in a country's rows: its own, its parts', and international ones."""
    places = {
        country_id,
        *(j.id for j in registry.jurisdictions.values() if j.parent_id == country_id),
    }
    index = NameIndex()
    for body in registry.bodies.values():
        if body.jurisdiction_id is None or body.jurisdiction_id in places:
            for name in (body.name, *body.aliases):
                index.add(name, body.id)
    return index


def commitments_batch(
    file: TextFile, registry: Registry, taxonomy: Taxonomy, source: Source
) -> GraphBatch:
    """Parse every row (so one bad row refuses the file), then build the batch from the whole file.

    Rows are taken in an order of their own content, not the file's, so entity resolution, ids and
    every property come out the same however the file is ordered; only locations follow the rows.
    """
    located = [Located(line, row) for line, row in read_commitment_rows(file, taxonomy)]
    if not located:
        raise IngestError(file.path, "no commitment rows")
    rows, repeats = without_repeats(located, row_content)
    ids = commitment_ids(file.path, registry, rows)
    batch = GraphBatch(source)
    batch.notes.extend(repeat.note(file.path) for repeat in repeats)
    by_country: dict[str, list[ParsedRow]] = {}
    for item in sorted(rows, key=lambda item: reading_order(item.row)):
        by_country.setdefault(item.row.country, []).append(ParsedRow(item.line, item.row))
    for country, items in sorted(by_country.items()):
        _add_country(batch, registry, taxonomy, country, items, ids=ids)
    return batch


def reading_order(row: CommitmentRow) -> tuple[str, int, tuple[tuple[int, str], ...], str]:
    """The order rows are read in, whatever their order in the file: plan, then code, then content.

    Names learned from one row help read the next (see `_add_country`), so the order matters;
    taking the rows by plan and code reads them as the plans list them.
    """
    code = tuple(
        (int(part), "") if part.isdigit() else (0, part)
        for part in re.findall(r"\d+|[^\d\W]+", row.code or "")
    )
    return row.country, row.plan_number, code, row_content(row)


def row_content(row: CommitmentRow) -> str:
    """Everything ogkg reads from a row, as one comparable value."""
    return row.model_dump_json()


def commitment_ids(
    path: Path, registry: Registry, rows: Sequence[Located[CommitmentRow]]
) -> dict[int, str]:
    """Each row's commitment id, by line: its plan and code, qualified only where codes repeat.

    `{plan}-c{code}` where the code is the plan's only one of its kind; where a plan has no code
    for a commitment or gives one code to several, the title's first words are added, then (while
    still needed) the short title's, the full text's, and a digest of the full text. Rows still
    alike after that are refused.
    """
    by_plan: dict[str, list[Located[CommitmentRow]]] = {}
    for located in rows:
        plan_id = action_plan_id(
            _country_id(registry, located.row.country), located.row.plan_number
        )
        by_plan.setdefault(plan_id, []).append(located)
    ids: dict[int, str] = {}
    for plan_id, plan_rows in by_plan.items():

        def base(row: CommitmentRow, plan_id: str = plan_id) -> str:
            if row.code:
                return f"{plan_id}-c{slugify(row.code)}"
            return f"{plan_id}-{words_slug(strip_number(row.title))}"

        ids.update(
            distinct_ids(
                path,
                plan_rows,
                base,
                (
                    lambda row: words_slug(strip_number(row.title)) if row.code else "",
                    lambda row: words_slug(strip_number(row.short_title or "")),
                    lambda row: words_slug(row.full_text),
                    lambda row: text_hash(row.full_text) if row.full_text else "",
                ),
                "commitment",
            )
        )
    return ids


def _country_id(registry: Registry, country: str) -> str:
    return registry.jurisdiction_names.lookup(country) or slugify(country)


def _add_country(
    batch: GraphBatch,
    registry: Registry,
    taxonomy: Taxonomy,
    country: str,
    items: list[ParsedRow],
    *,
    ids: Mapping[int, str],
) -> None:
    country_id = _country_id(registry, country)
    first_location = line_location(items[0].line)
    if country_id in registry.jurisdictions:
        add_jurisdiction(batch, registry, country_id, first_location)
    elif not batch.has_node(Label.JURISDICTION, country_id):
        batch.add_node(
            Label.JURISDICTION,
            NodeRow(
                id=country_id,
                properties={
                    "name": country,
                    "level": JurisdictionLevel.COUNTRY.value,
                    "aliases": [],
                },
                location=first_location,
            ),
        )
    names = country_names(registry, country_id)
    # First pass: learn "Full Name (ABBR)" pairs so a bare "ABBR" elsewhere resolves to the same body.
    discovered: dict[str, Body] = {}
    for item in items:
        for cell, lead in ((item.row.lead, True), (item.row.supporting, False)):
            for found in institutions(cell, names):
                if found.body_id is None:
                    _discover(discovered, names, country_id, found, lead)
    for item in items:
        item.leads = institutions(item.row.lead, names)
        item.supporters = institutions(item.row.supporting, names)
    plan_years: dict[int, Counter[int]] = {}
    for item in items:
        row, location = item.row, line_location(item.line)
        plan_id = action_plan_id(country_id, row.plan_number)
        if not batch.has_node(Label.ACTION_PLAN, plan_id):
            batch.add_node(
                Label.ACTION_PLAN,
                NodeRow(
                    id=plan_id,
                    properties={
                        "number": row.plan_number,
                        "title": f"{registry.jurisdictions[country_id].name if country_id in registry.jurisdictions else country} OGP action plan {row.plan_number}",
                    },
                    location=location,
                ),
            )
            batch.add_relationship(
                PLAN_FOR_JURISDICTION,
                RelationshipRow(start_id=plan_id, end_id=country_id, location=location),
            )
        if row.year_of_submission is not None:
            plan_years.setdefault(row.plan_number, Counter())[row.year_of_submission] += 1
        commitment_id = ids[item.line]
        batch.add_node(
            Label.COMMITMENT,
            NodeRow(id=commitment_id, properties=_commitment_properties(row), location=location),
        )
        batch.add_relationship(
            PLAN_HAS_COMMITMENT,
            RelationshipRow(start_id=plan_id, end_id=commitment_id, location=location),
        )
        for found in item.leads:
            body = _body(registry, discovered, names, country_id, found, lead=True)
            add_body(batch, registry, body, location)
            batch.add_relationship(
                BODY_LEADS,
                RelationshipRow(start_id=body.id, end_id=commitment_id, location=location),
            )
        for found in item.supporters:
            body = _body(registry, discovered, names, country_id, found, lead=False)
            add_body(batch, registry, body, location)
            role = PartnerRole.CIVIL_SOCIETY if found.civil_society else PartnerRole.SUPPORTING
            batch.add_relationship(
                BODY_PARTNERS_IN,
                RelationshipRow(
                    start_id=body.id,
                    end_id=commitment_id,
                    key=role.value,
                    properties={"role": role.value},
                    location=location,
                ),
            )
        for theme_id, tagged in row.tags.items():
            if tagged:
                add_theme(batch, taxonomy, theme_id, location)
                batch.add_relationship(
                    COMMITMENT_HAS_THEME,
                    RelationshipRow(start_id=commitment_id, end_id=theme_id, location=location),
                )
        if row.theme:
            theme_id = _add_plan_theme(batch, taxonomy, country_id, row.theme, location)
            batch.add_relationship(
                COMMITMENT_HAS_THEME,
                RelationshipRow(start_id=commitment_id, end_id=theme_id, location=location),
            )
    for number, years in plan_years.items():
        plan = batch.nodes[Label.ACTION_PLAN][action_plan_id(country_id, number)]
        plan.properties["periodStart"] = min(years)
        # The year most rows give; on a tie, the earliest.
        plan.properties["yearOfSubmission"] = min(years, key=lambda year: (-years[year], year))


def _discover(
    discovered: dict[str, Body], names: NameIndex, country_id: str, found: Institution, lead: bool
) -> Body:
    """The body an unknown name stands for: one met before (by name or abbreviation) or a new one."""
    known = names.lookup(found.name)
    if known is None and found.abbreviation:
        known = names.lookup(found.abbreviation)
    if known is not None and known in discovered:
        body = discovered[known]
        if found.abbreviation and body.name.casefold() == found.abbreviation.casefold():
            # Met by its abbreviation first: the full name becomes its name (its id stays).
            aliases = (body.name, *(a for a in body.aliases if a != found.name))
            body = body.model_copy(update={"name": found.name, "aliases": aliases})
            discovered[body.id] = body
        elif found.name.casefold() != body.name.casefold() and found.name not in body.aliases:
            body = body.model_copy(update={"aliases": (*body.aliases, found.name)})
            discovered[body.id] = body
        _learn(names, found, body.id)
        return body
    kind = (
        BodyKind.GOVERNMENT_BODY
        if lead
        else BodyKind.CIVIL_SOCIETY
        if found.civil_society
        else BodyKind.UNCLASSIFIED
    )
    body = Body(
        id=f"{country_id}-{slugify(found.name)}"[:100],
        name=found.name,
        kind=kind,
        jurisdiction_id=country_id,
        aliases=(found.abbreviation,) if found.abbreviation else (),
    )
    if body.id in discovered:  # Same slug, different spelling: one body.
        return discovered[body.id]
    discovered[body.id] = body
    _learn(names, found, body.id)
    return body


def _learn(names: NameIndex, found: Institution, body_id: str) -> None:
    """Remember a name and its abbreviation; a name already given to another body stays with it."""
    for name in (found.name, found.abbreviation):
        if name:
            with contextlib.suppress(AmbiguousNameError):
                names.add(name, body_id)


def _body(
    registry: Registry,
    discovered: dict[str, Body],
    names: NameIndex,
    country_id: str,
    found: Institution,
    *,
    lead: bool,
) -> Body:
    body_id = found.body_id or names.lookup(found.name)
    if body_id is not None and body_id in registry.bodies:
        return registry.bodies[body_id]
    if body_id is not None and body_id in discovered:
        return discovered[body_id]
    return _discover(discovered, names, country_id, found, lead)


def _add_plan_theme(
    batch: GraphBatch, taxonomy: Taxonomy, country_id: str, heading: str, location: str
) -> str:
    name = strip_number(heading) or heading
    theme_id = f"{country_id}-plan-theme-{slugify(name)}"[:100]
    if not batch.has_node(Label.THEME, theme_id):
        add_scheme(batch, taxonomy.schemes[PLAN_THEMES_SCHEME], location)
        batch.add_node(
            Label.THEME,
            NodeRow(
                id=theme_id,
                properties={"name": name, "scheme": PLAN_THEMES_SCHEME},
                location=location,
            ),
        )
        batch.add_relationship(
            THEME_IN_SCHEME,
            RelationshipRow(start_id=theme_id, end_id=PLAN_THEMES_SCHEME, location=location),
        )
    return theme_id


def _year(text: str | None) -> int | None:
    match = YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _value(rating: StrEnum | None) -> str | None:
    return rating.value if rating is not None else None


def _commitment_properties(row: CommitmentRow) -> dict[str, Any]:
    return {
        "number": leading_integer(row.code or ""),
        "code": row.code,
        "title": strip_number(row.title) or row.title,
        "shortTitle": strip_number(row.short_title) if row.short_title else None,
        "fullText": row.full_text,
        "startDateText": row.start_date,
        "endDateText": row.end_date,
        "startYear": _year(row.start_date),
        "endYear": _year(row.end_date),
        "irmAssessed": row.irm_assessed,
        "specificity": _value(row.specificity),
        "relevantToOgpValues": row.relevant,
        "potentialImpact": _value(row.potential_impact),
        "completionProgressReport": _value(row.completion_progress),
        "completionEndOfTerm": _value(row.completion_end_of_term),
        "completionChange": _value(row.completion_change),
        "openedGovernment": _value(row.opened_government),
        "starredPreJune2014": row.starred_pre_2014,
        "starred2015": row.starred_2015,
        "starredProgressReport": row.starred_progress,
        "starredEndOfTerm": row.starred_end_of_term,
        "yearOfSubmission": row.year_of_submission,
        "progressReportYear": row.progress_report_year,
        "endOfTermReportYear": row.end_of_term_report_year,
    }


def first_rows(file: TextFile, count: int = 2) -> list[list[str]]:
    reader = csv.reader(io.StringIO(file.text, newline=""))
    rows: list[list[str]] = []
    for cells in reader:
        rows.append([cell.strip() for cell in cells])
        if len(rows) == count:
            break
    return rows
