"""Drawing: matplotlib figures as PNG (``png.py`` is the one place a figure becomes bytes), the referral graph
and the workshop charts.

May import ``sim.library`` and the layers below it (``sim.law``, ``sim.cases``, ``sim.engine``, ``sim.training``,
``sim.errors``, ``sim.parsing``, ``sim.locations``), never ``sim.workshop``, ``sim.app``, ``sim.ui`` or ``sim.cli``.
matplotlib is imported only when something is drawn.
"""
