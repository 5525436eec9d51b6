"""The GraphQL API over real HTTP against the seeded graph: every root field, errors and health."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.persisted_queries import AllowListError, PersistedQueries, document_hash
from ogkg.settings import Settings
from tests.conftest import GraphForTests, start_server
from tests.test_action_plan_text import EXPECTED
from tests.test_ingest import seed


@pytest.fixture
def seeded(graph: GraphForTests) -> GraphForTests:
    seed(graph)
    return graph


def post(http: httpx.Client, api_url: str, query: str, **variables: Any) -> dict[str, Any]:
    response = http.post(f"{api_url}/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data(http: httpx.Client, api_url: str, query: str, **variables: Any) -> dict[str, Any]:
    body = post(http, api_url, query, **variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


def test_commitments_with_their_leads(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    result = data(http, api_url, "{ commitments { number title leads { name } } }")
    by_number = {c["number"]: c for c in result["commitments"]}
    assert sorted(by_number) == sorted(EXPECTED)
    for number, (title, leads, _) in EXPECTED.items():
        assert by_number[number]["title"] == title
        names = {
            row["name"]
            for row in seeded.query(
                "MATCH (b:Body) WHERE b.id IN $ids RETURN b.name AS name", ids=list(leads)
            )
        }
        assert {lead["name"] for lead in by_number[number]["leads"]} == names


def test_commitment_by_id_with_plan_and_partners(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """query ($id: ID!) { commitment(id: $id) {
        id number title summary
        actionPlan { id number title periodStart periodEnd jurisdiction { id name level } }
        partners { role body { id kind } }
    } }"""
    commitment = data(http, api_url, query, id="uk-nap4-c6")["commitment"]
    assert commitment["title"] == "Innovation in democracy programme"
    assert "Area Democracy Forums" in commitment["summary"]
    assert commitment["actionPlan"] == {
        "id": "uk-nap4",
        "number": 4,
        "title": "United Kingdom Action Plan 2019-2021",
        "periodStart": 2019,
        "periodEnd": 2021,
        "jurisdiction": {"id": "uk", "name": "United Kingdom", "level": "COUNTRY"},
    }
    assert {(p["body"]["id"], p["role"]) for p in commitment["partners"]} == {
        (body_id, role.name) for body_id, role in EXPECTED[6][2]
    }
    assert data(http, api_url, query, id="no-such-commitment")["commitment"] is None


def test_action_plans_list_their_commitments(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    plans = data(http, api_url, "{ actionPlans { id commitments { number } } }")["actionPlans"]
    assert plans == [{"id": "uk-nap4", "commitments": [{"number": n} for n in sorted(EXPECTED)]}]


def test_bodies_filtered_by_kind(seeded: GraphForTests, http: httpx.Client, api_url: str) -> None:
    departments = data(http, api_url, "{ bodies(kind: UK_DEPARTMENT) { id kind } }")["bodies"]
    expected = seeded.query("MATCH (b:Body {kind: 'uk_department'}) RETURN b.id AS id")
    assert {b["id"] for b in departments} == {row["id"] for row in expected}
    assert {b["kind"] for b in departments} == {"UK_DEPARTMENT"}
    everyone = data(http, api_url, "{ bodies { id } }")["bodies"]
    assert len(everyone) == seeded.value("MATCH (b:Body) RETURN count(b)")


def test_body_with_jurisdiction_leads_and_partnerships(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{ body(id: "dcms") { name aliases jurisdiction { id }
        leads { number } partnerIn { role commitment { number } } } }"""
    body = data(http, api_url, query)["body"]
    assert body["name"] == "Department for Digital, Culture, Media and Sport"
    assert "DCMS" in body["aliases"]
    assert body["jurisdiction"] == {"id": "uk"}
    assert sorted(c["number"] for c in body["leads"]) == [2, 6]
    assert sorted((p["commitment"]["number"], p["role"]) for p in body["partnerIn"]) == [
        (1, "GOVERNMENT"),
        (4, "GOVERNMENT"),
    ]


