"""Read the four registers of public bodies into checked entries: names, identifiers, nation, parents."""

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.identifiers import IdentifierScheme
from graph.vocabulary import BodyKind
from graph.writes import PropertyValue
from ingest.errors import IngestError
from ingest.files import TextFile

COPBT_FILE = "uk-public-bodies-directory-2023-24.csv"
ONS_FILE = "ons-public-sector-classification-2017.csv"
WDTK_FILE = "whatdotheyknow-scottish-authorities-2023.csv"
GOVUK_FILE = "govuk-organisations-2017.jsonl"
REGISTER_FILES = (COPBT_FILE, GOVUK_FILE, WDTK_FILE, ONS_FILE)

Text = Annotated[str, Field(min_length=1)]
YesNo = Literal["Yes", "No"]
NOT_GIVEN = frozenset({"n/a", "n / a", "na", "none", "-"})

# Sponsoring entities and regional scopes that place a body in one nation.
DEVOLVED_SPONSORS = {
    "sg": "scotland",
    "se": "scotland",
    "scottish government": "scotland",
    "wg": "wales",
    "welsh government": "wales",
    "naw": "wales",
    "nia": "northern-ireland",
    "northern ireland assembly": "northern-ireland",
    "del(ni)": "northern-ireland",
}
SPONSORING_DEPARTMENT = "sponsoring department"
REGIONAL_SCOPES = {
    "Scotland": "scotland",
    "Wales": "wales",
    "Northern Ireland": "northern-ireland",
    "England": "england",
}


@dataclass(frozen=True)
class ParentClaim:
    """A register names a body's parent: by name, abbreviation or identifier, and on what basis."""

    basis: str
    name: str | None = None
    identifier: tuple[IdentifierScheme, str] | None = None


@dataclass(frozen=True)
class Entry:
    """One register row: the body it states, as that register writes it."""

    source: str
    line: int
    name: str
    kind: BodyKind
    nation: str | None = None
    local_authority_gss: str | None = None
    abbreviations: tuple[str, ...] = ()
    identifiers: tuple[tuple[IdentifierScheme, str], ...] = ()
    properties: dict[str, PropertyValue] = field(default_factory=dict)
    parents: tuple[ParentClaim, ...] = ()
    owner_id: str | None = None  # the id a curated or plan source already gives the body


Row = TypeVar("Row", bound=BaseModel)


def _given(value: str) -> str | None:
    cleaned = value.strip()
    return cleaned if cleaned and cleaned.lower() not in NOT_GIVEN else None


def _validate(file: TextFile, line: int, model: type[Row], values: dict[str, object]) -> Row:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        column = str(first["loc"][0]) if first["loc"] else None
        raise IngestError(file.path, first["msg"], line=line, field=column) from None


def csv_rows(file: TextFile, model: type[Row]) -> list[tuple[int, Row]]:
    """Each row validated by `model` (by column name); a bad row names file, line and column."""
    reader = csv.DictReader(io.StringIO(file.text, newline=""))
    header = reader.fieldnames or []
    wanted = [info.alias or name for name, info in model.model_fields.items()]
    missing = [column for column in wanted if column not in header]
    if missing:
        raise IngestError(file.path, f"missing column(s): {', '.join(missing)}", line=1)
    rows: list[tuple[int, Row]] = []
    end = reader.line_num
    try:
        for record in reader:
            # A cell may hold line breaks: a row is located by the line it starts on.
            line, end = end + 1, reader.line_num
            if None in record or None in record.values():
                raise IngestError(file.path, "cells do not match the header", line=line)
            values = {k: v.strip() for k, v in record.items() if k and _given(v or "")}
            rows.append((line, _validate(file, line, model, values)))
    except csv.Error as error:
        raise IngestError(file.path, f"malformed CSV: {error}", line=reader.line_num) from None
    if not rows:
        raise IngestError(file.path, "no data rows")
    return rows


# -- Cabinet Office Public Bodies Directory ------------------------------------------------------


class CopbtRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Text = Field(alias="overall_alb_name")
    uid: str | None = Field(
        default=None,
        alias="overall_copbt_uid",
        pattern=r"^PBTUID-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
    )
    short_name: str | None = Field(default=None, alias="overall_alb_short_name")
    parent_department: str | None = Field(default=None, alias="overall_parent_department")
    classification: Text = Field(alias="overall_classification")
    regional_scope: str | None = Field(default=None, alias="overall_regional_scope")
    public_meetings: YesNo = Field(alias="accountability_public_meetings")
    public_minutes: YesNo = Field(alias="accountability_public_minutes")
    register_of_interests: YesNo = Field(alias="accountability_register_of_interests")
    financial_year: Text = Field(alias="overall_financial_year")


def copbt_entries(file: TextFile) -> list[Entry]:
    entries: list[Entry] = []
    for line, row in csv_rows(file, CopbtRow):
        entries.append(
            Entry(
                source=file.path.name,
                line=line,
                name=row.name,
                kind=BodyKind.GOVERNMENT_BODY,
                nation=REGIONAL_SCOPES.get(row.regional_scope or ""),
                abbreviations=(row.short_name,) if row.short_name else (),
                identifiers=((IdentifierScheme.COPBT, row.uid),) if row.uid else (),
                properties={
                    "copbtClassification": row.classification,
                    "copbtRegionalScope": row.regional_scope,
                    "copbtFinancialYear": row.financial_year,
                    "holdsPublicMeetings": row.public_meetings == "Yes",
                    "publishesMinutes": row.public_minutes == "Yes",
                    "hasRegisterOfInterests": row.register_of_interests == "Yes",
                },
                parents=(
                    (ParentClaim(SPONSORING_DEPARTMENT, name=row.parent_department),)
                    if row.parent_department and row.parent_department != row.name
                    else ()
                ),
            )
        )
    return entries


# -- ONS Public Sector Classification Guide ------------------------------------------------------


class OnsRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    organisation: Text
    sector: Literal["Central Government", "Local Government", "Non-Financial Corporations"] = Field(
        alias="ons_sector_sheet"
    )
    esa10: str | None = Field(default=None, alias="esa10_subsector", pattern=r"^S\.\d{2,5}")
    subsidiary_of_1: str | None = None
    subsidiary_of_2: str | None = None
    sponsoring_entity: str | None = None
    sub_category: str | None = None


def ons_nation(sponsor: str | None) -> str | None:
    """The nation a sponsoring entity places a body in: SG, WG, NIA: … ; None for UK or local."""
    if sponsor is None:
        return None
    code = sponsor.strip().lower()
    if code.startswith("nia"):
        return "northern-ireland"
    return DEVOLVED_SPONSORS.get(code)


def ons_entries(file: TextFile) -> list[Entry]:
    entries: list[Entry] = []
    for line, row in csv_rows(file, OnsRow):
        parents = [
            ParentClaim("subsidiary of", name=name)
            for name in (row.subsidiary_of_1, row.subsidiary_of_2)
            if name
        ]
        # "BEIS / DWP": sponsored jointly, one parent each.
        for sponsor in (row.sponsoring_entity or "").split("/"):
            if sponsor.strip() and sponsor.strip() != "LA":
                parents.append(ParentClaim("sponsoring entity", name=sponsor.strip()))
        entries.append(
            Entry(
                source=file.path.name,
                line=line,
                name=row.organisation,
                kind=(
                    BodyKind.LOCAL_AUTHORITY
                    if row.sector == "Local Government"
                    else BodyKind.GOVERNMENT_BODY
                ),
                nation=ons_nation(row.sponsoring_entity),
                properties={
                    "onsSector": row.sector,
                    "onsEsa10Subsector": row.esa10,
                    "onsCategory": row.sub_category,
                    "onsSponsoringEntity": row.sponsoring_entity,
                },
                parents=tuple(parents),
            )
        )
    return entries


# -- WhatDoTheyKnow: Scottish authorities --------------------------------------------------------


class WdtkRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Text
    url_name: Text = Field(alias="wdtk_url_name", pattern=r"^[a-z0-9_]+$")
    # Some rows give several values, separated by ";": the first is the body's identifier.
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+(;Q\d+)*$")
    gss: str | None = Field(default=None, pattern=r"^[ENSWK]\d{8}$")
    companies_house: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]+(;[A-Za-z0-9]+)*$")
    charity: str | None = Field(default=None, pattern=r"^SC[0-9O]+(;SC[0-9O]+)*$")
    tags: str | None = Field(default=None, alias="all_tags")


WDTK_KINDS = {
    "local_council": BodyKind.LOCAL_AUTHORITY,
    "regulator": BodyKind.REGULATOR,
}


def wdtk_entries(file: TextFile) -> list[Entry]:
    entries: list[Entry] = []
    for line, row in csv_rows(file, WdtkRow):
        tags = tuple(sorted(t for t in (row.tags or "").split(",") if t and ":" not in t))
        kind = next(
            (WDTK_KINDS[tag] for tag in tags if tag in WDTK_KINDS), BodyKind.GOVERNMENT_BODY
        )
        schemes = (
            (IdentifierScheme.WDTK, row.url_name),
            (IdentifierScheme.GSS, row.gss if "local_council" in tags else None),
            (IdentifierScheme.WIKIDATA, row.wikidata),
            (IdentifierScheme.COMPANIES_HOUSE, (row.companies_house or "").upper()),
            (IdentifierScheme.SCOTTISH_CHARITY, row.charity),
        )
        entries.append(
            Entry(
                source=file.path.name,
                line=line,
                name=row.name,
                kind=kind,
                nation="scotland",
                local_authority_gss=row.gss if "local_council" in tags else None,
                identifiers=tuple((s, v.split(";")[0]) for s, v in schemes if v),
                properties={"wdtkTags": list(tags)},
            )
        )
    return entries


# -- GOV.UK organisations ------------------------------------------------------------------------


class GovukLink(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, Field(pattern=r"^https://www\.gov\.uk/api/organisations/[a-z0-9_-]+$")]


class GovukDetails(BaseModel):
    model_config = ConfigDict(extra="ignore")

    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    abbreviation: str | None = None
    govuk_status: Text
    closed_at: str | None = None


class GovukRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: Text
    format: Text
    details: GovukDetails
    parent_organisations: list[GovukLink] = []


GOVUK_KINDS = {
    "Ministerial department": BodyKind.UK_DEPARTMENT,
    "Devolved administration": BodyKind.DEVOLVED_GOVERNMENT,
}


def govuk_slug(link: GovukLink) -> str:
    return link.id.rsplit("/", 1)[1]


def govuk_entries(file: TextFile) -> list[Entry]:
    entries: list[Entry] = []
    for line, text in enumerate(file.text.splitlines(), start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            raise IngestError(file.path, f"not JSON: {error.msg}", line=line) from None
        if not isinstance(record, dict):
            raise IngestError(file.path, "not a JSON object", line=line)
        row = _validate(file, line, GovukRow, record)
        details = row.details
        abbreviation = (details.abbreviation or "").strip()
        entries.append(
            Entry(
                source=file.path.name,
                line=line,
                name=row.title.strip(),
                kind=GOVUK_KINDS.get(row.format, BodyKind.GOVERNMENT_BODY),
                abbreviations=(abbreviation,)
                if abbreviation and abbreviation != row.title.strip()
                else (),
                identifiers=((IdentifierScheme.GOVUK, details.slug),),
                properties={
                    "govukFormat": row.format,
                    "govukStatus": details.govuk_status,
                    "govukClosedAt": details.closed_at,
                },
                parents=tuple(
                    ParentClaim(
                        "parent organisation",
                        identifier=(IdentifierScheme.GOVUK, govuk_slug(parent)),
                    )
                    for parent in row.parent_organisations
                ),
            )
        )
    if not entries:
        raise IngestError(file.path, "no organisations")
    return entries
