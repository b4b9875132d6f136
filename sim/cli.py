"""``trove``: the command line of Trở về (also ``python -m sim``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import DataError, Problem, SimError

if TYPE_CHECKING:
    from sim.library import Library
    from sim.parsing import SourceDoc
    from sim.training.answers import Submission

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``trove`` with ``argv`` (default: the command line) and return the exit code.

    0 on success; 1 when problems were found (each ``DataError`` problem printed as ``file:line:col``, any other
    ``SimError`` as one line); 2 when no subcommand is given (argparse itself exits with 2 on a bad option).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except DataError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return EXIT_PROBLEMS
    except SimError as exc:
        print(f"trove: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trove", description="Trở về — training simulator for receiving returned victims of trafficking."
    )
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="validate scenario and exercise files; print every problem as file:line:col")
    check.add_argument("paths", nargs="+", help="files or folders (scenarios/, exercises/)")
    check.set_defaults(run=cmd_check)

    gen = sub.add_parser("generate", help="generate cases of a scenario as JSON")
    gen.add_argument("--scenario", required=True, help="scenario id (see scenarios/)")
    gen.add_argument("--seed", required=True, type=_seed_arg, help="non-negative whole number; same seed, same case")
    gen.add_argument("--count", type=int, default=1, help="number of cases (written as JSON Lines when > 1)")
    gen.add_argument("--out", help="output file (default: standard output)")
    gen.set_defaults(run=cmd_generate)

    assess = sub.add_parser(
        "assess", help="the rule engine's ground truth for a case file (YAML or JSON), with citations"
    )
    assess.add_argument("case", help="case file in the format of docs/case.schema.json")
    assess.set_defaults(run=cmd_assess)

    score = sub.add_parser(
        "score", help="score a saved submission (its case, answers, actions and clock) and print the report as JSON"
    )
    score.add_argument(
        "submission",
        help="submission file (YAML or JSON): case, decision_points, answers, answered_at, actions, clock_minutes",
    )
    score.set_defaults(run=cmd_score)

    graph = sub.add_parser("graph", help="draw the referral graph with matplotlib")
    graph.add_argument("--regime", required=True, choices=["A", "B"])
    graph.add_argument("--out", required=True, help="image file, e.g. graph.png")
    graph.add_argument("--lang", choices=["vi", "en"], default="vi")
    graph.add_argument(
        "--region",
        help="region pack whose names fill the labels (default: the default region, or the pack covering the regime's dates)",
    )
    graph.set_defaults(run=cmd_graph)

    serve = sub.add_parser("serve", help="serve the trainee app with Voilà (localhost by default)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; anything but loopback requires a token (made if not given)",
    )
    serve.add_argument("--port", type=_whole_number_arg("port", 1, 65535), default=8866)
    serve.add_argument("--workshop", help="workshop title (default: Trở về)")
    serve.add_argument("--exercises", default="", help="comma-separated exercise ids (default: all)")
    serve.add_argument(
        "--code",
        help="workshop code trainees must type to join (default for a named or network workshop: its code from the last run, else a new one)",
    )
    serve.add_argument("--token", help="access token (required beyond localhost; generated if omitted)")
    serve.add_argument(
        "--db", help="results file, or a postgresql://user@host/db URL (default: $TROVE_DB or var/trove.sqlite)"
    )
    serve.add_argument(
        "--pool",
        type=_whole_number_arg("pool", 0),
        help="preheated trainee kernels (default: 4 for a workshop on the network, 0 on localhost; --room overrides it)",
    )
    serve.add_argument(
        "--room",
        type=_whole_number_arg("room", 0),
        default=0,
        help="people in the room: preheat that many kernels (instead of --pool) and show the QR code only when they are ready",
    )
    serve.add_argument(
        "--fork-kernels",
        action=argparse.BooleanOptionalAction,
        default=sys.platform == "linux",
        help="start trainee kernels by forking a preloaded process (default on Linux; --no-fork-kernels: fresh Python processes)",
    )
    serve.add_argument(
        "--region", help="region pack of the trainees' communes (coverage chart; default: the library's default region)"
    )
    serve.add_argument(
        "--trainer-secret",
        help="secret for the trainer pages, kept beside the results file for the next runs (default: the kept one, or a new one)",
    )
    serve.set_defaults(run=cmd_serve)

    export = sub.add_parser(
        "export", help="export workshop results as CSV or XLSX (one sheet per exercise + item statistics)"
    )
    export.add_argument("--out", required=True, help="results.csv or results.xlsx")
    export.add_argument(
        "--workshop", help="workshop id (default: the only one in the file; required when it holds several)"
    )
    export.add_argument(
        "--db", help="results file, or a postgresql://user@host/db URL (default: $TROVE_DB or var/trove.sqlite)"
    )
    export.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the headers, roles and titles (default: vi)"
    )
    export.set_defaults(run=cmd_export)

    rules = sub.add_parser("rules", help="print the rulebook as one review table (docs/rules-table.md)")
    rules.add_argument("--format", choices=["md"], default="md", help="output format (Markdown)")
    rules.add_argument("--out", help="write to this file instead of standard output")
    rules.set_defaults(run=cmd_rules)

    schema = sub.add_parser("schema", help="write the JSON Schemas of the case, scenario and exercise formats")
    schema.add_argument("--out", default="docs", help="folder (default: docs)")
    schema.set_defaults(run=cmd_schema)

    _add_simulate_parser(sub)
    return parser


def _seed_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed must be a whole number, got {text!r} (e.g. --seed 7)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"seed must not be negative, got {value}")
    return value


def _whole_number_arg(what: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type for a whole number from ``low`` (up to ``high``): anything else is wrong usage (exit 2)."""
    bounds = f"between {low} and {high}" if high is not None else f"{low} or more"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{what} must be {bounds}, got {value}")
        return value

    return parse


