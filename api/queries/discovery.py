"""Root fields for discovery: full-text search, similar initiatives, connections between entities."""

from typing import Annotated

import strawberry

from api.context import Info
from api.errors import ClientError, ErrorCode
from api.queries.arguments import check_first, moved_to, optional_id
from api.types.commitment import Commitment
from api.types.connection_path import ConnectionPath
from api.types.enums import Completion, PotentialImpact, Specificity
from api.types.found_types import SearchResult, search_result
from api.types.practice import Practice
from api.types.similar_result import SimilarityReason, SimilarityReasonKind, SimilarResult
from graph import connections, search, similar
from graph.models import Commitment as CommitmentModel
from graph.vocabulary import Label

SIMILAR_DESCRIPTION = (
    "Commitments and practices like the one with id `to`, best first, each with its score and "
    "reasons. " + " ".join(line.strip() for line in (similar.__doc__ or "").splitlines()[2:])
)


@strawberry.type
class DiscoveryQueries:
    @strawberry.field(
        description="Full-text search over names, titles, texts and aliases, best match first, "
        "tolerant of one typo in longer words; optional facets narrow it: a jurisdiction (with the "
        "places within it), a theme (with narrower themes), a body, a plan, the plan's years and "
        "the IRM ratings: potential impact, specificity, completion (the latest report's) and "
        "starred. Facets apply before ranking: every match that satisfies them can be found."
    )
    async def search(
        self,
        info: Info,
        text: str,
        *,
        first: int = 20,
        jurisdiction: strawberry.ID | None = None,
        theme: strawberry.ID | None = None,
        body: strawberry.ID | None = None,
        plan: strawberry.ID | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        potential_impact: PotentialImpact | None = None,
        specificity: Specificity | None = None,
        completion: Completion | None = None,
        starred: bool | None = None,
    ) -> list[SearchResult]:
        check_first(first)
        if not search.lucene_query(text):
            raise ClientError("`text` must contain at least one word")
        facets = search.SearchFacets(
            jurisdiction=optional_id(jurisdiction),
            theme=optional_id(theme),
            body=optional_id(body),
            plan=optional_id(plan),
            year_from=year_from,
            year_to=year_to,
            potential_impact=potential_impact.value if potential_impact else None,
            specificity=specificity.value if specificity else None,
            completion=completion.value if completion else None,
            starred=starred,
        )
        hits = await search.search(info.context.database, text, first, facets)
        return [search_result(hit.item) for hit in hits]

    @strawberry.field(description=SIMILAR_DESCRIPTION)
    async def similar(
        self,
        info: Info,
        to: strawberry.ID,
        first: int = 10,
        in_other_jurisdictions: bool = False,
        diverse: bool | None = None,
    ) -> list[SimilarResult]:
        check_first(first)
        found = await similar.similar(
            info.context.database, str(to), first, in_other_jurisdictions, diverse
        )
        for label in (Label.COMMITMENT, Label.PRACTICE):
            if found is None and (target := await moved_to(info, label, to)):
                found = await similar.similar(
                    info.context.database, target, first, in_other_jurisdictions, diverse
                )
        if found is None:
            raise ClientError(
                f"no commitment or practice has the id {str(to)!r}", ErrorCode.NOT_FOUND
            )
        return [
            SimilarResult(
                item=Commitment.from_model(result.item)
                if isinstance(result.item, CommitmentModel)
                else Practice.from_model(result.item),
                score=result.score,
                reasons=[
                    SimilarityReason(
                        kind=SimilarityReasonKind(r.kind), label=r.label, weight=r.weight
                    )
                    for r in result.reasons
                ],
            )
            for result in found
        ]

    @strawberry.field(
        description="The shortest paths (at most 6 relationships, provenance links excluded) "
        "between two entities given by id, with the relationship types along each."
    )
    async def connections(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        first: int = 5,
    ) -> list[ConnectionPath]:
        check_first(first)
        paths = await connections.connections(info.context.database, str(from_), str(to), first)
        return [ConnectionPath.from_model(path) for path in paths]
