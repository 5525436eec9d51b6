"""Answer each compilable root field of a validated query with one Cypher statement.

Strawberry still parses, validates, limits and reports; this executor takes over only the
execution of a query operation's root fields. It turns each root field's selection (fragments,
aliases, `@skip`/`@include` and variables already resolved by graphql-core's own field collection)
into a pure-data `Selected` tree, and `graph.projections` builds the statement whose rows are
already the response's JSON. A root field the table does not declare fully (`viewer`, search,
similar, a field added later) is answered by its resolvers, beside the statements; a statement
Neo4j refuses sends the whole operation down the resolver path, so both paths always agree on
what a client sees.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    OperationType,
    parse,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields
from graphql.execution.values import get_argument_values
from neo4j import Record
from neo4j.exceptions import ClientError as Neo4jClientError
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.errors import ClientError
from api.types.connection import PageRequest, encode_cursor
from graph import projections
from graph.bodies import BODY_ORDER, BodySort
from graph.commitments import CommitmentSort
from graph.database import Database, is_timed_out
from graph.projections import Selected, Statement
from graph.vocabulary import Label

logger = logging.getLogger("ogkg.api")

Arguments = Mapping[str, Any]


@dataclass(frozen=True)
class RootAnswer:
    """One root field's statement, and how its records become the field's value."""

    statement: Statement
    finish: Callable[[list[Record]], Any]


def _named(type_: GraphQLOutputType) -> GraphQLOutputType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def selection_of(
    executor: "CompiledReadsExecutor",
    type_: GraphQLObjectType,
    details: list[FieldDetails],
) -> tuple[Selected, ...] | None:
    """The fields selected on `type_` below `details`, or None if one takes arguments."""
    collected = collect_subfields(
        executor.schema,
        executor.fragments,
        executor.variable_values,
        executor.operation,
        type_,
        details,
    )
    selected: list[Selected] = []
    for key, field_details in collected.grouped_field_set.items():
        name = field_details[0].node.name.value
        if name == projections.TYPENAME:
            selected.append(Selected(key, name, typename=type_.name))
            continue
        definition = type_.fields.get(name)
        if definition is None or any(node.node.arguments for node in field_details):
            return None
        inner = _named(definition.type)
        if isinstance(inner, GraphQLObjectType):
            children = selection_of(executor, inner, field_details)
            if children is None:
                return None
            selected.append(Selected(key, name, children))
        elif isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            selected.append(Selected(key, name))
        else:
            return None
    return tuple(selected)


def _value(argument: Any) -> Any:
    """An argument as Cypher takes it: an enum member by its stored value, an ID as text."""
    return getattr(argument, "value", argument)


def _list_root(root: projections.Root, parameters: Callable[[Arguments], dict[str, Any]]) -> Any:
    def plan(arguments: Arguments, selection: tuple[Selected, ...]) -> RootAnswer | None:
        if not projections.compilable(root.shape, selection):
            return None
        statement = projections.list_statement(root, selection, parameters(arguments))
        item = projections.object_of(root.shape, selection)
        return RootAnswer(statement, lambda records: [item(v) for v in records[0]["items"]])

    return plan


def _one_root(shape: str, label: Label, follow_redirect: bool) -> Any:
    def plan(arguments: Arguments, selection: tuple[Selected, ...]) -> RootAnswer | None:
        if not projections.compilable(shape, selection):
            return None
        statement = projections.one_statement(
            shape, label, selection, str(arguments["id"]), follow_redirect
        )
        item = projections.object_of(shape, selection)
        return RootAnswer(statement, lambda records: item(records[0]["item"]) if records else None)

    return plan


def _connection(
    connection: tuple[Selected, ...], items: list[Any], total: int | None, request: PageRequest
) -> dict[str, Any]:
    """The connection's JSON around the page of `items` (already in the response's shape)."""
    page = items[: request.first]
    cursors = [encode_cursor(request.offset + index + 1) for index in range(len(page))]
    values: dict[str, Any] = {
        "hasNextPage": len(items) > request.first,
        "hasPreviousPage": request.offset > 0,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }
    answer: dict[str, Any] = {}
    for item in connection:
        if item.field == projections.TYPENAME:
            answer[item.key] = item.typename
        elif item.field == "totalCount":
            answer[item.key] = total
        elif item.field == "pageInfo":
            answer[item.key] = {
                part.key: part.typename
                if part.field == projections.TYPENAME
                else values[part.field]
                for part in item.children
            }
        else:  # edges
            answer[item.key] = [
                {
                    part.key: part.typename
                    if part.field == projections.TYPENAME
                    else cursor
                    if part.field == "cursor"
                    else node
                    for part in item.children
                }
                for cursor, node in zip(cursors, page, strict=True)
            ]
    return answer


def _node_selection(connection: tuple[Selected, ...]) -> tuple[Selected, ...] | None:
    """The one selection of `edges { node }`, or None when aliases ask for several."""
    found: set[tuple[Selected, ...]] = set()
    for item in connection:
        if item.field == "edges":
            found.update(part.children for part in item.children if part.field == "node")
    if len(found) > 1:
        return None
    return next(iter(found), ())


def _page_root(
    root_for: Callable[[Arguments], projections.Root],
    parameters: Callable[[Arguments], dict[str, Any]],
) -> Any:
    def plan(arguments: Arguments, selection: tuple[Selected, ...]) -> RootAnswer | None:
        try:
            request = PageRequest.of(arguments["first"], arguments.get("after"))
        except ClientError:
            return None  # the resolver path says what is wrong
        root = root_for(arguments)
        node = _node_selection(selection)
        if node is None or not projections.compilable(root.shape, node):
            return None
        counted = any(item.field == "totalCount" for item in selection)
        statement = projections.page_statement(
            root, node, parameters(arguments), request.offset, request.limit, count=counted
        )

        item = projections.object_of(root.shape, node)

        def finish(records: list[Record]) -> Any:
            record = records[0]
            items = [item(values) for values in record["items"]]
            return _connection(selection, items, record["total"], request)

        return RootAnswer(statement, finish)

    return plan


def _fixed(root: projections.Root) -> Callable[[Arguments], projections.Root]:
    return lambda _: root


def _optional(*names: str, **fixed: Any) -> Callable[[Arguments], dict[str, Any]]:
    """Parameters named like the arguments `names` (camelCase in GraphQL), plus `fixed` ones."""

    def parameters(arguments: Arguments) -> dict[str, Any]:
        return {**{name: _value(arguments.get(name)) for name in names}, **fixed}

    return parameters


def _commitments_root(arguments: Arguments) -> projections.Root:
    return projections.commitments_root(CommitmentSort(_value(arguments["sortBy"])))


def _bodies_root(arguments: Arguments) -> projections.Root:
    return replace(projections.BODIES, order=BODY_ORDER[BodySort(_value(arguments["sortBy"]))])


ROOTS: dict[str, Callable[[Arguments, tuple[Selected, ...]], RootAnswer | None]] = {
    "actionPlans": _list_root(projections.ACTION_PLANS, _optional(jurisdiction=None)),
    "commitments": _list_root(projections.COMMITMENTS, _optional()),
    "bodies": _list_root(projections.BODIES, _optional("kind")),
    "jurisdictions": _list_root(projections.JURISDICTIONS, _optional(level=None)),
    "themes": _list_root(projections.THEMES, _optional("scheme")),
    "practices": _list_root(projections.PRACTICES, _optional()),
    "standards": _list_root(projections.STANDARDS, _optional()),
    "lessons": _list_root(projections.LESSONS, _optional("theme", "jurisdiction")),
    "commitment": _one_root("Commitment", Label.COMMITMENT, follow_redirect=True),
    "body": _one_root("Body", Label.BODY, follow_redirect=True),
    "lesson": _one_root("Lesson", Label.LESSON, follow_redirect=False),
    "practice": _one_root("Practice", Label.PRACTICE, follow_redirect=False),
    "actionPlan": _one_root("ActionPlan", Label.ACTION_PLAN, follow_redirect=False),
    "jurisdiction": _one_root("Jurisdiction", Label.JURISDICTION, follow_redirect=False),
    "theme": _one_root("Theme", Label.THEME, follow_redirect=False),
    "commitmentsConnection": _page_root(
        _commitments_root, _optional("jurisdiction", "theme", "plan", "potentialImpact")
    ),
    "actionPlansConnection": _page_root(
        _fixed(projections.ACTION_PLANS), _optional("jurisdiction")
    ),
    "bodiesConnection": _page_root(_bodies_root, _optional("kind")),
    "jurisdictionsConnection": _page_root(_fixed(projections.JURISDICTIONS), _optional("level")),
    "practicesConnection": _page_root(_fixed(projections.PRACTICES), _optional()),
    "lessonsConnection": _page_root(
        _fixed(projections.LESSONS), _optional("theme", "jurisdiction")
    ),
    "standardsConnection": _page_root(_fixed(projections.STANDARDS), _optional()),
    "themesConnection": _page_root(_fixed(projections.THEMES), _optional("scheme")),
}


class CompiledReadsExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, answering compilable queries one statement per root field."""

    def plan(
        self, root_type: GraphQLObjectType, grouped: Mapping[str, list[FieldDetails]]
    ) -> dict[str, RootAnswer | str | None]:
        """Each root key's statement (or its `__typename`), or None where it is not compilable."""
        return {key: self._plan_root(root_type, details) for key, details in grouped.items()}

    def _plan_root(
        self, root_type: GraphQLObjectType, details: list[FieldDetails]
    ) -> RootAnswer | str | None:
        name = details[0].node.name.value
        if name == projections.TYPENAME:
            return root_type.name
        plan = ROOTS.get(name)
        definition = root_type.fields.get(name)
        if plan is None or definition is None:
            return None
        inner = _named(definition.type)
        if not isinstance(inner, GraphQLObjectType):
            return None
        selection = selection_of(self, inner, details)
        if selection is None:
            return None
        try:
            arguments = get_argument_values(definition, details[0].node, self.variable_values)
            return plan(arguments, selection)
        except (ClientError, ValueError, KeyError):
            return None  # the resolver reports what is wrong with it, as clients know it

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: Any,
        serially: bool,
        position_context: Any,
    ) -> Any:
        database = getattr(self.context_value, "database", None)
        planned: dict[str, RootAnswer | str | None] = {}
        if (
            not serially
            and self.operation.operation == OperationType.QUERY
            and isinstance(database, Database)
        ):
            planned = self.plan(root_type, grouped_field_set)
        if database is None or not any(isinstance(p, RootAnswer) for p in planned.values()):
            return super().execute_root_grouped_field_set(
                root_type, root_value, grouped_field_set, serially, position_context
            )

        preparation = getattr(self.context_value, "preparation", None)
        compiled_all = all(plan is not None for plan in planned.values())

        def succeeded() -> None:
            """Every root field was compiled and its statement ran: a repeat can skip to this."""
            if compiled_all and preparation is not None:
                preparation.planned = cast(dict[str, RootAnswer | str], planned)
                name = self.operation.name
                preparation.operation_name = name.value if name is not None else None

        def resolvers(keys: Collection[str]) -> Any:
            """The resolver path's answer for the root keys `keys` only."""
            subset = {key: grouped_field_set[key] for key in keys}
            return super(CompiledReadsExecutor, self).execute_root_grouped_field_set(
                root_type, root_value, subset, serially, position_context
            )

        return _answer(database, planned, resolvers, succeeded)


