"""Replications on a Dask cluster: the same report, byte for byte, as on local processes; a clear error without Dask."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from sim.cli import main
from sim.errors import SimError
from sim.province.calendar import packaged_calendar
from sim.province.parameters import read_parameters
from sim.province.study import Study, report_json, run_study

STUDY = Study(date(2026, 1, 1), 1, 12, 0.6, 4, 21, compare_law=True, compare_training=True)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def test_dask_gives_the_same_report_as_local_processes(cluster, library, tmp_path, capsys):
    params, cal = read_parameters(), packaged_calendar()
    local = report_json(run_study(STUDY, library, params, cal, workers=2))
    seen: list[tuple[int, int]] = []
    on_dask = run_study(STUDY, library, params, cal, dask=cluster.scheduler_address, progress=lambda *d: seen.append(d))
    assert report_json(on_dask) == local
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    from distributed import Client

    with Client(cluster) as client:  # a client of the caller's is used and left open
        assert report_json(run_study(STUDY, library, params, cal, dask=client)) == local
        assert client.status == "running"
    args = ["simulate", "--from", "2026-01-01", "--returns", "12", "--replications", "4", "--seed", "21"]
    out = tmp_path / "r.json"
    assert (
        main([*args, "--compare-law", "--compare-training", "--dask", cluster.scheduler_address, "--out", str(out)])
        == 0
    )
    assert out.read_text(encoding="utf-8") == local


def test_without_dask_the_error_says_how_to_install_it(library, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it fails
    with pytest.raises(SimError, match=r"pip install 'trove\[dask\]'"):
        run_study(STUDY, library, read_parameters(), packaged_calendar(), dask="tcp://127.0.0.1:8786")


def test_an_unreachable_scheduler_is_named(library, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("sim.province.cluster.CONNECT_TIMEOUT", "1s")
    args = ["simulate", "--from", "2026-01-01", "--returns", "1", "--replications", "1", "--dask", "tcp://127.0.0.1:9"]
    assert main(args) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
