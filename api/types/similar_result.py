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
    ADAPTED_FROM = "ADAPTED_FROM"
    MEANING = "MEANING"


@strawberry.type(description="One reason behind a similarity score.")
class SimilarityReason:
    kind: SimilarityReasonKind
    label: str | None = strawberry.field(
        description="What is shared: the theme, body, standard or linked item; for TEXT the shared "
        "words, weightiest first; for ADAPTED_FROM the path of diffusion, oldest first, with "
        'places and years; for MEANING "similar in purpose" with the cosine of the sentence '
        "vectors."
    )
    weight: float


SimilarItem = Annotated[
    Commitment | Practice, strawberry.union("SimilarItem", description="What `similar` finds.")
]


@strawberry.type(description="An item similar to the one asked about.")
class SimilarResult:
    item: SimilarItem
    score: float
    reasons: list[SimilarityReason]
