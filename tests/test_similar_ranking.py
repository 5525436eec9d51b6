"""The parts of `similar`'s ranking that need no graph: word folding and weights, theme rules, lineage rows, diversity."""

import csv
import shutil
from pathlib import Path

import pytest

from graph.models import Commitment
from graph.similar import DIVERSE_PER_COUNTRY, DIVERSE_TOP, Reason, SimilarItem, diversified
from graph.word_weights import ItemText, stem, term_vectors, theme_weights, tokens
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.files import read_text_file
from ingest.kinds.lineage import LINEAGE_FILE, lineage_batch
from ingest.similarity import THEME_RULES_FILE, read_theme_rules, themes_by_rule
from tests.conftest import SEEDS_DIR


@pytest.mark.parametrize(
    ("words", "folded"),
    [
        (["budget", "budgets", "budgeting"], "budget"),
        (["participatory", "participation", "participate", "participants"], "particip"),
        (["declaration", "declarations", "declare"], "declar"),
        (["contracting", "contracts", "contract"], "contract"),
        (["transparency", "transparent"], "transpar"),
    ],
)
def test_word_forms_fold_to_one_stem(words: list[str], folded: str) -> None:
    assert {stem(word) for word in words} == {folded}


def test_common_words_are_dropped_and_phrases_kept() -> None:
    found = tokens("The government will publish <br/>Participatory Budgeting data")
    assert [token.word for token in found] == ["publish", "participatory", "budgeting", "data"]


def items() -> list[ItemText]:
    return [
        ItemText("a", ("Participatory budgeting in Porto Alegre",), (), ("citizens decide",)),
        ItemText("b", ("Participatory budgeting in Luton",), (), ("citizens decide",)),
        ItemText("c", ("Open contracting data",), (), ("contracts published",)),
        ItemText("d", ("Open data portal",), (), ("datasets published",)),
    ]


def test_terms_are_weighted_by_rarity_and_unshared_terms_dropped() -> None:
    vectors = term_vectors(items())
    a, b = vectors["a"].full, vectors["b"].full
    assert "porto" not in a.terms and "luton" not in b.terms  # no other item holds them
    assert "particip_budget" in a.terms and a.words[a.terms.index("particip_budget")] == (
        "participatory budgeting"
    )
    assert sum(weight * weight for weight in a.weights) == pytest.approx(1.0, abs=1e-4)
    shared = sum(
        weight * b.weights[b.terms.index(term)]
        for term, weight in zip(a.terms, a.weights, strict=True)
        if term in b.terms
    )
    other = vectors["c"].full
    assert not set(a.terms) & set(other.terms)
    assert shared > 0.9  # the two budgeting cases say the same things
    # "open" is in two of four items, "contract" only in one: the rarer the heavier.
    assert vectors["d"].full.terms[0] != "open"


def test_a_theme_every_item_has_weighs_nothing() -> None:
    weights = theme_weights({"a": ["x", "y"], "b": ["x"], "c": ["x"], "d": ["x", "z"]})
    assert weights["x"] == 0.0
    assert 0 < weights["y"] <= 1 and weights["y"] == weights["z"]


def test_theme_rules_match_phrases_word_form_by_word_form() -> None:
    rules = read_theme_rules(SEEDS_DIR)
    text = ItemText("x", ("Community Budgeting in Fife",), ("Local budget",), ())
    assert {"participatory-budgeting", "fiscal-openness"} <= themes_by_rule(text, rules)
    # A phrase's words must follow one another: "open ... data" apart is not "open data".
    apart = ItemText("y", ("Open meetings; data on spending",), (), ())
    assert "open-data" not in themes_by_rule(apart, rules)


def copy_of_seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds, ignore=shutil.ignore_patterns("participedia-*", "ogp-*"))
    return seeds


def test_a_theme_rule_naming_no_theme_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    seeds = copy_of_seeds(tmp_path)
    with (seeds / THEME_RULES_FILE).open("a", encoding="utf-8") as handle:
        handle.write("no-such-theme,budgets\n")
    lines = (seeds / THEME_RULES_FILE).read_text(encoding="utf-8").splitlines()
    with pytest.raises(IngestError) as refused:
        read_theme_rules(seeds)
    assert (refused.value.line, refused.value.field) == (len(lines), "theme")
    assert refused.value.path.endswith(THEME_RULES_FILE)


def test_a_theme_rule_of_common_words_only_is_refused(tmp_path: Path) -> None:
    seeds = copy_of_seeds(tmp_path)
    with (seeds / THEME_RULES_FILE).open("a", encoding="utf-8") as handle:
        handle.write("open-data,of the\n")
    with pytest.raises(IngestError) as refused:
        read_theme_rules(seeds)
    assert refused.value.field == "phrase"


def test_lineage_rows_carry_their_evidence_and_a_misquote_is_refused(tmp_path: Path) -> None:
    seeds = copy_of_seeds(tmp_path)
    context = IngestContext(seeds)
    file = read_text_file(seeds / LINEAGE_FILE)
    batch = lineage_batch(file, context.source(file, "lineage"), context)
    rows = [row for rows in batch.relationships.values() for row in rows.values()]
    with (seeds / LINEAGE_FILE).open(encoding="utf-8", newline="") as handle:
        assert len(rows) == len(list(csv.DictReader(handle))) > 0
    assert all(row.properties["quote"] and row.properties["evidence"] for row in rows)

    text = (seeds / LINEAGE_FILE).read_text(encoding="utf-8")
    (seeds / LINEAGE_FILE).write_text(
        text + "uk-nap4-c2,uk-nap3-c1,uk-ogp-nap4-2019-2021.txt,19,words the plan never wrote\n",
        encoding="utf-8",
    )
    file = read_text_file(seeds / LINEAGE_FILE)
    with pytest.raises(IngestError) as refused:
        lineage_batch(file, context.source(file, "lineage"), IngestContext(seeds))
    assert (refused.value.line, refused.value.field) == (len(text.splitlines()) + 1, "quote")


def found(item_id: str, score: float, country: str) -> SimilarItem:
    commitment = Commitment(id=item_id, title=item_id)
    return SimilarItem(commitment, score, (Reason("TEXT", "words", score),), (country,))


def test_diversity_keeps_two_per_country_in_the_first_five_and_loses_nothing() -> None:
    ranked = [
        found("a", 9, "uk"),
        found("b", 8, "uk"),
        found("c", 7, "uk"),
        found("d", 6, "uk"),
        found("e", 5, "brazil"),
        found("f", 4, "italy"),
        found("g", 3, "uk"),
        found("h", 2, "chile"),
    ]
    spread = diversified(ranked)
    assert [item.item.id for item in spread] == ["a", "b", "e", "f", "h", "c", "d", "g"]
    first = [item.countries[0] for item in spread[:DIVERSE_TOP]]
    assert max(first.count(country) for country in first) <= DIVERSE_PER_COUNTRY
    # Too few other countries: the places left are filled in score order.
    assert [i.item.id for i in diversified(ranked[:4])] == ["a", "b", "c", "d"]
