"""The decision points D1–D10 a trainee answers, written once; every other list derives from here.

>>> DECISION_POINTS[0], DECISION_POINTS[-1], len(DECISION_POINTS)
('D1', 'D10', 10)
>>> SCORED_ITEMS[-1]
'process'
"""

from __future__ import annotations

from typing import Literal, get_args

DecisionPoint = Literal["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"]
DECISION_POINTS: tuple[DecisionPoint, ...] = get_args(DecisionPoint)
PROCESS = "process"  # how the interview was done: scored beside the decision points
SCORED_ITEMS: tuple[str, ...] = (*DECISION_POINTS, PROCESS)


def item_order(item: str) -> int:
    """Sort key of a scored item: D1 … D10, then the process item, then anything else.

    >>> sorted(["process", "D10", "D2"], key=item_order)
    ['D2', 'D10', 'process']
    """
    return SCORED_ITEMS.index(item) if item in SCORED_ITEMS else len(SCORED_ITEMS)
