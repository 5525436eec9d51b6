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
    assessed: bool | None
    specificity: Specificity | None
    relevant_to_ogp_values: bool | None
    potential_impact: PotentialImpact | None
    completion_progress_report: Completion | None
    completion_end_of_term: Completion | None
    completion_change: CompletionChange | None
    opened_government: OpenedGovernment | None = strawberry.field(
        description="End of term: did it open government?"
    )
    starred_progress_report: bool | None
    starred_end_of_term: bool | None
    progress_report_year: int | None
    end_of_term_report_year: int | None

    @classmethod
    def from_model(cls, model: models.IrmAssessment) -> Self:
        return cls(**model.model_dump())
