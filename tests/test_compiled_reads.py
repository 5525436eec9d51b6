"""Compiled reads: every query answered both ways (one statement per root field, and resolvers) gives the same JSON."""

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import OperationDefinitionNode, OperationType, parse, validate
from graphql.error import GraphQLSyntaxError
from graphql.execution.collect_fields import collect_fields
from neo4j import Driver

from api.compiled_reads import CompiledReadsExecutor
from api.schema import build_schema
from ogkg.settings import Settings
from tests.conftest import GraphForTests, RunningServer, every_seed_loaded, start_server

TESTS = Path(__file__).parent

# The issue's four questions (issue 9), with the shapes a dashboard asks for.
ONE_COMMITMENT = """query One($id: ID!) { commitment(id: $id) {
  id code title actionPlan { id title period_start: periodStart }
  leads { id name kind jurisdiction { id name level } }
  partners { role body { id name } } } }"""
PAGE_OF_50 = """{ commitmentsConnection(first: 50) { totalCount
  edges { cursor node { id title leads { name } partners { role } themes { name } } }
  pageInfo { hasNextPage endCursor } } }"""
ALL_BODIES = "{ bodies { id name kind } }"
EVERY_PLAN = """{ actionPlans { id title commitments { id code title
  leads { id name } partners { role body { id name } } } } }"""
FOUR_QUESTIONS = [ONE_COMMITMENT, PAGE_OF_50, ALL_BODIES, EVERY_PLAN]

# Written for this module: fragments, inline fragments, aliases, directives, variables, pages.
HANDWRITTEN = [
    """fragment Named on Body { id name __typename }
    query Q($skipKind: Boolean = true, $withPlan: Boolean = false) {
      __typename
      first: bodies(kind: UK_DEPARTMENT) { ...Named kind @skip(if: $skipKind)
        leads { id plan: actionPlan @include(if: $withPlan) { id } } }
      all: bodies { ... on Body { n: name } ...Named } }""",
    """query($first: Int = 7, $after: String) {
      a: commitmentsConnection(first: $first, after: $after, sortBy: TITLE) {
        __typename edges { __typename cursor node { id title irm { potentialImpact specificity
          completionProgressReport completionEndOfTerm completionChange openedGovernment
          starredProgressReport starredEndOfTerm assessed relevantToOgpValues
          progressReportYear endOfTermReportYear } } }
        pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor } totalCount }
      b: commitmentsConnection(first: 3, after: "b2Zmc2V0OjM=", sortBy: NEWEST) {
        edges { node { id } } pageInfo { startCursor hasPreviousPage } } }""",
    """{ jurisdictions { id name level aliases gssCode authorityType
         parent { id name parent { id } } parts { id name } } }""",
    """{ themes { id name scheme { id name description } broader { id name }
         narrower { id name } } }""",
    """{ practices { id name description version commitments { id } bodies { id name }
         jurisdictions { id } standards { id name publisher description } themes { id }
         lessons { id statement } } }""",
    """{ lessons { id statement version evidence { sourceId location }
         commitments { id } practices { id } themes { id } jurisdictions { id } } }""",
    """{ standards { id name publisher description } }""",
    """{ commitmentsConnection(first: 100, after: "b2Zmc2V0OjQwMA==") { edges { node {
         id number code title shortTitle summary fullText startYear endYear ogpId policyAreas
         milestones { id year text status } lessons { id } themes { id } } } } }""",
    """{ bodiesConnection(first: 10, sortBy: MOST_COMMITMENTS) { totalCount
         edges { node { id name partnerIn { role commitment { id } } leads { id } } } } }""",
    """{ actionPlansConnection(first: 5) { totalCount edges { cursor node { id title
         chapterOf { id } jurisdiction { id } lessons { id } } } } }""",
    """{ jurisdictionsConnection(first: 20, level: LOCAL_AUTHORITY) { totalCount
         edges { node { id name parent { id } } } } }""",
    """{ themesConnection(first: 30) { edges { node { id name } } pageInfo { endCursor } } }""",
    """{ practicesConnection(first: 3) { edges { node { id } } totalCount } }""",
    """{ lessonsConnection(first: 3) { edges { node { id } } totalCount } }""",
    """{ standardsConnection(first: 3) { edges { node { id } } totalCount } }""",
    """{ commitment(id: "no-such-commitment") { id } body(id: "no-such-body") { id } }""",
]


def corpus_of_the_test_suite() -> list[str]:
    """Every query document the existing tests send, found as string constants in tests/*.py."""
    schema = build_schema()._schema
    found: dict[str, None] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if "{" not in text:
                continue
            try:
                document = parse(text)
            except GraphQLSyntaxError:
                continue
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if (
                len(operations) == 1
                and operations[0].operation == OperationType.QUERY
                and not operations[0].variable_definitions
                and not validate(schema, document)
            ):
                found[text] = None
    return list(found)


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> GraphForTests:
    return every_seed_loaded(settings, sync_driver)


