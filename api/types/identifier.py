"""The GraphQL `Identifier` type: a register's identifier for an entity, and how a type lists them."""

import strawberry

from api.context import Info
from api.types.enums import describe_values
from graph.identifiers import IDENTIFIER_STORAGE, IdentifierScheme
from graph.vocabulary import Label

strawberry.enum(
    IdentifierScheme,
    description="Registers whose identifiers ogkg stores: "
    + "; ".join(
        f"{scheme.value}: {storage.description}" for scheme, storage in IDENTIFIER_STORAGE.items()
    ),
)
describe_values(
    IdentifierScheme,
    {
        scheme: f"{storage.description}, which identifies a {storage.label.value.lower()}."
        for scheme, storage in IDENTIFIER_STORAGE.items()
    },
)


@strawberry.type(description="An identifier another register gives the entity.")
class Identifier:
    scheme: IdentifierScheme = strawberry.field(description="The register that gives it.")
    value: str = strawberry.field(
        description="The identifier as that register writes it, e.g. 'S12000033'."
    )


async def identifiers_of(info: Info, label: Label, entity_id: str) -> list[Identifier]:
    """The identifiers of one entity, batched with the others of the same request."""
    found = await info.context.loaders.identifiers[label].load(entity_id)
    return [Identifier(scheme=item.scheme, value=item.value) for item in found]
