"""Search is exact under facets, finds every findable kind, and puts an exact name first."""

import httpx

from api.types.found_types import TYPE_OF_MODEL
from graph.entity_kinds import FINDABLE_KINDS
from graph.schema import SEARCH_LABELS
from tests.conftest import GraphForTests
from tests.test_graphql_http import data

# More better-scoring hits than any candidate cap a faceted search used to keep (2,000).
DECOYS = 2_500

FOUND = """query ($text: String!, $jurisdiction: ID, $first: Int!) {
  search(text: $text, jurisdiction: $jurisdiction, first: $first) {
    __typename ... on Body { id } ... on Standard { id name } ... on Commitment { id } } }"""


def test_a_faceted_search_finds_a_match_behind_thousands_of_better_hits(
    graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    graph.query(
        "CREATE (:Jurisdiction {id: 'scotland', name: 'Scotland', level: 'nation'}) "
        "WITH 1 AS one UNWIND range(1, $decoys) AS n "
        "CREATE (:Body {id: 'decoy-' + n, name: 'Quillwort Trust ' + n, kind: 'civil_society'})",
        decoys=DECOYS,
    )
    graph.query(
        "MATCH (scotland:Jurisdiction {id: 'scotland'}) "
        "CREATE (:Body {id: 'kelp-forum', kind: 'civil_society', name: 'The West Coast Kelp, "
        "Seagrass, Machair, Dune and Quillwort Forum of Coastal Community Groups'})"
        "-[:BASED_IN]->(scotland)"
    )
    everywhere = data(http, api_url, FOUND, text="quillwort", first=100)["search"]
    assert len(everywhere) == 100
    assert {"__typename": "Body", "id": "kelp-forum"} not in everywhere

    in_scotland = data(http, api_url, FOUND, text="quillwort", jurisdiction="scotland", first=5)
    assert in_scotland["search"] == [{"__typename": "Body", "id": "kelp-forum"}]


def test_an_exact_name_outranks_texts_that_mention_it_often(
    graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    mentions = " ".join(["Audit Scotland reported on the audit of Scotland's accounts."] * 6)
    graph.query(
        "UNWIND range(1, 5) AS n CREATE (:Commitment {id: 'c' + n, title: 'Audit reform ' + n, "
        "fullText: $mentions}) "
        "WITH count(*) AS made CREATE (:Body {id: 'audit-scotland', name: 'Audit Scotland', "
        "kind: 'government_body'})",
        mentions=mentions,
    )
    hits = data(http, api_url, FOUND, text="Audit Scotland", first=6)["search"]
    assert hits[0] == {"__typename": "Body", "id": "audit-scotland"}
    assert len(hits) == 6


def test_standards_are_found_like_any_other_kind(
    graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    graph.query(
        "CREATE (:Standard {id: 'ocds', name: 'Open Contracting Data Standard', "
        "publisher: 'Open Contracting Partnership'})"
    )
    hits = data(http, api_url, FOUND, text="contracting data standard", first=5)["search"]
    assert hits == [
        {"__typename": "Standard", "id": "ocds", "name": "Open Contracting Data Standard"}
    ]


def test_one_table_of_kinds_drives_the_index_and_the_result_union() -> None:
    labels = [kind.label for kind in FINDABLE_KINDS]
    assert list(SEARCH_LABELS) == labels
    members = [member.__name__ for member in TYPE_OF_MODEL.values()]
    assert members == [label.value for label in labels]