def test_jurisdictions_with_parent_and_parts(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    places = data(http, api_url, "{ jurisdictions { id level parent { id } parts { id } } }")[
        "jurisdictions"
    ]
    by_id = {p["id"]: p for p in places}
    assert sorted(p["id"] for p in by_id["uk"]["parts"]) == [
        "england",
        "northern-ireland",
        "scotland",
        "wales",
    ]
    assert by_id["uk"]["parent"] is None and by_id["uk"]["level"] == "COUNTRY"
    assert by_id["wales"]["parent"] == {"id": "uk"} and by_id["wales"]["level"] == "NATION"


def test_search_ranks_across_types(seeded: GraphForTests, http: httpx.Client, api_url: str) -> None:
    query = """query ($text: String!) { search(text: $text) { __typename
        ... on Commitment { id } ... on Body { id } ... on ActionPlan { id } ... on Jurisdiction { id } } }"""
    hits = data(http, api_url, query, text="open contracting")["search"]
    found = [(hit["__typename"], hit["id"]) for hit in hits]
    assert ("Commitment", "uk-nap4-c4") in found[:3]
    assert ("Body", "open-contracting-partnership") in found[:3]
    assert data(http, api_url, query, text="DCMS")["search"][0] == {
        "__typename": "Body",
        "id": "dcms",
    }
    scotland = [
        (h["__typename"], h["id"]) for h in data(http, api_url, query, text="Scotland")["search"]
    ]
    assert ("Jurisdiction", "scotland") in scotland
    typo = data(http, api_url, query, text="transparancy")["search"]
    assert {"__typename": "Commitment", "id": "uk-nap4-c8"} in typo


@pytest.mark.parametrize("text", ['open AND (contracting OR "', "title:x* ~ ^2 \\", "[a TO z]"])
def test_search_never_interprets_lucene_syntax(
    seeded: GraphForTests, http: httpx.Client, api_url: str, text: str
) -> None:
    body = post(http, api_url, "query ($t: String!) { search(text: $t) { __typename } }", t=text)
    assert "errors" not in body
    assert isinstance(body["data"]["search"], list)


def test_client_mistakes_are_graphql_errors_not_500s(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    unknown_field = post(http, api_url, "{ commitments { nope } }")
    assert unknown_field["errors"][0]["message"].startswith(
        "Cannot query field 'nope' on type 'Commitment'."
    )
    bad_argument = post(http, api_url, '{ search(text: "grants", first: 100000) { __typename } }')
    assert "`first` must be between 1 and 100" in bad_argument["errors"][0]["message"]
    empty = post(http, api_url, '{ search(text: "  ") { __typename } }')
    assert "at least one word" in empty["errors"][0]["message"]
    syntax = http.post(f"{api_url}/graphql", json={"query": "{ commitments { "})
    assert syntax.status_code == 200  # GraphQL over HTTP: 200 for application/json responses
    assert "Syntax Error" in syntax.json()["errors"][0]["message"]
    not_json = http.post(
        f"{api_url}/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    for response in (syntax, not_json):
        assert "Traceback" not in response.text and "MATCH" not in response.text


def test_json_only_the_standard_library_reads_is_read_as_before(
    graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    """Bodies are read by orjson; an integer past 64 bits (orjson refuses it) still reaches GraphQL."""
    body = (
        b'{"query": "query ($n: Int!) { commitmentsConnection(first: $n) { totalCount } }", '
        b'"variables": {"n": 123456789012345678901234}}'
    )
    response = http.post(
        f"{api_url}/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200  # not refused as "not JSON"
    error = response.json()["errors"][0]
    assert "Int cannot represent" in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_health_ready_and_graphiql(graph: GraphForTests, http: httpx.Client, api_url: str) -> None:
    health = http.get(f"{api_url}/health").json()
    assert health["status"] == "ok" and re.fullmatch(r"[0-9a-f]{12}", health["instance"])
    # The same start answers both: its id tells one start of the service from the next.
    assert http.get(f"{api_url}/ready").json() == {
        "status": "ready",
        "instance": health["instance"],
    }
    page = http.get(f"{api_url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    by_get = http.get(f"{api_url}/graphql", params={"query": "{ actionPlans { id } }"})
    assert by_get.status_code == 200 and by_get.json()["data"] == {"actionPlans": []}
    # An empty graph: the estimate, from the graph's own sizes, is nothing.
    assert by_get.json()["extensions"] == {"roundTrips": 1, "cost": {"objects": 0, "bytes": 0}}


def nested_query(levels: int) -> str:
    """commitments → actionPlan → commitments → ..., two levels deeper per step: lists in lists."""
    inner = "id"
    for _ in range(levels):
        inner = f"actionPlan {{ commitments {{ {inner} }} }}"
    return f"{{ commitments {{ {inner} }} }}"


def parent_chain(depth: int) -> str:
    """jurisdictions → parent → parent → ...: deep, but one list only."""
    inner = "id"
    for _ in range(depth - 1):
        inner = f"parent {{ {inner} }}"
    return f"{{ jurisdictions {{ {inner} }} }}"


def test_a_query_within_the_limits_runs(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    body = http.post(f"{api_url}/graphql", json={"query": parent_chain(depth=10)}).json()
    assert "errors" not in body, body
    assert body["data"]["jurisdictions"]
    body = http.post(f"{api_url}/graphql", json={"query": nested_query(levels=2)}).json()
    assert "errors" not in body, body
    assert len(body["data"]["commitments"]) == len(EXPECTED)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (parent_chain(depth=11), "exceeds maximum operation depth of 10"),
        (
            "{ " + " ".join(f"a{i}: jurisdictions {{ id }}" for i in range(31)) + " }",
            "31 aliases found. Allowed: 30",
        ),
        ("{ jurisdictions { " + "id " * 2500 + "} }", "more than 2000 tokens"),
    ],
)
def test_oversized_requests_are_refused_with_the_limit_named(
    graph: GraphForTests, http: httpx.Client, api_url: str, query: str, message: str
) -> None:
    response = http.post(f"{api_url}/graphql", json={"query": query})
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert message in errors[0]["message"]
    assert response.json().get("data") is None
    assert response.json()["extensions"]["roundTrips"] == 0


def test_a_query_that_fans_out_is_refused_with_the_limit_named(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    # Every commitment's plan's commitments, four times over: the plan's size to the fifth power.
    body = http.post(f"{api_url}/graphql", json={"query": nested_query(levels=4)}).json()
    (error,) = body["errors"]
    assert "over the limit of 25,000 objects or 8.0 MB" in error["message"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"]["objects"] > 25_000
    assert body.get("data") is None
    assert body["extensions"]["roundTrips"] == 0


def test_cost_counts_the_page_size_a_variable_asks_for(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """query ($first: Int = 4) { bodiesConnection(first: $first) {
      edges { node { leads { partners { body { id } } } } } } }"""
    default = post(http, api_url, query)
    assert "errors" not in default, default
    one = post(http, api_url, query, first=1)
    assert "errors" not in one, one
    # A page of four bodies costs four pages of one (the graph holds more than four bodies).
    assert seeded.value("MATCH (b:Body) RETURN count(b)") > 4
    assert one["extensions"]["cost"]["objects"] > 1
    assert default["extensions"]["cost"]["objects"] == 4 * one["extensions"]["cost"]["objects"]


ALLOWED = "{ jurisdictions { id } }"


@pytest.fixture
def allow_listed_url(settings: Settings, tmp_path: Path) -> Iterator[str]:
    allow_list = tmp_path / "persisted.json"
    allow_list.write_text(json.dumps({document_hash(ALLOWED): ALLOWED}), encoding="utf-8")
    running = start_server(settings.model_copy(update={"persisted_queries": allow_list}))
    try:
        yield running.url
    finally:
        running.stop()


def test_with_an_allow_list_only_persisted_operations_run(
    seeded: GraphForTests, http: httpx.Client, allow_listed_url: str
) -> None:
    url = f"{allow_listed_url}/graphql"
    expected = {"jurisdictions": [{"id": row["id"]} for row in seeded.query(
        "MATCH (j:Jurisdiction) RETURN j.id AS id ORDER BY j.name, j.id")]}  # fmt: skip
    by_text = http.post(url, json={"query": ALLOWED})
    assert by_text.status_code == 200 and by_text.json()["data"] == expected
    by_hash = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(ALLOWED)}}
    posted = http.post(url, json={"extensions": by_hash})
    assert posted.status_code == 200 and posted.json()["data"] == expected
    got = http.get(url, params={"extensions": json.dumps(by_hash)})
    assert got.status_code == 200 and got.json()["data"] == expected

    other = http.post(url, json={"query": "{ bodies { id } }"})
    assert other.status_code == 400
    assert "this server runs persisted queries only" in other.text
    unknown = http.post(url, json={"extensions": {"persistedQuery": {"sha256Hash": "00ff"}}})
    assert unknown.status_code == 400 and "no persisted query has the hash '00ff'" in unknown.text
    mismatched = http.post(url, json={"query": "{ bodies { id } }", "extensions": by_hash})
    assert mismatched.status_code == 400 and "does not match" in mismatched.text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not json", "cannot read the persisted queries"),
        ('{"abc": "{ bodies { id } }"}', "the entry 'abc' is not the sha256 of its operation text"),
        ("[]", "expected a JSON object"),
    ],
)
def test_a_bad_allow_list_is_refused_naming_the_file(
    tmp_path: Path, content: str, problem: str
) -> None:
    allow_list = tmp_path / "persisted.json"
    allow_list.write_text(content, encoding="utf-8")
    with pytest.raises(
        AllowListError, match=re.escape(str(allow_list)) + ".*" + re.escape(problem)
    ):
        PersistedQueries.load(allow_list)


def test_graphql_response_json_clients_get_its_media_type_and_400_for_refused_requests(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    url = f"{api_url}/graphql"
    modern = {"accept": "application/graphql-response+json"}
    good = http.post(url, json={"query": "{ actionPlans { id } }"}, headers=modern)
    assert good.status_code == 200
    assert good.headers["content-type"].startswith("application/graphql-response+json")
    assert good.json()["data"]["actionPlans"]
    for query in (
        "{",
        "{ nope }",
        "{ " + " ".join(f"a{i}: jurisdictions {{ id }}" for i in range(31)) + " }",
    ):
        refused = http.post(url, json={"query": query}, headers=modern)
        assert refused.status_code == 400, query
        assert "data" not in refused.json() and refused.json()["errors"]
        legacy = http.post(url, json={"query": query})
        assert legacy.status_code == 200 and legacy.json()["data"] is None
        assert legacy.headers["content-type"].startswith("application/json")
