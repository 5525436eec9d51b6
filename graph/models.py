"""Pydantic models of the graph's entities, as ingest writes them and queries return them."""

from pydantic import BaseModel, ConfigDict, Field

from graph.vocabulary import BodyKind, JurisdictionLevel, PartnerRole


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


class Body(Model):
    id: str
    name: str
    kind: BodyKind
    jurisdiction_id: str | None = None
    aliases: tuple[str, ...] = ()


class ActionPlan(Model):
    id: str
    number: int
    title: str
    period_start: int | None = None
    period_end: int | None = None
    jurisdiction_id: str


class Commitment(Model):
    id: str
    number: int
    title: str
    summary: str | None = None
    action_plan_id: str


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
