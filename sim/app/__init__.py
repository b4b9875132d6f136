"""The façades: one door per role, the only core API the UI calls (docs/architecture.md, "The doors").

Owns ``trainee`` (``Workshop`` and ``CaseSession``: a trainee's session and workshop), ``trainer``
(``TrainerDesk``: the trainer's desk, locked until its secret), ``texts`` (the message catalog for the
first screen) and ``demo`` (throw-away workshops for examples, notebooks and trying things out; the apps
never use it). May import every lower package: ``sim.workshop``, ``sim.drawing``, ``sim.library``,
``sim.training``, ``sim.engine``, ``sim.cases``, ``sim.law`` and ``sim.errors``/``parsing``/``locations``.
"""
