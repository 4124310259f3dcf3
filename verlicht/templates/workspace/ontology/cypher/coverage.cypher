// Every assumption, intervention step and mechanism with its indicator coverage: the rows and columns of
// `verlicht gaps --all` and of ontology/queries/coverage.rq (assumptions without the goal ranking, most
// supported first; then the steps and mechanisms in the order of their logic models). gaps.cypher keeps
// the partial and unmeasured rows only.
//   assumption  tested: an indicator TESTS the claim itself; measurable: indicators MEASURE both ends;
//               partial: one end; unmeasured: neither.
//   step        measurable: an indicator MONITORS the step or MEASURES a concept it is ABOUT; else unmeasured.
//   mechanism   measurable: an indicator MEASURES the concept it IS_CONCEPT; else unmeasured.
// Neo4j 5. Run in Neo4j Browser or:
//   verlicht neo4j query ontology/cypher/coverage.cypher
CALL {
  MATCH (a:Assumption)-[:CAUSE]->(cause_concept:Concept), (a)-[:EFFECT]->(effect_concept:Concept)
  WITH a, EXISTS { MATCH (:Indicator)-[:TESTS]->(a) } AS tested,
       EXISTS { MATCH (:Indicator)-[:MEASURES]->(cause_concept) } AS cause_measured,
       EXISTS { MATCH (:Indicator)-[:MEASURES]->(effect_concept) } AS effect_measured
  OPTIONAL MATCH (holder:Respondent)-[:HOLDS]->(a)
    WHERE holder.group IN ['bewoner', 'professional', 'bestuurder']
  WITH a, tested, cause_measured, effect_measured, count(DISTINCT holder.group) AS groups
  RETURN 1 AS rank, 'assumption' AS kind, a.id AS id, a.cause AS cause, a.effect AS effect, a.polarity AS polarity,
         CASE WHEN tested THEN 'tested'
              WHEN cause_measured AND effect_measured THEN 'measurable'
              WHEN cause_measured OR effect_measured THEN 'partial'
              ELSE 'unmeasured' END AS coverage,
         a.support AS support, groups, null AS intervention, null AS stage, null AS step, null AS arrow,
         null AS concept, null AS file, null AS line, null AS step_order, null AS to_order
  UNION ALL
  MATCH (st:Step)
  RETURN 2 AS rank, 'step' AS kind, st.id AS id, null AS cause, null AS effect, null AS polarity,
         CASE WHEN EXISTS { MATCH (:Indicator)-[:MONITORS]->(st) }
                OR EXISTS { MATCH (st)-[:ABOUT]->(:Concept)<-[:MEASURES]-(:Indicator) }
              THEN 'measurable' ELSE 'unmeasured' END AS coverage,
         null AS support, null AS groups, st.intervention AS intervention, st.stage AS stage, st.key AS step,
         null AS arrow, null AS concept, st.path AS file, st.line AS line, st.order AS step_order,
         null AS to_order
  UNION ALL
  MATCH (x:Mechanism)-[:EXPLAINS]->(target_step:Step)
  MATCH (source_step:Step {intervention: x.intervention, key: x.from_step})
  RETURN 3 AS rank, 'mechanism' AS kind, x.id AS id, null AS cause, null AS effect, null AS polarity,
         CASE WHEN EXISTS { MATCH (x)-[:IS_CONCEPT]->(:Concept)<-[:MEASURES]-(:Indicator) }
              THEN 'measurable' ELSE 'unmeasured' END AS coverage,
         null AS support, null AS groups, x.intervention AS intervention, null AS stage, null AS step,
         x.from_step + ' -> ' + x.to_step AS arrow, x.concept AS concept, x.path AS file, x.line AS line,
         source_step.order AS step_order, target_step.order AS to_order
}
RETURN kind, id, cause, effect, polarity, coverage, support, groups, intervention, stage, step, arrow, concept,
       file, line
ORDER BY rank, support DESC, groups DESC, intervention, step_order, to_order, line, id