def cmd_check(args: argparse.Namespace) -> int:
    """Run ``trove check``."""
    from sim.cases.check import check_paths
    from sim.library import packaged_library

    problems, checked = check_paths([Path(p) for p in args.paths], packaged_library())
    for problem in problems:
        print(problem.format())
    print(f"{checked} file(s) checked, {len(problems)} problem(s)", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    """Run ``trove generate``."""
    from sim.cases.generator import generate_cases
    from sim.library import packaged_library
    from sim.parsing import dump_json

    if args.count < 1:
        raise SimError(f"--count must be at least 1, got {args.count}")
    library = packaged_library()
    scenario = library.catalog.scenario(args.scenario)
    lines = (dump_json(case) for case in generate_cases(scenario, library, args.count, seed=args.seed))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            for line in lines:
                out.write(line + "\n")
        print(f"wrote {args.count} case(s) to {args.out}", file=sys.stderr)
    elif args.count == 1:
        print(_json(json.loads(next(lines)), sort_keys=True))
    else:
        for line in lines:
            print(line)
    return EXIT_OK


def cmd_assess(args: argparse.Namespace) -> int:
    """Run ``trove assess``."""
    from sim.cases.case import Case
    from sim.engine.assessment import assess
    from sim.engine.report import assessment_report, json_default
    from sim.library import packaged_library
    from sim.parsing import load

    case = load(Case, args.case)
    library = packaged_library()
    print(_json(assessment_report(assess(case, library), library), default=json_default))
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    """Run ``trove score``."""
    from sim.engine.assessment import assess
    from sim.library import packaged_library
    from sim.parsing import read_document, validate
    from sim.training.answers import Submission
    from sim.training.scoring import score

    doc = read_document(args.submission)
    submission = validate(Submission, doc)
    library = packaged_library()
    unknown = _unknown_ids(doc, submission, library)
    if unknown:
        raise DataError(unknown)
    report = score(submission, assess(submission.case, library), library)
    print(_json(report.to_dict(library)))
    return EXIT_OK


def _unknown_ids(doc: SourceDoc, submission: Submission, library: Library) -> list[Problem]:
    """The critical errors of the case's questions that the library's rulebook does not have (the schema takes
    any text; the scorer looks them up)."""
    from sim.parsing import unknown_id_problem

    errors = list(library.rulebook.critical_errors)
    return [
        unknown_id_problem(doc, ("case", "interview", i, "critical_error"), "critical error", q.critical_error, errors)
        for i, q in enumerate(submission.case.interview)
        if q.critical_error and q.critical_error not in errors
    ]


def _json(data: object, **options: Any) -> str:
    """``data`` as indented JSON; a result holding an infinite or NaN number (which JSON cannot write) is an error."""
    try:
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False, **options)
    except ValueError:
        raise SimError(
            "the result holds a number too large for JSON (check the input's numbers: rubric weights are 0–100)"
        ) from None


