"""The explorer in real headless Chromium against the app over HTTP, on the seeded graph.

A practitioner's journey end to end, the coverage heat map, every page kind, the pages without
JavaScript and on a phone. Every test asserts that no request left 127.0.0.1 and that the browser
logged no error. Screenshots go to a temporary folder; with OGKG_UPDATE_SCREENSHOTS=1 they are
also copied to docs/screenshots/ (the README shows those).
"""

import csv
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from neo4j import Driver
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Route,
    ViewportSize,
    sync_playwright,
)

from api.security_headers import OWN_ASSETS_ONLY
from ogkg.settings import PROJECT_ROOT, Settings
from tests.conftest import SEEDS_DIR, GraphForTests, every_seed_loaded

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1"}
JOURNEY_WORDS = "participatory budgeting"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@dataclass
class Watched:
    """What the browser did that a test must not see: outside requests, console errors."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.errors == [], f"the browser logged errors: {self.errors}"


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


@pytest.fixture(scope="module")
def browser(seeded: GraphForTests) -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("explorer-screenshots")
    yield folder
    if os.environ.get("OGKG_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for shot in folder.glob("*.png"):
            shutil.copy(shot, SCREENSHOTS / shot.name)


def watch(context: BrowserContext) -> Watched:
    """Refuse and record every request to another host; record console errors and page errors."""
    watched = Watched()

    def guard(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            watched.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    context.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    context.on("weberror", lambda error: watched.errors.append(str(error.error)))
    return watched


@pytest.fixture
def browsing(browser: Browser) -> Iterator[tuple[Page, Watched]]:
    context = browser.new_context(viewport=DESKTOP)
    watched = watch(context)
    page = context.new_page()
    yield page, watched
    context.close()
    watched.assert_clean()


def ask(http: httpx.Client, api_url: str, query: str, **variables: Any) -> dict[str, Any]:
    """The public API's answer, to compare the pages with."""
    body = http.post(f"{api_url}/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def opened(page: Page, url: str) -> Page:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    return page


def test_a_practitioner_finds_participatory_budgeting_in_scotland_and_what_was_tried_elsewhere(
    browsing: tuple[Page, Watched], api_url: str, http: httpx.Client, shots: Path
) -> None:
    page, _ = browsing
    expected = ask(
        http,
        api_url,
        'query($text: String!) { search(text: $text, jurisdiction: "scotland", first: 100) '
        "{ __typename ... on Practice { id name } ... on Commitment { id title } } }",
        text=JOURNEY_WORDS,
    )["search"]
    council_case = next(hit for hit in expected if hit["__typename"] == "Practice")
    commitment = next(hit for hit in expected if hit["__typename"] == "Commitment")

    opened(page, f"{api_url}/")
    page.get_by_label("Words to look for").fill(JOURNEY_WORDS)
    page.get_by_label("Place (with the places within it)").select_option("scotland")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"jurisdiction=scotland"))
    assert page.locator("#result-count").inner_text() == str(len(expected))
    titles = page.locator("ol.found li.hit > a").all_inner_texts()
    assert len(titles) == len(expected)
    assert {council_case["name"], commitment["title"]} <= set(titles)
    page.screenshot(path=shots / "search.png", full_page=True)

    # A council's initiative: its place, its source and licence, where else it was tried and why.
    page.get_by_role("link", name=council_case["name"], exact=True).click()
    assert page.locator("h1").inner_text() == council_case["name"]
    practice = ask(
        http,
        api_url,
        "query($id: ID!) { practice(id: $id) { jurisdictions { name } sources { licence } } "
        "similar(to: $id, first: 8, inOtherJurisdictions: true) { reasons { kind } } }",
        id=council_case["id"],
    )
    for place in practice["practice"]["jurisdictions"]:
        assert page.get_by_role("link", name=place["name"], exact=True).first.is_visible()
    provenance = page.locator("#provenance").inner_text()
    for source in practice["practice"]["sources"]:
        assert source["licence"] in provenance
    tried = page.locator("ol.similar > li")
    assert tried.count() == len(practice["similar"]) > 0
    assert tried.first.locator("ul.reasons li").count() == len(practice["similar"][0]["reasons"])
    page.screenshot(path=shots / "practice.png", full_page=True)

    # The nation's own commitment: who led it, what the IRM's review found, the lessons.
    page.go_back()
    page.get_by_role("link", name=commitment["title"], exact=True).click()
    assert page.locator("h1").inner_text() == commitment["title"]
    found = ask(
        http,
        api_url,
        "query($id: ID!) { commitment(id: $id) { leads { name } lessons { statement evidence "
        "{ location } } sources { title location } } "
        "similar(to: $id, first: 8, inOtherJurisdictions: true) { score reasons { label } } }",
        id=commitment["id"],
    )
    stated_by = page.locator("ul.sources").inner_text()
    assert found["commitment"]["sources"]
    for source in found["commitment"]["sources"]:
        assert source["title"] in stated_by and source["location"] in stated_by
    leads = page.locator("#leads").inner_text()
    assert found["commitment"]["leads"]
    for body in found["commitment"]["leads"]:
        assert body["name"] in leads
    lessons = page.locator("#lessons").inner_text()
    assert found["commitment"]["lessons"]
    for lesson in found["commitment"]["lessons"]:
        assert lesson["statement"] in lessons and lesson["evidence"]["location"] in lessons
    scores = page.locator("ol.similar .score").all_inner_texts()
    assert scores == [f"score {result['score']:.2f}" for result in found["similar"]]
    labels = [r["label"] for result in found["similar"] for r in result["reasons"] if r["label"]]
    reasons = " ".join(page.locator("ol.similar ul.reasons").all_inner_texts())
    assert all(label in reasons for label in labels)
    page.screenshot(path=shots / "commitment.png", full_page=True)


