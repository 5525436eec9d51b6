"""The GraphQL `SimilarResult` type: an item like another, with its score and the reasons for it."""

from enum import StrEnum
from typing import Annotated

import strawberry

from api.types.commitment import Commitment
from api.types.practice import Practice


@strawberry.enum(
    description="Why an item was found similar; weights are in `similar`'s description."
)
class SimilarityReasonKind(StrEnum):
    SHARED_THEME = "SHARED_THEME"
    SHARED_BODY = "SHARED_BODY"
    SHARED_STANDARD = "SHARED_STANDARD"
    LINKED = "LINKED"
    TEXT = "TEXT"


@strawberry.type(description="One reason behind a similarity score.")
class SimilarityReason:
    kind: SimilarityReasonKind
    label: str | None = strawberry.field(description="The theme, body or standard shared.")
    weight: float


SimilarItem = Annotated[
    Commitment | Practice, strawberry.union("SimilarItem", description="What `similar` finds.")
]


@strawberry.type(description="An item similar to the one asked about.")
class SimilarResult:
    item: SimilarItem
    score: float
    reasons: list[SimilarityReason]
