"""The README's practitioner questions, asked of the seeded graph over HTTP, give the answers it states."""

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from neo4j import Driver

from ogkg.settings import PROJECT_ROOT, Settings
from tests.conftest import GraphForTests, every_seed_loaded

SECTION = (
    (PROJECT_ROOT / "README.md")
    .read_text(encoding="utf-8")
    .split("## Practitioner questions across the nations")[1]
    .split("\n## ")[0]
)
QUERIES = re.findall(r"```graphql\n(.*?)```", SECTION, re.DOTALL)


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


def answer(http: httpx.Client, api_url: str, query: str) -> dict[str, Any]:
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_the_readme_asks_three_questions() -> None:
    assert len(QUERIES) == 3


def test_councils_that_ran_participatory_budgeting_and_scotlands_lesson(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    data = answer(http, api_url, QUERIES[0])
    hits = data["search"]
    assert hits[0] == {
        "__typename": "Commitment",
        "id": "scotland-ogp-2016-2017-c4",
        "title": "Participatory Budgeting (Also Known as Community Choices in Scotland)",
    }
    places = {place["name"] for hit in hits[1:] for place in hit["jurisdictions"]}
    assert {"Wigan", "Luton", "Salford", "City of Bristol", "Isle of Wight"} <= places
    for case in hits[1:]:
        assert case["url"].startswith("https://participedia.net/case/")
        assert any("CC BY-NC-SA 3.0" in source["licence"] for source in case["sources"])
    lessons = [lesson["statement"] for lesson in data["commitment"]["lessons"]]
    assert any(f'"{lesson}"' in " ".join(SECTION.split()) for lesson in lessons)


def test_accountability_by_nation_as_the_readme_states_it(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    rows = answer(http, api_url, QUERIES[1])["accountabilityByNation"]
    text = " ".join(SECTION.split())
    for row in rows:
        figures = (
            f"{row['bodies']} ({row['publicMeetings']}, {row['publishedMinutes']}, "
            f"{row['registerOfInterests']})"
        )
        name = row["jurisdiction"]["name"]
        assert f"{name} {figures}" in text or f"{name} (UK-wide) {figures}" in text, row


def test_one_organisation_in_several_registers(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    data = answer(http, api_url, QUERIES[2])
    assert data["byIdentifier"] == {"name": "City of Edinburgh"}
    body = data["body"]
    assert body["jurisdiction"] == {"name": "Scotland"}
    assert body["parent"] == {"name": "Scottish Government"}
    assert {identifier["scheme"] for identifier in body["identifiers"]} >= {"WIKIDATA", "WDTK"}
    assert {(r["source"], r["rule"]) for r in body["resolution"]} == {
        ("whatdotheyknow-scottish-authorities-2023.csv", "first named"),
        ("ons-public-sector-classification-2017.csv", "same name"),
    }
