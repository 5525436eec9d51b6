"""ogkg: the open-government knowledge graph (settings, command line and local Neo4j)."""
