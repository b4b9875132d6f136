"""The law as data: legal primitives, the decision points D1–D10, needs, the rulebook and the referral graph.

It owns the models of the legal files (``rulebook/``, ``agencies.yaml``, ``needs.yaml``), their reading and
cross-checks, and the referral queries over a graph it is given. It may import only the bottom layer
(``sim.errors``, ``sim.parsing``, ``sim.locations``); every other package of ``sim`` sits above it.
"""
