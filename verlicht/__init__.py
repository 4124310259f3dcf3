"""VERLICHT: turn QNA-coded interviews into a living, queryable theory of change.

>>> import verlicht
>>> ws = verlicht.open(workspace)             # the folder holding verlicht.toml (default: the nearest one)
>>> report = ws.build()                       # sources -> graphs/verlicht.json
>>> top = ws.gaps()[0]                        # the assumption most in need of an indicator
>>> top["cause"], top["effect"], top["coverage"]
('verloop_bewoners', 'sociale_cohesie', 'partial')
"""

__version__ = "0.1.0"

__all__ = ["Workspace", "__version__", "open"]


def __getattr__(name: str):
    """``verlicht.Workspace`` and ``verlicht.open`` on first use: the command line imports ``verlicht`` for its
    version and commands, and a query should not pay for the build's imports (PEP 562)."""
    if name in ("Workspace", "open"):
        from verlicht import api

        return getattr(api, name)
    raise AttributeError(f"module 'verlicht' has no attribute {name!r}")
