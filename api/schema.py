"""The GraphQL schema: root query fields, each a thin call into the graph package."""

from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.auth import current_principal
from api.compiled_reads import CompiledReadsExecutor
from api.context import Info
from api.errors import ClientError, ErrorCode, ErrorPolicy, RoundTrips
from api.mutations import Mutation
from api.query_cost import QueryCostLimiter
from api.rate_limits import MutationRateLimit
from api.types.action_plan import ActionPlan
from api.types.body import Body
from api.types.change_set import ChangeSet
from api.types.commitment import Commitment
from api.types.commitment_connection import commitment_page
from api.types.connection import MAX_PAGE_SIZE, Connection, PageRequest, feed, listing_page
from api.types.connection_path import ConnectionPath
from api.types.coverage import CoverageMatrix
from api.types.dashboard import AccountabilityCount, IrmSummary, PlanYearCount
from api.types.enums import BodyKind, Completion, JurisdictionLevel, PotentialImpact, Specificity
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.practice import Practice
from api.types.revision import Revision
from api.types.similar_result import (
    SimilarityReason,
    SimilarityReasonKind,
    SimilarResult,
)
from api.types.standard import Standard
from api.types.theme import Theme
from api.types.viewer import Viewer
from graph import (
    action_plans,
    bodies,
    change_sets,
    commitments,
    connections,
    coverage,
    curation,
    dashboards,
    identifiers,
    jurisdictions,
    knowledge,
    search,
    similar,
    themes,
)
from graph.bodies import BODY_ORDER, BodySort
from graph.change_sets import ChangeSetStatus
from graph.commitments import CommitmentFilter, CommitmentSort
from graph.identifiers import IdentifierScheme
from graph.models import ActionPlan as ActionPlanModel
from graph.models import Body as BodyModel
from graph.models import Commitment as CommitmentModel
from graph.models import Jurisdiction as JurisdictionModel
from graph.models import Lesson as LessonModel
from graph.models import Practice as PracticeModel
from graph.models import Theme as ThemeModel
from graph.redirects import redirect_target
from graph.vocabulary import Label
from ogkg.settings import Settings

SEARCH_MAX_RESULTS = MAX_PAGE_SIZE
DEFAULT_COVERAGE_SCHEME = strawberry.ID("ogp-policy-areas")
SIMILAR_DESCRIPTION = (
    "Commitments and practices like the one with id `to`, best first, each with its score and "
    "reasons. " + " ".join(line.strip() for line in (similar.__doc__ or "").splitlines()[2:])
)

SearchResult = Annotated[
    Commitment | Practice | Lesson | Body | ActionPlan | Jurisdiction | Theme,
    strawberry.union("SearchResult", description="Anything `search` can find."),
]

IdentifiedEntity = Annotated[
    Body | Jurisdiction | Commitment | Practice,
    strawberry.union("IdentifiedEntity", description="What `byIdentifier` can find."),
]

RESULT_TYPES: dict[type[search.Found], Any] = {
    CommitmentModel: Commitment,
    BodyModel: Body,
    ActionPlanModel: ActionPlan,
    JurisdictionModel: Jurisdiction,
    ThemeModel: Theme,
    PracticeModel: Practice,
    LessonModel: Lesson,
}


def _search_result(
    item: search.Found,
) -> Commitment | Practice | Lesson | Body | ActionPlan | Jurisdiction | Theme:
    result: Commitment | Practice | Lesson | Body | ActionPlan | Jurisdiction | Theme = (
        RESULT_TYPES[type(item)].from_model(item)
    )
    return result


def _optional(value: strawberry.ID | None) -> str | None:
    return str(value) if value else None


async def _moved(info: Info, label: Label, id: strawberry.ID) -> str | None:
    """The id now holding a `label` id that has moved, or None."""
    return await redirect_target(info.context.database, label, str(id))


strawberry.enum(BodySort, description="Orders a list of bodies may come in.")


