"""VERLICHT: turn QNA-coded interviews into a living, queryable theory of change.

>>> import verlicht
>>> ws = verlicht.open(".")          # the workspace holding verlicht.toml
>>> ws.build()                        # sources -> graphs/verlicht.json
>>> ws.gaps()[:3]                     # assumptions that lack indicators
"""

__version__ = "0.1.0"

from verlicht.api import Workspace, open

__all__ = ["Workspace", "__version__", "open"]
