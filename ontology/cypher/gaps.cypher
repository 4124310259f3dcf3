// Assumptions that lack indicators: the rows of `verlicht gaps --kind assumptions` (partial: one end
// measured; unmeasured: neither end), here ranked by support. Run in Neo4j Browser or:
//   verlicht neo4j query ontology/cypher/gaps.cypher
MATCH (a:Assumption)-[:CAUSE]->(cause:Concept), (a)-[:EFFECT]->(effect:Concept)
WHERE NOT EXISTS { MATCH (:Indicator)-[:TESTS]->(a) }
WITH a, cause, effect,
     EXISTS { MATCH (:Indicator)-[:MEASURES]->(cause) } AS cause_measured,
     EXISTS { MATCH (:Indicator)-[:MEASURES]->(effect) } AS effect_measured
WHERE NOT (cause_measured AND effect_measured)
RETURN a.cause AS cause, a.effect AS effect, a.polarity AS polarity,
       CASE WHEN cause_measured OR effect_measured THEN 'partial' ELSE 'unmeasured' END AS coverage,
       a.support AS support, a.contested AS contested
ORDER BY support DESC, cause, effect
