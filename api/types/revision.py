"""The GraphQL `Revision` type: one applied change of one entity, each field before and after."""

import json
from typing import Self

import strawberry

from graph import curation

strawberry.enum(curation.Action, name="CurationAction", description="What a change did.")


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
    entity_id: strawberry.ID
    kind: str
    version: int = strawberry.field(description="The entity's version this change made.")
    action: curation.Action
    actor: str = strawberry.field(description="The subject of whoever made it (`system:ingest`).")
    actor_name: str | None
    at: str = strawberry.field(description="When it was applied (ISO 8601, UTC).")
    change_set_id: strawberry.ID | None
    sequence: int = strawberry.field(description="Its place in the feed of all changes.")
    changes: list[FieldChange]

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
