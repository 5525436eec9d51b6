"""Estimated size of a GraphQL operation from the graph's own statistics: refused above a limit before anything runs.

Each list is sized from the graph (`graph/statistics.py`), not guessed:
- a root list of every node of a kind (`commitments`) holds as many as the graph has;
- a page holds `first` (or fewer, if the graph has fewer);
- a list reached over a relationship from *every* node of a kind holds the relationship's average
  fan-out per node (in all: exactly as many as the relationship has), and its items stay "every
  node of their kind" when each of them is reached once (a plan's commitments);
- from anywhere else (a page, or a hop such as `commitment.actionPlan`), the 95th-percentile
  fan-out per node: a hop lands size-biased on the big ones, and a page may be the heavy end.
A single object (`actionPlan`) is one per parent. A list the table does not know counts
`GUESSED_LIST_SIZE` per parent. Bytes are the objects' selected fields times the average size of
a property of their kind (sampled), plus the field names. Both totals are checked against the
limits (`OGKG_MAX_QUERY_COST` objects, `OGKG_MAX_RESPONSE_BYTES`) and reported in
`extensions.cost` as `{objects, bytes}`.
"""

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
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
from api.graph_sizes import GraphSizes
from api.prepared_reads import Preparation
from api.types.connection import MAX_PAGE_SIZE
from graph import relationships as rel
from graph.identifiers import IDENTIFIED_LABELS, schemes_of
from graph.statistics import Direction, GraphStatistics
from graph.vocabulary import Label
from graph.writes import RelationshipSpec

GUESSED_LIST_SIZE = 20
# Bytes of a value whose kind has no sample (a page's cursor, a count): a short string.
DEFAULT_VALUE_BYTES = 16.0
QUERY_TOO_COSTLY = ErrorCode.QUERY_TOO_COSTLY


@dataclass(frozen=True)
class AllOf:
    """A root list of every node with `label`, or, given argument `filter`, of those with its value."""

    label: Label
    filter: tuple[str, str] | None = None  # (argument, property) the list may be narrowed by


@dataclass(frozen=True)
class AtMost:
    """A list of at most `size` items whatever the graph holds (an entity's identifiers)."""

    size: int


@dataclass(frozen=True)
class Along:
    """A list one node reaches over a relationship."""

    spec: RelationshipSpec
    direction: Direction


# Where each list field's items come from: (GraphQL type, field) -> its source in the graph.
LIST_SOURCES: dict[tuple[str, str], AllOf | Along | AtMost] = {
    ("Query", "actionPlans"): AllOf(Label.ACTION_PLAN),
    ("Query", "commitments"): AllOf(Label.COMMITMENT),
    ("Query", "bodies"): AllOf(Label.BODY, filter=("kind", "kind")),
    ("Query", "jurisdictions"): AllOf(Label.JURISDICTION),
    ("Query", "practices"): AllOf(Label.PRACTICE),
    ("Query", "lessons"): AllOf(Label.LESSON),
    ("Query", "standards"): AllOf(Label.STANDARD),
    ("Query", "themes"): AllOf(Label.THEME),
    ("Query", "actionPlansConnection"): AllOf(Label.ACTION_PLAN),
    ("Query", "commitmentsConnection"): AllOf(Label.COMMITMENT),
    ("Query", "bodiesConnection"): AllOf(Label.BODY),
    ("Query", "jurisdictionsConnection"): AllOf(Label.JURISDICTION, filter=("level", "level")),
    ("Query", "practicesConnection"): AllOf(Label.PRACTICE),
    ("Query", "lessonsConnection"): AllOf(Label.LESSON),
    ("Query", "standardsConnection"): AllOf(Label.STANDARD),
    ("Query", "themesConnection"): AllOf(Label.THEME),
    ("ActionPlan", "commitments"): Along(rel.PLAN_HAS_COMMITMENT, Direction.OUT),
    ("ActionPlan", "lessons"): Along(rel.LESSON_ABOUT_PLAN, Direction.IN),
    ("Commitment", "leads"): Along(rel.BODY_LEADS, Direction.IN),
    ("Commitment", "partners"): Along(rel.BODY_PARTNERS_IN, Direction.IN),
    ("Commitment", "themes"): Along(rel.COMMITMENT_HAS_THEME, Direction.OUT),
    ("Commitment", "lessons"): Along(rel.LESSON_ABOUT_COMMITMENT, Direction.IN),
    ("Commitment", "milestones"): Along(rel.COMMITMENT_HAS_MILESTONE, Direction.OUT),
    ("Body", "leads"): Along(rel.BODY_LEADS, Direction.OUT),
    ("Body", "partnerIn"): Along(rel.BODY_PARTNERS_IN, Direction.OUT),
    ("Body", "parts"): Along(rel.BODY_PART_OF, Direction.IN),
    **{(label.value, "identifiers"): AtMost(len(schemes_of(label))) for label in IDENTIFIED_LABELS},
    ("Jurisdiction", "parts"): Along(rel.JURISDICTION_PART_OF, Direction.IN),
    ("Theme", "narrower"): Along(rel.THEME_BROADER, Direction.IN),
    ("Practice", "commitments"): Along(rel.PRACTICE_APPLIED_IN, Direction.OUT),
    ("Practice", "bodies"): Along(rel.BODY_INVOLVED_IN, Direction.IN),
    ("Practice", "jurisdictions"): Along(rel.PRACTICE_PRACTISED_IN, Direction.OUT),
    ("Practice", "standards"): Along(rel.PRACTICE_USES_STANDARD, Direction.OUT),
    ("Practice", "themes"): Along(rel.PRACTICE_HAS_THEME, Direction.OUT),
    ("Practice", "lessons"): Along(rel.LESSON_ABOUT_PRACTICE, Direction.IN),
    ("Lesson", "commitments"): Along(rel.LESSON_ABOUT_COMMITMENT, Direction.OUT),
    ("Lesson", "practices"): Along(rel.LESSON_ABOUT_PRACTICE, Direction.OUT),
    ("Lesson", "themes"): Along(rel.LESSON_HAS_THEME, Direction.OUT),
    ("Lesson", "jurisdictions"): Along(rel.LESSON_APPLIES_TO, Direction.OUT),
}
# Fields whose work is not their answer: each reads (and compares) every node of a label,
# whatever `first` it is given, so each counts that many objects besides those it returns.
READS_EVERY: dict[tuple[str, str], Label] = {
    ("Query", "duplicateBodies"): Label.BODY,  # every pair of bodies alike in one country
}
LABELS_BY_TYPE = {label.value: label for label in Label}


