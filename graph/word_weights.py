"""Distinctive words of items, weighted by rarity across the graph: what `similar` compares texts by.

An item's text is its title and short title (counted three times), its methods, topics and policy
areas (twice) and its summary, description, statement or full text (once). Words are folded to a
stem (`stem`), common words dropped (`STOP_WORDS`), and adjacent stems also kept as pairs
("particip_budget"), so a phrase shared counts for more than its words apart. Each stem or pair is
weighted by log(1 + count) times its rarity, log(items / items holding it); stems no other item
holds cannot be shared and are dropped, as are those more than half the items hold; the `TERMS_KEPT` heaviest are kept, scaled so their squares
sum to one. Two items' text similarity is then the sum, over the terms both keep, of the products of
their weights (a cosine, between 0 and 1). The same is done for the titles alone (`TITLE_TERMS_KEPT`
terms, rarity still measured over all texts): titles name the intervention.

Themes are weighted by rarity the same way (`theme_weights`): log(items / items with the theme)
divided by log(items), so a theme every item has weighs nothing and one only two items share
nearly one.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

# What ingest.similarity stores on each commitment, practice and lesson: derived from their texts and
# themes after every ingest, never stated by a source, so exports leave them out.
SIMILARITY_PROPERTIES = (
    "similarityTerms",
    "similarityWeights",
    "similarityWords",
    "similarityTitleTerms",
    "similarityTitleWeights",
    "similarityTitleWords",
    "similarityThemes",
    "similarityThemeWeights",
    "similarityText",
    "similarityTextless",  # nothing of its own to read: no title, no text (graph/similar.py)
    "meaningVector",  # the sentence vector (ingest/meaning_vectors.py)
)
TERMS_KEPT = 120
TITLE_TERMS_KEPT = 16
# A term more than half the items hold says next to nothing, and would make the index scan them all.
MOST_HOLDING = 0.5
TITLE_REPEAT = 4
TERMS_REPEAT = 1
MIN_STEM = 4
# Prefix of a theme's token in the indexed text, so themes and words never collide.
THEME_TOKEN = "theme_"

STOP_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
    a about above across after again against all also am among an and any are as at be because been
    before being below between both but by can could did do does doing done down during each either
    etc every few for from further had has have having he her here hers him his how however i if in
    into is it its itself just least less made make makes making many may more most much must my
    new no nor not now of off on once one only or other others our out over own per same she should
    since so some such than that the their them then there these they this those through thus to
    too under until up upon us use used using very via was we well were what when where whether
    which while who whom whose why will with within without would yet you your
    de del la las el los en y o para por con que se un una al lo su sus como e do da dos das no na
    nas nos um uma ao aos pelo pela et le les des du au aux
    government governments public commitment commitments plan plans action national ensure
    improve improving improvement develop developing development implement implementation
    implementing increase increasing provide providing support year years work working new
    br nbsp amp http https www gov
    """,
    )
)

# Suffixes folded away, longest first; a stem keeps at least MIN_STEM letters.
SUFFIXES = tuple(
    sorted(
        re.findall(
            r"\S+",
            """
            ational ations ation atory ative ating ated ates ate ments ment ings ing ities ity ies
            ied ions ion ants ant ency ence ent ers er ed es ly al ic s e y
            """,
        ),
        key=len,
        reverse=True,
    )
)

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
TAG = re.compile(r"<[^>]+>")


@cache
def stem(word: str) -> str:
    """Fold a lower-case word's form: "budgets", "budgeting" -> "budget"; "participatory" -> "particip"."""
    for _ in range(2):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


@dataclass(frozen=True)
class Token:
    stem: str
    word: str


def tokens(text: str) -> list[Token]:
    """The text's content words in order, stemmed, each with the form it had."""
    return [
        Token(stem(word), word)
        for word in (match.removesuffix("'s") for match in WORD.findall(TAG.sub(" ", text).lower()))
        if len(word) >= 3 and word not in STOP_WORDS
    ]


@dataclass(frozen=True)
class ItemText:
    """What an item says, by field weight: titles, terms (methods, topics, areas), body."""

    id: str
    titles: Sequence[str]
    terms: Sequence[str]
    body: Sequence[str]


