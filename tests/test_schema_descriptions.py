"""Every type, field, argument, enum value and input field of the public schema is described."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

from api.schema import build_schema

# GraphQL's own scalars, described by the specification; a custom scalar needs a description.
BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def described(description: str | None) -> bool:
    return bool(description and description.strip())


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Each element without a description: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`."""
    missing: list[str] = []
    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        if not described(named.description):
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not described(field.description):
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({argument_name}:)"
                    for argument_name, argument in field.args.items()
                    if not described(argument.description)
                )
        elif isinstance(named, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in named.fields.items()
                if not described(field.description)
            )
        elif isinstance(named, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in named.values.items()
                if not described(value.description)
            )
    return missing


def test_every_element_of_the_schema_has_a_description() -> None:
    missing = undescribed(build_schema()._schema)
    assert not missing, f"{len(missing)} without a description:\n" + "\n".join(missing)
