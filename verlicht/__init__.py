"""VERLICHT: turn QNA-coded interviews into a living, queryable theory of change.

>>> import verlicht
>>> ws = verlicht.open(workspace)             # the folder holding verlicht.toml (default: the nearest one)
>>> report = ws.build()                       # sources -> graphs/verlicht.json
>>> top = ws.gaps()[0]                        # the assumption most in need of an indicator
>>> top["cause"], top["effect"], top["coverage"]
('verloop_bewoners', 'sociale_cohesie', 'partial')
"""

__version__ = "0.1.0"

from verlicht.api import Workspace, open

__all__ = ["Workspace", "__version__", "open"]
