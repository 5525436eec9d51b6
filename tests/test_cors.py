"""CORS over real HTTP: browsers' preflights from listed origins (with tokens), `*` (read only), others refused."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api.principal import Role
from ogkg.signing_key import load_signing_key
from ogkg.tokens import issue_token
from tests.auth_for_tests import VIEWER, offline_settings, serving

DASHBOARD = "https://dashboard.example.org"
ELSEWHERE = "https://elsewhere.example.net"


def preflight(url: str, origin: str, headers: str = "content-type") -> httpx.Response:
    """What a browser sends before a cross-origin POST of JSON."""
    return httpx.options(
        url,
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": headers,
        },
        timeout=30,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ogkg-home")


@pytest.fixture(scope="module")
def listed_url(home: Path) -> Iterator[str]:
    with serving(offline_settings(home, cors_origins=[DASHBOARD])) as url:
        yield url


def test_without_origins_there_is_no_cross_origin_access(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path)) as url:
        response = preflight(url, DASHBOARD)
        assert response.status_code == 405
        assert "access-control-allow-origin" not in response.headers


def test_a_listed_origin_gets_its_preflight_answered_with_credentials(
    listed_url: str, home: Path
) -> None:
    response = preflight(listed_url, DASHBOARD, "authorization, content-type")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DASHBOARD
    assert response.headers["access-control-allow-credentials"] == "true"
    assert set(response.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert response.headers["access-control-max-age"] == "600"
    assert "Origin" in response.headers["vary"]

    key = load_signing_key(offline_settings(home))
    token = issue_token(key, "dash", [Role.CONTRIBUTOR], ttl=timedelta(minutes=5))
    answer = httpx.post(
        listed_url,
        json={"query": VIEWER},
        headers={"origin": DASHBOARD, "authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.json()["data"]["viewer"]["subject"] == "dash"
    assert answer.headers["access-control-allow-origin"] == DASHBOARD
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert answer.headers["access-control-expose-headers"].lower() == "retry-after"


def test_an_unlisted_origin_is_refused(listed_url: str) -> None:
    response = preflight(listed_url, ELSEWHERE)
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    answer = httpx.post(listed_url, json={"query": VIEWER}, headers={"origin": ELSEWHERE})
    assert "access-control-allow-origin" not in answer.headers  # the browser hides the answer


def test_a_star_lets_any_origin_read_without_credentials(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path, cors_origins=[DASHBOARD, "*"])) as url:
        response = preflight(url, ELSEWHERE)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers
        assert "Origin" in response.headers["vary"]
        with_token = preflight(url, ELSEWHERE, "authorization, content-type")
        assert with_token.status_code == 400  # a browser sends no token to the public
        assert "authorization" not in with_token.headers["access-control-allow-headers"]

        read = httpx.post(url, json={"query": VIEWER}, headers={"origin": ELSEWHERE})
        assert read.status_code == 200 and read.json()["data"] == {"viewer": None}
        assert read.headers["access-control-allow-origin"] == "*"

        listed = preflight(url, DASHBOARD, "authorization, content-type")
        assert listed.status_code == 200
        assert listed.headers["access-control-allow-origin"] == DASHBOARD
        assert listed.headers["access-control-allow-credentials"] == "true"


def test_origins_are_checked_when_read() -> None:
    with pytest.raises(ValueError, match="is not an origin"):
        offline_settings(Path("/nonexistent"), cors_origins=["https://dashboard.example.org/app"])
