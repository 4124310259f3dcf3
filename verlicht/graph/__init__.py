"""The knowledge graph: schema and ids, build, store, and the queries asked of it."""
