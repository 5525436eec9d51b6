"""Rate limits over real HTTP: 429 with Retry-After, per token subject or address, mutations apart from reads."""

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api.principal import Role
from ogkg.settings import Settings
from ogkg.signing_key import load_signing_key
from ogkg.tokens import issue_token
from tests.auth_for_tests import VIEWER, ask, offline_settings, serving
from tests.conftest import GraphForTests
from tests.neo4j_server import free_port

RETRACT = """mutation { retractLesson(id: "no-such-lesson", expectedVersion: 1, reason: "test") {
  __typename } }"""
MODERN = "application/graphql-response+json"


def token_for(settings: Settings, subject: str) -> str:
    key = load_signing_key(settings)
    return issue_token(key, subject, [Role.COORDINATOR], ttl=timedelta(minutes=5))


def assert_limited(response: httpx.Response, code: str = "RATE_LIMITED") -> int:
    """The seconds the refusal asks the client to wait."""
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": code, "retryAfter": retry_after}
    assert "Too many" in error["message"]
    return retry_after


def test_a_client_over_the_request_limit_gets_429_with_retry_after(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path, rate_limit="3/minute")
    with serving(settings) as url:
        for _ in range(3):
            assert ask(url).status_code == 200
        refused = ask(url, accept=MODERN)
        assert 1 <= assert_limited(refused) <= 60
        assert refused.headers["content-type"].startswith(MODERN)
        assert "data" not in refused.json()

        # Signed in, a client counts by its token's subject, not its address.
        alice, bob = token_for(settings, "alice"), token_for(settings, "bob")
        for _ in range(3):
            assert ask(url, alice).status_code == 200
        assert_limited(ask(url, alice))
        assert ask(url, bob).status_code == 200


def test_the_limit_lifts_after_retry_after(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path, rate_limit="2/2 second")) as url:
        answers = [ask(url) for _ in range(10)]  # a slow machine may cross a window: not all in one
        refused = next(answer for answer in answers if answer.status_code == 429)
        retry_after = assert_limited(refused)
        assert retry_after <= 2
        deadline = time.monotonic() + 4 * retry_after
        while time.monotonic() < deadline:
            time.sleep(retry_after)
            if ask(url).status_code == 200:
                return
        pytest.fail("the limit did not lift after Retry-After")


@pytest.fixture
def limited_url(graph: GraphForTests, tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    settings = graph.settings.model_copy(
        update={"home": tmp_path, "rate_limit": "100/minute", "mutation_rate_limit": "2/minute"}
    )
    with serving(settings) as url:
        yield url, settings


def test_mutations_are_limited_apart_from_reads(limited_url: tuple[str, Settings]) -> None:
    url, settings = limited_url
    alice, bob = token_for(settings, "alice"), token_for(settings, "bob")
    for _ in range(2):
        done = ask(url, alice, query=RETRACT)
        assert done.status_code == 200 and "errors" not in done.json(), done.text
    refused = ask(url, alice, query=RETRACT)
    assert_limited(refused)
    assert refused.json()["data"] is None  # nothing ran

    assert ask(url, alice).status_code == 200  # reading is not a mutation
    assert ask(url, bob, query=RETRACT).status_code == 200  # bob has his own count
    # An invalid mutation never runs, so it is not counted as a change.
    invalid = ask(url, bob, query="mutation { nope }")
    assert invalid.status_code == 200 and invalid.json()["errors"]
    assert ask(url, bob, query=RETRACT).status_code == 200
    assert_limited(ask(url, bob, query=RETRACT))


def test_rates_are_checked_when_read(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is not a rate"):
        offline_settings(tmp_path, mutation_rate_limit="lots")
    assert offline_settings(tmp_path, rate_limit="off").rate_limit == "off"
    with serving(offline_settings(tmp_path, rate_limit="off")) as url:
        assert all(ask(url, query=VIEWER).status_code == 200 for _ in range(50))


def test_while_a_shared_store_is_unreachable_requests_are_let_through(tmp_path: Path) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}"
    settings = offline_settings(tmp_path, rate_limit="1/minute", rate_limit_storage=nowhere)
    with serving(settings) as url:
        assert [ask(url).status_code for _ in range(3)] == [200, 200, 200]
