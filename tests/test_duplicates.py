"""Look-alike bodies: paired within a country, never across, and never once a coordinator decided."""

from graph.duplicates import duplicate_candidates, name_words
from graph.models import Body, Jurisdiction
from graph.vocabulary import BodyKind, JurisdictionLevel

PLACES = [
    Jurisdiction(id="uk", name="United Kingdom", level=JurisdictionLevel.COUNTRY),
    Jurisdiction(id="scotland", name="Scotland", level=JurisdictionLevel.NATION, parent_id="uk"),
    Jurisdiction(id="chile", name="Chile", level=JurisdictionLevel.COUNTRY),
]


def body(body_id: str, name: str, place: str | None) -> Body:
    return Body(id=body_id, name=name, kind=BodyKind.GOVERNMENT_BODY, jurisdiction_id=place)


def test_name_words_ignore_case_accents_brackets_and_filler() -> None:
    assert name_words("Secretaría de la Transparencia (ST)") == ("secretaria", "transparencia")
    assert name_words("The Ministry of the Interior") == ("ministry", "interior")


def test_pairs_within_a_country_and_its_nations_only() -> None:
    bodies = [
        body("a", "Ministry of Interior", "uk"),
        body("b", "Ministry of the Interior", "scotland"),
        body("c", "Ministry of the Interior", "chile"),
        body("d", "Oxfam", "uk"),
        body("e", "Oxfam GB", "uk"),
        body("f", "Cabinet Office", "uk"),
    ]
    pairs = {
        (c.first.id, c.second.id, c.jurisdiction_id) for c in duplicate_candidates(bodies, PLACES)
    }
    assert pairs == {("a", "b", "uk"), ("d", "e", "uk")}


def test_a_decided_pair_is_not_listed_again() -> None:
    bodies = [body("d", "Oxfam", "uk"), body("e", "Oxfam GB", "uk")]
    assert duplicate_candidates(bodies, PLACES, {frozenset({"e", "d"})}) == []
    assert len(duplicate_candidates(bodies, PLACES)) == 1
