"""The GraphQL `CoverageMatrix` type: jurisdiction by theme counts for dashboards, and gaps."""

from typing import Annotated, Self

import strawberry

from api.types.jurisdiction import Jurisdiction
from api.types.theme import Theme
from graph import coverage


@strawberry.type(description="A theme a jurisdiction has nothing on while some of its peers do.")
class CoverageGap:
    jurisdiction: Jurisdiction = strawberry.field(
        description="The jurisdiction with nothing on the theme."
    )
    theme: Theme = strawberry.field(description="The theme it has nothing on.")
    peers: int = strawberry.field(
        description="How many jurisdictions of the same level have items."
    )


@strawberry.type(description="One jurisdiction's counts, aligned with the matrix's `themes`.")
class CoverageRow:
    jurisdiction: Jurisdiction = strawberry.field(description="The row's jurisdiction.")
    counts: list[int] = strawberry.field(
        description="How many commitments and practices it has on each theme, in `themes` order."
    )


@strawberry.type(
    description="Commitments and practices per jurisdiction and theme; an item counts for a "
    "theme if tagged with it or a narrower one, and for a jurisdiction if it belongs to it or a "
    "place within it."
)
class CoverageMatrix:
    themes: list[Theme] = strawberry.field(
        description="The scheme's themes by name: the matrix's columns."
    )
    rows: list[CoverageRow] = strawberry.field(
        description="One row per jurisdiction of the level, by name."
    )
    matrix: strawberry.Private[coverage.CoverageMatrix]

    @classmethod
    def from_model(cls, matrix: coverage.CoverageMatrix) -> Self:
        return cls(
            themes=[Theme.from_model(t) for t in matrix.themes],
            rows=[
                CoverageRow(
                    jurisdiction=Jurisdiction.from_model(j),
                    counts=[matrix.count(j.id, t.id) for t in matrix.themes],
                )
                for j in matrix.jurisdictions
            ],
            matrix=matrix,
        )

    @strawberry.field(
        description="Themes where a jurisdiction (or each, if none given) has nothing but peers do."
    )
    def gaps(
        self,
        jurisdiction: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only this jurisdiction's gaps, by id (null: every jurisdiction's)."
            ),
        ] = None,
    ) -> list[CoverageGap]:
        return [
            CoverageGap(
                jurisdiction=Jurisdiction.from_model(gap.jurisdiction),
                theme=Theme.from_model(gap.theme),
                peers=gap.peers,
            )
            for gap in self.matrix.gaps(str(jurisdiction) if jurisdiction else None)
        ]
