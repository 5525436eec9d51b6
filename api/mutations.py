"""Curation over GraphQL: contributors propose, coordinators apply, review and revert; all versioned."""

import strawberry

from api.auth import require_role
from api.context import Info
from api.principal import Principal, Role
from api.types.change_set import ChangeSet
from api.types.curation_result import (
    Applied,
    Conflict,
    CurationResult,
    Proposed,
    ValidationError,
)
from graph import change_sets, curation
from graph.curated_kinds import CuratedKind, Relation
from graph.curation import Action, Actor, Citation, Operation


@strawberry.input(
    description="Where a finding is recorded: a source the graph holds (`sourceId`), or a document "
    "it does not hold yet (`title` and `url`, recorded as a new source), and a place in it."
)
class EvidenceInput:
    location: str = strawberry.field(description='e.g. "line 31", "p. 12", "section 3.2".')
    source_id: strawberry.ID | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    licence: str | None = None

    def citation(self) -> Citation | None:
        if self.source_id is not None:
            return None
        return Citation(
            title=self.title or "",
            url=self.url or "",
            publisher=self.publisher,
            licence=self.licence,
        )

    def fields(self) -> dict[str, str | None]:
        """The lesson fields this evidence sets; `Invalid` when it names no source."""
        citation = self.citation()
        if citation is not None and not (
            citation.title.strip() and citation.url.startswith(("https://", "http://"))
        ):
            raise curation.Invalid(
                "evidence",
                "name a source by `sourceId`, or a new one by `title` and an http(s) `url`",
            )
        source_id = citation.source_id if citation else str(self.source_id)
        return {"evidenceSource": source_id, "evidenceLocation": self.location}


@strawberry.input(description="A new lesson and what it is about.")
class LessonInput:
    statement: str
    evidence: EvidenceInput
    commitments: list[strawberry.ID] = strawberry.field(default_factory=list)
    practices: list[strawberry.ID] = strawberry.field(default_factory=list)
    themes: list[strawberry.ID] = strawberry.field(default_factory=list)
    jurisdictions: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(description="The fields of a lesson to change; those left out stay as they are.")
class LessonPatch:
    statement: str | None = None
    evidence: EvidenceInput | None = None


@strawberry.input(description="A new practice and what it links to.")
class PracticeInput:
    name: str
    description: str | None = None
    commitments: list[strawberry.ID] = strawberry.field(default_factory=list)
    jurisdictions: list[strawberry.ID] = strawberry.field(default_factory=list)
    standards: list[strawberry.ID] = strawberry.field(default_factory=list)
    themes: list[strawberry.ID] = strawberry.field(default_factory=list)
    bodies: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input(
    description="The fields of a practice to change; those left out stay as they are."
)
class PracticePatch:
    name: str | None = None
    description: str | None = None


def _actor(principal: Principal) -> Actor:
    return Actor(subject=principal.subject, name=principal.display_name)


async def submit(info: Info, operation: Operation) -> CurationResult:
    """Apply a coordinator's change at once; record a contributor's for review (checked first)."""
    principal = require_role(info, Role.CONTRIBUTOR)
    database, actor = info.context.database, _actor(principal)
    try:
        if principal.has(Role.COORDINATOR):
            change_set, revision = await change_sets.apply_now(database, operation, actor)
            return Applied.of(change_set, revision)
        await change_sets.check(database, operation, actor)
        proposed = await change_sets.propose(database, operation, actor)
        return Proposed(change_set=ChangeSet.from_model(proposed))
    except curation.Conflict as conflict:
        return Conflict.from_error(conflict)
    except curation.Invalid as invalid:
        return ValidationError.from_error(invalid)


def _links(**ids: list[strawberry.ID]) -> dict[Relation, list[str]]:
    return {Relation(name): [str(i) for i in values] for name, values in ids.items() if values}


def _link(kind: CuratedKind, action: Action, id: strawberry.ID, relation: Relation, *,
          target_id: strawberry.ID, expected_version: int | None) -> Operation:  # fmt: skip
    return Operation(
        action=action,
        kind=kind,
        id=str(id),
        relation=relation,
        target_id=str(target_id),
        expected_version=expected_version,
    )