@strawberry.type
class Query:
    @strawberry.field(
        description="Who the request's bearer token names, or null when it has none: a way to "
        "check a token."
    )
    def viewer(self, info: Info) -> Viewer | None:
        principal = current_principal(info)
        return Viewer.from_principal(principal) if principal else None

    @strawberry.field(description="Every action plan.")
    async def action_plans(self, info: Info) -> list[ActionPlan]:
        return [
            ActionPlan.from_model(m)
            for m in await action_plans.all_action_plans(info.context.database)
        ]

    @strawberry.field(description="Every commitment, by plan and number.")
    async def commitments(self, info: Info) -> list[Commitment]:
        return [
            Commitment.from_model(m)
            for m in await commitments.all_commitments(info.context.database)
        ]

    @strawberry.field(
        description="Commitments a page at a time (Relay cursors), filtered by jurisdiction (with "
        "its parts), theme (with narrower ones), plan or IRM potential impact."
    )
    async def commitments_connection(
        self,
        info: Info,
        *,
        first: int = 20,
        after: str | None = None,
        sort_by: CommitmentSort = CommitmentSort.PLAN_AND_NUMBER,
        jurisdiction: strawberry.ID | None = None,
        theme: strawberry.ID | None = None,
        plan: strawberry.ID | None = None,
        potential_impact: PotentialImpact | None = None,
    ) -> Connection[Commitment]:
        where = CommitmentFilter(
            jurisdiction_id=str(jurisdiction) if jurisdiction else None,
            theme_id=str(theme) if theme else None,
            plan_id=str(plan) if plan else None,
            potential_impact=potential_impact.value if potential_impact else None,
        )
        return await commitment_page(info, first, after, sort_by, where)

    @strawberry.field(description="Action plans a page at a time, optionally for one jurisdiction.")
    async def action_plans_connection(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        jurisdiction: strawberry.ID | None = None,
    ) -> Connection[ActionPlan]:
        return await listing_page(
            info.context.database,
            action_plans.ACTION_PLANS,
            PageRequest.of(first, after),
            ActionPlan.from_model,
            jurisdiction=_optional(jurisdiction),
        )

    @strawberry.field(description="Bodies a page at a time, optionally of one kind.")
    async def bodies_connection(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        kind: BodyKind | None = None,
        sort_by: BodySort = BodySort.NAME,
    ) -> Connection[Body]:
        return await listing_page(
            info.context.database,
            bodies.BODIES,
            PageRequest.of(first, after),
            Body.from_model,
            order=BODY_ORDER[sort_by],
            kind=kind.value if kind else None,
        )

    @strawberry.field(description="Jurisdictions a page at a time, optionally of one level.")
    async def jurisdictions_connection(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        level: JurisdictionLevel | None = None,
    ) -> Connection[Jurisdiction]:
        return await listing_page(
            info.context.database,
            jurisdictions.JURISDICTIONS,
            PageRequest.of(first, after),
            Jurisdiction.from_model,
            level=level.value if level else None,
        )

    @strawberry.field(description="Practices a page at a time.")
    async def practices_connection(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Practice]:
        return await listing_page(
            info.context.database,
            knowledge.PRACTICES,
            PageRequest.of(first, after),
            Practice.from_model,
        )

    @strawberry.field(
        description="Lessons a page at a time, optionally on a theme or for a jurisdiction."
    )
    async def lessons_connection(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        theme: strawberry.ID | None = None,
        jurisdiction: strawberry.ID | None = None,
    ) -> Connection[Lesson]:
        return await listing_page(
            info.context.database,
            knowledge.LESSONS,
            PageRequest.of(first, after),
            Lesson.from_model,
            theme=_optional(theme),
            jurisdiction=_optional(jurisdiction),
        )

    @strawberry.field(description="Data standards a page at a time.")
    async def standards_connection(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Standard]:
        return await listing_page(
            info.context.database,
            knowledge.STANDARDS,
            PageRequest.of(first, after),
            Standard.from_model,
        )

    @strawberry.field(description="Themes a page at a time, optionally of one scheme.")
    async def themes_connection(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        scheme: strawberry.ID | None = None,
    ) -> Connection[Theme]:
        return await listing_page(
            info.context.database,
            themes.THEMES,
            PageRequest.of(first, after),
            Theme.from_model,
            scheme=_optional(scheme),
        )

    @strawberry.field(
        description="One commitment by id, or null. An id that has moved (a merge, a change of "
        "id scheme) answers with the commitment that holds it now, under its current id."
    )
    async def commitment(self, info: Info, id: strawberry.ID) -> Commitment | None:
        loader = info.context.loaders.commitment
        model = await loader.load(str(id))
        if model is None and (target := await _moved(info, Label.COMMITMENT, id)):
            model = await loader.load(target)
        return Commitment.from_model(model) if model else None

    @strawberry.field(description="Bodies by name, optionally only those of one kind.")
    async def bodies(self, info: Info, kind: BodyKind | None = None) -> list[Body]:
        return [Body.from_model(m) for m in await bodies.bodies(info.context.database, kind)]

    @strawberry.field(
        description="One body by id, or null. An id that has moved (a merge, a change of id "
        "scheme) answers with the body that holds it now, under its current id."
    )
    async def body(self, info: Info, id: strawberry.ID) -> Body | None:
        model = await info.context.loaders.body.load(str(id))
        if model is None and (target := await _moved(info, Label.BODY, id)):
            model = await info.context.loaders.body.load(target)
        return Body.from_model(model) if model else None

    @strawberry.field(description="One lesson by id, or null (retracted lessons are not found).")
    async def lesson(self, info: Info, id: strawberry.ID) -> Lesson | None:
        model = await info.context.loaders.lesson.load(str(id))
        return Lesson.from_model(model) if model else None

    @strawberry.field(description="One practice by id, or null (retracted ones are not found).")
    async def practice(self, info: Info, id: strawberry.ID) -> Practice | None:
        model = await info.context.loaders.practice.load(str(id))
        return Practice.from_model(model) if model else None

    @strawberry.field(
        description="Every applied change of an entity, oldest first: who, when, which change "
        "set, each field before and after. Replaying them gives every past state."
    )
    async def history(self, info: Info, id: strawberry.ID) -> list[Revision]:
        return [
            Revision.from_model(r) for r in await curation.history(info.context.database, str(id))
        ]

    @strawberry.field(
        description="Every applied change across the graph, in the order applied: a feed "
        "dashboards and mirrors poll with `after` (the last `endCursor` they saw)."
    )
    async def changes(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Revision]:
        request = PageRequest.of(first, after)
        found = await curation.changes_after(info.context.database, request.offset, request.limit)
        return feed(found, request, Revision.from_model, lambda r: r.sequence)

    @strawberry.field(
        description="Change sets, newest first, optionally only those in one status "
        "(`SUBMITTED`: the review queue)."
    )
    async def change_sets(
        self, info: Info, status: ChangeSetStatus | None = None, first: int = 20
    ) -> list[ChangeSet]:
        if not 1 <= first <= MAX_PAGE_SIZE:
            raise ClientError(f"`first` must be between 1 and {MAX_PAGE_SIZE}")
        found = await change_sets.change_sets(info.context.database, status, first)
        return [ChangeSet.from_model(c) for c in found]

    @strawberry.field(description="Every jurisdiction, by name.")
    async def jurisdictions(self, info: Info) -> list[Jurisdiction]:
        models = await jurisdictions.all_jurisdictions(info.context.database)
        return [Jurisdiction.from_model(m) for m in models]

    @strawberry.field(description="Practices the sources name, by name.")
    async def practices(self, info: Info) -> list[Practice]:
        return [Practice.from_model(m) for m in await knowledge.practices(info.context.database)]

    @strawberry.field(
        description="Lessons: findings the sources record, with their evidence; optionally only "
        "those on a theme (or a narrower one) or for a jurisdiction (or a place within it)."
    )
    async def lessons(
        self,
        info: Info,
        theme: strawberry.ID | None = None,
        jurisdiction: strawberry.ID | None = None,
    ) -> list[Lesson]:
        found = await knowledge.lessons_about(
            info.context.database,
            str(theme) if theme else None,
            str(jurisdiction) if jurisdiction else None,
        )
        return [Lesson.from_model(m) for m in found]

    @strawberry.field(description="Data standards, by name.")
    async def standards(self, info: Info) -> list[Standard]:
        return [Standard.from_model(m) for m in await knowledge.standards(info.context.database)]

    @strawberry.field(
        description="Dashboard matrix: items per jurisdiction of `level` by theme of `scheme`, one query."
    )
    async def coverage(
        self,
        info: Info,
        level: JurisdictionLevel = JurisdictionLevel.COUNTRY,
        scheme: strawberry.ID = DEFAULT_COVERAGE_SCHEME,
    ) -> CoverageMatrix:
        return CoverageMatrix.from_model(
            await coverage.coverage(info.context.database, level, str(scheme))
        )

    @strawberry.field(description=SIMILAR_DESCRIPTION)
    async def similar(
        self,
        info: Info,
        to: strawberry.ID,
        first: int = 10,
        in_other_jurisdictions: bool = False,
        diverse: bool | None = None,
    ) -> list[SimilarResult]:
        if not 1 <= first <= SEARCH_MAX_RESULTS:
            raise ClientError(f"`first` must be between 1 and {SEARCH_MAX_RESULTS}")
        found = await similar.similar(
            info.context.database, str(to), first, in_other_jurisdictions, diverse
        )
        for label in (Label.COMMITMENT, Label.PRACTICE):
            if found is None and (target := await _moved(info, label, to)):
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
        if not 1 <= first <= SEARCH_MAX_RESULTS:
            raise ClientError(f"`first` must be between 1 and {SEARCH_MAX_RESULTS}")
        paths = await connections.connections(info.context.database, str(from_), str(to), first)
        return [ConnectionPath.from_model(path) for path in paths]

    @strawberry.field(
        description="Commitments counted by IRM rating, within a jurisdiction (and its parts) or a plan."
    )
    async def irm_summary(
        self,
        info: Info,
        jurisdiction: strawberry.ID | None = None,
        plan: strawberry.ID | None = None,
    ) -> IrmSummary:
        summary = await dashboards.irm_summary(
            info.context.database,
            str(jurisdiction) if jurisdiction else None,
            str(plan) if plan else None,
        )
        return IrmSummary.from_model(summary)

    @strawberry.field(
        description="Commitments per action plan and year, optionally for one jurisdiction."
    )
    async def commitments_by_plan(
        self, info: Info, jurisdiction: strawberry.ID | None = None
    ) -> list[PlanYearCount]:
        counts = await dashboards.by_plan_and_year(
            info.context.database, str(jurisdiction) if jurisdiction else None
        )
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

    @strawberry.field(
        description="The body, jurisdiction, commitment or practice another register knows by "
        "this identifier (e.g. scheme GSS, value S12000033), or null."
    )
    async def by_identifier(
        self, info: Info, scheme: IdentifierScheme, value: str
    ) -> IdentifiedEntity | None:
        found = await identifiers.by_identifier(info.context.database, scheme, value)
        if found is None:
            return None
        label, entity_id = found
        loaders = info.context.loaders
        if label is Label.BODY:
            body = await loaders.body.load(entity_id)
            return Body.from_model(body) if body else None
        if label is Label.JURISDICTION:
            place = await loaders.jurisdiction.load(entity_id)
            return Jurisdiction.from_model(place) if place else None
        if label is Label.COMMITMENT:
            commitment = await loaders.commitment.load(entity_id)
            return Commitment.from_model(commitment) if commitment else None
        practice = await loaders.practice.load(entity_id)
        return Practice.from_model(practice) if practice else None

    @strawberry.field(description="Themes by scheme and name, optionally of one scheme only.")
    async def themes(self, info: Info, scheme: strawberry.ID | None = None) -> list[Theme]:
        models = await themes.themes(info.context.database, str(scheme) if scheme else None)
        return [Theme.from_model(m) for m in models]

    @strawberry.field(
        description="Full-text search over names, titles, texts and aliases, best match first, "
        "tolerant of one typo in longer words; optional facets narrow it: a jurisdiction (with the "
        "places within it), a theme (with narrower themes), a body, a plan, the plan's years and "
        "the IRM ratings: potential impact, specificity, completion (the latest report's) and "
        "starred."
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
        if not 1 <= first <= SEARCH_MAX_RESULTS:
            raise ClientError(f"`first` must be between 1 and {SEARCH_MAX_RESULTS}")
        if not search.lucene_query(text):
            raise ClientError("`text` must contain at least one word")
        facets = search.SearchFacets(
            jurisdiction=str(jurisdiction) if jurisdiction else None,
            theme=str(theme) if theme else None,
            body=str(body) if body else None,
            plan=str(plan) if plan else None,
            year_from=year_from,
            year_to=year_to,
            potential_impact=potential_impact.value if potential_impact else None,
            specificity=specificity.value if specificity else None,
            completion=completion.value if completion else None,
            starred=starred,
        )
        hits = await search.search(info.context.database, text, first, facets)
        return [_search_result(hit.item) for hit in hits]


class Schema(strawberry.Schema):
    """Strawberry's schema, minus its error logging: `ErrorPolicy` logs what needs logging."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(settings: Settings | None = None) -> Schema:
    """The schema, with the request limits from `settings` (defaults when None).

    With `compiled_reads` on (the default) a query whose every root field is compilable is
    answered by `CompiledReadsExecutor`, one Cypher statement per root field.
    """
    limits = settings or Settings()
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            ErrorPolicy,
            RoundTrips,
            lambda: QueryDepthLimiter(max_depth=limits.max_query_depth),
            lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            # Both caches live at module level, shared by every request.
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            # After the validation cache: it prices only documents found valid.
            lambda: QueryCostLimiter(
                max_objects=limits.max_query_cost, max_bytes=limits.max_response_bytes
            ),
            # Counts only valid mutations, just before they would run.
            MutationRateLimit,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=CompiledReadsExecutor if limits.compiled_reads else None,
    )
