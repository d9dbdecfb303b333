"""Hotspots and forecasts: emerging terms/classes (growth, Kleinberg bursts) and backtested filing forecasts.

The functions work on plain yearly counts, so any list of documents (a store, a search result) can
feed them through :mod:`ipai.analytics.trends.series`.
"""

from ipai.analytics.trends.emerging import Burst, TermTrend, emerging_terms, kleinberg_bursts, term_trends
from ipai.analytics.trends.forecast import Forecast, backtest, forecast

__all__ = [
    "Burst",
    "Forecast",
    "TermTrend",
    "backtest",
    "emerging_terms",
    "forecast",
    "kleinberg_bursts",
    "term_trends",
]
