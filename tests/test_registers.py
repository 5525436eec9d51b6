"""The registers of public bodies through the real ingest: identifiers, structure, one organisation one node."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from graph.database import Database
from graph.identifiers import IDENTIFIER_STORAGE, IdentifierScheme
from graph.schema import INDEXES
from ingest.errors import IngestError
from ingest.loader import build_batch, load_seeds
from ingest.register_rows import COPBT_FILE, GOVUK_FILE, ONS_FILE, WDTK_FILE
from ogkg.settings import Settings
from tests.conftest import SEEDS_DIR, GraphForTests, every_seed_loaded
from tests.test_stable_ids import edited_copy

COPBT = SEEDS_DIR / COPBT_FILE
ONS = SEEDS_DIR / ONS_FILE
WDTK = SEEDS_DIR / WDTK_FILE
GOVUK = SEEDS_DIR / GOVUK_FILE


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


def graphql(http: httpx.Client, api_url: str, query: str) -> dict[str, Any]:
    response = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in response, response["errors"]
    data: dict[str, Any] = response["data"]
    return data


def test_every_identifier_property_is_indexed() -> None:
    for storage in IDENTIFIER_STORAGE.values():
        assert any(
            f"FOR (n:{storage.label.value}) ON (n.{storage.property})" in statement
            for statement in INDEXES
        ), storage


def test_audit_scotland_is_one_body_based_in_scotland(seeded: GraphForTests) -> None:
    rows = seeded.query(
        "MATCH (b:Body) WHERE b.name = 'Audit Scotland' OR 'Audit Scotland' IN b.aliases "
        "RETURN b.id AS id, [(b)-[:BASED_IN]->(j) | j.id] AS bases, b.wikidataId AS wikidata, "
        "b.onsSector AS sector"
    )
    assert len(rows) == 1, rows
    assert rows[0]["bases"] == ["scotland"]
    assert rows[0]["wikidata"] == "Q4819944"  # from WhatDoTheyKnow
    assert rows[0]["sector"] is not None  # from the ONS guide: the same node


def test_devolved_sponsors_place_bodies_in_their_nation(seeded: GraphForTests) -> None:
    """ONS rows sponsored by SG, WG or NIA:… are based in Scotland, Wales, Northern Ireland.

    A body a plan or the registry already places (e.g. UK-wide) keeps the base that source gives.
    """
    rows = seeded.query(
        "MATCH (b:Body)-[:BASED_IN]->(j:Jurisdiction) WHERE b.onsSponsoringEntity IN "
        "['SG', 'WG', 'NIA: DHSSPS'] "
        "RETURN b.onsSponsoringEntity AS sponsor, j.id AS base, count(*) AS bodies"
    )
    found = {(row["sponsor"], row["base"]): row["bodies"] for row in rows}
    assert found[("SG", "scotland")] >= 100
    assert found[("WG", "wales")] >= 50
    assert found[("NIA: DHSSPS", "northern-ireland")] >= 20
    wrong_nation = {key for key in found if key[1] in {"scotland", "wales", "northern-ireland"}} - {
        ("SG", "scotland"),
        ("WG", "wales"),
        ("NIA: DHSSPS", "northern-ireland"),
    }
    assert wrong_nation == set()


def test_a_wdtk_council_is_reached_by_gss_and_by_wikidata(
    seeded: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    data = graphql(
        http,
        api_url,
        """{
      byGss: byIdentifier(scheme: GSS, value: "S12000033") {
        __typename ... on Jurisdiction { id name identifiers { scheme value } } }
      byWikidata: byIdentifier(scheme: WIKIDATA, value: "Q2425849") {
        __typename ... on Body { id name jurisdiction { id gssCode }
          identifiers { scheme value } resolution { name source rule } } }
      none: byIdentifier(scheme: COPBT, value: "PBTUID-none") { __typename }
    }""",
    )
    assert data["byGss"]["id"] == "la-abe"
    assert {"scheme": "GSS", "value": "S12000033"} in data["byGss"]["identifiers"]
    council = data["byWikidata"]
    assert council["name"] == "Aberdeen City Council"
    assert council["jurisdiction"] == {"id": "la-abe", "gssCode": "S12000033"}
    assert {"scheme": "WDTK", "value": "aberdeen_city_council"} in council["identifiers"]
    rules = {(r["source"], r["name"]): r["rule"] for r in council["resolution"]}
    assert rules[(WDTK_FILE, "Aberdeen City Council")] == "first named"
    assert rules[(ONS_FILE, "Aberdeen City Council")] == "same name"
    # The local-authority register's short name joins by the council's GSS code.
    assert rules[("uk-local-authorities.csv", "Aberdeen City")] == "identifier GSS"
    assert data["none"] is None


def test_a_directory_body_has_its_parent_department_and_accountability(
    seeded: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    data = graphql(
        http,
        api_url,
        """{
      cps: byIdentifier(scheme: COPBT, value: "PBTUID-5642ab80-9c3d-4acb-bb05-dde9318b0bed") {
        ... on Body { name classification accountability { holdsPublicMeetings publishesMinutes
          hasRegisterOfInterests } parent { name parts { name } identifiers { scheme value } } } }
      ogp: byIdentifier(scheme: OGP, value: "UK0063") { __typename }
      dashboard: accountabilityByNation { jurisdiction { id } bodies publicMeetings
        publishedMinutes registerOfInterests }
    }""",
    )
    cps = data["cps"]
    assert cps["name"] == "Crown Prosecution Service"
    assert cps["classification"] == "Non-Ministerial Department"
    assert cps["accountability"] == {
        "holdsPublicMeetings": False,
        "publishesMinutes": True,
        "hasRegisterOfInterests": True,
    }
    parent = cps["parent"]
    assert parent["name"] == "Attorney General's Office"
    assert "Crown Prosecution Service" in {part["name"] for part in parent["parts"]}
    assert {"scheme": "GOVUK", "value": "attorney-generals-office"} in parent["identifiers"]
    assert data["ogp"] == {"__typename": "Commitment"}
    by_nation = {row["jurisdiction"]["id"]: row for row in data["dashboard"]}
    with COPBT.open(encoding="utf-8") as handle:
        import csv

        directory = list(csv.DictReader(handle))
    assert sum(row["bodies"] for row in by_nation.values()) == len(
        {row["overall_copbt_uid"] or row["overall_alb_name"] for row in directory}
    )
    assert sum(row["publicMeetings"] for row in by_nation.values()) == sum(
        1 for row in directory if row["accountability_public_meetings"] == "Yes"
    )
    assert by_nation["northern-ireland"]["bodies"] >= 3  # regional scope "Northern Ireland"


def test_publish_what_you_pay_is_one_body(seeded: GraphForTests) -> None:
    """The OGP file's "Publish What You Pay" in UK rows is the UK coalition: the registry's alias joins it."""
    rows = seeded.query(
        "MATCH (b:Body) WHERE b.name STARTS WITH 'Publish What You Pay' "
        "OR any(a IN b.aliases WHERE a STARTS WITH 'Publish What You Pay') "
        "RETURN b.id AS id, b.name AS name"
    )
    assert rows == [{"id": "pwyp-uk", "name": "Publish What You Pay UK"}]


def test_every_register_name_is_explained(seeded: GraphForTests) -> None:
    entries = seeded.query(
        "MATCH (b:Body) WHERE size(coalesce(b.resolution, [])) > 0 "
        "UNWIND b.resolution AS entry RETURN entry"
    )
    decoded = [json.loads(row["entry"]) for row in entries]
    assert {entry["source"] for entry in decoded} >= {COPBT_FILE, ONS_FILE, WDTK_FILE, GOVUK_FILE}
    assert all(entry["rule"] for entry in decoded)
    assert sum(1 for entry in decoded if entry["rule"].startswith("identifier ")) > 0


def test_a_second_seed_changes_nothing(seeded: GraphForTests) -> None:
    async def work(database: Database) -> list[tuple[str, int, int]]:
        return [
            (i.summary.source_id, i.summary.created, i.summary.updated)
            for i in await load_seeds(database, SEEDS_DIR)
        ]

    assert [s for s in seeded.run(work) if s[1] or s[2]] == []


def _set(rows: list[list[str]], line: int, column: str, value: str) -> list[list[str]]:
    index = rows[0].index(column)
    rows[line - 1][index] = value
    return rows


@pytest.mark.parametrize(
    ("path", "line", "column", "value"),
    [
        (COPBT, 2, "accountability_public_meetings", "Sometimes"),
        (COPBT, 3, "overall_copbt_uid", "PBTUID-not-a-uid"),
        (ONS, 12, "ons_sector_sheet", "Households"),
        (WDTK, 3, "wikidata", "2425849"),
    ],
)
def test_a_bad_register_row_is_refused_with_file_line_and_field(
    path: Path, line: int, column: str, value: str, tmp_path: Path
) -> None:
    copy = edited_copy(path, tmp_path, lambda rows: _set(rows, line, column, value))
    with pytest.raises(IngestError) as refused:
        build_batch(copy, SEEDS_DIR)
    assert (Path(refused.value.path).name, refused.value.line) == (path.name, line)
    assert refused.value.field == column


def test_a_row_after_line_breaks_in_cells_is_located_by_its_first_line(tmp_path: Path) -> None:
    """The directory's 4th row spans lines 4-8 (a description with line breaks); the 5th starts on 9."""
    copy = edited_copy(
        COPBT, tmp_path, lambda rows: _set(rows, 5, "accountability_public_minutes", "Maybe")
    )
    with pytest.raises(IngestError) as refused:
        build_batch(copy, SEEDS_DIR)
    assert (refused.value.line, refused.value.field) == (9, "accountability_public_minutes")


