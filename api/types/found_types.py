"""The GraphQL type of each findable kind, and the `SearchResult` union derived from them."""

from typing import TYPE_CHECKING, Annotated, Any, Union

import strawberry

from api.types.action_plan import ActionPlan
from api.types.body import Body
from api.types.commitment import Commitment
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.practice import Practice
from api.types.standard import Standard
from api.types.theme import Theme
from graph.entity_kinds import FINDABLE_KINDS, Found
from graph.vocabulary import Label

FoundType = ActionPlan | Body | Commitment | Jurisdiction | Lesson | Practice | Standard | Theme

TYPE_OF_LABEL: dict[Label, Any] = {
    Label.ACTION_PLAN: ActionPlan,
    Label.BODY: Body,
    Label.COMMITMENT: Commitment,
    Label.JURISDICTION: Jurisdiction,
    Label.LESSON: Lesson,
    Label.PRACTICE: Practice,
    Label.STANDARD: Standard,
    Label.THEME: Theme,
}

# The graph's table of findable kinds decides the union's members, in its order.
TYPE_OF_MODEL: dict[type[Found], Any] = {
    kind.model: TYPE_OF_LABEL[kind.label] for kind in FINDABLE_KINDS
}

if TYPE_CHECKING:
    SearchResult = FoundType
else:
    SearchResult = Annotated[
        Union[tuple(TYPE_OF_MODEL.values())],  # noqa: UP007 - built from the table
        strawberry.union("SearchResult", description="Anything `search` can find."),
    ]


def search_result(item: Found) -> FoundType:
    """The GraphQL object for a found model."""
    result: FoundType = TYPE_OF_MODEL[type(item)].from_model(item)
    return result