def cmd_graph(args: argparse.Namespace) -> int:
    """Run ``trove graph``."""
    from sim.drawing.referral import referral_png
    from sim.library import packaged_library

    library = packaged_library()
    rules = library.rulebook.for_regime(args.regime)
    pack = library.region(args.region) if args.region else library.region_on(rules.effective_to or rules.effective_from)
    law = library.messages[f"regime_{args.regime}"].get(args.lang)
    title = library.messages["graph_title_law"].get(args.lang).format(law=law)
    referral_png(
        library.graph(args.regime, {"province": pack.province}), title=title, lang=args.lang, dpi=120, path=args.out
    )
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Run ``trove serve``."""
    from sim.workshop.serve import ServeConfig, is_loopback, run
    from sim.workshop.store import DEFAULT_WORKSHOP_TITLE

    exercises = [e.strip() for e in args.exercises.split(",") if e.strip()]
    on_network = not is_loopback(args.host)
    # No --code: a named or network workshop keeps its stored code or gets a new one (None); localhost's default
    # workshop, like --code "", has none ("").
    code = args.code if args.code is not None else (None if on_network or args.workshop else "")
    pool = args.pool if args.pool is not None else (4 if on_network else 0)
    return run(
        ServeConfig(
            host=args.host,
            port=args.port,
            workshop=args.workshop or DEFAULT_WORKSHOP_TITLE,
            exercises=exercises,
            code=code,
            token=args.token,
            db=args.db,
            pool=pool,
            room=args.room,
            fork_kernels=args.fork_kernels,
            region=args.region,
            trainer_secret=args.trainer_secret,
        )
    )


def cmd_export(args: argparse.Namespace) -> int:
    """Run ``trove export``."""
    from sim.workshop.export import export
    from sim.workshop.stores import open_store

    store = open_store(args.db)
    workshop = args.workshop or store.only_workshop()
    path = export(store, workshop, args.out, lang=args.lang)
    print(f"wrote {path} (workshop {workshop})", file=sys.stderr)
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    """Run ``trove rules``."""
    from sim.law.rules_table import rules_table_md
    from sim.library import packaged_library

    table = rules_table_md(packaged_library().rulebook)
    if args.out:
        Path(args.out).write_text(table, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(table)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Run ``trove schema``."""
    from sim.cases.check import write_schemas

    for path in write_schemas(Path(args.out)):
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _add_simulate_parser(sub: Any) -> None:
    """The ``trove simulate`` options (issue 11: the province simulation)."""
    from datetime import date

    def day(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"a date is written YYYY-MM-DD, got {text!r}") from None

    def share(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"--trained is a share from 0 to 1, got {text!r}") from None
        if not 0 <= value <= 1:
            raise argparse.ArgumentTypeError(f"--trained is a share from 0 to 1, got {value}")
        return value

    simulate = sub.add_parser(
        "simulate", help="simulate a province's years of returns through the referral network (JSON report)"
    )
    simulate.add_argument("--region", help="region pack id (default: the library's region on each date)")
    simulate.add_argument("--from", dest="start", type=day, required=True, help="first day, e.g. 2026-01-01")
    simulate.add_argument("--years", type=_whole_number_arg("--years", 1, 10), default=1, help="years (default 1)")
    simulate.add_argument("--returns", type=_whole_number_arg("--returns", 0), default=120, help="returns a year")
    simulate.add_argument("--trained", type=share, default=0.6, help="share of communes with a trained officer")
    simulate.add_argument(
        "--replications", type=_whole_number_arg("--replications", 1), default=200, help="replications (default 200)"
    )
    simulate.add_argument("--seed", type=_seed_arg, default=1, help="same seed, same report (default 1)")
    simulate.add_argument("--workers", type=_whole_number_arg("--workers", 1), default=1, help="local processes")
    simulate.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the replications on this Dask cluster, e.g. tcp://10.0.0.5:8786 (pip install 'trove[dask]')",
    )
    simulate.add_argument(
        "--compare-law", action="store_true", help="also replay the arrivals under Luật 2011 and 2024"
    )
    simulate.add_argument("--compare-training", action="store_true", help="also run 0 %% and 100 %% trained officers")
    simulate.add_argument("--parameters", help="a province.yaml of your own (default: the shipped one)")
    simulate.add_argument(
        "--quality-from",
        metavar="WORKSHOP_ID",
        help="trained officers' P(right) per decision point measured from this workshop's submitted attempts",
    )
    simulate.add_argument(
        "--db", help="results file or postgresql:// URL for --quality-from (default: $TROVE_DB or var/trove.sqlite)"
    )
    simulate.add_argument("--out", help="write the JSON report here (default: standard output)")
    simulate.set_defaults(run=cmd_simulate)


