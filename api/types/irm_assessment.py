"""The GraphQL `IrmAssessment` type: the IRM's findings about one commitment."""

from typing import Self

import strawberry

from api.types.enums import (
    Completion,
    CompletionChange,
    OpenedGovernment,
    PotentialImpact,
    Specificity,
)
from graph import models


@strawberry.type(
    description="What the OGP Independent Reporting Mechanism found; null where it recorded nothing."
)
class IrmAssessment:
    assessed: bool | None = strawberry.field(description="Whether the IRM assessed it.")
    specificity: Specificity | None = strawberry.field(
        description="How specific and measurable the commitment is."
    )
    relevant_to_ogp_values: bool | None = strawberry.field(
        description="Whether it is relevant to at least one of the four OGP values."
    )
    potential_impact: PotentialImpact | None = strawberry.field(
        description="What it could change if completed."
    )
    completion_progress_report: Completion | None = strawberry.field(
        description="How far it was carried out by the progress report, midway through the plan."
    )
    completion_end_of_term: Completion | None = strawberry.field(
        description="How far it was carried out by the end of the plan's term."
    )
    completion_change: CompletionChange | None = strawberry.field(
        description="How completion moved between the progress and end-of-term reports."
    )
    opened_government: OpenedGovernment | None = strawberry.field(
        description="End of term: did it open government?"
    )
    starred_progress_report: bool | None = strawberry.field(
        description="Whether the progress report starred it: of medium or high specificity, "
        "relevant to OGP values, of transformative potential impact and substantially or fully "
        "carried out."
    )
    starred_end_of_term: bool | None = strawberry.field(
        description="Whether the end-of-term report starred it, by the same test."
    )
    progress_report_year: int | None = strawberry.field(
        description="The year the IRM published its progress report."
    )
    end_of_term_report_year: int | None = strawberry.field(
        description="The year the IRM published its end-of-term report."
    )

    @classmethod
    def from_model(cls, model: models.IrmAssessment) -> Self:
        return cls(**model.model_dump())
