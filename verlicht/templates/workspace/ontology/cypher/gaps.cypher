// What lacks indicators: the rows and columns of `verlicht gaps` and of ontology/queries/gaps.rq
// (assumptions without the goal ranking, most supported first; then the intervention steps and mechanisms
// in the order of their logic models). Everything, gap or not (`verlicht gaps --all`): coverage.cypher.
//   assumption  partial: an indicator MEASURES one end (cause or effect) of the claim; unmeasured: neither;
//               an assumption an indicator TESTS directly is never a gap.
//   step        unmeasured: no indicator MONITORS the step and none MEASURES a concept it is ABOUT.
//   mechanism   unmeasured: no indicator MEASURES the concept it IS_CONCEPT (or it names none).
// Neo4j 5. Run in Neo4j Browser or:
//   verlicht neo4j query ontology/cypher/gaps.cypher
CALL {
  MATCH (a:Assumption)-[:CAUSE]->(cause_concept:Concept), (a)-[:EFFECT]->(effect_concept:Concept)
  WHERE NOT EXISTS { MATCH (:Indicator)-[:TESTS]->(a) }
  WITH a, EXISTS { MATCH (:Indicator)-[:MEASURES]->(cause_concept) } AS cause_measured,
       EXISTS { MATCH (:Indicator)-[:MEASURES]->(effect_concept) } AS effect_measured
  WHERE NOT (cause_measured AND effect_measured)
  OPTIONAL MATCH (holder:Respondent)-[:HOLDS]->(a)
    WHERE holder.group IN ['bewoner', 'professional', 'bestuurder']
  WITH a, cause_measured, effect_measured, count(DISTINCT holder.group) AS groups
  RETURN 1 AS rank, 'assumption' AS kind, a.id AS id, a.cause AS cause, a.effect AS effect, a.polarity AS polarity,
         CASE WHEN cause_measured OR effect_measured THEN 'partial' ELSE 'unmeasured' END AS coverage,
         a.support AS support, groups, null AS intervention, null AS stage, null AS step, null AS arrow,
         null AS concept, null AS file, null AS line, null AS step_order, null AS to_order
  UNION ALL
  MATCH (st:Step)
  WHERE NOT EXISTS { MATCH (:Indicator)-[:MONITORS]->(st) }
    AND NOT EXISTS { MATCH (st)-[:ABOUT]->(:Concept)<-[:MEASURES]-(:Indicator) }
  RETURN 2 AS rank, 'step' AS kind, st.id AS id, null AS cause, null AS effect, null AS polarity,
         'unmeasured' AS coverage, null AS support, null AS groups, st.intervention AS intervention,
         st.stage AS stage, st.key AS step, null AS arrow, null AS concept, st.path AS file, st.line AS line,
         st.order AS step_order, null AS to_order
  UNION ALL
  MATCH (x:Mechanism)-[:EXPLAINS]->(target_step:Step)
  MATCH (source_step:Step {intervention: x.intervention, key: x.from_step})
  WHERE NOT EXISTS { MATCH (x)-[:IS_CONCEPT]->(:Concept)<-[:MEASURES]-(:Indicator) }
  RETURN 3 AS rank, 'mechanism' AS kind, x.id AS id, null AS cause, null AS effect, null AS polarity,
         'unmeasured' AS coverage, null AS support, null AS groups, x.intervention AS intervention,
         null AS stage, null AS step, x.from_step + ' -> ' + x.to_step AS arrow, x.concept AS concept,
         x.path AS file, x.line AS line, source_step.order AS step_order, target_step.order AS to_order
}
RETURN kind, id, cause, effect, polarity, coverage, support, groups, intervention, stage, step, arrow, concept,
       file, line
ORDER BY rank, support DESC, groups DESC, intervention, step_order, to_order, line, id
