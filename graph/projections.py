"""Compiled reads: a selection tree of one root field becomes one Cypher statement shaped like the answer.

`SHAPES` declares, per shape (an entity label or a value object), what each GraphQL field is in the
graph: a property expression, a value object on the same node, another node reached by a pattern,
or a node given by an expression. `compile_root` turns a `Selected` tree into one statement whose
single column is already the response's shape: each object a list of its values in the
selection's order (no key beside every value: less for Neo4j to build and send and for the driver
to decode; the API names them, `object_of`), related nodes as COLLECT subqueries or pattern
comprehensions with their order inside, enums mapped to their GraphQL names by a parameter map. Labels and relationship types come from the vocabulary,
orders and expressions from this table; from the request come only response keys (GraphQL names,
checked again here) and parameter values.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, LiteralString

from graph import action_plans, bodies, commitments, jurisdictions, knowledge, themes
from graph.identifiers import identifier_list
from graph.redirects import redirect_key
from graph.vocabulary import (
    BodyKind,
    Completion,
    CompletionChange,
    JurisdictionLevel,
    Label,
    OpenedGovernment,
    PartnerRole,
    PotentialImpact,
    Rel,
    Specificity,
)

NODE = "{node}"
TARGET = "{target}"
TYPENAME = "__typename"
GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*\Z")


@dataclass(frozen=True)
class Property:
    """A value read from the node: `expression` over `{node}`, an enum's value mapped to its name."""

    expression: str
    enum: type[Enum] | None = None


@dataclass(frozen=True)
class ValueObject:
    """An object held on the same node (the IRM findings of a commitment), null unless `present`."""

    shape: str
    present: str | None = None


@dataclass(frozen=True)
class Related:
    """Nodes (or relationships) bound to `{target}` by `pattern` from `{node}`, in `order`.

    Without an order the pattern comprehension's own order is kept, as the resolvers keep it.
    """

    shape: str
    pattern: str
    many: bool
    order: str | None = None
    distinct: bool = False  # each target once, however many relationships lead to it


@dataclass(frozen=True)
class NodeOf:
    """A node given by an expression of `{node}` (the body at the start of a partnership)."""

    shape: str
    expression: str


@dataclass(frozen=True)
class Listed:
    """Maps in a list held by `{node}` or computed from it (identifiers), in the list's order."""

    shape: str
    expression: str


Field = Property | ValueObject | Related | NodeOf | Listed


def _n(label: Label) -> str:
    return f"({TARGET}:{label.value})"


def _rel(rel: Rel) -> str:
    return f"[:{rel.value}]"


# The sources stating a node, each with where in it, in the order graph/sources.py gives them.
SOURCES = Related(
    "SourceReference",
    f"({NODE})-[{TARGET}:{Rel.SOURCED_FROM}]->(:{Label.SOURCE})",
    many=True,
    order=f"endNode({TARGET}).id, {TARGET}.location",
)


COMMITMENT_ORDER = f"{TARGET}.number, {TARGET}.id"
LESSON_ORDER = f"{TARGET}.id"

