"""One instance of the app behind JupyterHub: ``python -m sim.workshop.hub_instance --port 18871``.

The hub does accounts and login only; the app is one external hub service (``trove``) made of N identical
instances of this server behind nginx (deploy/). Each is ``trove serve``'s Voilà (``sim.workshop.voila_app``) with
the hub's OAuth on every request (``JupyterHubIdentityProvider``), the lock-down of ``sim.workshop.lockdown``, and
no token or trainer secret of its own. What the instances share comes from their environment, one file per
deployment (deploy/trove.env): the hub's API URL and the service's token, the cookie secret's file (a login made
on one instance holds on every other), the results database and the workshop. Nothing is generated per process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping

from sim.workshop.serve import ACCOUNTS_ONLY_ENV, ServeConfig
from sim.workshop.store import DEFAULT_WORKSHOP_TITLE

SERVICE = "trove"  # the service's name in the hub's configuration (deploy/jupyterhub_config.py)
SERVICE_PREFIX = f"/services/{SERVICE}/"
ACCESS_SCOPES = [f"access:services!service={SERVICE}"]
REQUIRED = ("JUPYTERHUB_API_TOKEN", "JUPYTERHUB_API_URL", "TROVE_COOKIE_SECRET_FILE")
# How long an instance trusts what the hub said of a login (its groups: trainer or not) before asking again.
# JupyterHub's 300 s kept a new trainer refused, or a removed one admitted, for 5 minutes; a minute costs each
# logged-in visitor one hub API call a minute.
IDENTITY_CACHE_SECONDS = 60


def hub_environment(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` plus what JupyterHub's OAuth client (``HubOAuth``) reads for this service.

    >>> hub = hub_environment({"JUPYTERHUB_API_TOKEN": "t", "JUPYTERHUB_API_URL": "http://127.0.0.1:18081/hub/api"})
    >>> hub["JUPYTERHUB_CLIENT_ID"], hub["JUPYTERHUB_OAUTH_CALLBACK_URL"]
    ('service-trove', '/services/trove/oauth_callback')
    """
    return {
        **env,
        "JUPYTERHUB_SERVICE_NAME": SERVICE,
        "JUPYTERHUB_CLIENT_ID": f"service-{SERVICE}",
        "JUPYTERHUB_SERVICE_PREFIX": SERVICE_PREFIX,
        "JUPYTERHUB_OAUTH_CALLBACK_URL": SERVICE_PREFIX + "oauth_callback",
        "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps(ACCESS_SCOPES),
        "JUPYTERHUB_OAUTH_SCOPES": json.dumps(ACCESS_SCOPES),
        ACCOUNTS_ONLY_ENV: "1",  # the kernels let only the hub login in (sim.app.trainee.Workshop.accounts_only)
    }


def instance_config(env: Mapping[str, str], port: int, host: str = "127.0.0.1") -> ServeConfig:
    """The ``ServeConfig`` of one instance, from the deployment's environment (``TROVE_WORKSHOP_*``, ``TROVE_DB``,
    ``TROVE_POOL``, ``TROVE_ROOM``); no token: the hub's login guards every request.

    ``TROVE_ROOM`` is ``trove serve --room`` for one instance: the officers it expects at once (a session's
    share of them), that many kernels preheated and the kernel cap sized by it.

    >>> config = instance_config({"TROVE_WORKSHOP_TITLE": "Tập huấn Lâm Đồng", "TROVE_POOL": "3"}, 18871)
    >>> config.workshop_id, config.pool, config.room, config.token, config.code
    ('tap-huan-lam-dong', 3, 0, None, '')
    >>> instance_config({"TROVE_ROOM": "40"}, 18871).room
    40
    """
    config = ServeConfig(
        host=host,
        port=port,
        workshop=env.get("TROVE_WORKSHOP_TITLE", DEFAULT_WORKSHOP_TITLE),
        exercises=[e for e in env.get("TROVE_WORKSHOP_EXERCISES", "").split(",") if e],
        code="",  # a hub account is the way in: no workshop code
        db=env.get("TROVE_DB") or None,
        pool=_count(env, "TROVE_POOL", 2),
        room=_count(env, "TROVE_ROOM", 0),
    )
    config.token = None
    return config


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """The whole number ``env[name]`` (``default`` when unset or empty), else a ``ValueError`` saying what to write.

    >>> _count({"TROVE_ROOM": "forty"}, "TROVE_ROOM", 0)
    Traceback (most recent call last):
    ValueError: TROVE_ROOM=forty in the environment: write a whole number of kernels, 0 or more (deploy/trove.env)
    """
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ValueError(
            f"{name}={text} in the environment: write a whole number of kernels, 0 or more (deploy/trove.env)"
        )
    return int(text)


def instance_command(config: ServeConfig, env: Mapping[str, str]) -> list[str]:
    """``trove serve``'s Voilà command for one instance: under the hub's prefix, with its login and the lock-down.

    >>> command = instance_command(instance_config({}, 18871), {"TROVE_COOKIE_SECRET_FILE": "/etc/trove/cookie"})
    >>> [a for a in command if a.startswith(("--Voila.base_url", "--TroveVoila.cookie", "--HubOAuth"))]
    ['--Voila.base_url=/services/trove/', '--TroveVoila.cookie_secret_file=/etc/trove/cookie', '--HubOAuth.cache_max_age=60']
    """
    return [
        *config.voila_command(),
        f"--Voila.base_url={SERVICE_PREFIX}",
        "--Voila.identity_provider_class=sim.workshop.lockdown.HubIdentityProvider",
        "--Voila.authorizer_class=sim.workshop.lockdown.VoilaOnlyAuthorizer",
        f"--TroveVoila.cookie_secret_file={env['TROVE_COOKIE_SECRET_FILE']}",
        f"--TroveVoila.trainers_group={env.get('TROVE_TRAINERS_GROUP', 'trainers')}",
        f"--HubOAuth.cache_max_age={IDENTITY_CACHE_SECONDS}",
    ]


def prepare_workshop(config: ServeConfig) -> None:
    """Create the deployment's workshop in the store if it is new. An existing one keeps its settings: an instance
    restarted during a session must not undo the exercises a trainer chose meanwhile."""
    from sim.workshop.stores import open_store

    open_store(config.results).ensure_workshop(config.workshop_id, config.workshop, None, config.exercises)


def main(argv: list[str] | None = None) -> int:
    """Check the environment, record the workshop, then run the instance in the foreground."""
    parser = argparse.ArgumentParser(prog="python -m sim.workshop.hub_instance", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in a container (nginx on another host)")
    args = parser.parse_args(argv)
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(f"missing in the environment: {', '.join(missing)} (see deploy/trove.env)", file=sys.stderr)
        return 2
    try:
        config = instance_config(os.environ, args.port, args.host)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    prepare_workshop(config)
    env = hub_environment(config.environment())
    command = instance_command(config, env)
    os.execve(command[0], command, env)
    return 0  # not reached: the process is now Voilà


if __name__ == "__main__":
    sys.exit(main())
