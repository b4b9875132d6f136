"""environment.yml (conda users) stays consistent with pyproject.toml (the real dependency list)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import yaml

from tests.conftest import ROOT


def test_environment_yml_installs_the_project_with_the_same_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = env["dependencies"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e .[test]" in pip_section
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    assert python == "python=3.11" and project["requires-python"] == ">=3.11,<3.12"
    assert sys.version_info[:2] == (3, 11)
    conda_names = {d.split("=")[0] for d in deps if isinstance(d, str)} - {"python", "pip"}
    pyproject_names = {d.split(">")[0].split("<")[0].split("=")[0].lower() for d in project["dependencies"]}
    assert conda_names <= pyproject_names


def test_major_versions_are_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
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
