"""Per-request context: the signed-in principal, the database handle and DataLoaders that batch lookups by id."""

from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader

from api.graph_sizes import GraphSizes
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
    Standard,
    Theme,
    ThemeScheme,
)
from graph.vocabulary import Label


def _loader(batch: LookupBatch, lookup: Lookup[Any]) -> DataLoader[str, Any]:
    async def load(keys: list[str]) -> list[Any]:
        return await batch.load(lookup, keys)

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    """One DataLoader per relation; all due together share one query, so a nesting level costs one."""

    database: Database
    jurisdiction: DataLoader[str, Jurisdiction | None] = field(init=False)
    jurisdiction_parts: DataLoader[str, list[Jurisdiction]] = field(init=False)
    action_plan: DataLoader[str, ActionPlan | None] = field(init=False)
    commitment: DataLoader[str, Commitment | None] = field(init=False)
    plan_commitments: DataLoader[str, list[Commitment]] = field(init=False)
    body: DataLoader[str, Body | None] = field(init=False)
    commitment_leads: DataLoader[str, list[Body]] = field(init=False)
    commitment_partnerships: DataLoader[str, list[Partnership]] = field(init=False)
    body_leads: DataLoader[str, list[Commitment]] = field(init=False)
    body_partnerships: DataLoader[str, list[Partnership]] = field(init=False)
    theme: DataLoader[str, Theme | None] = field(init=False)
    theme_narrower: DataLoader[str, list[Theme]] = field(init=False)
    theme_scheme: DataLoader[str, ThemeScheme | None] = field(init=False)
    commitment_themes: DataLoader[str, list[Theme]] = field(init=False)
    standard: DataLoader[str, Standard | None] = field(init=False)
    practice: DataLoader[str, Practice | None] = field(init=False)
    lesson: DataLoader[str, Lesson | None] = field(init=False)
    commitment_lessons: DataLoader[str, list[Lesson]] = field(init=False)
    commitment_milestones: DataLoader[str, list[Milestone]] = field(init=False)
    practice_lessons: DataLoader[str, list[Lesson]] = field(init=False)
    plan_lessons: DataLoader[str, list[Lesson]] = field(init=False)
    body_partners: DataLoader[str, list[PartnerCount]] = field(init=False)
    identifiers: dict[Label, DataLoader[str, list[Identifier]]] = field(init=False)
    body_parents: DataLoader[str, list[Body]] = field(init=False)
    body_parts: DataLoader[str, list[Body]] = field(init=False)

    def __post_init__(self) -> None:
        batch = LookupBatch(self.database)
        self.jurisdiction = _loader(batch, jurisdictions.JURISDICTIONS_BY_ID)
        self.jurisdiction_parts = _loader(batch, jurisdictions.PARTS_BY_JURISDICTION_ID)
        self.action_plan = _loader(batch, action_plans.ACTION_PLANS_BY_ID)
        self.commitment = _loader(batch, commitments.COMMITMENTS_BY_ID)
        self.plan_commitments = _loader(batch, commitments.COMMITMENTS_BY_ACTION_PLAN_ID)
        self.body = _loader(batch, bodies.BODIES_BY_ID)
        self.commitment_leads = _loader(batch, bodies.LEADS_BY_COMMITMENT_ID)
        self.commitment_partnerships = _loader(batch, bodies.PARTNERSHIPS_BY_COMMITMENT_ID)
        self.body_leads = _loader(batch, commitments.COMMITMENTS_LED_BY_BODY_ID)
        self.body_partnerships = _loader(batch, bodies.PARTNERSHIPS_BY_BODY_ID)
        self.theme = _loader(batch, themes.THEMES_BY_ID)
        self.theme_narrower = _loader(batch, themes.NARROWER_BY_THEME_ID)
        self.theme_scheme = _loader(batch, themes.SCHEMES_BY_ID)
        self.commitment_themes = _loader(batch, themes.THEMES_BY_COMMITMENT_ID)
        self.standard = _loader(batch, knowledge.STANDARDS_BY_ID)
        self.practice = _loader(batch, knowledge.PRACTICES_BY_ID)
        self.lesson = _loader(batch, knowledge.LESSONS_BY_ID)
        self.commitment_lessons = _loader(batch, knowledge.LESSONS_ABOUT_COMMITMENT_ID)
        self.commitment_milestones = _loader(batch, commitments.MILESTONES_BY_COMMITMENT_ID)
        self.practice_lessons = _loader(batch, knowledge.LESSONS_ABOUT_PRACTICE_ID)
        self.plan_lessons = _loader(batch, knowledge.LESSONS_ABOUT_PLAN_ID)
        self.body_partners = _loader(batch, connections.PARTNERS_BY_BODY_ID)
        self.identifiers = {
            label: _loader(batch, lookup) for label, lookup in IDENTIFIERS_BY_ID.items()
        }
        self.body_parents = _loader(batch, bodies.PARENTS_BY_BODY_ID)
        self.body_parts = _loader(batch, bodies.PARTS_BY_BODY_ID)


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


Info = strawberry.Info[Context, None]
