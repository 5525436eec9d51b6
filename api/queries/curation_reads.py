"""Root fields coordinators read: who they are, history, the change feed, the review queue, duplicates."""

from typing import Annotated

import strawberry

from api.auth import current_principal
from api.context import Info
from api.queries.arguments import After, First, check_first
from api.types.body import Body
from api.types.change_set import ChangeSet
from api.types.connection import Connection, PageRequest, feed
from api.types.revision import Revision
from api.types.viewer import Viewer
from graph import bodies, change_sets, curation, jurisdictions
from graph.change_sets import ChangeSetStatus
from graph.duplicates import DISTINCT_BODIES_FILE, distinct_pairs, duplicate_candidates


@strawberry.type(
    description="Two bodies whose names look alike (the pairs `ogkg review-duplicates` lists): "
    "a coordinator merges them with `mergeBodies` or records them as distinct."
)
class DuplicateCandidate:
    jurisdiction_id: strawberry.ID | None = strawberry.field(
        description="The country both belong to (null: both international)."
    )
    first: Body = strawberry.field(description="One of the two bodies.")
    second: Body = strawberry.field(description="The other body.")
    reason: str = strawberry.field(description='Why they were paired, e.g. "same words".')


@strawberry.type
class CurationQueries:
    @strawberry.field(
        description="Who the request's bearer token names, or null when it has none: a way to "
        "check a token."
    )
    def viewer(self, info: Info) -> Viewer | None:
        principal = current_principal(info)
        return Viewer.from_principal(principal) if principal else None

    @strawberry.field(
        description="Every applied change of an entity, oldest first: who, when, which change "
        "set, each field before and after. Replaying them gives every past state."
    )
    async def history(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The id of the lesson, practice or body."),
        ],
    ) -> list[Revision]:
        return [
            Revision.from_model(r) for r in await curation.history(info.context.database, str(id))
        ]

    @strawberry.field(
        description="Every applied change across the graph, in the order applied: a feed "
        "dashboards and mirrors poll with `after` (the last `endCursor` they saw)."
    )
    async def changes(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Revision]:
        request = PageRequest.of(first, after)
        found = await curation.changes_after(info.context.database, request.offset, request.limit)
        return feed(found, request, Revision.from_model, lambda r: r.sequence)

    @strawberry.field(
        description="Change sets, newest first, optionally only those in one status "
        "(`SUBMITTED`: the review queue)."
    )
    async def change_sets(
        self,
        info: Info,
        status: Annotated[
            ChangeSetStatus | None,
            strawberry.argument(description="Only change sets in this status (null: every one)."),
        ] = None,
        first: First = 20,
    ) -> list[ChangeSet]:
        check_first(first)
        found = await change_sets.change_sets(info.context.database, status, first)
        return [ChangeSet.from_model(c) for c in found]

    @strawberry.field(
        description="Bodies in one country whose names look alike and that no coordinator has "
        "decided are distinct (seeds/distinct_bodies.csv), the first `first` pairs by country."
    )
    async def duplicate_bodies(self, info: Info, first: First = 20) -> list[DuplicateCandidate]:
        check_first(first)
        database = info.context.database
        distinct_file = info.context.request.app.state.settings.seeds_dir / DISTINCT_BODIES_FILE
        distinct = distinct_pairs(distinct_file)
        candidates = duplicate_candidates(
            await bodies.bodies(database),
            await jurisdictions.all_jurisdictions(database),
            distinct,
            limit=first,
        )
        return [
            DuplicateCandidate(
                jurisdiction_id=strawberry.ID(c.jurisdiction_id) if c.jurisdiction_id else None,
                first=Body.from_model(c.first),
                second=Body.from_model(c.second),
                reason=c.reason,
            )
            for c in candidates
        ]
