"""Throughput of the domain core on one core: cases generated, assessed, and both, per second.

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
from sim.library import packaged_library


def rate(work, n: int) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def consume(iterable) -> None:
    """Run through results without keeping them: a workshop or a batch job discards each one."""
    for _ in iterable:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--scenario", default="mixed-practice-2026", help="default: every profile in the calibrated mix"
    )
    args = parser.parse_args()
    library = packaged_library()
    book, scenario = library, library.catalog.scenario(args.scenario)
    for case in generate_cases(scenario, library, 200, seed=1):  # warm caches and imports
        assess(case, book)
    n = args.cases
    cases = list(generate_cases(scenario, library, n, seed=3))
    gc.freeze()  # the rulebook, data and the pre-built cases are long-lived; the collector need not rescan them
    results = {
        "generate": [
            rate(lambda: consume(generate_cases(scenario, library, n, seed=3)), n) for _ in range(args.repeats)
        ],
        "assess": [rate(lambda: consume(assess(c, book) for c in cases), n) for _ in range(args.repeats)],
        "generate_and_assess": [
            rate(lambda: consume(assess(c, book) for c in generate_cases(scenario, library, n, seed=3)), n)
            for _ in range(args.repeats)
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