@dataclass(frozen=True)
class TermVector:
    """An item's kept terms (stems and stem pairs), their weights and a readable form of each."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class ItemVectors:
    """An item's terms over all it says, and over its titles alone (what it is, in brief)."""

    full: TermVector
    title: TermVector


def _counted(
    fields: Iterable[tuple[str, int]],
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for text, repeat in fields:
        found = tokens(text)
        for index, token in enumerate(found):
            counts[token.stem] += repeat
            forms.setdefault(token.stem, Counter())[token.word] += 1
            if index + 1 < len(found) and found[index + 1].stem != token.stem:
                after = found[index + 1]
                pair = f"{token.stem}_{after.stem}"
                counts[pair] += repeat
                forms.setdefault(pair, Counter())[f"{token.word} {after.word}"] += 1
    return counts, forms


def _fields(item: ItemText) -> list[tuple[str, int]]:
    return (
        [(text, TITLE_REPEAT) for text in dict.fromkeys(item.titles) if text]
        + [(text, TERMS_REPEAT) for text in item.terms if text]
        + [(text, 1) for text in item.body if text]
    )


def _readable(forms: Counter[str]) -> str:
    return min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]


def _vector(
    counts: Counter[str],
    forms: dict[str, Counter[str]],
    holding: Counter[str],
    total: int,
    kept: int,
) -> TermVector:
    weighted = sorted(
        (
            (math.log1p(count) * math.log(total / holding[term]), term)
            for term, count in counts.items()
            if 1 < holding[term] <= total * MOST_HOLDING
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )[:kept]
    norm = math.sqrt(sum(weight * weight for weight, _ in weighted)) or 1.0
    return TermVector(
        terms=tuple(term for _, term in weighted),
        weights=tuple(round(weight / norm, 6) for weight, _ in weighted),
        words=tuple(_readable(forms[term]) for _, term in weighted),
    )


def term_vectors(items: Iterable[ItemText]) -> dict[str, ItemVectors]:
    """Each item's weighted distinctive terms, rarity measured across `items`."""
    counted = {
        item.id: (
            _counted(_fields(item)),
            _counted((text, 1) for text in dict.fromkeys(item.titles)),
        )
        for item in items
    }
    holding: Counter[str] = Counter()
    for (counts, _), _title in counted.values():
        holding.update(counts.keys())
    total = len(counted)
    return {
        item_id: ItemVectors(
            _vector(counts, forms, holding, total, TERMS_KEPT),
            _vector(title_counts, title_forms, holding, total, TITLE_TERMS_KEPT),
        )
        for item_id, ((counts, forms), (title_counts, title_forms)) in counted.items()
    }


def theme_weights(themes_by_item: Mapping[str, Iterable[str]]) -> dict[str, float]:
    """Each theme's rarity among the items: 1 - log(items with it) / log(items)."""
    holding: Counter[str] = Counter()
    for themes in themes_by_item.values():
        holding.update(set(themes))
    total = max(len(themes_by_item), 2)
    return {
        theme: round(max(0.0, math.log(total / count) / math.log(total)), 6)
        for theme, count in holding.items()
    }


def theme_token(theme_id: str) -> str:
    """The indexed token of a theme: letters, digits and underscores only."""
    return THEME_TOKEN + re.sub(r"[^a-z0-9]+", "_", theme_id.lower())


def indexed_text(vectors: ItemVectors, themes: Iterable[str]) -> str:
    """What the similarity index holds for an item: its terms and theme tokens, space-separated."""
    terms = dict.fromkeys([*vectors.full.terms, *vectors.title.terms])
    return " ".join([*terms, *(theme_token(theme) for theme in themes)])


def index_query(vector: TermVector, themes: Mapping[str, float], theme_boost: float) -> str | None:
    """A full-text query for items sharing any of the terms or themes, each boosted by its weight."""
    parts = [
        f"{term}^{weight:.4f}" for term, weight in zip(vector.terms, vector.weights, strict=True)
    ]
    parts += [
        f"{theme_token(theme)}^{weight * theme_boost:.4f}"
        for theme, weight in sorted(themes.items())
        if weight > 0
    ]
    return " ".join(parts) or None
