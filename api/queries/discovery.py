"""Root fields for discovery: full-text search, similar initiatives, connections between entities."""

from typing import Annotated

import strawberry

from api.context import Info
from api.errors import ClientError, ErrorCode
from api.queries.arguments import (
    First,
    InJurisdiction,
    InPlan,
    OnTheme,
    check_first,
    moved_to,
    optional_id,
)
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
        text: Annotated[
            str,
            strawberry.argument(
                description="The words to look for, from 1 to 32; Lucene syntax is not interpreted."
            ),
        ],
        *,
        first: First = 20,
        jurisdiction: InJurisdiction = None,
        theme: OnTheme = None,
        body: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Narrows to this body (by id) and what it leads, partners in or is "
                "involved in."
            ),
        ] = None,
        plan: InPlan = None,
        year_from: Annotated[
            int | None,
            strawberry.argument(
                description="Only action plans starting in or after this year, and their commitments."
            ),
        ] = None,
        year_to: Annotated[
            int | None,
            strawberry.argument(
                description="Only action plans starting in or before this year, and their commitments."
            ),
        ] = None,
        potential_impact: Annotated[
            PotentialImpact | None,
            strawberry.argument(
                description="Only commitments the IRM rated this potential impact."
            ),
        ] = None,
        specificity: Annotated[
            Specificity | None,
            strawberry.argument(description="Only commitments the IRM rated this specificity."),
        ] = None,
        completion: Annotated[
            Completion | None,
            strawberry.argument(
                description="Only commitments this far carried out by the IRM's latest report (end "
                "of term, else progress report)."
            ),
        ] = None,
        starred: Annotated[
            bool | None,
            strawberry.argument(
                description="Only assessed commitments the IRM starred in either report (true), or "
                "in neither (false)."
            ),
        ] = None,
    ) -> list[SearchResult]:
        check_first(first)
        words = len(search.WORD.findall(text))
        if not words:
            raise ClientError("`text` must contain at least one word")
        if words > search.MAX_SEARCH_WORDS:
            raise ClientError(
                f"`text` holds {words} words; a search takes at most {search.MAX_SEARCH_WORDS}"
            )
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
        to: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The id of the commitment, practice or lesson to match."
            ),
        ],
        first: First = 10,
        in_other_jurisdictions: Annotated[
            bool,
            strawberry.argument(
                description="Whether to leave out items of its own jurisdictions and the places "
                "within them: what was tried elsewhere."
            ),
        ] = False,
        diverse: Annotated[
            bool | None,
            strawberry.argument(
                description="Whether no country may hold more than two of the first five results "
                "(null: as `inOtherJurisdictions`)."
            ),
        ] = None,
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
        from_: Annotated[
            strawberry.ID,
            strawberry.argument(
                name="from", description="The id of the entity the paths start at."
            ),
        ],
        to: Annotated[
            strawberry.ID, strawberry.argument(description="The id of the entity the paths end at.")
        ],
        first: First = 5,
    ) -> list[ConnectionPath]:
        check_first(first)
        paths = await connections.connections(info.context.database, str(from_), str(to), first)
        return [ConnectionPath.from_model(path) for path in paths]
