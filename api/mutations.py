"""Curation over GraphQL: contributors propose, coordinators apply, review and revert; all versioned."""

from typing import Annotated

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
    source_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The id of a source the graph holds; leave it out to name a new one by "
        "`title` and `url`.",
    )
    title: str | None = strawberry.field(default=None, description="A new source's title.")
    url: str | None = strawberry.field(
        default=None, description="A new source's address, starting http:// or https://."
    )
    publisher: str | None = strawberry.field(
        default=None, description="Who published the new source, if known."
    )
    licence: str | None = strawberry.field(
        default=None, description="The new source's licence, if it states one."
    )

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
    statement: str = strawberry.field(description="What was learned, in at least 20 characters.")
    evidence: EvidenceInput = strawberry.field(description="Where the finding is recorded.")
    commitments: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the commitments it is about."
    )
    practices: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the practices it is about."
    )
    themes: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the themes it is about."
    )
    jurisdictions: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the places it applies to."
    )


@strawberry.input(description="The fields of a lesson to change; those left out stay as they are.")
class LessonPatch:
    statement: str | None = strawberry.field(
        default=None, description="The new statement, in at least 20 characters."
    )
    evidence: EvidenceInput | None = strawberry.field(
        default=None, description="The new evidence: a source and a place in it."
    )


@strawberry.input(description="A new practice and what it links to.")
class PracticeInput:
    name: str = strawberry.field(description="The practice's name.")
    description: str | None = strawberry.field(
        default=None, description="What the practice is, in a sentence or two."
    )
    commitments: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the commitments it is applied in."
    )
    jurisdictions: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the places it is practised in."
    )
    standards: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the data standards it uses."
    )
    themes: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the themes it is about."
    )
    bodies: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The ids of the bodies involved."
    )


@strawberry.input(
    description="The fields of a practice to change; those left out stay as they are."
)
class PracticePatch:
    name: str | None = strawberry.field(default=None, description="The new name.")
    description: str | None = strawberry.field(default=None, description="The new description.")


# How the arguments the mutations share are described, worded once.
LESSON_ID = "The lesson's id."
PRACTICE_ID = "The practice's id."
EXPECTED_VERSION = (
    "The `version` you last read: if the entity has moved on since, nothing changes and a "
    "`Conflict` answers."
)
EXPECTED_VERSION_IF_GIVEN = (
    "Optional: the `version` you last read; if given and the entity has moved on since, nothing "
    "changes and a `Conflict` answers."
)
RETRACTION_REASON = "Why it is withdrawn; kept in its history."
LESSON_RELATION = "What the other entity is: a commitment, practice, theme or jurisdiction."
PRACTICE_RELATION = "What the other entity is: a commitment, jurisdiction, standard, theme or body."
TARGET_ID = "The other entity's id."


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
    async def create_lesson(
        self,
        info: Info,
        input: Annotated[
            LessonInput,
            strawberry.argument(description="The lesson: its statement, evidence and links."),
        ],
    ) -> CurationResult:
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
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=LESSON_ID)],
        expected_version: Annotated[int, strawberry.argument(description=EXPECTED_VERSION)],
        input: Annotated[LessonPatch, strawberry.argument(description="The fields to change.")],
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
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=LESSON_ID)],
        expected_version: Annotated[int, strawberry.argument(description=EXPECTED_VERSION)],
        reason: Annotated[str, strawberry.argument(description=RETRACTION_REASON)],
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
        id: Annotated[strawberry.ID, strawberry.argument(description=LESSON_ID)],
        relation: Annotated[Relation, strawberry.argument(description=LESSON_RELATION)],
        target_id: Annotated[strawberry.ID, strawberry.argument(description=TARGET_ID)],
        expected_version: Annotated[
            int | None, strawberry.argument(description=EXPECTED_VERSION_IF_GIVEN)
        ] = None,
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
        id: Annotated[strawberry.ID, strawberry.argument(description=LESSON_ID)],
        relation: Annotated[Relation, strawberry.argument(description=LESSON_RELATION)],
        target_id: Annotated[strawberry.ID, strawberry.argument(description=TARGET_ID)],
        expected_version: Annotated[
            int | None, strawberry.argument(description=EXPECTED_VERSION_IF_GIVEN)
        ] = None,
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
    async def create_practice(
        self,
        info: Info,
        input: Annotated[
            PracticeInput,
            strawberry.argument(description="The practice: its name, description and links."),
        ],
    ) -> CurationResult:
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
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=PRACTICE_ID)],
        expected_version: Annotated[int, strawberry.argument(description=EXPECTED_VERSION)],
        input: Annotated[PracticePatch, strawberry.argument(description="The fields to change.")],
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
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=PRACTICE_ID)],
        expected_version: Annotated[int, strawberry.argument(description=EXPECTED_VERSION)],
        reason: Annotated[str, strawberry.argument(description=RETRACTION_REASON)],
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
        id: Annotated[strawberry.ID, strawberry.argument(description=PRACTICE_ID)],
        relation: Annotated[Relation, strawberry.argument(description=PRACTICE_RELATION)],
        target_id: Annotated[strawberry.ID, strawberry.argument(description=TARGET_ID)],
        expected_version: Annotated[
            int | None, strawberry.argument(description=EXPECTED_VERSION_IF_GIVEN)
        ] = None,
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
        id: Annotated[strawberry.ID, strawberry.argument(description=PRACTICE_ID)],
        relation: Annotated[Relation, strawberry.argument(description=PRACTICE_RELATION)],
        target_id: Annotated[strawberry.ID, strawberry.argument(description=TARGET_ID)],
        expected_version: Annotated[
            int | None, strawberry.argument(description=EXPECTED_VERSION_IF_GIVEN)
        ] = None,
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
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The id of the lesson or practice.")
        ],
        to_version: Annotated[
            int,
            strawberry.argument(
                description="The past version to bring back, from 1 to the one before the current."
            ),
        ],
        expected_version: Annotated[
            int | None, strawberry.argument(description=EXPECTED_VERSION_IF_GIVEN)
        ] = None,
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
        self,
        info: Info,
        keep: Annotated[
            strawberry.ID, strawberry.argument(description="The id of the body that stays.")
        ],
        drop: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The id of the body merged into it; that id then answers with the kept body."
            ),
        ],
        reason: Annotated[
            str,
            strawberry.argument(
                description="Why the two are one organisation; kept in the history."
            ),
        ],
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
        self,
        info: Info,
        keep: Annotated[
            strawberry.ID, strawberry.argument(description="The id of the body the merge kept.")
        ],
        drop: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The id of the body the merge dropped, which comes back."
            ),
        ],
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
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The id of the submitted change set.")
        ],
        decision: Annotated[
            change_sets.Decision, strawberry.argument(description="Approve (apply) or reject it.")
        ],
        comment: Annotated[
            str | None,
            strawberry.argument(description="A note for the author, kept with the change set."),
        ] = None,
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
