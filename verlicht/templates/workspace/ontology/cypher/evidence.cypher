// The anonymised utterances behind one claim, with who voiced them (as `verlicht query evidence`).
//   verlicht neo4j query ontology/cypher/evidence.cypher -p cause=goedkope_woningen -p effect=instroom_kwetsbaren
MATCH (a:Assumption {cause: $cause, effect: $effect})-[ev:EVIDENCED_BY]->(u:Utterance)-[:IN]->(s:Source)
OPTIONAL MATCH (r:Respondent {id: ev.respondent})
RETURN a.polarity AS polarity, s.path AS source, u.line AS line, u.uid AS uid, r.case AS respondent,
       r.group AS group, u.text AS text
ORDER BY source, line
