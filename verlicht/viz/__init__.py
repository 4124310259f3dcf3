"""Pictures of the built graph: interactive graph pages (pyvis / vis-network) and the dashboard report.

``graphpage.render_page`` renders one view of the theory of change (``views.ViewSpec``) as a single offline
HTML file; ``verlicht viz`` and ``Workspace.viz`` are thin shells over it.
"""
