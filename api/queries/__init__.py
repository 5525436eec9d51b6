"""The root `Query` type, merged from one module per concern."""

from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition

from api.queries.curation_reads import CurationQueries
from api.queries.dashboards import DashboardQueries
from api.queries.discovery import DiscoveryQueries
from api.queries.items import ItemQueries
from api.queries.lists import ListQueries
from api.queries.pages import PageQueries

Query = merge_types(
    "Query",
    (CurationQueries, ListQueries, PageQueries, ItemQueries, DashboardQueries, DiscoveryQueries),
)
# merge_types takes no description: the merged type's is set on its definition.
get_object_definition(Query, strict=True).description = (
    "Reading the graph: lists and pages of every kind, one item by id or identifier, search, "
    "similar items, connections, dashboard counts, and curation history and review."
)

__all__ = ["Query"]
