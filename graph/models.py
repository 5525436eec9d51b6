"""Pydantic models of the graph's entities, as ingest writes them and queries return them."""

import json
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph.vocabulary import (
    BodyKind,
    Completion,
    CompletionChange,
    JurisdictionLevel,
    OpenedGovernment,
    PartnerRole,
    PotentialImpact,
    Specificity,
)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(Model):
    """Where a fact came from: a `Source` id and a place in it (e.g. "line 31")."""

    source_id: str
    location: str


class Jurisdiction(Model):
    id: str
    name: str
    level: JurisdictionLevel
    parent_id: str | None = None
    aliases: tuple[str, ...] = ()
    gss_code: str | None = None
    authority_type: str | None = None


class ResolvedName(Model):
    """A name a source gives a body, and the resolver's rule that joined it to the body."""

    name: str
    source: str
    rule: str


def _parse_resolution(value: object) -> object:
    """Stored as JSON strings (a property holds no maps): one `{name, source, rule}` each."""
    if isinstance(value, list | tuple):
        return tuple(json.loads(item) if isinstance(item, str) else item for item in value)
    return value


class Accountability(Model):
    """What the Public Bodies Directory says a body practises."""

    holds_public_meetings: bool
    publishes_minutes: bool
    has_register_of_interests: bool


class Body(Model):
    id: str
    name: str
    kind: BodyKind
    jurisdiction_id: str | None = None
    aliases: tuple[str, ...] = ()
    status: str | None = None
    classification: str | None = None
    accountability: Accountability | None = None
    resolution: Annotated[tuple[ResolvedName, ...], BeforeValidator(_parse_resolution)] = ()


class ActionPlan(Model):
    id: str
    number: int | None = None
    title: str
    period_start: int | None = None
    period_end: int | None = None
    jurisdiction_id: str
    ogp_membership: str | None = None
    chapter_of_id: str | None = None


class IrmAssessment(Model):
    """What the OGP Independent Reporting Mechanism found about a commitment."""

    assessed: bool | None = None
    specificity: Specificity | None = None
    relevant_to_ogp_values: bool | None = None
    potential_impact: PotentialImpact | None = None
    completion_progress_report: Completion | None = None
    completion_end_of_term: Completion | None = None
    completion_change: CompletionChange | None = None
    opened_government: OpenedGovernment | None = None
    starred_progress_report: bool | None = None
    starred_end_of_term: bool | None = None
    progress_report_year: int | None = None
    end_of_term_report_year: int | None = None


class Commitment(Model):
    id: str
    number: int | None = None
    code: str | None = None
    title: str
    short_title: str | None = None
    summary: str | None = None
    full_text: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    action_plan_id: str | None = None
    irm: IrmAssessment | None = None
    ogp_id: str | None = None
    policy_areas: tuple[str, ...] = ()


class Milestone(Model):
    """A step of a commitment in a year, with its status as a progress report gave it."""

    id: str
    year: int
    text: str
    status: str | None = None


class ThemeScheme(Model):
    id: str
    name: str
    description: str | None = None


class Theme(Model):
    id: str
    name: str
    scheme_id: str
    broader_id: str | None = None


class Partnership(Model):
    """A body's part in a commitment other than leading it."""

    body_id: str
    commitment_id: str
    role: PartnerRole


class Source(Model):
    """An ingested file."""

    id: str
    title: str
    publisher: str | None = None
    licence: str | None = None
    path: str
    checksum: str = Field(description="sha256 of the file's bytes")


class SourceReference(Model):
    """A source that states a fact, and where in it: its title, publisher and licence."""

    id: str
    title: str
    publisher: str | None = None
    licence: str | None = None
    location: str


class Standard(Model):
    id: str
    name: str
    publisher: str | None = None
    description: str | None = None


class Practice(Model):
    id: str
    name: str
    description: str | None = None
    version: int = 1
    jurisdiction_ids: tuple[str, ...] = ()
    commitment_ids: tuple[str, ...] = ()
    body_ids: tuple[str, ...] = ()
    standard_ids: tuple[str, ...] = ()
    theme_ids: tuple[str, ...] = ()
    # A case of a case library (Participedia): its page, years, scale, methods and topics.
    participedia_id: str | None = None
    url: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    ongoing: bool | None = None
    number_of_participants: int | None = None
    methods: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    sources: tuple[SourceReference, ...] = ()


class Lesson(Model):
    """A finding a source records, and where: `evidence_source_id` at `evidence_location`."""

    id: str
    statement: str
    evidence_source_id: str
    evidence_location: str
    version: int = 1
    commitment_ids: tuple[str, ...] = ()
    practice_ids: tuple[str, ...] = ()
    theme_ids: tuple[str, ...] = ()
    jurisdiction_ids: tuple[str, ...] = ()