@strawberry.type(
    description="Curation: a contributor's changes await review; a coordinator's apply at once. "
    "Every change is versioned and recorded; a stale `expectedVersion` gets a `Conflict`."
)
class Mutation:
    @strawberry.mutation(description="Record a new lesson.")
    async def create_lesson(self, info: Info, input: LessonInput) -> CurationResult:
        try:
            evidence = input.evidence.fields()
        except curation.Invalid as invalid:
            return ValidationError.from_error(invalid)
        operation = Operation(
            action=Action.CREATE,
            kind=CuratedKind.LESSON,
            id=curation.new_id(CuratedKind.LESSON, input.statement),
            fields={"statement": input.statement, **evidence},
            citation=input.evidence.citation(),
            links=_links(
                commitments=input.commitments,
                practices=input.practices,
                themes=input.themes,
                jurisdictions=input.jurisdictions,
            ),
        )
        return await submit(info, operation)

    @strawberry.mutation(description="Change a lesson's statement or evidence.")
    async def update_lesson(
        self, info: Info, id: strawberry.ID, expected_version: int, input: LessonPatch
    ) -> CurationResult:
        fields: dict[str, str | None] = {}
        if input.statement is not None:
            fields["statement"] = input.statement
        if input.evidence is not None:
            try:
                fields.update(input.evidence.fields())
            except curation.Invalid as invalid:
                return ValidationError.from_error(invalid)
        operation = Operation(
            action=Action.UPDATE,
            kind=CuratedKind.LESSON,
            id=str(id),
            expected_version=expected_version,
            fields=fields,
            citation=input.evidence.citation() if input.evidence else None,
        )
        return await submit(info, operation)

    @strawberry.mutation(description="Withdraw a lesson; it leaves every list, its history stays.")
    async def retract_lesson(
        self, info: Info, id: strawberry.ID, expected_version: int, reason: str
    ) -> CurationResult:
        operation = Operation(
            action=Action.RETRACT,
            kind=CuratedKind.LESSON,
            id=str(id),
            expected_version=expected_version,
            reason=reason,
        )
        return await submit(info, operation)

    @strawberry.mutation(description="Link a lesson to a commitment, practice, theme or place.")
    async def link_lesson(
        self,
        info: Info,
        id: strawberry.ID,
        relation: Relation,
        target_id: strawberry.ID,
        expected_version: int | None = None,
    ) -> CurationResult:
        return await submit(
            info,
            _link(
                CuratedKind.LESSON,
                Action.LINK,
                id,
                relation,
                target_id=target_id,
                expected_version=expected_version,
            ),
        )

    @strawberry.mutation(description="Remove a link of a lesson.")
    async def unlink_lesson(
        self,
        info: Info,
        id: strawberry.ID,
        relation: Relation,
        target_id: strawberry.ID,
        expected_version: int | None = None,
    ) -> CurationResult:
        return await submit(
            info,
            _link(
                CuratedKind.LESSON,
                Action.UNLINK,
                id,
                relation,
                target_id=target_id,
                expected_version=expected_version,
            ),
        )

    @strawberry.mutation(description="Record a new practice.")
    async def create_practice(self, info: Info, input: PracticeInput) -> CurationResult:
        operation = Operation(
            action=Action.CREATE,
            kind=CuratedKind.PRACTICE,
            id=curation.new_id(CuratedKind.PRACTICE, input.name),
            fields={"name": input.name, "description": input.description},
            links=_links(
                commitments=input.commitments,
                jurisdictions=input.jurisdictions,
                standards=input.standards,
                themes=input.themes,
                bodies=input.bodies,
            ),
        )
        return await submit(info, operation)

    @strawberry.mutation(description="Change a practice's name or description.")
    async def update_practice(
        self, info: Info, id: strawberry.ID, expected_version: int, input: PracticePatch
    ) -> CurationResult:
        fields: dict[str, str | None] = {}
        if input.name is not None:
            fields["name"] = input.name
        if input.description is not None:
            fields["description"] = input.description
        operation = Operation(
            action=Action.UPDATE,
            kind=CuratedKind.PRACTICE,
            id=str(id),
            expected_version=expected_version,
            fields=fields,
        )
        return await submit(info, operation)

    @strawberry.mutation(
        description="Withdraw a practice; it leaves every list, its history stays."
    )
    async def retract_practice(
        self, info: Info, id: strawberry.ID, expected_version: int, reason: str
    ) -> CurationResult:
        operation = Operation(
            action=Action.RETRACT,
            kind=CuratedKind.PRACTICE,
            id=str(id),
            expected_version=expected_version,
            reason=reason,
        )
        return await submit(info, operation)

    @strawberry.mutation(
        description="Link a practice to a commitment, place, standard, theme or body."
    )
    async def link_practice(
        self,
        info: Info,
        id: strawberry.ID,
        relation: Relation,
        target_id: strawberry.ID,
        expected_version: int | None = None,
    ) -> CurationResult:
        return await submit(
            info,
            _link(
                CuratedKind.PRACTICE,
                Action.LINK,
                id,
                relation,
                target_id=target_id,
                expected_version=expected_version,
            ),
        )

    @strawberry.mutation(description="Remove a link of a practice.")
    async def unlink_practice(
        self,
        info: Info,
        id: strawberry.ID,
        relation: Relation,
        target_id: strawberry.ID,
        expected_version: int | None = None,
    ) -> CurationResult:
        return await submit(
            info,
            _link(
                CuratedKind.PRACTICE,
                Action.UNLINK,
                id,
                relation,
                target_id=target_id,
                expected_version=expected_version,
            ),
        )

    @strawberry.mutation(
        description="Bring a lesson or practice back to a past version, as a new change (coordinators)."
    )
    async def revert(
        self, info: Info, id: strawberry.ID, to_version: int, expected_version: int | None = None
    ) -> CurationResult:
        require_role(info, Role.COORDINATOR)
        kind = await curation.kind_of(info.context.database, str(id))
        if kind is None:
            return ValidationError(field="id", message=f"nothing curated has the id {str(id)!r}")
        if kind is CuratedKind.BODY:
            return ValidationError(field="id", message="a merge is undone with `unmergeBodies`")
        operation = Operation(
            action=Action.REVERT,
            kind=kind,
            id=str(id),
            to_version=to_version,
            expected_version=expected_version,
        )
        return await submit(info, operation)

    @strawberry.mutation(
        description="Merge two records of one organisation: the dropped body's relationships and "
        "names move to the kept one, and `body(id: drop)` answers with it. Contributors propose; "
        "coordinators apply."
    )
    async def merge_bodies(
        self, info: Info, keep: strawberry.ID, drop: strawberry.ID, reason: str
    ) -> CurationResult:
        operation = Operation(
            action=Action.MERGE,
            kind=CuratedKind.BODY,
            id=str(drop),
            target_id=str(keep),
            reason=reason,
        )
        return await submit(info, operation)

    @strawberry.mutation(
        description="Undo the latest merge of `drop` into `keep`: the dropped body comes back with "
        "its relationships and names, as a new change."
    )
    async def unmerge_bodies(
        self, info: Info, keep: strawberry.ID, drop: strawberry.ID
    ) -> CurationResult:
        require_role(info, Role.COORDINATOR)
        operation = Operation(
            action=Action.UNMERGE, kind=CuratedKind.BODY, id=str(drop), target_id=str(keep)
        )
        return await submit(info, operation)

    @strawberry.mutation(
        description="Approve (apply) or reject a submitted change set (coordinators). A change "
        "set whose entity moved on since it was made gets a `Conflict` and stays submitted."
    )
    async def review_change_set(
        self,
        info: Info,
        id: strawberry.ID,
        decision: change_sets.Decision,
        comment: str | None = None,
    ) -> CurationResult:
        reviewer = _actor(require_role(info, Role.COORDINATOR))
        try:
            closed, revision = await change_sets.review(
                info.context.database, str(id), decision, comment, reviewer
            )
        except curation.Conflict as conflict:
            return Conflict.from_error(conflict)
        except curation.Invalid as invalid:
            return ValidationError.from_error(invalid)
        if revision is None:
            return Proposed(change_set=ChangeSet.from_model(closed))
        return Applied.of(closed, revision)
