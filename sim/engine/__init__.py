"""The rule engine: ``assess(case, library)`` derives a case's ground truth with a trace of why.

It owns ``assessment`` (the determinations, the rules they cite, the critical errors at risk) and ``report``
(that ground truth as JSON-ready data). It may import ``sim.cases``, ``sim.law`` and the bottom layer
(``sim.errors``, ``sim.parsing``, ``sim.locations``); the library is handed in and named only as a type hint.
"""
