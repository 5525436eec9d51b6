"""Security headers over real HTTP: GraphiQL's page loads only the app's own assets and is never framed; nothing is sniffed."""

import base64
import hashlib
import re
from pathlib import Path

import httpx
import pytest

from api.graphiql_assets import UnknownAssetError, page_with_local_assets
from tests.auth_for_tests import VIEWER, offline_settings, serving


def test_the_graphiql_page_has_a_policy_that_lets_only_it_load(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path)) as url:
        page = httpx.get(url, headers={"accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["referrer-policy"] == "no-referrer"
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in page.headers["content-security-policy"].split(";")
        )
        assert policy["frame-ancestors"] == "'none'"
        assert policy["connect-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        # Scripts: the app's own origin and exactly the page's inline scripts; no CDN.
        inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
        assert inline
        hashes = {
            f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in inline
        }
        assert set(policy["script-src"].split()) == {"'self'", *hashes}
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "http" not in policy["style-src"] + policy["font-src"]


def test_graphiql_loads_every_asset_from_the_app_with_matching_integrity(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path)) as url:
        page = httpx.get(url, headers={"accept": "text/html"}, timeout=30).text
        assert not re.findall(r'(?:src|href)="https?://', page)
        assets = re.findall(r'(?:src|href)="(/[^"]+)"\s+integrity="sha384-([^"]+)"', page)
        # React, ReactDOM, js-cookie, GraphiQL's script and style, the explorer's script and style.
        assert len(assets) == 7
        origin = httpx.URL(url).copy_with(path="/")
        for path, integrity in assets:
            asset = httpx.get(str(origin.join(path)), timeout=30)
            assert asset.status_code == 200, path
            expected = "text/css" if path.endswith(".css") else "javascript"
            assert expected in asset.headers["content-type"], path
            digest = base64.b64encode(hashlib.sha384(asset.content).digest()).decode()
            assert digest == integrity, path


def test_api_answers_are_not_sniffed_and_carry_no_page_policy(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path)) as url:
        answer = httpx.post(url, json={"query": VIEWER}, timeout=30)
        assert answer.status_code == 200
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" not in answer.headers
        too_long = httpx.get(url, params={"query": " " * 40_000}, timeout=30)
        assert too_long.status_code == 414
        assert too_long.headers["x-content-type-options"] == "nosniff"


def test_a_graphiql_page_naming_an_unserved_asset_is_refused() -> None:
    page = '<script src="https://unpkg.com/graphiql@9.9.9/graphiql.min.js"></script>'
    with pytest.raises(UnknownAssetError, match=r"graphiql@9\.9\.9"):
        page_with_local_assets(page)
    known = '<script src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>'
    assert (
        page_with_local_assets(known) == '<script src="/static/graphiql/graphiql.min.js"></script>'
    )
