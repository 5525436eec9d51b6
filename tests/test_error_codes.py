"""Every error a client can cause carries a documented `extensions.code`: a walk over bad requests."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from api.errors import ErrorCode
from ogkg.settings import PROJECT_ROOT, Settings
from tests.conftest import GraphForTests, start_server
from tests.test_ingest import seed

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTED_CODES = set(re.findall(r"^\| `([A-Z_]+)` \| \d{3}", README, flags=re.MULTILINE))

FIRST_PAGE = "query ($first: Int!) { commitmentsConnection(first: $first) { edges { cursor } } }"


def deep_chain(depth: int) -> str:
    inner = "id"
    for _ in range(depth - 1):
        inner = f"parent {{ {inner} }}"
    return f"{{ jurisdictions {{ {inner} }} }}"


@dataclass
class Bad:
    """A bad request and the code its (every) error must carry."""

    name: str
    code: ErrorCode
    method: str = "POST"
    json: Any = None
    content: bytes | None = None
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def graphql(name: str, code: ErrorCode, query: str, **extra: Any) -> Bad:
    return Bad(name, code, json={"query": query, **extra})


BAD_REQUESTS = [
    graphql(
        "first: 0",
        ErrorCode.BAD_USER_INPUT,
        "{ commitmentsConnection(first: 0) { edges { cursor } } }",
    ),
    graphql(
        "first over a page",
        ErrorCode.BAD_USER_INPUT,
        "{ bodiesConnection(first: 1000) { edges { cursor } } }",
    ),
    graphql(
        "a cursor we never gave",
        ErrorCode.BAD_USER_INPUT,
        '{ commitmentsConnection(after: "bm9wZQ==") { edges { cursor } } }',
    ),
    graphql(
        "a cursor past any list (an offset past 64 bits)",
        ErrorCode.BAD_USER_INPUT,
        '{ commitmentsConnection(after: "b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5OTk5OTk5") { edges { cursor } } }',
    ),
    graphql(
        "search with more words than a search takes",
        ErrorCode.BAD_USER_INPUT,
        f'{{ search(text: "{" ".join(["open data"] * 17)}") {{ __typename }} }}',
    ),
    graphql(
        "search with no word", ErrorCode.BAD_USER_INPUT, '{ search(text: "!!") { __typename } }'
    ),
    graphql("similar to nothing", ErrorCode.NOT_FOUND, '{ similar(to: "nothing") { score } }'),
    graphql("change sets first: -1", ErrorCode.BAD_USER_INPUT, "{ changeSets(first: -1) { id } }"),
    graphql(
        "a variable of the wrong type",
        ErrorCode.BAD_USER_INPUT,
        FIRST_PAGE,
        variables={"first": "x"},
    ),
    graphql("a variable missing", ErrorCode.BAD_USER_INPUT, FIRST_PAGE, variables={}),
    graphql(
        "an unknown operation name",
        ErrorCode.BAD_REQUEST,
        "query A { viewer { subject } }",
        operationName="B",
    ),
    graphql("a syntax error", ErrorCode.GRAPHQL_PARSE_FAILED, "{ commitments { "),
    graphql(
        "too many tokens",
        ErrorCode.GRAPHQL_PARSE_FAILED,
        "{ jurisdictions { " + "id " * 2500 + "} }",
    ),
    graphql("an unknown field", ErrorCode.GRAPHQL_VALIDATION_FAILED, "{ noSuchField }"),
    graphql(
        "an argument of the wrong type",
        ErrorCode.GRAPHQL_VALIDATION_FAILED,
        '{ commitmentsConnection(first: "ten") { edges { cursor } } }',
    ),
    graphql("too deep", ErrorCode.GRAPHQL_VALIDATION_FAILED, deep_chain(11)),
    graphql(
        "too many aliases",
        ErrorCode.GRAPHQL_VALIDATION_FAILED,
        "{ " + " ".join(f"a{i}: viewer {{ subject }}" for i in range(31)) + " }",
    ),
    graphql(
        "a change without signing in",
        ErrorCode.UNAUTHENTICATED,
        'mutation { retractLesson(id: "x", expectedVersion: 1, reason: "r") { __typename } }',
    ),
    Bad(
        "a token that is not one",
        ErrorCode.UNAUTHENTICATED,
        json={"query": "{ viewer { subject } }"},
        headers={"authorization": "Bearer not-a-token"},
    ),
    Bad(
        "a PUT",
        ErrorCode.METHOD_NOT_ALLOWED,
        method="PUT",
        json={"query": "{ viewer { subject } }"},
    ),
    Bad(
        "a mutation by GET",
        ErrorCode.BAD_REQUEST,
        method="GET",
        params={
            "query": 'mutation { retractLesson(id: "x", expectedVersion: 1, reason: "r") { __typename } }'
        },
    ),
    Bad(
        "a body that is not JSON",
        ErrorCode.BAD_REQUEST,
        content=b"{not json",
        headers={"content-type": "application/json"},
    ),
    Bad("a body without a query", ErrorCode.BAD_REQUEST, json={"variables": {}}),
    Bad(
        "variables nested 5,000 arrays deep",
        ErrorCode.BAD_REQUEST,
        content=b'{"query": "{ viewer { subject } }", "variables": {"v": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}}",
        headers={"content-type": "application/json"},
    ),
    Bad(
        "variables nested 1,500 objects deep, by GET",
        ErrorCode.BAD_REQUEST,
        method="GET",
        params={"query": "{ viewer { subject } }", "variables": '{"a":' * 1500 + "1" + "}" * 1500},
    ),
    Bad(
        "a body too large",
        ErrorCode.REQUEST_TOO_LARGE,
        json={"query": "{ viewer { subject } }" + " " * 1_100_000},
    ),
    Bad(
        "a query string too long",
        ErrorCode.QUERY_STRING_TOO_LONG,
        method="GET",
        params={"query": "{ viewer { subject } }" + " " * 40_000},
    ),
]


def send(http: httpx.Client, url: str, bad: Bad) -> httpx.Response:
    return http.request(
        bad.method,
        f"{url}/graphql",
        json=bad.json,
        content=bad.content,
        params=bad.params,
        headers={"accept": "application/json", **bad.headers},
    )


def codes_of(response: httpx.Response) -> list[str]:
    body = response.json()
    assert body.get("errors"), (response.status_code, response.text)
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


def test_every_code_is_documented_in_the_readme_table() -> None:
    assert {code.value for code in ErrorCode} == DOCUMENTED_CODES


@pytest.mark.parametrize("bad", BAD_REQUESTS, ids=lambda bad: bad.name)
def test_every_error_of_a_bad_request_carries_its_documented_code(
    graph: GraphForTests, http: httpx.Client, api_url: str, bad: Bad
) -> None:
    response = send(http, api_url, bad)
    assert "Traceback" not in response.text
    codes = codes_of(response)
    assert set(codes) <= DOCUMENTED_CODES, codes
    assert codes == [bad.code.value] * len(codes), (codes, response.text)


def test_a_query_too_costly_for_the_graph_is_refused_with_its_code(
    graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    seed(graph)  # the cost is estimated from the graph's sizes: an empty graph costs nothing
    query = (
        "{ commitments { actionPlan { commitments { actionPlan { commitments { actionPlan {"
        " commitments { actionPlan { commitments { id } } } } } } } } } }"
    )
    response = send(http, api_url, Bad("", ErrorCode.QUERY_TOO_COSTLY, json={"query": query}))
    assert codes_of(response) == [ErrorCode.QUERY_TOO_COSTLY.value]


@pytest.fixture
def strict_url(settings: Settings, tmp_path: Any) -> Iterator[str]:
    """A server that lets a client send two requests a minute."""
    running = start_server(settings.model_copy(update={"rate_limit": "2/minute"}))
    try:
        yield running.url
    finally:
        running.stop()


def test_a_client_over_its_rate_gets_rate_limited(
    graph: GraphForTests, http: httpx.Client, strict_url: str
) -> None:
    request = Bad("", ErrorCode.RATE_LIMITED, json={"query": "{ viewer { subject } }"})
    statuses = [send(http, strict_url, request).status_code for _ in range(2)]
    assert statuses == [200, 200]
    over = send(http, strict_url, request)
    assert over.status_code == 429
    assert codes_of(over) == [ErrorCode.RATE_LIMITED.value]
