"""The explorer: HTML pages for practitioners, each built from the public GraphQL API alone."""
