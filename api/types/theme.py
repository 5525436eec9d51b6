"""The GraphQL `Theme` and `ThemeScheme` types: a SKOS-like taxonomy."""

from typing import Self

import strawberry

from api.context import Info
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from graph import models
from graph.vocabulary import Label


@strawberry.type(
    description="A set of themes: OGP policy areas, OGP values, grand challenges, plan headings."
)
class ThemeScheme:
    id: strawberry.ID = strawberry.field(description="The scheme's id, e.g. 'ogp-policy-areas'.")
    name: str = strawberry.field(description="The scheme's name.")
    description: str | None = strawberry.field(
        description="What the scheme's themes are and where they come from."
    )

    @classmethod
    def from_model(cls, model: models.ThemeScheme) -> Self:
        return cls(id=strawberry.ID(model.id), name=model.name, description=model.description)

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.THEME_SCHEME, str(self.id))


@strawberry.type(description="A subject a commitment, practice or lesson is about.")
class Theme:
    id: strawberry.ID = strawberry.field(description="The theme's id, e.g. 'anti-corruption'.")
    name: str = strawberry.field(description="The theme's name.")
    scheme_id: strawberry.Private[str]
    broader_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Theme) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            scheme_id=model.scheme_id,
            broader_id=model.broader_id,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.THEME, str(self.id))

    @strawberry.field(description="The scheme the theme belongs to.")
    async def scheme(self, info: Info) -> ThemeScheme | None:
        model = await info.context.loaders.theme_scheme.load(self.scheme_id)
        return ThemeScheme.from_model(model) if model else None

    @strawberry.field(description="The more general theme this one is part of.")
    async def broader(self, info: Info) -> "Theme | None":
        if self.broader_id is None:
            return None
        model = await info.context.loaders.theme.load(self.broader_id)
        return Theme.from_model(model) if model else None

    @strawberry.field(description="The more specific themes within this one.")
    async def narrower(self, info: Info) -> list["Theme"]:
        return [
            Theme.from_model(m)
            for m in await info.context.loaders.theme_narrower.load(str(self.id))
        ]
