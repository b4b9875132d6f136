"""The province simulation (issue 11): a year of returns through the referral network, and what training changes.

Owns: the model's parameters (``parameters``, ``sim/data/province.yaml``), working days and holidays
(``calendar``, ``sim/data/holidays.yaml``), one regime over a study's dates (``regimes``), arrivals
(``arrivals``), the SimPy model (``model``), KPIs and backlog (``results``), support cost from ``money.yaml``
(``costs``), trained quality measured from a workshop (``quality``), studies of many replications (``study``),
on a Dask cluster when asked (``cluster``, the optional extra ``trove[dask]``), and the garbage collector paused
while a replication runs (``collector``).
May import: ``sim.errors``, ``sim.parsing``, ``sim.locations``, ``sim.law``, ``sim.cases``, ``sim.engine`` and
``sim.library`` (a ``Library`` is handed in; nothing is loaded behind the caller's back); a results store is
handed in too (``quality``: typed only, ``sim.workshop`` sits above). Imported by the CLI and ``sim.app``.
"""
