"""The GraphQL `Revision` type: one applied change of one entity, each field before and after."""

import json
from typing import Self

import strawberry

from api.types.enums import describe_values
from graph import curation

strawberry.enum(curation.Action, name="CurationAction", description="What a change did.")
describe_values(
    curation.Action,
    {
        curation.Action.CREATE: "Creates the entity.",
        curation.Action.UPDATE: "Changes some of its fields.",
        curation.Action.RETRACT: "Withdraws it from every list; its history stays.",
        curation.Action.LINK: "Links it to another entity.",
        curation.Action.UNLINK: "Removes one of its links.",
        curation.Action.REVERT: "Brings it back to a past version; for a body, undoes a merge.",
        curation.Action.MERGE: "Merges one body into another: the dropped body's relationships "
        "and names move to the kept one.",
        curation.Action.INGEST: "A source changed fields curators had not taken charge of.",
        curation.Action.UNMERGE: "Undoes a merge: the dropped body comes back (the kept body's "
        "revision is a REVERT).",
        curation.Action.BASELINE: "The state the entity had before its first curated change.",
    },
)


@strawberry.type(description="One field (or relation) of an entity, before and after a change.")
class FieldChange:
    field: str = strawberry.field(
        description="A property (`statement`) or a relation (`commitments`: a list of ids)."
    )
    before: str | None = strawberry.field(description="The value before, as JSON (null: unset).")
    after: str | None = strawberry.field(description="The value after, as JSON (null: unset).")

    @classmethod
    def from_model(cls, model: curation.FieldChange) -> Self:
        return cls(
            field=model.field,
            before=None if model.before is None else json.dumps(model.before),
            after=None if model.after is None else json.dumps(model.after),
        )


@strawberry.type(description="An applied change: who, when, which change set, what it changed.")
class Revision:
    entity_id: strawberry.ID = strawberry.field(description="The entity the change was made to.")
    kind: str = strawberry.field(description="The kind of entity: Lesson, Practice or Body.")
    version: int = strawberry.field(description="The entity's version this change made.")
    action: curation.Action = strawberry.field(description="What the change did.")
    actor: str = strawberry.field(description="The subject of whoever made it (`system:ingest`).")
    actor_name: str | None = strawberry.field(
        description="The display name of whoever made it; for `system:ingest`, the source's id."
    )
    at: str = strawberry.field(description="When it was applied (ISO 8601, UTC).")
    change_set_id: strawberry.ID | None = strawberry.field(
        description="The change set it applied; null for a source's change or a baseline."
    )
    sequence: int = strawberry.field(description="Its place in the feed of all changes.")
    changes: list[FieldChange] = strawberry.field(
        description="Each field or relation it changed, before and after."
    )

    @classmethod
    def from_model(cls, model: curation.Revision) -> Self:
        return cls(
            entity_id=strawberry.ID(model.entity_id),
            kind=model.kind,
            version=model.version,
            action=model.action,
            actor=model.actor,
            actor_name=model.actor_name,
            at=model.at,
            change_set_id=strawberry.ID(model.change_set_id) if model.change_set_id else None,
            sequence=model.sequence,
            changes=[FieldChange.from_model(change) for change in model.changes],
        )