def test_a_bad_govuk_line_is_refused(tmp_path: Path) -> None:
    lines = GOVUK.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[9])
    record["details"]["slug"] = "Not A Slug"
    lines[9] = json.dumps(record)
    copy = tmp_path / GOVUK.name
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        build_batch(copy, SEEDS_DIR)
    assert (refused.value.line, refused.value.field) == (10, "details")


def test_the_resolver_names_its_rule_for_a_plan_name() -> None:
    from ingest.resolver import resolver_for_seeds

    resolution = resolver_for_seeds(SEEDS_DIR)
    assert resolution.resolve(COPBT_FILE, "Crown Prosecution Service") == (
        "uk-crown-prosecution-service",
        "first named",
    )
    found = resolution.resolve(ONS_FILE, "National Archives, The")
    assert found == ("the-national-archives", "same words")
    assert resolution.resolve("uk-nations-commitments.csv", "Scottish Government") is not None
    assert IdentifierScheme.GSS in IDENTIFIER_STORAGE


def test_the_resolver_names_its_general_rules() -> None:
    from ingest.resolver import resolver_for_seeds

    resolution = resolver_for_seeds(SEEDS_DIR)
    ons, plans, councils = ONS_FILE, "uk-nations-commitments.csv", "uk-local-authorities.csv"
    hull = resolution.resolve(councils, "Kingston upon Hull")
    assert hull is not None
    assert resolution.resolve(ons, "Kingston upon Hull City Council") == (hull[0], "council name")
    # A council the register says has ended is not its successor.
    ended = resolution.resolve(ons, "Dorset County Council")
    successor = resolution.resolve(councils, "Dorset Council")
    assert ended is not None and successor is not None and ended[0] != successor[0]
    assert resolution.resolve(ons, "Parliamentary Boundary Commission for England") == (
        "uk-boundary-commission-for-england",
        "equivalent words",
    )
    board = resolution.resolve(ons, "NHS Health Scotland Board")
    assert board is not None
    assert resolution.resolve(plans, "NHS Health Scotland") == (board[0], "NHS board")
    visit = resolution.resolve(WDTK_FILE, "VisitScotland")
    assert visit is not None
    assert resolution.resolve(ons, "Visit Scotland") == (visit[0], "same letters")


