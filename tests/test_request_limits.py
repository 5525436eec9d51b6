"""Oversized requests over real HTTP: bodies refused with 413 before they are read, long query strings with 414."""

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.auth_for_tests import offline_settings, serving
from tests.raw_http import exchange

LIMIT = 1_048_576  # the default OGKG_MAX_BODY_BYTES


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = offline_settings(tmp_path_factory.mktemp("ogkg-home"))
    assert settings.max_body_bytes == LIMIT
    with serving(settings) as graphql_url:
        yield graphql_url


def padded(size: int) -> bytes:
    """A `viewer` query padded with whitespace (which the token limit does not count) to `size` bytes."""
    body = json.dumps({"query": "{ viewer { subject } }" + " " * size}).encode()
    return body[: size - 2] + b'"}' if len(body) > size else body


def test_a_body_within_the_limit_is_answered(url: str) -> None:
    response = httpx.post(
        url, content=padded(LIMIT), headers={"content-type": "application/json"}, timeout=30
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"viewer": None}


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(url: str) -> None:
    started = time.monotonic()
    response = exchange(
        url,
        ["POST /graphql HTTP/1.1", "content-type: application/json", "content-length: 20000000"],
        [],
    )
    assert time.monotonic() - started < 2
    assert response.status == 413
    assert response.headers["connection"] == "close"
    assert response.json() == {
        "errors": [
            {
                "message": "The request body is over the limit of 1,048,576 bytes.",
                "extensions": {"code": "REQUEST_TOO_LARGE", "limit": LIMIT},
            }
        ]
    }


def test_a_chunked_body_is_refused_as_it_passes_the_limit(url: str) -> None:
    whole = padded(20_000_000)
    chunks = (whole[start : start + 65536] for start in range(0, len(whole), 65536))
    response = exchange(
        url,
        [
            "POST /graphql HTTP/1.1",
            "content-type: application/json",
            "accept: application/graphql-response+json",
            "transfer-encoding: chunked",
        ],
        chunks,
        chunked=True,
    )
    assert response.status == 413
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    # The answer came while the client was still sending: the server never took in the 20 MB.
    assert response.body_bytes_sent < len(whole) // 2


def test_a_query_string_over_the_limit_is_refused(url: str) -> None:
    fine = httpx.get(url, params={"query": "{ viewer { subject } }" + " " * 20_000}, timeout=30)
    assert fine.status_code == 200, fine.text
    long = httpx.get(url, params={"query": "{ viewer { subject } }" + " " * 40_000}, timeout=30)
    assert long.status_code == 414
    assert long.json()["errors"][0]["extensions"] == {
        "code": "QUERY_STRING_TOO_LONG",
        "limit": 32_768,
    }


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path, max_body_bytes=4096)) as small:
        json_body = {"content-type": "application/json"}
        fits = httpx.post(small, content=padded(4096), headers=json_body, timeout=30)
        assert fits.status_code == 200, fits.text
        refused = httpx.post(small, content=padded(4097), headers=json_body, timeout=30)
        assert refused.status_code == 413
        assert "4,096 bytes" in refused.json()["errors"][0]["message"]