SHAPES: dict[str, dict[str, Field]] = {
    "Commitment": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "number": Property("{node}.number"),
        "code": Property("{node}.code"),
        "title": Property("{node}.title"),
        "shortTitle": Property("{node}.shortTitle"),
        "summary": Property("{node}.summary"),
        "fullText": Property("{node}.fullText"),
        "startYear": Property("{node}.startYear"),
        "endYear": Property("{node}.endYear"),
        "ogpId": Property("{node}.ogpId"),
        "policyAreas": Property("coalesce({node}.policyAreas, [])"),
        "identifiers": Listed("Identifier", identifier_list(Label.COMMITMENT, NODE)),
        "irm": ValueObject("IrmAssessment", present="{node}.irmAssessed IS NOT NULL"),
        "actionPlan": Related(
            "ActionPlan",
            f"({TARGET}:{Label.ACTION_PLAN})-{_rel(Rel.HAS_COMMITMENT)}->({NODE})",
            many=False,
        ),
        "leads": Related(
            "Body",
            f"{_n(Label.BODY)}-{_rel(Rel.LEADS)}->({NODE})",
            many=True,
            order=f"{TARGET}.name, {TARGET}.id",
        ),
        "themes": Related(
            "Theme",
            f"({NODE})-{_rel(Rel.HAS_THEME)}->{_n(Label.THEME)}",
            many=True,
            order=f"{TARGET}.scheme, {TARGET}.name, {TARGET}.id",
        ),
        "lessons": Related(
            "Lesson",
            f"{_n(Label.LESSON)}-{_rel(Rel.ABOUT)}->({NODE})",
            many=True,
            order=LESSON_ORDER,
        ),
        "milestones": Related(
            "Milestone",
            f"({NODE})-{_rel(Rel.HAS_MILESTONE)}->{_n(Label.MILESTONE)}",
            many=True,
            order=f"{TARGET}.year, {TARGET}.id",
        ),
        "partners": Related(
            "Partnership",
            f"(:{Label.BODY})-[{TARGET}:{Rel.PARTNERS_IN}]->({NODE})",
            many=True,
            order=f"{TARGET}.role, startNode({TARGET}).name, startNode({TARGET}).id",
        ),
    },
    "IrmAssessment": {
        "assessed": Property("{node}.irmAssessed"),
        "specificity": Property("{node}.specificity", Specificity),
        "relevantToOgpValues": Property("{node}.relevantToOgpValues"),
        "potentialImpact": Property("{node}.potentialImpact", PotentialImpact),
        "completionProgressReport": Property("{node}.completionProgressReport", Completion),
        "completionEndOfTerm": Property("{node}.completionEndOfTerm", Completion),
        "completionChange": Property("{node}.completionChange", CompletionChange),
        "openedGovernment": Property("{node}.openedGovernment", OpenedGovernment),
        "starredProgressReport": Property("{node}.starredProgressReport"),
        "starredEndOfTerm": Property("{node}.starredEndOfTerm"),
        "progressReportYear": Property("{node}.progressReportYear"),
        "endOfTermReportYear": Property("{node}.endOfTermReportYear"),
    },
    "ActionPlan": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "number": Property("{node}.number"),
        "title": Property("{node}.title"),
        "periodStart": Property("{node}.periodStart"),
        "periodEnd": Property("{node}.periodEnd"),
        "ogpMembership": Property("{node}.ogpMembership"),
        "chapterOf": Related(
            "ActionPlan", f"({NODE})-{_rel(Rel.CHAPTER_OF)}->{_n(Label.ACTION_PLAN)}", many=False
        ),
        "jurisdiction": Related(
            "Jurisdiction",
            f"({NODE})-{_rel(Rel.FOR_JURISDICTION)}->{_n(Label.JURISDICTION)}",
            many=False,
        ),
        "lessons": Related(
            "Lesson",
            f"{_n(Label.LESSON)}-{_rel(Rel.ABOUT)}->({NODE})",
            many=True,
            order=LESSON_ORDER,
        ),
        "commitments": Related(
            "Commitment",
            f"({NODE})-{_rel(Rel.HAS_COMMITMENT)}->{_n(Label.COMMITMENT)}",
            many=True,
            order=COMMITMENT_ORDER,
        ),
    },
    "Body": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "name": Property("{node}.name"),
        "kind": Property("{node}.kind", BodyKind),
        "aliases": Property("coalesce({node}.aliases, [])"),
        "jurisdiction": Related(
            "Jurisdiction",
            f"({NODE})-{_rel(Rel.BASED_IN)}->{_n(Label.JURISDICTION)}",
            many=False,
        ),
        "leads": Related(
            "Commitment",
            f"({NODE})-{_rel(Rel.LEADS)}->{_n(Label.COMMITMENT)}",
            many=True,
            order=f"{TARGET}.id",
        ),
        "partnerIn": Related(
            "Partnership",
            f"({NODE})-[{TARGET}:{Rel.PARTNERS_IN}]->(:{Label.COMMITMENT})",
            many=True,
            order=f"endNode({TARGET}).id, {TARGET}.role",
        ),
        "status": Property("{node}.govukStatus"),
        "classification": Property(
            "coalesce({node}.copbtClassification, {node}.govukFormat, {node}.onsCategory, "
            "{node}.onsSector)"
        ),
        "accountability": ValueObject(
            "Accountability", present="{node}.holdsPublicMeetings IS NOT NULL"
        ),
        "identifiers": Listed("Identifier", identifier_list(Label.BODY, NODE)),
        # The parent most registers state, as graph.bodies chooses it.
        "parent": Related(
            "Body",
            f"({NODE})-{_rel(Rel.PART_OF)}->{_n(Label.BODY)}",
            many=False,
            order=f"COUNT {{ ({NODE})-{_rel(Rel.PART_OF)}->({TARGET}) }} DESC, "
            f"COLLECT {{ MATCH ({NODE})-[basis:{Rel.PART_OF}]->({TARGET}) "
            f"RETURN basis.basis ORDER BY basis.basis LIMIT 1 }}[0], {TARGET}.name",
        ),
        "parts": Related(
            "Body",
            f"{_n(Label.BODY)}-{_rel(Rel.PART_OF)}->({NODE})",
            many=True,
            order=f"{TARGET}.name, {TARGET}.id",
            distinct=True,
        ),
    },
    "Accountability": {
        "holdsPublicMeetings": Property("{node}.holdsPublicMeetings"),
        "publishesMinutes": Property("{node}.publishesMinutes"),
        "hasRegisterOfInterests": Property("{node}.hasRegisterOfInterests"),
    },
    "Identifier": {
        "scheme": Property("{node}.scheme"),
        "value": Property("{node}.value"),
    },
    "SourceReference": {
        "id": Property("endNode({node}).id"),
        "title": Property("endNode({node}).title"),
        "publisher": Property("endNode({node}).publisher"),
        "licence": Property("endNode({node}).licence"),
        "location": Property("{node}.location"),
    },
    "Partnership": {
        "role": Property("{node}.role", PartnerRole),
        "body": NodeOf("Body", "startNode({node})"),
        "commitment": NodeOf("Commitment", "endNode({node})"),
    },
    "Jurisdiction": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "name": Property("{node}.name"),
        "level": Property("{node}.level", JurisdictionLevel),
        "aliases": Property("coalesce({node}.aliases, [])"),
        "gssCode": Property("{node}.gssCode"),
        "authorityType": Property("{node}.authorityType"),
        "identifiers": Listed("Identifier", identifier_list(Label.JURISDICTION, NODE)),
        # The nearest whole, as graph.jurisdictions chooses it.
        "parent": Related(
            "Jurisdiction",
            f"({NODE})-{_rel(Rel.PART_OF)}->{_n(Label.JURISDICTION)}",
            many=False,
            order=f"CASE {TARGET}.level WHEN 'local_authority' THEN 0 WHEN 'nation' THEN 1 ELSE 2 "
            f"END, CASE {TARGET}.authorityType WHEN 'County' THEN 0 ELSE 1 END, {TARGET}.id",
        ),
        "parts": Related(
            "Jurisdiction",
            f"{_n(Label.JURISDICTION)}-{_rel(Rel.PART_OF)}->({NODE})",
            many=True,
            order=f"{TARGET}.name, {TARGET}.id",
        ),
    },
    "Theme": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "name": Property("{node}.name"),
        "scheme": Related(
            "ThemeScheme",
            f"({TARGET}:{Label.THEME_SCHEME} {{id: {NODE}.scheme}})",
            many=False,
            order=f"{TARGET}.id",
        ),
        "broader": Related("Theme", f"({NODE})-{_rel(Rel.BROADER)}->{_n(Label.THEME)}", many=False),
        "narrower": Related(
            "Theme",
            f"{_n(Label.THEME)}-{_rel(Rel.BROADER)}->({NODE})",
            many=True,
            order=f"{TARGET}.name, {TARGET}.id",
        ),
    },
    "ThemeScheme": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "name": Property("{node}.name"),
        "description": Property("{node}.description"),
    },
    "Milestone": {
        "id": Property("{node}.id"),
        "year": Property("{node}.year"),
        "text": Property("{node}.text"),
        "status": Property("{node}.status"),
    },
    "Lesson": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "statement": Property("{node}.statement"),
        "evidence": ValueObject("Evidence"),
        "version": Property("coalesce({node}.version, 1)"),
        "commitments": Related(
            "Commitment", f"({NODE})-{_rel(Rel.ABOUT)}->{_n(Label.COMMITMENT)}", many=True
        ),
        "practices": Related(
            "Practice", f"({NODE})-{_rel(Rel.ABOUT)}->{_n(Label.PRACTICE)}", many=True
        ),
        "themes": Related("Theme", f"({NODE})-{_rel(Rel.HAS_THEME)}->{_n(Label.THEME)}", many=True),
        "jurisdictions": Related(
            "Jurisdiction",
            f"({NODE})-{_rel(Rel.APPLIES_TO)}->{_n(Label.JURISDICTION)}",
            many=True,
        ),
    },
    "Evidence": {
        "sourceId": Property("{node}.evidenceSource"),
        "location": Property("{node}.evidenceLocation"),
    },
    "Practice": {
        "id": Property("{node}.id"),
        "name": Property("{node}.name"),
        "description": Property("{node}.description"),
        "version": Property("coalesce({node}.version, 1)"),
        "participediaId": Property("{node}.participediaId"),
        "url": Property("{node}.url"),
        "startYear": Property("{node}.startYear"),
        "endYear": Property("{node}.endYear"),
        "ongoing": Property("{node}.ongoing"),
        "numberOfParticipants": Property("{node}.numberOfParticipants"),
        "methods": Property("coalesce({node}.methods, [])"),
        "topics": Property("coalesce({node}.topics, [])"),
        "scopes": Property("coalesce({node}.scopes, [])"),
        "sources": SOURCES,
        "identifiers": Listed("Identifier", identifier_list(Label.PRACTICE, NODE)),
        "commitments": Related(
            "Commitment", f"({NODE})-{_rel(Rel.APPLIED_IN)}->{_n(Label.COMMITMENT)}", many=True
        ),
        "bodies": Related("Body", f"{_n(Label.BODY)}-{_rel(Rel.INVOLVED_IN)}->({NODE})", many=True),
        "jurisdictions": Related(
            "Jurisdiction",
            f"({NODE})-{_rel(Rel.PRACTISED_IN)}->{_n(Label.JURISDICTION)}",
            many=True,
        ),
        "standards": Related(
            "Standard", f"({NODE})-{_rel(Rel.USES_STANDARD)}->{_n(Label.STANDARD)}", many=True
        ),
        "themes": Related("Theme", f"({NODE})-{_rel(Rel.HAS_THEME)}->{_n(Label.THEME)}", many=True),
        "lessons": Related(
            "Lesson",
            f"{_n(Label.LESSON)}-{_rel(Rel.ABOUT)}->({NODE})",
            many=True,
            order=LESSON_ORDER,
        ),
    },
    "Standard": {
        "id": Property("{node}.id"),
        "sources": SOURCES,
        "name": Property("{node}.name"),
        "publisher": Property("{node}.publisher"),
        "description": Property("{node}.description"),
    },
}