def test_a_word_equivalence_without_words_is_refused(tmp_path: Path) -> None:
    from ingest.resolver import WORD_EQUIVALENCES_FILE, resolver_for_seeds

    for seed in SEEDS_DIR.iterdir():
        if seed.name != WORD_EQUIVALENCES_FILE:
            (tmp_path / seed.name).symlink_to(seed)
    lines = (SEEDS_DIR / WORD_EQUIVALENCES_FILE).read_text(encoding="utf-8").splitlines()
    lines.append('NI,"(…)",a bracket only')
    (tmp_path / WORD_EQUIVALENCES_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        resolver_for_seeds(tmp_path)
    assert refused.value.path.endswith(WORD_EQUIVALENCES_FILE)
    assert (refused.value.line, refused.value.field) == (len(lines), "same_as")


def test_resolver_precision_and_recall_on_the_hand_checked_pairs() -> None:
    """Measured on 230 pairs: P 0.981, R 0.912 (bench/resolver_quality.py prints the misses)."""
    from bench.resolver_quality import quality
    from ingest.resolver import resolver_for_seeds

    result = quality(resolver_for_seeds(SEEDS_DIR))
    assert result.true_positives + result.false_negatives >= 100
    assert result.precision >= 0.97, result.misses
    assert result.recall >= 0.90, result.misses
