"""GraphQL types for dashboard counts: commitments by IRM rating, and by plan and year."""

from typing import Self

import strawberry

from api.context import Info
from api.types.action_plan import ActionPlan
from api.types.jurisdiction import Jurisdiction
from graph import dashboards


@strawberry.type(description="How many commitments have one value of a rating.")
class RatingCount:
    value: str = strawberry.field(
        description="The rating's value as stored, lower case, e.g. 'moderate' or 'not_started'."
    )
    count: int = strawberry.field(description="How many commitments have it.")


def _counts(summary: dashboards.IrmSummary, name: str) -> list[RatingCount]:
    return [RatingCount(value=c.value, count=c.count) for c in summary.by_rating[name]]


@strawberry.type(
    description="Commitments counted by each IRM rating (values as stored, lower case)."
)
class IrmSummary:
    commitments: int = strawberry.field(description="How many commitments the summary covers.")
    assessed: int = strawberry.field(description="How many of them the IRM assessed.")
    starred_progress_report: int = strawberry.field(
        description="How many the IRM's progress report starred."
    )
    starred_end_of_term: int = strawberry.field(
        description="How many the IRM's end-of-term report starred."
    )
    by_specificity: list[RatingCount] = strawberry.field(
        description="Commitments by specificity, the most common value first."
    )
    by_potential_impact: list[RatingCount] = strawberry.field(
        description="Commitments by potential impact, the most common value first."
    )
    by_completion_progress_report: list[RatingCount] = strawberry.field(
        description="Commitments by completion at the progress report, the most common value first."
    )
    by_completion_end_of_term: list[RatingCount] = strawberry.field(
        description="Commitments by completion at the end of term, the most common value first."
    )
    by_opened_government: list[RatingCount] = strawberry.field(
        description="Commitments by whether they opened government, the most common value first."
    )

    @classmethod
    def from_model(cls, summary: dashboards.IrmSummary) -> Self:
        return cls(
            commitments=summary.commitments,
            assessed=summary.assessed,
            starred_progress_report=summary.starred_progress_report,
            starred_end_of_term=summary.starred_end_of_term,
            by_specificity=_counts(summary, "specificity"),
            by_potential_impact=_counts(summary, "potentialImpact"),
            by_completion_progress_report=_counts(summary, "completionProgressReport"),
            by_completion_end_of_term=_counts(summary, "completionEndOfTerm"),
            by_opened_government=_counts(summary, "openedGovernment"),
        )


@strawberry.type(description="How many commitments a plan holds, with the plan's first year.")
class PlanYearCount:
    year: int | None = strawberry.field(description="The plan's first year, where known.")
    commitments: int = strawberry.field(description="How many commitments the plan holds.")
    plan_id: strawberry.Private[str]

    @strawberry.field(description="The action plan counted.")
    async def plan(self, info: Info) -> ActionPlan | None:
        model = await info.context.loaders.action_plan.load(self.plan_id)
        return ActionPlan.from_model(model) if model else None


@strawberry.type(
    description="Bodies of the Public Bodies Directory based in one nation (or UK-wide), counted "
    "by the accountability practices the directory records."
)
class AccountabilityCount:
    bodies: int = strawberry.field(
        description="How many of the directory's bodies are based there."
    )
    public_meetings: int = strawberry.field(description="Hold meetings open to the public.")
    published_minutes: int = strawberry.field(description="Publish the minutes of their meetings.")
    register_of_interests: int = strawberry.field(description="Keep a register of interests.")
    jurisdiction_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, count: dashboards.AccountabilityCount) -> Self:
        return cls(
            bodies=count.bodies,
            public_meetings=count.public_meetings,
            published_minutes=count.published_minutes,
            register_of_interests=count.register_of_interests,
            jurisdiction_id=count.jurisdiction_id,
        )

    @strawberry.field(description="The nation, or the United Kingdom for UK-wide bodies.")
    async def jurisdiction(self, info: Info) -> Jurisdiction | None:
        model = await info.context.loaders.jurisdiction.load(self.jurisdiction_id)
        return Jurisdiction.from_model(model) if model else None
