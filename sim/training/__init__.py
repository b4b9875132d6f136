"""Training: a trainee's answers at D1–D10, the answer key, the answer forms and the scorer.

It owns ``answers`` (the answer and submission formats), ``answer_key`` (the answers the ground truth implies),
``forms`` (answer-form layout), ``rubric`` (the rubric and feedback models) and ``scoring`` (``score``). It may
import ``sim.engine``, ``sim.cases``, ``sim.law`` and the bottom layer (``sim.errors``, ``sim.parsing``,
``sim.locations``); the library is handed in and named only as a type hint.
"""
