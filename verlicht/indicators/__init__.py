"""Indicators: the catalogue (what each indicator measures, tests, tracks) and observations."""

from verlicht.indicators.tables import Indicator, Observation, load_indicators, load_observations

__all__ = ["Indicator", "Observation", "load_indicators", "load_observations"]
