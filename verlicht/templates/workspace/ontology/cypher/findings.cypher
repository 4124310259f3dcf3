// The literature behind the claims: each review finding, its study, its direction and its target claim or
// concept, with the file and line it is written on (as `verlicht review findings`).
//   verlicht neo4j query ontology/cypher/findings.cypher
MATCH (s:Study)-[:REPORTS]->(f:Finding)
RETURN f.id AS finding, f.review AS review, s.label AS study, f.direction AS direction, f.target AS target,
       f.path AS source, f.line AS line, f.quote AS quote
ORDER BY target, source, line
