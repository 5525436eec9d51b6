"""Compression over real HTTP: large answers in the encoding the client accepts, small ones as they are."""

import httpx
import pytest

from tests.conftest import GraphForTests
from tests.test_ingest import seed

BODIES = {"query": "{ bodies { id name kind } }"}
SMALL = {"query": "{ actionPlans { id } }"}


@pytest.fixture
def seeded(graph: GraphForTests) -> GraphForTests:
    seed(graph)
    return graph


def post(url: str, payload: dict[str, str], accept_encoding: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql",
        json=payload,
        headers={"accept-encoding": accept_encoding, **headers},
        timeout=30,
    )


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_a_large_answer_comes_in_the_encoding_the_client_accepts(
    seeded: GraphForTests, api_url: str, encoding: str
) -> None:
    plain = post(api_url, BODIES, "identity")
    assert plain.status_code == 200 and "errors" not in plain.json()
    assert "content-encoding" not in plain.headers
    assert len(plain.content) > 4096

    packed = post(api_url, BODIES, encoding)
    assert packed.headers["content-encoding"] == encoding
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.json() == plain.json()
    assert packed.num_bytes_downloaded * 2 < len(plain.content)


def test_the_best_accepted_encoding_wins_and_graphql_response_json_is_compressed(
    seeded: GraphForTests, api_url: str
) -> None:
    browser = post(api_url, BODIES, "gzip, deflate, br, zstd")
    assert browser.headers["content-encoding"] == "zstd"
    modern = post(api_url, BODIES, "gzip", accept="application/graphql-response+json")
    assert modern.headers["content-type"].startswith("application/graphql-response+json")
    assert modern.headers["content-encoding"] == "gzip"
    refused = post(api_url, BODIES, "gzip;q=0, br;q=0")
    assert "content-encoding" not in refused.headers


def test_a_small_answer_is_not_compressed(seeded: GraphForTests, api_url: str) -> None:
    small = post(api_url, SMALL, "gzip, br, zstd")
    assert small.status_code == 200 and small.json()["data"] == {"actionPlans": [{"id": "uk-nap4"}]}
    assert len(small.content) < 1024
    assert "content-encoding" not in small.headers
