"""Pages of commitments: filtered, in an allowlisted order."""

import strawberry

from api.context import Info
from api.types.commitment import Commitment
from api.types.connection import Connection, PageRequest
from api.types.enums import describe_values
from graph import commitments

strawberry.enum(commitments.CommitmentSort, description="Orders a page of commitments may come in.")
describe_values(
    commitments.CommitmentSort,
    {
        commitments.CommitmentSort.PLAN_AND_NUMBER: "By action plan (its id), then by number "
        "within the plan.",
        commitments.CommitmentSort.TITLE: "By short title (the title where there is none), A to "
        "Z, ignoring case.",
        commitments.CommitmentSort.NEWEST: "The latest-starting plans first, then by number "
        "within each plan.",
    },
)


async def commitment_page(
    info: Info,
    first: int,
    after: str | None,
    sort: commitments.CommitmentSort,
    where: commitments.CommitmentFilter,
) -> Connection[Commitment]:
    request = PageRequest.of(first, after)
    database = info.context.database
    page = await commitments.commitments_page(database, where, sort, request.offset, request.limit)
    return Connection[Commitment].of(
        page,
        request,
        Commitment.from_model,
        lambda: commitments.count_commitments(database, where),
    )
