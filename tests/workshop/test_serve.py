"""``trove serve`` configuration: Voilà flags, environment, and a token whenever it listens beyond localhost."""

from __future__ import annotations

import pytest

from sim.errors import UnknownIdError
from sim.workshop.serve import ServeConfig, check, is_loopback


def test_localhost_needs_no_token_and_gets_the_leak_fixes():
    config = ServeConfig()
    command = " ".join(config.voila_command())
    assert config.token is None and "--Voila.ip=127.0.0.1" in command
    assert "disable_check_xsrf" in command and "cull_idle_timeout=600" in command and "--template=trove" in command
    assert "show_tracebacks=False" in command and "Voila.token" not in command


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "workshop.local"])
def test_beyond_localhost_always_has_a_token(host):
    config = ServeConfig(host=host)
    assert config.token and f"--Voila.token={config.token}" in config.voila_command()
    assert config.trainee_url().endswith(f"?token={config.token}")
    assert not is_loopback(host)


def test_environment_tells_the_kernels_about_the_workshop(tmp_path):
    config = ServeConfig(
        workshop="Tập huấn Phan Thiết 12/2026", exercises=["verification"], code="PT26", db=str(tmp_path / "x.sqlite")
    )
    env = config.environment()
    assert (
        env["TROVE_WORKSHOP_ID"] == "tap-huan-phan-thiet-12-2026" and env["TROVE_WORKSHOP_EXERCISES"] == "verification"
    )
    assert (
        env["TROVE_WORKSHOP_CODE"] == "PT26" and env["TROVE_DB"].endswith("x.sqlite") and "share" in env["JUPYTER_PATH"]
    )


def test_unknown_exercise_is_refused_before_starting(tmp_path):
    with pytest.raises(UnknownIdError, match="did you mean 'verification'"):
        check(ServeConfig(exercises=["verificaton"], db=str(tmp_path / "x.sqlite")))


def test_check_records_the_workshop_its_region_and_the_trainer_secret(tmp_path):
    from sim.workshop.stores import open_store

    config = ServeConfig(
        workshop="Tập huấn",
        exercises=["verification"],
        code="PT26",
        db=str(tmp_path / "x.sqlite"),
        trainer_secret="s3cret",
    )
    check(config)
    assert config.region == "lam-dong-binh-thuan"  # the library's default region
    store = open_store(tmp_path / "x.sqlite")
    settings = store.workshop("tap-huan")
    assert (
        settings["region"] == "lam-dong-binh-thuan"
        and settings["exercises"] == ["verification"]
        and settings["code"] == "PT26"
    )
    assert store.check_trainer_secret("tap-huan", "s3cret")


def test_an_unknown_region_is_refused_with_a_suggestion(tmp_path):
    with pytest.raises(UnknownIdError, match="did you mean 'binh-thuan'"):
        check(ServeConfig(region="binh-thuan-2016", db=str(tmp_path / "x.sqlite")))


def test_a_bad_port_is_refused(tmp_path):
    from sim.errors import SimError

    with pytest.raises(SimError, match="--port must be between 1 and 65535"):
        check(ServeConfig(port=0, db=str(tmp_path / "x.sqlite")))
