"""Cases and the scenarios they are drawn from: the case format, the generator and its data models.

It owns ``case`` (the case format), ``scenario`` and ``check`` (scenario and exercise files, ``trove check``),
``profiles``, ``regions`` and ``names`` (the generator's data) and ``generator`` (seeded cases). It may import
``sim.law`` and the bottom layer (``sim.errors``, ``sim.parsing``, ``sim.locations``); the library is handed in
and named only as a type hint.
"""
