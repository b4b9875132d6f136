"""What the feedback of a blank case is worth on another trainee's case: the fairness check of issue 10 item 3.

A trainee who joins a second time under another name and submits a blank case sees that case's answer key in
the feedback (practice mode). This takes that key for every case position of every shipped exercise, as the
trainee ``blank-k`` (k < --keys) would see it, and scores it, with a safe interview, on the cases of the
trainees ``real-v`` (v < --variants): the seeds are the ones ``trove serve`` gives those trainees. The mean over
an exercise's positions must stay below its pass mark, or variants share too much of what is right.

Run: ``.venv/bin/python benchmarks/blank_key.py [--keys 5] [--variants 20] [--json out.json]``; exits 1 if an
exercise's mean reaches its pass mark. Numbers are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from sim.app.trainee import derive_seed, exercise_positions
from sim.cases.generator import generate_case
from sim.engine.assessment import assess
from sim.library import Library, packaged_library
from sim.training.answer_key import answer_key, safe_interview
from sim.training.answers import Answers, Submission
from sim.training.scoring import score


def shown_key(library: Library, scenario, seed: int) -> Answers:
    """The answers the feedback of the case ``seed`` shows: its key at the scenario's decision points."""
    case = generate_case(scenario, library, seed=seed)
    key = answer_key(case, assess(case, library)).model_dump()
    return Answers.model_validate({dp: key[dp] for dp in scenario.decision_points})


def key_score(library: Library, scenario, key: Answers, seed: int) -> float:
    """The percent ``key`` earns on the case ``seed`` of ``scenario``, every answer given with a safe interview."""
    case = generate_case(scenario, library, seed=seed)
    submission = Submission(
        case=case,
        decision_points=list(scenario.decision_points),
        answers=key,
        actions=safe_interview(case),
        rubric={dp: w.weight for dp, w in scenario.rubric.items()},
    )
    return score(submission, assess(case, library), library).percent


def exercise_means(library: Library, keys: int, variants: int) -> list[dict]:
    """Per shipped exercise: the mean percent of a blank case's key on other trainees' cases, per position too."""
    rows = []
    scenarios = library.catalog.scenarios()
    for exercise in library.catalog.exercises().values():
        positions = []
        for position, scenario_id in enumerate(exercise_positions(exercise)):
            scenario = scenarios[scenario_id]
            percents = []
            for k in range(keys):
                key = shown_key(library, scenario, derive_seed(f"blank-{k}", exercise.id, position))
                for v in range(variants):
                    percents.append(key_score(library, scenario, key, derive_seed(f"real-{v}", exercise.id, position)))
            positions.append(
                {
                    "scenario": scenario_id,
                    "version": scenario.version,
                    "mean": round(statistics.mean(percents), 1),
                    "min": round(min(percents), 1),
                    "max": round(max(percents), 1),
                }
            )
        mean = round(statistics.mean(p["mean"] for p in positions), 1)
        rows.append(
            {
                "exercise": exercise.id,
                "mode": exercise.mode,
                "pass_mark": exercise.pass_mark,
                "mean": mean,
                "below_pass_mark": mean < exercise.pass_mark,
                "positions": positions,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=5, help="blank cases whose key is tried (per position)")
    parser.add_argument("--variants", type=int, default=20, help="other trainees' cases each key is scored on")
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args()
    library = packaged_library()
    start = time.perf_counter()
    rows = exercise_means(library, args.keys, args.variants)
    seconds = time.perf_counter() - start
    for row in rows:
        verdict = "below" if row["below_pass_mark"] else "NOT below"
        print(
            f"{row['exercise']:22s} {row['mode']:10s} mean {row['mean']:5.1f} % ({verdict} pass mark {row['pass_mark']:g})"
        )
        for p in row["positions"]:
            print(
                f"    {p['scenario']:34s} v{p['version']:3s} mean {p['mean']:5.1f}  min {p['min']:5.1f}  max {p['max']:5.1f}"
            )
    print(f"{args.keys} keys x {args.variants} cases per position, {seconds:.1f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"keys": args.keys, "variants": args.variants, "exercises": rows}, out, indent=1)
    return 0 if all(r["below_pass_mark"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
