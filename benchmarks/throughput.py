"""Throughput of the domain core on one core: cases generated, assessed, both, and submissions scored, per second.

Run: ``make benchmark`` (or ``.venv/bin/python benchmarks/throughput.py [--cases N] [--repeats R]``).
Reports the median of R runs after a warm-up; numbers are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import time

from sim.cases.generator import generate_cases
from sim.engine.assessment import assess
from sim.law.decision_points import DECISION_POINTS
from sim.library import Library, packaged_library
from sim.training.answer_key import answer_key, safe_interview
from sim.training.answers import Submission
from sim.training.scoring import score


def rate(work, n: int) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def consume(iterable) -> None:
    """Run through results without keeping them: a workshop or a batch job discards each one."""
    for _ in iterable:
        pass


def imperfect_submissions(library: Library, scenario, n: int) -> list[tuple[Submission, object]]:
    """Submissions close to the key, with findings to build (one support and the D4 timing wrong)."""
    items = []
    for case in generate_cases(scenario, library, n, seed=2):
        truth = assess(case, library)
        answers = answer_key(case, truth).model_dump()
        answers["D3"]["provide"] = answers["D3"]["provide"][:1]
        answers["D4"]["timing"] = "next_week"
        submission = Submission(
            case=case,
            decision_points=list(DECISION_POINTS),
            answers=answers,
            actions=safe_interview(case),
            answered_at=dict.fromkeys(DECISION_POINTS, 60),
        )
        items.append((submission, truth))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--scenario", default="mixed-practice-2026", help="default: every profile in the calibrated mix"
    )
    args = parser.parse_args()
    library = packaged_library()
    scenario = library.catalog.scenario(args.scenario)
    for case in generate_cases(scenario, library, 200, seed=1):  # warm caches and imports
        assess(case, library)
    n = args.cases
    cases = list(generate_cases(scenario, library, n, seed=3))
    scored = imperfect_submissions(library, scenario, 2000)
    consume(score(s, t, library) for s, t in scored[:100])
    gc.freeze()  # the rulebook, data and the pre-built cases are long-lived; the collector need not rescan them
    results = {
        "generate": [
            rate(lambda: consume(generate_cases(scenario, library, n, seed=3)), n) for _ in range(args.repeats)
        ],
        "assess": [rate(lambda: consume(assess(c, library) for c in cases), n) for _ in range(args.repeats)],
        "generate_and_assess": [
            rate(lambda: consume(assess(c, library) for c in generate_cases(scenario, library, n, seed=3)), n)
            for _ in range(args.repeats)
        ],
        "score": [
            rate(lambda: consume(score(s, t, library) for s, t in scored), len(scored)) for _ in range(args.repeats)
        ],
    }
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cases": n,
        "repeats": args.repeats,
        "scenario": args.scenario,
        **{k: round(statistics.median(v)) for k, v in results.items()},
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
