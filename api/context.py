"""Per-request context: the signed-in principal, the database handle and DataLoaders that batch lookups by id."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader

from api.graph_sizes import GraphSizes
from api.prepared_reads import Preparation
from api.principal import Principal
from api.rate_limits import RateLimits
from graph import action_plans, bodies, commitments, connections, jurisdictions, knowledge, themes
from graph.connections import PartnerCount
from graph.database import Database
from graph.identifiers import IDENTIFIERS_BY_ID, Identifier
from graph.lookups import Lookup, LookupBatch
from graph.models import (
    ActionPlan,
    Body,
    Commitment,
    Jurisdiction,
    Lesson,
    Milestone,
    Partnership,
    Practice,
    SourceReference,
    Standard,
    Theme,
    ThemeScheme,
)
from graph.sources import SOURCES_BY_ID
from graph.vocabulary import Label

V = TypeVar("V")


def _loader(batch: LookupBatch, lookup: Lookup[Any]) -> DataLoader[str, Any]:
    async def load(keys: list[str]) -> list[Any]:
        return await batch.load(lookup, keys)

    return DataLoader(load_fn=load)


class LoaderOf(Generic[V]):
    """A `Loaders` attribute: its DataLoader, made on first use in a request and kept for the rest."""

    def __init__(self, lookup: Lookup[Any]) -> None:
        self.lookup = lookup

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, loaders: "Loaders", owner: type | None = None) -> DataLoader[str, V]:
        loader = _loader(loaders.batch, self.lookup)
        loaders.__dict__[self.name] = loader  # found before this descriptor from now on
        return loader


class Loaders:
    """One DataLoader per relation; all due together share one query, so a nesting level costs one.

    A request makes only the loaders its fields use.
    """

    jurisdiction = LoaderOf[Jurisdiction | None](jurisdictions.JURISDICTIONS_BY_ID)
    jurisdiction_parts = LoaderOf[list[Jurisdiction]](jurisdictions.PARTS_BY_JURISDICTION_ID)
    action_plan = LoaderOf[ActionPlan | None](action_plans.ACTION_PLANS_BY_ID)
    commitment = LoaderOf[Commitment | None](commitments.COMMITMENTS_BY_ID)
    plan_commitments = LoaderOf[list[Commitment]](commitments.COMMITMENTS_BY_ACTION_PLAN_ID)
    body = LoaderOf[Body | None](bodies.BODIES_BY_ID)
    commitment_leads = LoaderOf[list[Body]](bodies.LEADS_BY_COMMITMENT_ID)
    commitment_partnerships = LoaderOf[list[Partnership]](bodies.PARTNERSHIPS_BY_COMMITMENT_ID)
    body_leads = LoaderOf[list[Commitment]](commitments.COMMITMENTS_LED_BY_BODY_ID)
    body_partnerships = LoaderOf[list[Partnership]](bodies.PARTNERSHIPS_BY_BODY_ID)
    theme = LoaderOf[Theme | None](themes.THEMES_BY_ID)
    theme_narrower = LoaderOf[list[Theme]](themes.NARROWER_BY_THEME_ID)
    theme_scheme = LoaderOf[ThemeScheme | None](themes.SCHEMES_BY_ID)
    commitment_themes = LoaderOf[list[Theme]](themes.THEMES_BY_COMMITMENT_ID)
    standard = LoaderOf[Standard | None](knowledge.STANDARDS_BY_ID)
    practice = LoaderOf[Practice | None](knowledge.PRACTICES_BY_ID)
    lesson = LoaderOf[Lesson | None](knowledge.LESSONS_BY_ID)
    commitment_lessons = LoaderOf[list[Lesson]](knowledge.LESSONS_ABOUT_COMMITMENT_ID)
    commitment_milestones = LoaderOf[list[Milestone]](commitments.MILESTONES_BY_COMMITMENT_ID)
    practice_lessons = LoaderOf[list[Lesson]](knowledge.LESSONS_ABOUT_PRACTICE_ID)
    plan_lessons = LoaderOf[list[Lesson]](knowledge.LESSONS_ABOUT_PLAN_ID)
    body_partners = LoaderOf[list[PartnerCount]](connections.PARTNERS_BY_BODY_ID)
    body_parents = LoaderOf[list[Body]](bodies.PARENTS_BY_BODY_ID)
    body_parts = LoaderOf[list[Body]](bodies.PARTS_BY_BODY_ID)

    def __init__(self, database: Database) -> None:
        self.database = database
        self.batch = LookupBatch(database)

    @cached_property
    def identifiers(self) -> dict[Label, DataLoader[str, list[Identifier]]]:
        return {label: _loader(self.batch, lookup) for label, lookup in IDENTIFIERS_BY_ID.items()}

    @cached_property
    def sources(self) -> dict[Label, DataLoader[str, list[SourceReference]]]:
        return {label: _loader(self.batch, lookup) for label, lookup in SOURCES_BY_ID.items()}


@dataclass
class Context:
    request: Request
    response: Response
    database: Database
    loaders: Loaders
    principal: Principal | None  # who sent the request; None: anonymous
    rate_limits: RateLimits  # the process's limiter, for the mutation limit
    request_timeout: float  # seconds the request may run (OGKG_REQUEST_TIMEOUT)
    graph_sizes: GraphSizes  # the graph's statistics, for the cost estimate
    # What the request's planning and pricing found, kept for the next asking of its document.
    preparation: Preparation = field(default_factory=Preparation)


Info = strawberry.Info[Context, None]
