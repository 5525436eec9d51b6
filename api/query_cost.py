"""Estimated cost of a GraphQL operation: refused above a limit before anything runs.

Each object a request asks for costs 1, multiplied by how many of it a list may hold: `first`
where the field takes it (the value sent, or its default), `GUESSED_LIST_SIZE` for other lists.
Scalars come with their object at no extra cost; `edges` of a connection are counted by the
connection's `first`. So `{ commitmentsConnection(first: 50) { edges { node { leads { name } } } } }`
costs 50 * (1 + edges 1 * (1 + node 1 * (1 + leads 20 * 1))) = 1,150: nested lists multiply.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from api.errors import ErrorCode
from api.types.connection import MAX_PAGE_SIZE

GUESSED_LIST_SIZE = 20
QUERY_TOO_COSTLY = ErrorCode.QUERY_TOO_COSTLY


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        variable_defaults: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.variable_defaults = variable_defaults

    def cost(self, selections: SelectionSetNode, parent: GraphQLNamedType | None) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, on)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                on = self.schema.get_type(fragment.type_condition.name.value)
                total += self.cost(fragment.selection_set, on)
        return total

    def _field_cost(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        if node.selection_set is None or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0  # a scalar, or introspection
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0
        children = self.cost(node.selection_set, get_named_type(field.type))
        return self._size(field, node, parent) * (1 + children)

    def _first(self, field: GraphQLField, node: FieldNode) -> int | None:
        """The `first` a field is given: a literal, a variable's value or default, or its default."""
        value: Any = field.args["first"].default_value
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                name = argument.value.name.value
                value = self.variables.get(name, self.variable_defaults.get(name, value))
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _size(self, field: GraphQLField, node: FieldNode, parent: GraphQLNamedType) -> int:
        if "first" in field.args:
            first = self._first(field, node)
            # No field serves more than a page; its resolver refuses a larger `first` plainly.
            return min(max(first, 0), MAX_PAGE_SIZE) if first is not None else GUESSED_LIST_SIZE
        field_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if not isinstance(field_type, GraphQLList):
            return 1
        if node.name.value == "edges" and parent.name.endswith("Connection"):
            return 1
        return GUESSED_LIST_SIZE


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> int:
    """The estimated cost of the operation `operation_name` (the only one, if None) of a valid document."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    defaults = {
        definition.variable.name.value: int(definition.default_value.value)
        for definition in operation.variable_definitions or ()
        if isinstance(definition.default_value, IntValueNode)
    }
    return _Walk(schema, fragments, variables, defaults).cost(operation.selection_set, root)


class QueryCostLimiter(SchemaExtension):
    """Refuse, before execution, an operation whose estimated cost is over `max_cost`.

    Every answer to a valid document reports its cost in `extensions.cost`.
    """

    def __init__(self, max_cost: int) -> None:
        super().__init__()
        self.max_cost = max_cost
        self.cost: int | None = None

    def get_results(self) -> dict[str, object]:
        """The estimated cost beside the data, so clients see how near the limit they are."""
        return {"cost": self.cost} if self.cost is not None else {}

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        errors = context.pre_execution_errors
        if errors is None:
            errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        if not errors:
            cost = operation_cost(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables or {},
            )
            self.cost = cost
            if cost > self.max_cost:
                errors = [
                    GraphQLError(
                        f"The query's estimated cost is {cost:,}, over the limit of "
                        f"{self.max_cost:,}: ask for fewer items (`first`) or fewer nested lists.",
                        extensions={"code": QUERY_TOO_COSTLY, "cost": cost},
                    )
                ]
        context.pre_execution_errors = list(errors)
        yield
