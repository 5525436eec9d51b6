"""The action-plan parser on the real seed text: titles, leads, partners, one body per organisation."""

from pathlib import Path

import pytest

from graph.vocabulary import PartnerRole
from ingest.action_plan_text import ParsedActionPlan, parse_action_plan
from ingest.actors import split_actors
from ingest.files import read_text_file
from ingest.registry import Registry, load_registry
from ingest.scraped_text import remove_tooltips
from tests.conftest import SEEDS_DIR

NAP4 = SEEDS_DIR / "uk-ogp-nap4-2019-2021.txt"

GOV = PartnerRole.GOVERNMENT
CSO = PartnerRole.CIVIL_SOCIETY
DELIVERY = PartnerRole.DELIVERY

# number -> (title, lead ids, {(partner id, role)}), read off the table by a person.
EXPECTED: dict[int, tuple[str, set[str], set[tuple[str, PartnerRole]]]] = {
    1: ("Grants data", {"cabinet-office"}, {("dcms", GOV), ("360giving", CSO)}),
    2: (
        "Public participation in digital and data policy development",
        {"dcms"},
        {
            ("cabinet-office", GOV),
            ("gds", GOV),
            ("open-data-institute", CSO),
            ("open-rights-group", CSO),
        },
    ),
    3: (
        "Open policy making",
        {"cabinet-office"},
        {
            ("policy-lab", GOV),
            ("what-works-team", GOV),
            ("gds", GOV),
            ("childrens-rights-alliance-england", CSO),
            ("sense-about-science", CSO),
        },
    ),
    4: (
        "Open contracting data",
        {"cabinet-office"},
        {
            ("dcms", GOV),
            ("open-contracting-partnership", CSO),
            ("uk-open-contracting-steering-group", CSO),
        },
    ),
    5: (
        "Natural resource transparency",
        {"dfid"},
        {
            ("dfid", GOV),
            ("beis", GOV),
            ("hm-treasury", GOV),
            ("fca", GOV),
            ("nrgi", CSO),
            ("pwyp-uk", CSO),
            ("global-witness", CSO),
            ("transparency-international-uk", CSO),
            ("oxfam-gb", CSO),
            ("open-contracting-partnership", CSO),
        },
    ),
    6: (
        "Innovation in democracy programme",
        {"dcms", "mhclg"},
        {
            ("democracy-support-contractor", DELIVERY),
            ("involve", DELIVERY),
            ("democratic-society", DELIVERY),
            ("mysociety", DELIVERY),
            ("rsa", DELIVERY),
        },
    ),
    7: (
        "Effective knowledge sharing for sustainable OG policies and practices across public "
        "services in the UK",
        {"scottish-government", "cosla", "ogp-scotland-network"},
        {
            ("devolved-administrations", GOV),
            ("ogp-europe-support-unit", CSO),
            ("ogp-civil-society-networks", CSO),
        },
    ),
    8: ("Local transparency", {"mhclg"}, {("local-authorities", GOV)}),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(SEEDS_DIR)


@pytest.fixture(scope="module")
def plan(registry: Registry) -> ParsedActionPlan:
    return parse_action_plan(read_text_file(NAP4), registry)


def test_the_plan_is_the_uks_fourth_for_2019_to_2021(plan: ParsedActionPlan) -> None:
    assert (plan.jurisdiction_id, plan.number) == ("uk", 4)
    assert (plan.period_start, plan.period_end) == (2019, 2021)
    assert plan.title == "United Kingdom Action Plan 2019-2021"


def test_every_commitment_has_its_title_leads_and_partners(plan: ParsedActionPlan) -> None:
    assert [c.number for c in plan.commitments] == list(range(1, 9))
    for commitment in plan.commitments:
        title, leads, partners = EXPECTED[commitment.number]
        assert commitment.title == title
        assert {m.body_id for m in commitment.leads} == leads
        assert {(p.mention.body_id, p.role) for p in commitment.partners} == partners
        assert commitment.summary and len(commitment.summary) > 50


def test_no_name_in_the_table_is_left_unresolved(plan: ParsedActionPlan) -> None:
    mentions = [m for c in plan.commitments for m in (*c.leads, *(p.mention for p in c.partners))]
    assert [m.text for m in mentions if m.body_id is None] == []


def test_each_organisation_is_one_body_whatever_the_table_calls_it(plan: ParsedActionPlan) -> None:
    names_by_body: dict[str, set[str]] = {}
    for commitment in plan.commitments:
        for mention in (*commitment.leads, *(p.mention for p in commitment.partners)):
            assert mention.body_id is not None
            names_by_body.setdefault(mention.body_id, set()).add(mention.text)
    assert names_by_body["dcms"] == {"DCMS", "Department for Digital, Culture, Media and Sport"}
    assert names_by_body["gds"] == {"GDS", "Government Digital Service"}
    assert names_by_body["mhclg"] == {
        "Ministry of Housing, Communities & Local Government",
        "Ministry of Housing, Communities and Local Government",
    }
    expected_ids = {
        i for _, leads, partners in EXPECTED.values() for i in leads | {p for p, _ in partners}
    }
    assert set(names_by_body) == expected_ids


def test_tooltip_text_is_removed_from_titles_and_summaries(plan: ParsedActionPlan) -> None:
    texts = [text for c in plan.commitments for text in (c.title, c.summary or "")]
    assert not [text for text in texts if "..." in text or " More" in text]
    natural_resources = next(c for c in plan.commitments if c.number == 5)
    assert "Extractive Industries Transparency Initiative (EITI)" in (
        natural_resources.summary or ""
    )


@pytest.mark.parametrize(
    ("scraped", "clean"),
    [
        (
            "4. Open contractingA transparent procurement process, known as open contracting, "
            "increases competition. Technical specifications: C... More data |",
            "4. Open contracting data |",
        ),
        (
            "OGP Europe support unitThe OGP Support Unit is a small, permanent group of staff that "
            "work closely with the Open Government Partnership...., OGP Civil Society networks |",
            "OGP Europe support unit, OGP Civil Society networks |",
        ),
        ("MySociety and the RSA. | |", "MySociety and the RSA. | |"),
    ],
)
def test_remove_tooltips(scraped: str, clean: str) -> None:
    assert remove_tooltips(scraped) == clean


def test_names_are_split_on_commas_and_joining_words(registry: Registry) -> None:
    cell = (
        "DCMS, in partnership with the Ministry of Housing, Communities & Local Government (MHCLG)"
    )
    assert [m.body_id for m in split_actors(cell, registry.body_names).mentions] == [
        "dcms",
        "mhclg",
    ]
    cell = "HM Treasury(HMT), Financial Conduct Authority (FCA) and an Unknown Trust"
    mentions = split_actors(cell, registry.body_names).mentions
    assert [(m.body_id, m.text) for m in mentions] == [
        ("hm-treasury", "HM Treasury"),
        ("fca", "Financial Conduct Authority"),
        (None, "an Unknown Trust"),
    ]


def test_the_seed_text_is_the_shared_document() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "seeds" / NAP4.name
    if shared.exists():  # Developers' machines have ../shared; users' clones do not.
        assert shared.read_bytes() == NAP4.read_bytes()
    assert NAP4.stat().st_size > 10_000
