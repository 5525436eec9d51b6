"""Security headers over real HTTP: GraphiQL's page loads only its pinned assets and is never framed; nothing is sniffed."""

import base64
import hashlib
import re
from pathlib import Path

import httpx

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
        # Scripts: its own origin, the pinned CDN builds, and exactly the page's inline scripts.
        inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
        assert inline
        hashes = {
            f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in inline
        }
        assert set(policy["script-src"].split()) == {"'self'", "https://unpkg.com", *hashes}
        assert "'unsafe-inline'" not in policy["script-src"]
        external = re.findall(r'src="(https://[^"]+)"', page.text)
        assert external and all(src.startswith("https://unpkg.com/") for src in external)


def test_api_answers_are_not_sniffed_and_carry_no_page_policy(tmp_path: Path) -> None:
    with serving(offline_settings(tmp_path)) as url:
        answer = httpx.post(url, json={"query": VIEWER}, timeout=30)
        assert answer.status_code == 200
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" not in answer.headers
        too_long = httpx.get(url, params={"query": " " * 40_000}, timeout=30)
        assert too_long.status_code == 414
        assert too_long.headers["x-content-type-options"] == "nosniff"
