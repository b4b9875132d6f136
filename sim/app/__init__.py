"""The façades: one door per role, the only core API the UI calls (docs/architecture.md, "The doors").

Owns ``trainee`` (``Workshop`` and ``CaseSession``: a trainee's session and workshop), ``trainer``
(``TrainerDesk``: the trainer's desk, locked until its secret) and ``texts`` (the message catalog for the
first screen). May import every lower package: ``sim.workshop``, ``sim.drawing``, ``sim.library``,
``sim.training``, ``sim.engine``, ``sim.cases``, ``sim.law`` and ``sim.errors``/``parsing``/``locations``.
"""
