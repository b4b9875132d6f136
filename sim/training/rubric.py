"""The scoring rubric (``rubric.yaml``) and the scorer's feedback texts (``feedback.yaml``): data models."""

from __future__ import annotations

from typing import Literal

from sim.law.citations import Cited
from sim.law.primitives import Bilingual, Strict


class Rubric(Strict):
    """Points, partial credit and the simulator's conventions for scoring (see the comments in ``rubric.yaml``)."""

    schema_version: Literal[1]
    weights: dict[str, float]
    process_weight: float
    immediately_minutes: int
    critical_cap_percent: float
    missed_victim_loss: float
    false_alarm_loss: float
    deductions: dict[str, float]
    first_action: str
    interview_basis: Cited  # why the interview is scored so: care first, the signs, no harm
    key_questions: list[str]
    notification_confusions: list[str]
    victim_support_agencies: list[str]

    def deduction(self, rule: str) -> float:
        """The share of a decision point's points that breaking ``rule`` costs.

        Raises
        ------
        KeyError
            If ``rubric.yaml`` has no deduction for ``rule``.

        Examples
        --------
        >>> from sim.library import packaged_library
        >>> rubric = packaged_library().rubric
        >>> rubric.deduction("referral"), rubric.deduction("referral.forced_shelter")
        (0.8, 0.2)
        """
        if rule not in self.deductions:
            raise KeyError(f"rubric.yaml has no deduction for {rule!r}: add one under deductions")
        return self.deductions[rule]


class FeedbackFile(Strict):
    """The ``feedback.yaml`` document: the scorer's sentences, Vietnamese first."""

    schema_version: Literal[1]
    messages: dict[str, Bilingual]
