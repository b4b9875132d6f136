"""The set-up files agree: pyproject.toml (the real dependency list and Python range), environment.yml (conda
users), the Makefile (`make serve` options, the Pythons CI tests) and .ci/run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

from sim.cli import _parser
from tests.conftest import ROOT

SUPPORTED = [(3, 11), (3, 12), (3, 13)]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _minors(requires_python: str) -> list[tuple[int, int]]:
    """The minor versions of Python 3 that a ``>=3.A,<3.B`` range admits."""
    match = re.fullmatch(r">=3\.(\d+),<3\.(\d+)", requires_python)
    assert match, f"requires-python {requires_python!r} is not of the form >=3.A,<3.B"
    low, high = map(int, match.groups())
    return [(3, minor) for minor in range(low, high)]


def test_the_supported_pythons_are_3_11_to_3_13_everywhere():
    project = _project()
    assert _minors(project["requires-python"]) == SUPPORTED
    listed = [c.rsplit(" ", 1)[1] for c in project["classifiers"] if re.fullmatch(r".*:: 3\.\d+", c)]
    assert listed == [f"{major}.{minor}" for major, minor in SUPPORTED]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**Supported Pythons: 3.11, 3.12 and 3.13**" in readme
    assert f'requires-python = "{project["requires-python"]}"' in readme


def test_the_running_python_is_a_supported_one():
    assert sys.version_info[:2] in _minors(_project()["requires-python"])


def test_environment_yml_installs_the_project_with_the_same_python_range():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    project = _project()
    deps = env["dependencies"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e .[test]" in pip_section
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert python == "python" + project["requires-python"]
    conda_names = {re.split(r"[<>=!]", d)[0] for d in deps if isinstance(d, str)} - {"python", "pip"}
    pyproject_names = {re.split(r"[<>=!]", d)[0].lower() for d in project["dependencies"]}
    assert conda_names <= pyproject_names


def test_every_supported_python_is_tested_in_ci():
    """3.11 (the machine's python3) runs the whole suite; `make test-pythons` runs the other ones."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extra = re.search(r"^EXTRA_PYTHONS \?= (.+)$", makefile, re.MULTILINE).group(1).split()
    assert [(3, 11)] + [tuple(map(int, v.split("."))) for v in extra] == _minors(_project()["requires-python"])
    assert "FAST_TESTS := not browser and not slow" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("make test\n") < ci.index("make test-pythons\n")


def _make_serve(*variables: str, **environ: str) -> list[str]:
    """The `trove serve` options that `make serve VARIABLES` would run with (make -n: nothing is run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))} | environ
    result = subprocess.run(
        ["make", "-n", "-s", "serve", *variables], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith(".venv/bin/trove serve")
    return shlex.split(line)[2:]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (Windows: see the README)")
def test_make_serve_passes_port_host_and_args_through():
    options = _make_serve("PORT=8870", "HOST=0.0.0.0", "ARGS=--workshop 'Tập huấn Phan Thiết' --room 3")
    args = _parser().parse_args(["serve", *options])
    assert (args.host, args.port, args.workshop, args.room) == ("0.0.0.0", 8870, "Tập huấn Phan Thiết", 3)
    assert _make_serve() == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (Windows: see the README)")
def test_make_serve_ignores_host_and_port_from_the_environment():
    """Some shells export HOST (the machine's name): it must not make the server listen beyond localhost."""
    assert _make_serve(HOST="workshop-laptop", PORT="1") == []


def test_major_versions_are_pinned():
    project = _project()
    for dep in project["dependencies"]:
        assert "<" in dep, f"{dep} has no upper bound"
    assert "voila>=0.5,<0.6" in project["dependencies"] and "ipywidgets>=8,<9" in project["dependencies"]


def test_import_sim_loads_no_jupyter_module():
    code = (
        "import sys, sim, sim.library, sim.engine.assessment, sim.engine.report, sim.cases.generator, sim.law.referral, "
        "sim.cases.scenario, sim.training.scoring, sim.training.forms, sim.app.trainee, sim.app.trainer, sim.workshop.results, "
        "sim.workshop.export, sim.workshop.sqlite_store, sim.drawing.referral, sim.cli; "
        "from sim.library import packaged_library; packaged_library(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'ipykernel', 'jupyter_client', 'voila', 'matplotlib')]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
