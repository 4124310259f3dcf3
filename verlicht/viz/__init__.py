"""Pictures of the built graph: interactive graph pages and the dashboard report (static HTML)."""
