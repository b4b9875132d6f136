"""Trở về: a training simulator for commune officers who receive returned victims of trafficking.

The core (rulebook, referral graph, generator, rule engine, scenarios) is plain Python; only
``sim.ui`` imports Jupyter widgets.
"""

__version__ = "0.1.0"