async def _answer(
    database: Database,
    planned: dict[str, RootAnswer | str | None],
    resolvers: Callable[[Collection[str]], Any],
    succeeded: Callable[[], None],
) -> dict[str, Any]:
    """The compiled root keys' statements run at once, beside the resolvers for the others."""
    statements = {key: p for key, p in planned.items() if isinstance(p, RootAnswer)}
    others = [key for key, p in planned.items() if p is None]

    async def run(answer: RootAnswer) -> list[Record]:
        return await database.read(answer.statement.cypher, **answer.statement.parameters)

    async def resolved(keys: Collection[str]) -> dict[str, Any]:
        if not keys:
            return {}
        found = resolvers(keys)
        return await found if isinstance(found, Awaitable) else found  # type: ignore[no-any-return]

    compiled = asyncio.gather(*(run(answer) for answer in statements.values()))
    try:
        records, by_resolvers = await asyncio.gather(compiled, resolved(others))
    except Exception as error:
        if not isinstance(error, Neo4jClientError) or is_timed_out(error):
            # Not the statement's fault (the database unreachable, a read past the deadline, out
            # of transaction memory): the resolvers would meet the same or worse, so the error is
            # the request's (503, 504, ...) as the resolvers' own would be reported.
            if isinstance(error, GraphQLError):
                raise
            raise GraphQLError(str(error), original_error=error) from error
        # A statement Neo4j refuses is a bug of the table: logged, and the resolver path answers
        # instead, with its errors as clients know them.
        logger.warning("compiled read failed; the resolvers answer", exc_info=True)
        return await resolved(list(planned))
    succeeded()
    found = dict(zip(statements, records, strict=True))
    return {
        key: plan.finish(found[key])
        if isinstance(plan, RootAnswer)
        else plan
        if isinstance(plan, str)
        else by_resolvers[key]
        for key, plan in planned.items()
    }


def statements_for(
    schema: GraphQLSchema, query: str, variables: dict[str, Any] | None = None
) -> list[Statement] | None:
    """The statements the compiled path would send for `query`, or None if resolvers answer all of it.

    Root fields the table cannot answer are left to the resolvers, beside these statements.
    """
    executor = CompiledReadsExecutor.build(schema, parse(query), raw_variable_values=variables)
    root_type = schema.query_type
    if not isinstance(executor, CompiledReadsExecutor) or root_type is None:
        return None
    grouped = collect_fields(
        schema, executor.fragments, executor.variable_values, root_type, executor.operation
    ).grouped_field_set
    planned = executor.plan(root_type, grouped)
    statements = [answer.statement for answer in planned.values() if isinstance(answer, RootAnswer)]
    return statements or None
