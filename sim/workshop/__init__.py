"""The workshop: results stores, scores after overrides, item statistics, coverage, debrief, exports,
saving authored files, and ``trove serve``.

Sits above ``sim.library``: it may import ``sim.library``, ``sim.drawing`` and the layers below them (``sim.training``,
``sim.engine``, ``sim.cases``, ``sim.law``, ``sim.errors``, ``sim.parsing``, ``sim.locations``), never ``sim.app``,
``sim.ui`` or ``sim.cli``.
"""
