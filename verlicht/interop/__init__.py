"""Exchange with other tools: Neo4j, Cypher scripts, REFI-QDA (ATLAS.ti, NVivo, MAXQDA) and ROCK round trips."""