@dataclass(frozen=True)
class Selected:
    """One response key of a selection: the field it asks for, and what it selects of that."""

    key: str
    field: str
    children: tuple["Selected", ...] = ()
    typename: str | None = None  # the object's GraphQL type name, for `__typename`


def object_of(shape: str, selection: tuple[Selected, ...]) -> Callable[[Any], Any]:
    """A function turning one compiled object (a list of values, or null) into the response's map.

    Each map is made once, its keys in the selection's order, as GraphQL answers. The lists are
    used up: nested values are replaced in place (a read's records are turned into one answer).
    """
    fields = SHAPES[shape]
    keys = tuple(item.key for item in selection)
    steps: list[tuple[int, Callable[[Any], Any]]] = []
    for index, item in enumerate(selection):
        spec = None if item.field == TYPENAME else fields[item.field]
        if spec is None or isinstance(spec, Property):
            continue
        inner = object_of(spec.shape, item.children)
        many = isinstance(spec, Listed) or (isinstance(spec, Related) and spec.many)
        steps.append((index, _each(inner) if many else inner))
    if not steps:
        return lambda values: None if values is None else dict(zip(keys, values, strict=True))

    def nested(values: Any) -> Any:
        if values is None:
            return None
        for index, step in steps:
            values[index] = step(values[index])
        return dict(zip(keys, values, strict=True))

    return nested


