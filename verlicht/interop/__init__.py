"""The graph beyond one laptop: exports (RDF, GraphML, GEXF, CSV, …), SHACL validation and SPARQL.

Every export format is a plugin in :mod:`verlicht.interop.registry`, like RDFLib's serializers: one
``verlicht export --format NAME`` and one ``Workspace.export(NAME)`` serve them all.
"""
