"""The kinds of entity a client can find: each kind's label, model and map projection, declared once.

Search, the full-text index and the API's result unions derive from this table, so a kind
cannot be indexed without being returned, or returned without a projection.
"""

from dataclasses import dataclass
from typing import LiteralString

from graph.action_plans import ACTION_PLAN_FIELDS
from graph.bodies import BODY_FIELDS
from graph.commitments import COMMITMENT_FIELDS
from graph.jurisdictions import JURISDICTION_FIELDS
from graph.knowledge import LESSON_FIELDS, PRACTICE_FIELDS, STANDARD_FIELDS
from graph.models import (
    ActionPlan,
    Body,
    Commitment,
    Jurisdiction,
    Lesson,
    Practice,
    Standard,
    Theme,
)
from graph.themes import THEME_FIELDS
from graph.vocabulary import Label

Found = ActionPlan | Body | Commitment | Jurisdiction | Lesson | Practice | Standard | Theme


@dataclass(frozen=True)
class EntityKind:
    """A findable kind: `fields` projects a node bound to `variable` onto `model`'s fields."""

    label: Label
    model: type[Found]
    variable: LiteralString
    fields: LiteralString


FINDABLE_KINDS: tuple[EntityKind, ...] = (
    EntityKind(Label.ACTION_PLAN, ActionPlan, "p", ACTION_PLAN_FIELDS),
    EntityKind(Label.BODY, Body, "b", BODY_FIELDS),
    EntityKind(Label.COMMITMENT, Commitment, "c", COMMITMENT_FIELDS),
    EntityKind(Label.JURISDICTION, Jurisdiction, "j", JURISDICTION_FIELDS),
    EntityKind(Label.LESSON, Lesson, "l", LESSON_FIELDS),
    EntityKind(Label.PRACTICE, Practice, "pr", PRACTICE_FIELDS),
    EntityKind(Label.STANDARD, Standard, "s", STANDARD_FIELDS),
    EntityKind(Label.THEME, Theme, "t", THEME_FIELDS),
)

KIND_OF_LABEL: dict[str, EntityKind] = {kind.label.value: kind for kind in FINDABLE_KINDS}


def label_case(node: LiteralString) -> LiteralString:
    """A Cypher expression naming the findable label `node` carries, or null."""
    branches: LiteralString = ""
    for kind in FINDABLE_KINDS:
        branches += f" WHEN {node}:{kind.label.value} THEN '{kind.label.value}'"
    return "CASE" + branches + " END"


def bind_each_kind(node: LiteralString) -> LiteralString:
    """`node` bound to every kind's projection variable, for `projection_case` to use."""
    return ", ".join(f"{node} AS {kind.variable}" for kind in FINDABLE_KINDS)


def projection_case(label: LiteralString) -> LiteralString:
    """A Cypher expression projecting the node of the kind named by `label` onto its model."""
    branches: LiteralString = ""
    for kind in FINDABLE_KINDS:
        branches += f" WHEN '{kind.label.value}' THEN {kind.fields}"
    return f"CASE {label}" + branches + " END"


def found_model(label: str, item: object) -> Found:
    """The model of a projected item of the kind `label` names."""
    return KIND_OF_LABEL[label].model.model_validate(item)