def _each(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda values: None if values is None else [inner(value) for value in values]


def compilable(shape: str, selection: tuple[Selected, ...]) -> bool:
    """Whether every field of `selection` (at any depth) is in the table."""
    fields = SHAPES.get(shape)
    if fields is None:
        return False
    for item in selection:
        if item.field == TYPENAME:
            continue
        spec = fields.get(item.field)
        if spec is None:
            return False
        if not isinstance(spec, Property) and not compilable(spec.shape, item.children):
            return False
    return True


@dataclass
class _Builder:
    parameters: dict[str, Any] = field(default_factory=dict)
    count: int = 0

    def fresh(self) -> str:
        self.count += 1
        return f"v{self.count}"

    def enum_map(self, enum: type[Enum]) -> str:
        name = f"enum{enum.__name__}"
        self.parameters[name] = {member.value: member.name for member in enum}
        return "$" + name

    def projection(self, shape: str, node: str, selection: tuple[Selected, ...]) -> str:
        """The selection's values on `node`, as a list in the selection's order."""
        fields = SHAPES[shape]
        entries: list[str] = []
        for item in selection:
            if not GRAPHQL_NAME.match(item.key):
                raise ValueError(f"not a GraphQL name: {item.key!r}")
            entries.append(self.value(fields, node, item))
        return "[" + ", ".join(entries) + "]"

    def value(self, fields: dict[str, Field], node: str, item: Selected) -> str:
        if item.field == TYPENAME:
            if item.typename is None or not GRAPHQL_NAME.match(item.typename):
                raise ValueError(f"not a GraphQL type name: {item.typename!r}")
            return f"'{item.typename}'"
        spec = fields[item.field]
        if isinstance(spec, Property):
            expression = spec.expression.replace(NODE, node)
            return f"{self.enum_map(spec.enum)}[{expression}]" if spec.enum else expression
        if isinstance(spec, ValueObject):
            inner = self.projection(spec.shape, node, item.children)
            if spec.present is None:
                return inner
            return f"CASE WHEN {spec.present.replace(NODE, node)} THEN {inner} END"
        target = self.fresh()
        inner = self.projection(spec.shape, target, item.children)
        if isinstance(spec, NodeOf):
            expression = spec.expression.replace(NODE, node)
            return f"[{target} IN [{expression}] WHERE {target} IS NOT NULL | {inner}][0]"
        if isinstance(spec, Listed):
            return f"[{target} IN {spec.expression.replace(NODE, node)} | {inner}]"
        pattern = spec.pattern.replace(NODE, node).replace(TARGET, target)
        if spec.order is None:
            found = f"[{pattern} | {inner}]"
        else:
            order = spec.order.replace(TARGET, target).replace(NODE, node)
            limit = "" if spec.many else " LIMIT 1"
            distinct = f" WITH DISTINCT {target}" if spec.distinct else ""
            found = (
                f"COLLECT {{ MATCH {pattern}{distinct} "
                f"RETURN {inner} AS item ORDER BY {order}{limit} }}"
            )
        return found if spec.many else found + "[0]"


@dataclass(frozen=True)
class Root:
    """A root list: `match` binds `node` (and what `order` needs, all named in `carry`)."""

    shape: str
    match: str
    node: str
    carry: str
    order: str


ACTION_PLANS = Root(
    "ActionPlan", action_plans.ACTION_PLANS.match, "p", "p", action_plans.ACTION_PLANS.order
)
COMMITMENTS = Root(
    "Commitment",
    "MATCH (plan:ActionPlan)-[:HAS_COMMITMENT]->(c:Commitment)",
    "c",
    "plan, c",
    "plan.id, c.number, c.id",
)
BODIES = Root("Body", bodies.BODIES.match, "b", "b", bodies.BODIES.order)
JURISDICTIONS = Root(
    "Jurisdiction",
    jurisdictions.JURISDICTIONS.match,
    "j",
    "j",
    jurisdictions.JURISDICTIONS.order,
)
THEMES = Root("Theme", themes.THEMES.match, "t", "t", themes.THEMES.order)
PRACTICES = Root("Practice", knowledge.PRACTICES.match, "pr", "pr", knowledge.PRACTICES.order)
STANDARDS = Root("Standard", knowledge.STANDARDS.match, "s", "s", knowledge.STANDARDS.order)
LESSONS = Root("Lesson", knowledge.LESSONS.match, "l", "l", knowledge.LESSONS.order)


def commitments_root(sort: commitments.CommitmentSort) -> Root:
    """The filtered commitments of `commitmentsConnection` in `sort` order."""
    return Root(
        "Commitment",
        commitments.FILTERED_PLANS
        + "WITH plan "
        + commitments.PLAN_ORDER[sort]
        + " "
        + commitments.FILTERED_COMMITMENTS,
        "c",
        "plan, c",
        commitments.ORDER_BY[sort].removeprefix("ORDER BY "),
    )


@dataclass(frozen=True)
class Statement:
    """One Cypher statement and its parameters."""

    cypher: LiteralString
    parameters: dict[str, Any]


def _statement(cypher: str, builder: _Builder, parameters: dict[str, Any]) -> Statement:
    # Every piece is from this module's table, the vocabulary or the graph modules' own
    # queries; input reaches the statement only as parameters and checked GraphQL names.
    return Statement(cypher, {**parameters, **builder.parameters})


def list_statement(
    root: Root, selection: tuple[Selected, ...], parameters: dict[str, Any]
) -> Statement:
    """Every item of `root`, in order, in one row, column `items` (one row: less to decode)."""
    builder = _Builder()
    item = builder.projection(root.shape, root.node, selection)
    cypher = f"{root.match} WITH {root.carry} ORDER BY {root.order} RETURN collect({item}) AS items"
    return _statement(cypher, builder, parameters)


def page_statement(
    root: Root,
    selection: tuple[Selected, ...],
    parameters: dict[str, Any],
    skip: int,
    limit: int,
    *,
    count: bool,
) -> Statement:
    """One row: `items`, up to `limit` after `skip`, and `total` (null unless `count`)."""
    builder = _Builder()
    item = builder.projection(root.shape, root.node, selection)
    total = (
        f"CALL {{ {root.match} RETURN count(*) AS total }} "
        if count
        else "CALL { RETURN null AS total } "
    )
    cypher = (
        f"CALL {{ {root.match} WITH {root.carry} ORDER BY {root.order} "
        f"SKIP $skip LIMIT $limit RETURN collect({item}) AS items }} "
        f"{total}RETURN items, total"
    )
    return _statement(cypher, builder, {**parameters, "skip": skip, "limit": limit})


def one_statement(
    shape: str, label: Label, selection: tuple[Selected, ...], id: str, follow_redirect: bool
) -> Statement:
    """One row, column `item`: the `label` node with `id` (or, moved, its new holder) or null."""
    builder = _Builder()
    item = builder.projection(shape, "n", selection)
    if follow_redirect:
        found = (
            f"OPTIONAL MATCH (found:{label.value} {{id: $id}}) "
            f"OPTIONAL MATCH (r:{Label.REDIRECT.value} {{id: $redirect}}) WHERE found IS NULL "
            f"OPTIONAL MATCH (moved:{label.value} {{id: r.toId}}) "
            "WITH coalesce(found, moved) AS n "
        )
    else:
        found = f"OPTIONAL MATCH (n:{label.value} {{id: $id}}) WITH n "
    cypher = found + f"RETURN CASE WHEN n IS NULL THEN null ELSE {item} END AS item LIMIT 1"
    return _statement(cypher, builder, {"id": id, "redirect": redirect_key(label, id)})
