"""GraphQL object types, one per file, each built from a graph model with `from_model()`."""
