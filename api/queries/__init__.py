"""The root `Query` type, merged from one module per concern."""

from strawberry.tools import merge_types

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

__all__ = ["Query"]