def cmd_simulate(args: argparse.Namespace) -> int:
    """Run ``trove simulate``: the report as JSON, a one-line summary per variant on standard error."""
    from sim.library import packaged_library
    from sim.province.calendar import packaged_calendar
    from sim.province.parameters import check_parameters, read_parameters
    from sim.province.study import Study, report_json, run_study

    library = packaged_library()
    params = read_parameters(args.parameters) if args.parameters else read_parameters()
    problems = check_parameters(params, library)
    if problems:
        raise DataError(problems)
    measured = None
    if args.quality_from:
        from sim.province.quality import measure_workshop
        from sim.workshop.db_url import is_database_url
        from sim.workshop.stores import open_store

        if args.db and not is_database_url(args.db) and not Path(args.db).exists():  # opening would create one
            raise SimError(f"no results file at {args.db} (give the --db of `trove serve`, or leave it out)")
        measured = measure_workshop(open_store(args.db), args.quality_from)
        counts = ", ".join(f"{dp} {n}" for dp, n in measured.attempts.items()) or "none"
        print(f"trained quality from {measured.source} (attempts per decision point: {counts})", file=sys.stderr)
    elif args.db:
        raise SimError("--db is the results file of --quality-from WORKSHOP_ID; give both or neither")
    study = Study(
        start=args.start,
        years=args.years,
        returns=args.returns,
        trained=args.trained,
        replications=args.replications,
        seed=args.seed,
        region=args.region,
        compare_law=args.compare_law,
        compare_training=args.compare_training,
        trained_quality=measured,
    )
    if args.region:
        library.region(args.region)  # an unknown id fails here, with "did you mean"
    report = run_study(study, library, params, packaged_calendar(), workers=args.workers, dask=args.dask)
    text = report_json(report)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    for name, variant in report["variants"].items():
        kpis = variant["aggregate"]["kpis"]
        shown = ", ".join(
            f"{k} {kpis[k]['mean']:.2f} [{kpis[k]['p5']:.2f}–{kpis[k]['p95']:.2f}]"
            for k in sorted(kpis)
            if kpis[k]["mean"] is not None
        )
        if not shown:  # no one to count for any target: say why rather than print an empty line
            arrivals = variant["aggregate"]["arrivals"]["mean"]
            shown = f"{arrivals:g} arrivals on average, so no target has anyone to count"
            shown += " (--returns 0: give 1 or more for targets)" if args.returns == 0 else ""
        print(f"{name}: {shown}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
