"""The GraphQL `SimilarResult` type: an item like another, with its score and the reasons for it."""

from enum import StrEnum
from typing import Annotated

import strawberry

from api.types.commitment import Commitment
from api.types.enums import describe_values
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


describe_values(
    SimilarityReasonKind,
    {
        SimilarityReasonKind.SHARED_THEME: "A theme both have; rarer themes weigh more.",
        SimilarityReasonKind.SHARED_BODY: "A body involved in both: leading, partnering in or "
        "running them.",
        SimilarityReasonKind.SHARED_STANDARD: "A data standard both use.",
        SimilarityReasonKind.LINKED: "One is linked to the other: a practice applied in a "
        "commitment, or a lesson's own subject.",
        SimilarityReasonKind.TEXT: "Both use the same distinctive words, rarer words weighing more.",
        SimilarityReasonKind.ADAPTED_FROM: "A source says one was adapted from the other.",
        SimilarityReasonKind.MEANING: "What both say means much the same, by their sentence "
        "vectors.",
    },
)


@strawberry.type(description="One reason behind a similarity score.")
class SimilarityReason:
    kind: SimilarityReasonKind = strawberry.field(description="What sort of reason it is.")
    label: str | None = strawberry.field(
        description="What is shared: the theme, body, standard or linked item; for TEXT the shared "
        "words, weightiest first; for ADAPTED_FROM the path of diffusion, oldest first, with "
        'places and years; for MEANING "similar in purpose" with the cosine of the sentence '
        "vectors."
    )
    weight: float = strawberry.field(description="What the reason adds to the score.")


SimilarItem = Annotated[
    Commitment | Practice, strawberry.union("SimilarItem", description="What `similar` finds.")
]


@strawberry.type(description="An item similar to the one asked about.")
class SimilarResult:
    item: SimilarItem = strawberry.field(description="The similar commitment or practice.")
    score: float = strawberry.field(
        description="The sum of the reasons' weights: the higher, the more alike."
    )
    reasons: list[SimilarityReason] = strawberry.field(
        description="Why it was found similar, the heaviest reason first."
    )
