"""The GraphQL `ChangeSet` type: a proposed or applied change, with its review."""

import json
from typing import Self

import strawberry

from api.types.enums import describe_values
from api.types.revision import FieldChange
from graph import change_sets, curation
from graph.curated_kinds import Relation

strawberry.enum(change_sets.ChangeSetStatus, description="Where a change set stands.")
describe_values(
    change_sets.ChangeSetStatus,
    {
        change_sets.ChangeSetStatus.SUBMITTED: "Proposed by a contributor, awaiting a "
        "coordinator's review.",
        change_sets.ChangeSetStatus.APPLIED: "Applied to the graph: a coordinator's own change, "
        "or a proposal approved.",
        change_sets.ChangeSetStatus.REJECTED: "Rejected by a coordinator; the graph is unchanged.",
    },
)
strawberry.enum(change_sets.Decision, description="A reviewer's decision.")
describe_values(
    change_sets.Decision,
    {
        change_sets.Decision.APPROVE: "Apply the change now.",
        change_sets.Decision.REJECT: "Close the change set without applying it.",
    },
)
strawberry.enum(Relation, name="CuratedRelation", description="What a curated entity links to.")
describe_values(
    Relation,
    {
        Relation.COMMITMENT: "Commitments: what a lesson is about, or where a practice is applied.",
        Relation.PRACTICE: "Practices a lesson is about.",
        Relation.THEME: "Themes the lesson or practice is about.",
        Relation.JURISDICTION: "Places a lesson applies to, or where a practice is practised.",
        Relation.BODY: "Bodies involved in a practice.",
        Relation.STANDARD: "Data standards a practice uses.",
    },
)


@strawberry.type(description="A change to one entity: proposed by a contributor, or applied.")
class ChangeSet:
    id: strawberry.ID = strawberry.field(
        description="The change set's id, which `reviewChangeSet` takes."
    )
    status: change_sets.ChangeSetStatus = strawberry.field(
        description="Whether it awaits review, was applied or was rejected."
    )
    action: curation.Action = strawberry.field(description="What the change does.")
    kind: str = strawberry.field(
        description="The kind of entity it changes: Lesson, Practice or Body."
    )
    entity_id: strawberry.ID = strawberry.field(
        description="The entity it changes (for a merge or unmerge, the body dropped)."
    )
    expected_version: int | None = strawberry.field(
        description="The version the change was made against."
    )
    fields: list[FieldChange] = strawberry.field(
        description="The values the change sets (`before` is null: they are proposals)."
    )
    relation: Relation | None = strawberry.field(
        description="For a link or unlink, what the entity is linked to."
    )
    target_id: strawberry.ID | None = strawberry.field(
        description="For a link or unlink, the entity linked; for a merge or unmerge, the body kept."
    )
    reason: str | None = strawberry.field(description="Why, as given for a retraction or a merge.")
    author: str = strawberry.field(
        description="The subject (`sub`) of the token of whoever made the change."
    )
    author_name: str | None = strawberry.field(
        description="The author's display name, when their token had one."
    )
    created_at: str = strawberry.field(description="When the change was made (ISO 8601, UTC).")
    reviewer: str | None = strawberry.field(
        description="The subject of the coordinator who reviewed or applied it; null while it awaits review."
    )
    reviewer_name: str | None = strawberry.field(
        description="The reviewer's display name, when their token had one."
    )
    reviewed_at: str | None = strawberry.field(
        description="When it was reviewed or applied (ISO 8601, UTC); null while it awaits review."
    )
    comment: str | None = strawberry.field(description="The reviewer's comment, if any.")
    applied_version: int | None = strawberry.field(
        description="The entity's version the change made, once applied."
    )

    @classmethod
    def from_model(cls, model: change_sets.ChangeSet) -> Self:
        operation = model.operation
        proposed = [
            FieldChange(field=name, before=None, after=json.dumps(value))
            for name, value in sorted(operation.fields.items())
        ] + [
            FieldChange(field=relation.value, before=None, after=json.dumps(sorted(ids)))
            for relation, ids in sorted(operation.links.items())
        ]
        return cls(
            id=strawberry.ID(model.id),
            status=model.status,
            action=operation.action,
            kind=operation.kind.value,
            entity_id=strawberry.ID(operation.id),
            expected_version=operation.expected_version,
            fields=proposed,
            relation=operation.relation,
            target_id=strawberry.ID(operation.target_id) if operation.target_id else None,
            reason=operation.reason,
            author=model.author,
            author_name=model.author_name,
            created_at=model.created_at,
            reviewer=model.reviewer,
            reviewer_name=model.reviewer_name,
            reviewed_at=model.reviewed_at,
            comment=model.comment,
            applied_version=model.applied_version,
        )
