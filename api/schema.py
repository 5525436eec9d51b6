"""The GraphQL schema: the root types (api/queries, api/mutations) with the request limits."""

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.compiled_reads import CompiledReadsExecutor
from api.errors import ErrorPolicy, RoundTrips
from api.mutations import Mutation
from api.queries import Query
from api.query_cost import QueryCostLimiter
from api.rate_limits import MutationRateLimit
from ogkg.settings import Settings

PARSER_CACHE_SIZE = 256
VALIDATION_CACHE_SIZE = 256


class Schema(strawberry.Schema):
    """Strawberry's schema, minus its error logging: `ErrorPolicy` logs what needs logging."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(settings: Settings | None = None) -> Schema:
    """The schema, with the request limits from `settings` (defaults when None).

    With `compiled_reads` on (the default) a query whose every root field is compilable is
    answered by `CompiledReadsExecutor`, one Cypher statement per root field.
    """
    limits = settings or Settings()
    # Built once: the validation cache is keyed by the rules too, so rule classes made afresh
    # for each request (as strawberry's limiter extensions do) would never let it hit.
    limit_rules: list[type[ASTValidationRule]] = [
        max_depth_rule(limits.max_query_depth, should_ignore=None),
        max_aliases_rule(limits.max_aliases),
    ]
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            ErrorPolicy,
            RoundTrips,
            lambda: AddValidationRules(limit_rules),
            lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
            # Both caches live at module level, shared by every request.
            lambda: ParserCache(maxsize=PARSER_CACHE_SIZE),
            lambda: ValidationCache(maxsize=VALIDATION_CACHE_SIZE),
            # After the validation cache: it prices only documents found valid.
            lambda: QueryCostLimiter(
                max_objects=limits.max_query_cost, max_bytes=limits.max_response_bytes
            ),
            # Counts only valid mutations, just before they would run.
            MutationRateLimit,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=CompiledReadsExecutor if limits.compiled_reads else None,
    )