@pytest.fixture(scope="module")
def servers(seeded: GraphForTests, settings: Settings) -> Iterator[tuple[str, str]]:
    """The app twice over the same graph: with compiled reads, and with resolvers only."""
    compiled = start_server(settings.model_copy(update={"compiled_reads": True}))
    resolvers: RunningServer | None = None
    try:
        resolvers = start_server(settings.model_copy(update={"compiled_reads": False}))
        yield compiled.url, resolvers.url
    finally:
        compiled.stop()
        if resolvers is not None:
            resolvers.stop()


def ask(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=120
    )
    body: dict[str, Any] = response.json()
    body["status"] = response.status_code
    return body


def same_answer(
    servers: tuple[str, str], query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Ask both servers; assert the same status, data and errors (key order included)."""
    compiled, resolvers = (ask(url, query, variables) for url in servers)
    extensions = compiled.pop("extensions", {}), resolvers.pop("extensions", {})
    assert compiled == resolvers, query
    assert json.dumps(compiled) == json.dumps(resolvers), query
    compiled["extensions"] = extensions[0]
    compiled["resolverExtensions"] = extensions[1]
    return compiled


def a_commitment_id(seeded: GraphForTests) -> str:
    return str(
        seeded.value(
            "MATCH (:Body)-[:PARTNERS_IN]->(c:Commitment)<-[:LEADS]-(:Body) "
            "RETURN c.id ORDER BY c.id LIMIT 1"
        )
    )


def planned_statements(query: str, variables: dict[str, Any]) -> int | None:
    """How many statements the compiled path plans for `query` (None: the resolvers answer)."""
    schema = build_schema()._schema
    document = parse(query)
    executor = CompiledReadsExecutor.build(
        schema, document, raw_variable_values=variables if "$id" in query else None
    )
    assert isinstance(executor, CompiledReadsExecutor)
    assert schema.query_type is not None
    grouped = collect_fields(
        schema, executor.fragments, executor.variable_values, schema.query_type, executor.operation
    ).grouped_field_set
    planned = executor.plan(schema.query_type, grouped)
    return None if planned is None else len(planned)


def test_what_is_not_compilable_is_left_to_the_resolvers() -> None:
    assert planned_statements("{ viewer { subject } bodies { id } }", {}) is None
    assert (
        planned_statements("{ bodies { id partnerNetwork { shared: sharedCommitments } } }", {})
        is None
    )
    assert planned_statements('{ search(text: "data") { __typename } }', {}) is None
    assert planned_statements("{ bodies { id } themes { id } }", {}) == 2


def test_the_issues_four_questions_take_one_round_trip_per_root_field(
    seeded: GraphForTests, servers: tuple[str, str]
) -> None:
    variables = {"id": a_commitment_id(seeded)}
    for query in FOUR_QUESTIONS:
        answer = same_answer(servers, query, variables if "$id" in query else None)
        assert "errors" not in answer and answer["data"], answer
        assert answer["extensions"]["roundTrips"] == 1, query
        # A flat list is one round trip either way; the others nest, a trip per level.
        assert answer["resolverExtensions"]["roundTrips"] > (query == ALL_BODIES), query
        assert planned_statements(query, variables) == 1, query
    two_roots = same_answer(servers, "{ bodies { id } standards { id } }")
    assert two_roots["extensions"]["roundTrips"] == 2


def test_handwritten_queries_agree(seeded: GraphForTests, servers: tuple[str, str]) -> None:
    for query in HANDWRITTEN:
        answer = same_answer(servers, query)
        assert "errors" not in answer, answer
    variables = {"skipKind": False, "withPlan": True}
    answer = same_answer(servers, HANDWRITTEN[0], variables)
    assert answer["data"]["first"][0]["kind"] == "UK_DEPARTMENT"


def test_the_test_suites_queries_agree(seeded: GraphForTests, servers: tuple[str, str]) -> None:
    corpus = corpus_of_the_test_suite()
    assert len(corpus) >= 20, corpus
    for query in corpus:
        same_answer(servers, query)


def test_a_moved_id_is_followed_the_same_way(
    seeded: GraphForTests, servers: tuple[str, str]
) -> None:
    rows = seeded.query(
        "MATCH (r:Redirect {label: 'Commitment'}) RETURN r.fromId AS id ORDER BY id LIMIT 3"
    )
    for row in rows:
        answer = same_answer(
            servers, "query($id: ID!) { commitment(id: $id) { id title } }", {"id": row["id"]}
        )
        assert answer["data"]["commitment"] is not None
