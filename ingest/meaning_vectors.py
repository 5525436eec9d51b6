"""Each item's sentence vector, found by the hash of its text in the shipped table or the cache, else computed.

A vector is keyed by the SHA-256 of the model's name and the text it was computed from, so a
changed text gets a new vector and an unchanged one is never embedded twice. Vectors are looked
up in seeds/meaning-vectors.npz (every seeded item's, shipped so that a cold `ogkg seed` embeds
nothing), then in a cache folder (OGKG_HOME/meaning-cache for the CLI), and only the rest are
computed with ingest/sentence_meaning.py and added to the cache. Every vector is rounded to
half precision, where it is stored, so a shipped, cached or fresh vector of one text is the same.
Run `python -m bench.similar_relevance --ship-vectors` after changing seed texts to rewrite the shipped
table.
"""

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ingest.sentence_meaning import DIMENSIONS, MODEL_NAME, Matrix, SentenceEncoder

SHIPPED_FILE = "meaning-vectors.npz"
CACHE_FILE = "meaning-cache.npz"
# The cache folder's name under OGKG_HOME.
MEANING_CACHE = "meaning-cache"
# What an item's vector is computed from, in this order, each once: its titles, then its texts.
MAX_CHARACTERS = 4000

Vectors = npt.NDArray[np.float16]
# Computes the vectors of texts, one row each.
Encode = Callable[[Sequence[str]], Matrix]


def encode_with_the_model(texts: Sequence[str]) -> Matrix:
    return SentenceEncoder.load().encode(texts)


def stand_in_vectors(texts: Sequence[str]) -> Matrix:
    """Unit vectors drawn at random from each text's hash: for benchmarks of speed only.

    A synthetic graph of 100k items cannot be embedded in a benchmark's time; these vectors cost
    the vector indexes and the score what real ones do, and mean nothing.
    """
    rows = []
    for text in texts:
        seed = int(text_key(text)[:16], 16)
        vector = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
        rows.append(vector / np.linalg.norm(vector))
    return np.stack(rows) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)


def meaning_text(titles: Sequence[str], texts: Sequence[str]) -> str:
    """The text an item's vector is computed from: its titles and texts, each once, cut short.

    The model reads 256 word pieces at most; the cut only keeps a long full text from being hashed
    and tokenized whole.
    """
    parts = [" ".join(part.split()) for part in (*titles, *texts)]
    return ". ".join(dict.fromkeys(part for part in parts if part))[:MAX_CHARACTERS]


def text_key(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()[:32]


def read_table(path: Path) -> dict[str, Vectors]:
    """The vectors of a table by key; none if the file does not exist."""
    if not path.exists():
        return {}
    with np.load(path) as table:
        keys, vectors = table["keys"], table["vectors"]
        return {str(key): vectors[index] for index, key in enumerate(keys)}


def write_table(path: Path, vectors: Mapping[str, Vectors]) -> None:
    """Writes the table whole, by way of a temporary file (a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(vectors)
    matrix = (
        np.stack([vectors[key] for key in keys]) if keys else np.zeros((0, 384), dtype=np.float16)
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    os.close(handle)
    os.chmod(temporary, 0o644)
    with open(temporary, "wb") as out:
        np.savez_compressed(out, keys=np.array(keys), vectors=matrix.astype(np.float16))
    os.replace(temporary, path)


def meaning_vectors(
    texts: Mapping[str, str],
    seeds_dir: Path,
    cache_dir: Path | None = None,
    encode: Encode = encode_with_the_model,
) -> dict[str, list[float]]:
    """Each item's vector (by item id, from its `meaning_text`), looked up or computed by `encode`.

    Only the model's vectors are cached.
    """
    keys = {item: text_key(text) for item, text in texts.items()}
    known = read_table(seeds_dir / SHIPPED_FILE)
    cached = read_table(cache_dir / CACHE_FILE) if cache_dir is not None else {}
    known.update(cached)
    missing = sorted({key: texts[item] for item, key in keys.items() if key not in known}.items())
    if missing:
        computed = encode([text for _, text in missing])
        fresh = {key: computed[index].astype(np.float16) for index, (key, _) in enumerate(missing)}
        known.update(fresh)
        if cache_dir is not None and encode is encode_with_the_model:
            write_table(cache_dir / CACHE_FILE, {**cached, **fresh})
    return {item: [float(x) for x in known[key]] for item, key in keys.items()}


def ship_vectors(texts: Mapping[str, str], seeds_dir: Path) -> tuple[int, int]:
    """Rewrites the shipped table to hold the vectors of these texts (by item id) and no others.

    Computes the ones it lacks. Returns how many it holds and how many were computed.
    """
    table = read_table(seeds_dir / SHIPPED_FILE)
    wanted = {text_key(text): text for text in texts.values()}
    missing = sorted((key, text) for key, text in wanted.items() if key not in table)
    if missing:
        computed = SentenceEncoder.load().encode([text for _, text in missing])
        for index, (key, _) in enumerate(missing):
            table[key] = computed[index].astype(np.float16)
    write_table(seeds_dir / SHIPPED_FILE, {key: table[key] for key in wanted})
    return len(wanted), len(missing)
