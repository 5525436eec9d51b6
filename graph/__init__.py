"""Neo4j access for ogkg: driver, schema, Cypher queries and the models they return."""
