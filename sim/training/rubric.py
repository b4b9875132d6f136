"""The scoring rubric (``rubric.yaml``) and the scorer's feedback texts (``feedback.yaml``): data models."""

from __future__ import annotations

from typing import Literal

from sim.law.primitives import Bilingual, Strict


class Rubric(Strict):
    schema_version: Literal[1]
    weights: dict[str, float]
    process_weight: float
    immediately_minutes: int
    critical_cap_percent: float
    missed_victim_loss: float
    false_alarm_loss: float


class FeedbackFile(Strict):
    schema_version: Literal[1]
    messages: dict[str, Bilingual]
