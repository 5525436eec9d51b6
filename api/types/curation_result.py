"""What a curation mutation answers: applied, proposed for review, a conflict, or a validation error."""

import json
from typing import Annotated, Self

import strawberry

from api.context import Info
from api.types.body import Body
from api.types.change_set import ChangeSet
from api.types.lesson import Lesson
from api.types.practice import Practice
from api.types.revision import Revision
from graph import curation
from graph.change_sets import ChangeSet as ChangeSetModel
from graph.curated_kinds import CuratedKind


@strawberry.type(description="The change is applied: its change set, its revision, the entity now.")
class Applied:
    change_set: ChangeSet = strawberry.field(description="The change set, now applied.")
    revision: Revision = strawberry.field(
        description="The revision the change made: the new version, each field before and after."
    )

    @strawberry.field(description="The lesson as it is now (null for other kinds or if retracted).")
    async def lesson(self, info: Info) -> Lesson | None:
        if self.revision.kind != CuratedKind.LESSON.value:
            return None
        found = await info.context.loaders.lesson.load(str(self.revision.entity_id))
        return Lesson.from_model(found) if found else None

    @strawberry.field(
        description="The practice as it is now (null for other kinds or if retracted)."
    )
    async def practice(self, info: Info) -> Practice | None:
        if self.revision.kind != CuratedKind.PRACTICE.value:
            return None
        found = await info.context.loaders.practice.load(str(self.revision.entity_id))
        return Practice.from_model(found) if found else None

    @strawberry.field(description="The body a merge kept, or a merge undone brought back.")
    async def body(self, info: Info) -> Body | None:
        if self.revision.kind != CuratedKind.BODY.value:
            return None
        found = await info.context.loaders.body.load(str(self.revision.entity_id))
        return Body.from_model(found) if found else None

    @classmethod
    def of(cls, change_set: ChangeSetModel, revision: curation.Revision) -> Self:
        return cls(
            change_set=ChangeSet.from_model(change_set), revision=Revision.from_model(revision)
        )


@strawberry.type(description="The change awaits a coordinator's review; the graph is unchanged.")
class Proposed:
    change_set: ChangeSet = strawberry.field(
        description="The change set: awaiting review, or, answering `reviewChangeSet`, rejected."
    )


@strawberry.type(description="One field of an entity's current state.")
class FieldValue:
    field: str = strawberry.field(
        description="A property (`statement`) or a relation (`commitments`: a list of ids)."
    )
    value: str | None = strawberry.field(description="As JSON (null: unset).")


@strawberry.type(
    description="The entity moved on since the version the change was made against: nothing was "
    "changed. `current` is its state now; retry against `currentVersion`."
)
class Conflict:
    message: str = strawberry.field(
        description="The version the entity is at and the one the change expected."
    )
    current_version: int = strawberry.field(
        description="The entity's version now: pass it as `expectedVersion` to retry."
    )
    current: list[FieldValue] = strawberry.field(
        description="The entity's fields and relations as they are now."
    )

    @classmethod
    def from_error(cls, error: curation.Conflict) -> Self:
        return cls(
            message=str(error),
            current_version=error.version,
            current=[
                FieldValue(field=name, value=None if value is None else json.dumps(value))
                for name, value in sorted((error.current or {}).items())
            ],
        )


@strawberry.type(description="The change could never apply as given: which field, and why.")
class ValidationError:
    field: str = strawberry.field(
        description="The field or argument at fault, e.g. `statement`, `evidence` or `id`."
    )
    message: str = strawberry.field(description="Why the change cannot apply, in plain words.")

    @classmethod
    def from_error(cls, error: curation.Invalid) -> Self:
        return cls(field=error.field, message=error.message)


CurationResult = Annotated[
    Applied | Proposed | Conflict | ValidationError,
    strawberry.union("CurationResult", description="What a curation mutation did, or why not."),
]
