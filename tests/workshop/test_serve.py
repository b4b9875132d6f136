"""``trove serve`` configuration: Voilà flags, environment, and a token whenever it listens beyond localhost."""

from __future__ import annotations

import pytest

from sim.errors import UnknownIdError
from sim.workshop.serve import ServeConfig, is_loopback, prepare


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
        prepare(ServeConfig(exercises=["verificaton"], db=str(tmp_path / "x.sqlite")))


def test_prepare_records_the_workshop_its_region_and_the_trainer_secret(tmp_path):
    from sim.workshop.stores import open_store

    config = ServeConfig(
        workshop="Tập huấn",
        exercises=["verification"],
        code="PT26",
        db=str(tmp_path / "x.sqlite"),
        trainer_secret="s3cret",
    )
    prepare(config)
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
        prepare(ServeConfig(region="binh-thuan-2016", db=str(tmp_path / "x.sqlite")))


def test_a_bad_port_is_refused(tmp_path):
    from sim.errors import SimError

    with pytest.raises(SimError, match="--port must be between 1 and 65535"):
        prepare(ServeConfig(port=0, db=str(tmp_path / "x.sqlite")))


@pytest.mark.parametrize("option", [["--room", "-1"], ["--pool", "-2"], ["--port", "0"], ["--room", "many"]])
def test_a_negative_room_or_pool_or_a_bad_port_is_wrong_usage(option, capsys):
    from sim.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["serve", *option])
    assert stopped.value.code == 2 and option[0] in capsys.readouterr().err


def test_the_kernel_cap_is_computed_once_from_the_room_and_the_pool():
    from sim.workshop.serve import kernel_cap

    config = ServeConfig(room=40, pool=4)
    command = config.voila_command()
    assert config.max_kernels == kernel_cap(40, 4) == 40 + 4 + 10
    assert "--TroveVoila.room=40" in command and "--TroveVoila.pool=4" in command  # Voilà derives the same cap
    assert not any("max_kernels" in part for part in command)


def test_no_code_means_the_stored_one_or_a_new_one_and_an_empty_code_means_none(tmp_path):
    from sim.workshop.serve import CODE_ALPHABET

    db = str(tmp_path / "x.sqlite")
    first = ServeConfig(workshop="Tập huấn", db=db)
    prepare(first)
    assert len(first.code) == 6 and set(first.code) <= set(CODE_ALPHABET)
    again = ServeConfig(workshop="Tập huấn", db=db)
    prepare(again)
    assert again.code == first.code
    open_room = ServeConfig(workshop="Tập huấn", db=db, code="")
    prepare(open_room)
    assert open_room.code == "" and "code=" not in open_room.trainee_url()


def test_the_banner_is_vietnamese_then_english_throughout(tmp_path):
    from sim.workshop.serve import banner

    config = ServeConfig(workshop="Tập huấn", code="ABC234", db=str(tmp_path / "x.sqlite"), trainer_secret="s")
    text = banner(config)
    labelled = [line for line in text.splitlines() if line.startswith("  ") and "█" not in line and line.strip()]
    assert labelled and all(" · " in line for line in labelled)
    assert "  Mã lớp · workshop code:" in text and "Dừng bằng Ctrl-C" in text


def test_waiting_for_the_room_ends_when_the_server_does(tmp_path):
    import subprocess
    import sys

    from sim.workshop.serve import wait_for_room

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    seen = []
    assert wait_for_room(ServeConfig(port=1, room=3), ended, report=seen.append) is False and seen == []


def test_the_room_full_page_speaks_the_catalog_s_words():
    from sim.library.messages import packaged_messages
    from sim.workshop.voila_app import room_full_page

    page, messages = room_full_page(), packaged_messages()
    for key in ("room_full_title", "room_full_body", "reload_button"):
        assert messages[key].vi in page and messages[key].en in page


@pytest.mark.postgres
def test_serve_with_a_database_url(postgres_server, tmp_path, monkeypatch):
    """The workshop goes in the database; the kernels get its URL; the secret's file and the QR code go in var/;
    the banner shows the URL without its password."""
    from sim.workshop import serve
    from sim.workshop.stores import open_store

    monkeypatch.setattr(serve, "VAR", tmp_path)
    url = postgres_server.new_schema()
    config = ServeConfig(workshop="Tập huấn", code="PT26", db=url, trainer_secret="s3cret")
    prepare(config)
    assert open_store(url).check_trainer_secret("tap-huan", "s3cret") and open_store(url).workshop("tap-huan")
    assert config.environment()["TROVE_DB"] == url and config.secret_file == tmp_path / "tap-huan-trainer-secret.txt"
    with_password = url.replace("trove@", "trove:pw-123@")
    assert "pw-123" not in serve.banner(ServeConfig(workshop="Tập huấn", db=with_password, trainer_secret="x"))
    assert (tmp_path / "tap-huan-qr.png").exists()


def test_the_hub_headers_are_passed_to_kernels_under_the_names_the_app_reads():
    from sim.workshop.serve import ACCOUNT_ENV, ACCOUNT_HEADER, TRAINER_ENV, TRAINER_HEADER, ServeConfig

    command = ServeConfig().voila_command()
    for header, env in ((ACCOUNT_HEADER, ACCOUNT_ENV), (TRAINER_HEADER, TRAINER_ENV)):
        assert f"--VoilaConfiguration.http_header_envs={header}" in command
        assert env == "HTTP_" + header.upper().replace("-", "_")  # Voilà's name for the header in the kernel