@dataclass
class Estimate:
    """What an operation would build: objects, bytes, and its largest list (path, objects)."""

    objects: float = 0.0
    bytes: float = 0.0
    largest: tuple[str, float] = field(default=("", 0.0))
    # Whether any part of it depends on the graph's statistics (graph entities or their lists).
    uses_statistics: bool = False

    def add(self, path: str, objects: float, bytes_: float) -> None:
        self.objects += objects
        self.bytes += bytes_
        if objects > self.largest[1]:
            self.largest = (path, objects)


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        statistics: GraphStatistics,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        variable_defaults: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.statistics = statistics
        self.fragments = fragments
        self.variables = variables
        self.variable_defaults = variable_defaults
        self.estimate = Estimate()

    def fields(
        self, selections: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> list[tuple[FieldNode, GraphQLNamedType | None]]:
        """The fields a selection set asks for, fragments spread, each with its parent type."""
        found: list[tuple[FieldNode, GraphQLNamedType | None]] = []
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                found.append((selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                found.extend(self.fields(selection.selection_set, on))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                on = self.schema.get_type(fragment.type_condition.name.value)
                found.extend(self.fields(fragment.selection_set, on))
        return found

    def walk(
        self,
        selections: SelectionSetNode,
        parent: GraphQLNamedType | None,
        count: float,
        every: bool,
        path: str,
    ) -> None:
        """Add `count` objects of `parent` (every one of its kind if `every`) and what they ask for."""
        fields = self.fields(selections, parent)
        scalars = [node for node, _ in fields if node.selection_set is None]
        label = LABELS_BY_TYPE.get(parent.name) if parent is not None else None
        if label is not None:
            self.estimate.uses_statistics = True
        value_bytes = self.statistics.property_bytes.get(label, 0.0) if label else 0.0
        per_object = sum(
            len((node.alias or node.name).value) + 4 + (value_bytes or DEFAULT_VALUE_BYTES)
            for node in scalars
        )
        self.estimate.add(path, count, count * per_object)
        for node, on in fields:
            if node.selection_set is None or not isinstance(
                on, GraphQLObjectType | GraphQLInterfaceType
            ):
                continue
            definition = on.fields.get(node.name.value)
            if definition is None:
                continue
            children, children_every = self._children(on, definition, node, count, every)
            name = (node.alias or node.name).value
            if (read := READS_EVERY.get((on.name, node.name.value))) is not None:
                self.estimate.uses_statistics = True
                work = count * self.statistics.nodes.get(read, 0)
                self.estimate.add(f"{path}.{name}" if path else name, work, 0.0)
            self.walk(
                node.selection_set,
                get_named_type(definition.type),
                children,
                children_every,
                f"{path}.{name}" if path else name,
            )

    def _children(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        definition: GraphQLField,
        node: FieldNode,
        count: float,
        every: bool,
    ) -> tuple[float, bool]:
        """How many objects a field gives for `count` parents, and whether they are all of a kind."""
        source = LIST_SOURCES.get((parent.name, node.name.value))
        if source is not None:
            self.estimate.uses_statistics = True
        if isinstance(source, AtMost):
            return count * source.size, False
        if "first" in definition.args:
            first = self._first(definition, node)
            size = float(min(max(first, 0), MAX_PAGE_SIZE)) if first is not None else 0.0
            if isinstance(source, AllOf):
                size = min(size, self._all_of(source, node))
            return count * size, False
        if isinstance(source, AllOf):
            nodes = self._all_of(source, node)
            every_one = nodes >= self.statistics.nodes.get(source.label, 0)
            return count * nodes, every_one
        if isinstance(source, Along):
            fanout = self.statistics.fanout(source.spec, source.direction)
            if every:
                back = Direction.IN if source.direction is Direction.OUT else Direction.OUT
                once_each = self.statistics.fanout(source.spec, back).average <= 1.0
                return count * fanout.average, once_each
            return count * max(float(fanout.p95), fanout.average), False
        field_type = (
            definition.type.of_type
            if isinstance(definition.type, GraphQLNonNull)
            else definition.type
        )
        if not isinstance(field_type, GraphQLList):
            return count, False  # one object per parent
        if node.name.value == "edges" and parent.name.endswith("Connection"):
            return count, every  # a page's edges: its `first`, counted on the connection
        return count * GUESSED_LIST_SIZE, False

    def _all_of(self, source: AllOf, node: FieldNode) -> float:
        """Nodes of a root list: all of its label, or those with the filter's value if given."""
        everything = float(self.statistics.nodes.get(source.label, 0))
        if source.filter is None:
            return everything
        argument, property = source.filter
        value = self._argument(node, argument)
        counts = self.statistics.nodes_by_value.get((source.label, property))
        if not isinstance(value, str) or counts is None:
            return everything
        # The argument is a GraphQL enum name; the graph stores its value in lower case.
        return float(counts.get(value.lower(), 0))

    def _argument(self, node: FieldNode, name: str) -> Any:
        """An argument's literal value or its variable's value (None if not given)."""
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            if isinstance(argument.value, VariableNode):
                variable = argument.value.name.value
                return self.variables.get(variable, self.variable_defaults.get(variable))
            return getattr(argument.value, "value", None)
        return None

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


def operation_estimate(
    schema: GraphQLSchema,
    statistics: GraphStatistics,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> Estimate:
    """What the operation `operation_name` (the only one, if None) of a valid document would build."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return Estimate()
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
    walk = _Walk(schema, statistics, fragments, variables, defaults)
    walk.walk(operation.selection_set, root, 1.0, False, "")
    walk.estimate.objects -= 1  # the root is not an object the answer holds
    return walk.estimate


def refusal(estimate: Estimate, max_objects: int, max_bytes: int) -> str | None:
    """Why an estimate is over the limits, and how to narrow the query; None when within them."""
    objects, megabytes = round(estimate.objects), estimate.bytes / 1_000_000
    if objects <= max_objects and estimate.bytes <= max_bytes:
        return None
    path, largest = estimate.largest
    return (
        f"The query would build an estimated {objects:,} objects (~{megabytes:.1f} MB), over "
        f"the limit of {max_objects:,} objects or {max_bytes / 1_000_000:.1f} MB. Its largest "
        f"list is `{path}` (~{round(largest):,}): narrow it by asking for a page "
        "(`commitmentsConnection(first: 50)` and the like, then `after` for the next), by "
        "dropping nested lists that fan out, or by asking about one item (`commitment(id:)`)."
    )


class QueryCostLimiter(SchemaExtension):
    """Refuse, before execution, an operation estimated over `max_objects` or `max_bytes`.

    Every answer to a valid document reports its estimate in `extensions.cost`.
    """

    def __init__(self, max_objects: int, max_bytes: int) -> None:
        super().__init__()
        self.max_objects = max_objects
        self.max_bytes = max_bytes
        self.estimate: Estimate | None = None

    def get_results(self) -> dict[str, object]:
        """The estimate beside the data, so clients see how near the limits they are."""
        if self.estimate is None:
            return {}
        return {
            "cost": {"objects": round(self.estimate.objects), "bytes": round(self.estimate.bytes)}
        }

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        errors = context.pre_execution_errors
        if errors is None:
            errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        sizes: GraphSizes | None = getattr(context.context, "graph_sizes", None)
        if not errors and sizes is not None:

            def estimate_with(statistics: GraphStatistics) -> Estimate:
                assert context.graphql_document is not None
                return operation_estimate(
                    context.schema._schema,
                    statistics,
                    context.graphql_document,
                    context.operation_name,
                    context.variables or {},
                )

            # An operation that asks nothing of the graph (`viewer`) does not wait for its
            # statistics, nor for a database that cannot be reached.
            estimate = estimate_with(GraphStatistics())
            statistics = None
            if estimate.uses_statistics:
                statistics = await sizes.current()
                estimate = estimate_with(statistics)
            self.estimate = estimate
            preparation: Preparation | None = getattr(context.context, "preparation", None)
            if preparation is not None:
                preparation.statistics, preparation.priced = statistics, True
            message = refusal(estimate, self.max_objects, self.max_bytes)
            if message is not None:
                errors = [
                    GraphQLError(
                        message,
                        extensions={
                            "code": QUERY_TOO_COSTLY,
                            "cost": {
                                "objects": round(estimate.objects),
                                "bytes": round(estimate.bytes),
                            },
                        },
                    )
                ]
        context.pre_execution_errors = list(errors)
        yield