def test_an_irm_assessment_shows_on_its_commitment(
    browsing: tuple[Page, Watched], api_url: str, http: httpx.Client
) -> None:
    page, _ = browsing
    assessed = ask(
        http,
        api_url,
        "{ commitmentsConnection(potentialImpact: TRANSFORMATIVE, first: 1) "
        "{ edges { node { id irm { potentialImpact specificity } } } } }",
    )["commitmentsConnection"]["edges"][0]["node"]
    opened(page, f"{api_url}/commitments/{assessed['id']}")
    irm = page.locator("#irm").inner_text()
    assert "Potential impact\nTransformative" in irm
    if assessed["irm"]["specificity"]:
        assert f"Specificity\n{assessed['irm']['specificity'].capitalize()}" in irm


def test_the_coverage_heat_map_shades_each_cell_by_its_count(
    browsing: tuple[Page, Watched], api_url: str, http: httpx.Client, shots: Path
) -> None:
    page, _ = browsing
    matrix = ask(
        http,
        api_url,
        "{ coverage(level: NATION) { rows { jurisdiction { name } counts } gaps { peers } } }",
    )["coverage"]
    opened(page, f"{api_url}/coverage")
    rows = page.locator("#heatmap tbody tr")
    assert rows.count() == len(matrix["rows"]) > 0
    most = max(count for row in matrix["rows"] for count in row["counts"])
    darkest = page.locator("#heatmap td.heat-5")
    assert darkest.count() > 0
    assert {int(text) for text in darkest.all_inner_texts()} <= set(
        range(most * 4 // 5 + 1, most + 1)
    )
    for row, expected in zip(rows.all(), matrix["rows"], strict=True):
        assert row.locator("th").inner_text() == expected["jurisdiction"]["name"]
        shown = sum(int(text or 0) for text in row.locator("td").all_inner_texts())
        assert shown == sum(expected["counts"])
    assert page.locator("#gaps-heading .count").inner_text() == str(len(matrix["gaps"]))
    page.screenshot(path=shots / "coverage.png", full_page=True)


def test_every_kind_of_page_opens_with_its_name(
    browsing: tuple[Page, Watched], api_url: str, http: httpx.Client
) -> None:
    page, _ = browsing
    picked = ask(
        http,
        api_url,
        "{ lessons { id statement } practices { id name } actionPlans { id title sources { title } } "
        '  themes(scheme: "ogp-policy-areas") { id name sources { title } } '
        '  body(id: "uk-audit-scotland") { id name } '
        '  jurisdiction(id: "scotland") { sources { title } } '
        '  commitment(id: "scotland-ogp-2016-2017-c4") { id title } }',
    )
    pages = {
        f"/commitments/{picked['commitment']['id']}": picked["commitment"]["title"],
        f"/practices/{picked['practices'][0]['id']}": picked["practices"][0]["name"],
        f"/lessons/{picked['lessons'][0]['id']}": picked["lessons"][0]["statement"],
        f"/bodies/{picked['body']['id']}": picked["body"]["name"],
        "/places/scotland": "Scotland",
        f"/plans/{picked['actionPlans'][0]['id']}": picked["actionPlans"][0]["title"],
        f"/themes/{picked['themes'][0]['id']}": picked["themes"][0]["name"],
    }
    sources = {
        "/places/scotland": picked["jurisdiction"]["sources"],
        f"/plans/{picked['actionPlans'][0]['id']}": picked["actionPlans"][0]["sources"],
        f"/themes/{picked['themes'][0]['id']}": picked["themes"][0]["sources"],
    }
    for path, name in pages.items():
        opened(page, f"{api_url}{path}")
        assert page.locator("h1").inner_text() == name, path
        if path in sources:  # every page shows where its entity comes from
            provenance = page.locator("#provenance").inner_text()
            assert sources[path] and all(s["title"] in provenance for s in sources[path]), path
    missing = http.get(f"{api_url}/commitments/no-such-commitment")
    assert missing.status_code == 404 and "no-such-commitment" in missing.text


def test_a_place_rolls_up_the_places_within_it(
    browsing: tuple[Page, Watched], api_url: str, http: httpx.Client, shots: Path
) -> None:
    page, _ = browsing
    data = ask(
        http,
        api_url,
        '{ jurisdictions { id parent { id } } commitmentsConnection(jurisdiction: "uk") '
        '{ totalCount } irmSummary(jurisdiction: "uk") { assessed } }',
    )
    parts = [j for j in data["jurisdictions"] if (j["parent"] or {}).get("id") == "uk"]
    opened(page, f"{api_url}/places/uk")
    assert page.locator("ul.parts > li").count() == len(parts) > 0
    assert page.locator("#commitments-heading .count").inner_text() == str(
        data["commitmentsConnection"]["totalCount"]
    )
    page.screenshot(path=shots / "place.png")


def test_a_body_shows_its_partner_network(
    browsing: tuple[Page, Watched], api_url: str, http: httpx.Client, shots: Path
) -> None:
    page, _ = browsing
    lead = ask(
        http,
        api_url,
        '{ commitment(id: "scotland-ogp-2016-2017-c4") { leads { id partnerNetwork(first: 16) '
        "{ body { name } sharedCommitments } sources { title licence } } } }",
    )["commitment"]["leads"][0]
    opened(page, f"{api_url}/bodies/{lead['id']}")
    provenance = page.locator("#provenance").inner_text()
    assert lead["sources"]
    for source in lead["sources"]:
        assert source["title"] in provenance
        assert (source["licence"] or "No licence is stated") in provenance
    assert page.locator("svg.network a").count() == len(lead["partnerNetwork"]) > 0
    names = page.locator("table.partners tbody td:first-child").all_inner_texts()
    assert names == [partner["body"]["name"] for partner in lead["partnerNetwork"]]
    page.screenshot(path=shots / "body.png", full_page=True)


def test_search_works_without_javascript_and_reads_on_a_phone(
    browser: Browser, api_url: str, http: httpx.Client, shots: Path
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    watched = watch(context)
    try:
        page = context.new_page()
        opened(page, f"{api_url}/")
        page.get_by_label("Words to look for").fill(JOURNEY_WORDS)
        page.get_by_label("Words to look for").press("Enter")
        page.wait_for_url(re.compile(r"q=participatory"))
        assert int(page.locator("#result-count").inner_text().rstrip("+")) > 0
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        page.screenshot(path=shots / "phone-search.png", full_page=False)
        # The place with most results narrows the search as the place facet does.
        place = page.get_by_role("navigation", name="Places among the results").locator("li").first
        own_results = int(place.locator(".count").inner_text())
        link = place.get_by_role("link")
        place_id = parse_qs(urlsplit(link.get_attribute("href") or "").query)["jurisdiction"][0]
        link.click()
        page.wait_for_url(re.compile(f"jurisdiction={re.escape(place_id)}"))
        assert page.get_by_label("Place (with the places within it)").input_value() == place_id
        within = ask(
            http,
            api_url,
            "query($text: String!, $place: ID!) "
            "{ search(text: $text, jurisdiction: $place, first: 100) { __typename } }",
            text=JOURNEY_WORDS,
            place=place_id,
        )["search"]
        assert page.locator("#result-count").inner_text().rstrip("+") == str(len(within))
        assert 0 < own_results <= len(within)
    finally:
        context.close()
    watched.assert_clean()


def test_the_keyboard_reaches_the_content_with_a_visible_focus(
    browsing: tuple[Page, Watched], api_url: str
) -> None:
    page, _ = browsing
    opened(page, f"{api_url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.textContent, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] == "Skip to content"
    assert focused[1] != "none" and focused[2] != "0px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_graphiql_loads_with_nothing_from_outside(
    browsing: tuple[Page, Watched], api_url: str
) -> None:
    page, _ = browsing
    opened(page, f"{api_url}/graphql")
    page.get_by_test_id("graphiql-container").wait_for()
    page.wait_for_load_state("networkidle")


def test_pages_escape_what_they_are_given_and_carry_the_strict_policy(
    seeded: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    page = http.get(f"{api_url}/", params={"q": "<script>alert(1)</script>"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert page.headers["content-security-policy"] == OWN_ASSETS_ONLY
    refused = http.get(f"{api_url}/", params={"q": "budget", "year_from": "soon"})
    assert refused.status_code == 400 and "year from must be a year" in refused.text


def test_a_moved_id_leads_to_the_page_of_the_entity_that_holds_it(
    seeded: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    with (SEEDS_DIR / "redirects.csv").open(encoding="utf-8") as redirects:
        moved = {row["label"]: row for row in csv.DictReader(redirects)}
    for label, path in (("Commitment", "commitments"), ("Body", "bodies")):
        old, new = moved[label]["from_id"], moved[label]["to_id"]
        answer = http.get(f"{api_url}/{path}/{old}")
        assert answer.status_code == 301
        assert answer.headers["location"] == f"/{path}/{new}"
        assert http.get(f"{api_url}/{path}/{new}").status_code == 200
