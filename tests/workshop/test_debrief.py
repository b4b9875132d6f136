"""Debrief data straight from the store: the room's choices beside what was right for each case, and the replay."""

from __future__ import annotations

from sim.workshop.debrief import choice_spread, final_answers, replay


def test_debrief_spread_and_replay(played, library):
    spreads, basis = choice_spread(played, library, "ws", "forced-marriage-2016", "D1")
    receive = next(s for s in spreads if s.field == "receive")
    assert (
        receive.attempts == 2 and receive.options["receive"].chosen == 1 and receive.options["receive"].correct_for == 2
    )
    assert receive.options["send_to_district"].chosen == 1 and basis
    attempt_id = played.submitted_rows("ws")[0]["attempt_id"]
    steps = replay(played, attempt_id)
    assert steps[0].kind == "action" and steps[0].key == "care_first" and steps[-1].kind == "answer"
    assert [s.index for s in steps] == list(range(len(steps)))
    assert final_answers(played.events(attempt_id))["D1"] == {"receive": "receive"}


def test_an_unplayed_scenario_or_point_has_no_spread(played, library):
    assert choice_spread(played, library, "ws", "scam-compound-2025", "D1") == ([], [])
    assert choice_spread(played, library, "nobody", "forced-marriage-2016", "D1") == ([], [])
