"""The numpy sentence encoder and its vector tables: paraphrases close, unrelated texts apart, nothing embedded twice."""

from pathlib import Path

import numpy as np
import pytest

from ingest.meaning_vectors import (
    CACHE_FILE,
    SHIPPED_FILE,
    meaning_text,
    meaning_vectors,
    read_table,
    text_key,
)
from ingest.sentence_meaning import DIMENSIONS, MAX_TOKENS, SentenceEncoder
from tests.conftest import SEEDS_DIR

SENTENCES = [
    "Publish the data of every public contract in the Open Contracting Data Standard.",
    "Release procurement contract information openly using OCDS.",
    "Residents vote on how part of the council's budget is spent.",
    "Citizens decide how to allocate a share of the municipal budget.",
    "The ministry will translate its website into the minority language.",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


def test_paraphrases_are_much_closer_than_unrelated_texts(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), DIMENSIONS)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(np.ones(len(SENTENCES)), abs=1e-5)
    cosine = vectors @ vectors.T
    contracts, budgets = cosine[0, 1], cosine[2, 3]
    unrelated = [cosine[0, 2], cosine[0, 3], cosine[1, 3], cosine[2, 4], cosine[0, 4]]
    assert min(contracts, budgets) > 0.45
    assert max(unrelated) < 0.25
    assert min(contracts, budgets) - max(unrelated) > 0.25


def test_a_vector_depends_on_its_text_alone(encoder: SentenceEncoder) -> None:
    together = encoder.encode(SENTENCES)
    # Alone, in another order, beside a long text (so padded): the same vector each time.
    alone = np.stack([encoder.encode([text])[0] for text in SENTENCES])
    shuffled = encoder.encode([*reversed(SENTENCES), "word " * 400])
    assert np.abs(together - alone).max() < 1e-5
    assert np.abs(together - shuffled[: len(SENTENCES)][::-1]).max() < 1e-5
    assert np.array_equal(together, encoder.encode(SENTENCES))
    assert len(encoder.tokenizer.encode("word " * 400).ids) == MAX_TOKENS


def test_vectors_are_computed_once_then_read_from_the_cache(tmp_path: Path) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    seeds.mkdir()
    texts = {"a": meaning_text(["Participatory budgeting"], [SENTENCES[2]]), "b": SENTENCES[0]}
    first = meaning_vectors(texts, seeds, cache)
    cached = read_table(cache / CACHE_FILE)
    assert set(cached) == {text_key(texts["a"]), text_key(texts["b"])}
    assert meaning_vectors(texts, seeds, cache) == first
    # What is read back is what was computed, to half precision, whichever table holds it.
    (cache / CACHE_FILE).rename(seeds / SHIPPED_FILE)
    assert meaning_vectors(texts, seeds, None) == first
    assert not (cache / CACHE_FILE).exists()


def test_meaning_text_keeps_each_part_once_and_is_keyed_by_content() -> None:
    text = meaning_text(["Open  contracting", "Open contracting"], ["Publish\ncontracts.", ""])
    assert text == "Open contracting. Publish contracts."
    assert text_key(text) == text_key("Open contracting. Publish contracts.")
    assert text_key(text) != text_key(text + " ")


def test_the_shipped_table_is_of_the_model_and_half_precision() -> None:
    shipped = read_table(SEEDS_DIR / SHIPPED_FILE)
    assert len(shipped) > 1000
    vector = next(iter(shipped.values()))
    assert vector.dtype == np.float16 and vector.shape == (DIMENSIONS,)
    assert float(np.linalg.norm(vector.astype(np.float32))) == pytest.approx(1.0, abs=1e-2)
