"""A document validated once is not validated again: the limits' rules must not defeat the cache."""

import asyncio
from typing import Any, cast

from strawberry.extensions.validation_cache import _get_validate_cache

from api.schema import VALIDATION_CACHE_SIZE, build_schema

DOCUMENT = "query Cached { __typename a: __typename b: __typename }"


def test_the_second_request_for_a_document_hits_the_validation_cache() -> None:
    schema = build_schema()
    cache = cast(Any, _get_validate_cache(VALIDATION_CACHE_SIZE))  # an lru_cache wrapper
    first = asyncio.run(schema.execute(DOCUMENT))
    assert first.errors is None and first.data == {
        "__typename": "Query",
        "a": "Query",
        "b": "Query",
    }
    hits = cache.cache_info().hits
    misses = cache.cache_info().misses
    second = asyncio.run(schema.execute(DOCUMENT))
    assert second.errors is None
    assert cache.cache_info().hits == hits + 1
    assert cache.cache_info().misses == misses


def test_the_limits_still_apply_from_the_cache() -> None:
    schema = build_schema()
    too_many = "{ " + " ".join(f"a{n}: __typename" for n in range(200)) + " }"
    for _ in range(2):
        result = asyncio.run(schema.execute(too_many))
        assert result.errors and "aliases" in result.errors[0].message
