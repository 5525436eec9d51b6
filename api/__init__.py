"""The GraphQL API over the knowledge graph, served by Starlette."""
