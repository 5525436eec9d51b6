"""Root fields dashboards call: coverage, IRM ratings, plans per year, accountability by nation."""

from typing import Annotated

import strawberry

from api.context import Info
from api.queries.arguments import InJurisdiction, InPlan, optional_id
from api.types.coverage import CoverageMatrix
from api.types.dashboard import AccountabilityCount, IrmSummary, PlanYearCount
from api.types.enums import JurisdictionLevel
from graph import coverage, dashboards

DEFAULT_COVERAGE_SCHEME = strawberry.ID("ogp-policy-areas")


@strawberry.type
class DashboardQueries:
    @strawberry.field(
        description="Dashboard matrix: items per jurisdiction of `level` by theme of `scheme`, one query."
    )
    async def coverage(
        self,
        info: Info,
        level: Annotated[
            JurisdictionLevel,
            strawberry.argument(description="The level of the jurisdictions: the matrix's rows."),
        ] = JurisdictionLevel.COUNTRY,
        scheme: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The theme scheme (by id): its themes are the columns."
            ),
        ] = DEFAULT_COVERAGE_SCHEME,
    ) -> CoverageMatrix:
        return CoverageMatrix.from_model(
            await coverage.coverage(info.context.database, level, str(scheme))
        )

    @strawberry.field(
        description="Commitments counted by IRM rating, within a jurisdiction (and its parts) or a plan."
    )
    async def irm_summary(
        self,
        info: Info,
        jurisdiction: InJurisdiction = None,
        plan: InPlan = None,
    ) -> IrmSummary:
        summary = await dashboards.irm_summary(
            info.context.database, optional_id(jurisdiction), optional_id(plan)
        )
        return IrmSummary.from_model(summary)

    @strawberry.field(
        description="Commitments per action plan and year, optionally for one jurisdiction."
    )
    async def commitments_by_plan(
        self, info: Info, jurisdiction: InJurisdiction = None
    ) -> list[PlanYearCount]:
        counts = await dashboards.by_plan_and_year(info.context.database, optional_id(jurisdiction))
        return [
            PlanYearCount(year=c.year, commitments=c.commitments, plan_id=c.plan_id) for c in counts
        ]

    @strawberry.field(
        description="Bodies of the Public Bodies Directory per nation (UK-wide ones under the UK), "
        "counted by the accountability practices it records."
    )
    async def accountability_by_nation(self, info: Info) -> list[AccountabilityCount]:
        counts = await dashboards.accountability_by_nation(info.context.database)
        return [AccountabilityCount.from_model(count) for count in counts]
