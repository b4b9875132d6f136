"""The province simulation (issue 11): a year of returns through the referral network, and what training changes.

Owns: the model's parameters (``parameters``, ``sim/data/province.yaml``), working days and holidays
(``calendar``, ``sim/data/holidays.yaml``), one regime over a study's dates (``regimes``), arrivals
(``arrivals``), the SimPy model (``model``), KPIs (``results``) and studies of many replications (``study``).
May import: ``sim.errors``, ``sim.parsing``, ``sim.locations``, ``sim.law``, ``sim.cases``, ``sim.engine`` and
``sim.library`` (a ``Library`` is handed in; nothing is loaded behind the caller's back). Imported by the CLI.
"""
