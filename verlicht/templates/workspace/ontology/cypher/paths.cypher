// Causal chains of held claims from one concept to another, at most four claims long (as
// `verlicht query paths`). Quantified path patterns: Neo4j 5.9 or later.
//   verlicht neo4j query ontology/cypher/paths.cypher -p from=goedkope_woningen -p to=sociale_cohesie
MATCH (start:Concept {code: $from})
      ((x:Concept)<-[:CAUSE]-(a:Assumption)-[:EFFECT]->(y:Concept)){1,4}
      (end:Concept {code: $to})
RETURN size(a) AS length, [claim IN a | claim.cause + ' ' + claim.polarity + ' ' + claim.effect] AS claims,
       reduce(support = 1000000, claim IN a | CASE WHEN claim.support < support THEN claim.support ELSE support END)
         AS weakest_support
ORDER BY length, weakest_support DESC
LIMIT 50
