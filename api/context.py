"""Per-request context: the database handle and DataLoaders that batch lookups by id."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader

from graph import action_plans, bodies, commitments, connections, jurisdictions, knowledge, themes
from graph.connections import PartnerCount
from graph.database import Database
from graph.models import (
    ActionPlan,
    Body,
    Commitment,
    Jurisdiction,
    Lesson,
    Partnership,
    Practice,
    Standard,
    Theme,
    ThemeScheme,
)

V = TypeVar("V")


def _loader(
    database: Database, fetch: Callable[[Database, Sequence[str]], Awaitable[list[V]]]
) -> DataLoader[str, V]:
    async def load(keys: list[str]) -> list[V]:
        return await fetch(database, keys)

    return DataLoader(load_fn=load)


@dataclass
class Loaders:
    """One DataLoader per relation, so each nesting level costs one query, not one per item."""

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
    commitment_lessons: DataLoader[str, list[Lesson]] = field(init=False)
    practice_lessons: DataLoader[str, list[Lesson]] = field(init=False)
    body_partners: DataLoader[str, list[PartnerCount]] = field(init=False)

    def __post_init__(self) -> None:
        db = self.database
        self.jurisdiction = _loader(db, jurisdictions.jurisdictions_by_id)
        self.jurisdiction_parts = _loader(db, jurisdictions.parts_by_jurisdiction_id)
        self.action_plan = _loader(db, action_plans.action_plans_by_id)
        self.commitment = _loader(db, commitments.commitments_by_id)
        self.plan_commitments = _loader(db, commitments.commitments_by_action_plan_id)
        self.body = _loader(db, bodies.bodies_by_id)
        self.commitment_leads = _loader(db, bodies.leads_by_commitment_id)
        self.commitment_partnerships = _loader(db, bodies.partnerships_by_commitment_id)
        self.body_leads = _loader(db, commitments.commitments_led_by_body_id)
        self.body_partnerships = _loader(db, bodies.partnerships_by_body_id)
        self.theme = _loader(db, themes.themes_by_id)
        self.theme_narrower = _loader(db, themes.narrower_by_theme_id)
        self.theme_scheme = _loader(db, themes.schemes_by_id)
        self.commitment_themes = _loader(db, themes.themes_by_commitment_id)
        self.standard = _loader(db, knowledge.standards_by_id)
        self.practice = _loader(db, knowledge.practices_by_id)
        self.commitment_lessons = _loader(db, knowledge.lessons_about_commitment_id)
        self.practice_lessons = _loader(db, knowledge.lessons_about_practice_id)
        self.body_partners = _loader(db, connections.partners_by_body_id)


@dataclass
class Context:
    request: Request
    response: Response
    database: Database
    loaders: Loaders


Info = strawberry.Info[Context, None]
